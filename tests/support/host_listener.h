// Host-side TCP peers for the nsysnet tests: a listener on 127.0.0.1 (free port) and the
// connections it accepts, as blocking Boost.Asio sockets, so the tests build for Windows too.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string_view>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>

#include "platform/socket.h"

namespace wiiu::test {

/// One host-side connection (blocking).
using HostPeer = boost::asio::ip::tcp::socket;

/// Sends all of `text`; the bytes sent (fewer only on an error).
inline std::size_t hostSend(HostPeer& peer, std::string_view text)
{
    boost::system::error_code ec;
    return boost::asio::write(peer, boost::asio::buffer(text.data(), text.size()), ec);
}

/// Closes with SO_LINGER {on, 0}: the peer sees a reset (on Linux; Wine sends FIN).
inline void hostReset(HostPeer& peer)
{
    boost::system::error_code ignored;
    peer.set_option(boost::asio::socket_base::linger(true, 0), ignored);
    peer.close(ignored);
}

class HostListener {
public:
    HostListener()
    {
        acceptor_.open(boost::asio::ip::tcp::v4());
        acceptor_.bind({boost::asio::ip::address_v4::loopback(), 0});
        acceptor_.listen(16);
    }
    HostListener(const HostListener&) = delete;
    HostListener& operator=(const HostListener&) = delete;

    std::uint16_t port() const { return acceptor_.local_endpoint().port(); }
    /// Accepts one connection, waiting at most `timeout`; nothing on timeout.
    std::optional<HostPeer> accept(std::chrono::milliseconds timeout = std::chrono::seconds(5))
    {
        platform::PollEntry p{.socket = static_cast<platform::NativeSocket>(acceptor_.native_handle()), .read = true};
        if (platform::poll({&p, 1}, static_cast<int>(timeout.count())) <= 0)
            return std::nullopt;
        boost::system::error_code ec;
        HostPeer peer(io_);
        acceptor_.accept(peer, ec);
        if (ec)
            return std::nullopt;
        return peer;
    }

    /// A host client connected to 127.0.0.1:`port`; nothing when refused.
    std::optional<HostPeer> connect(std::uint16_t port)
    {
        boost::system::error_code ec;
        HostPeer client(io_);
        client.connect({boost::asio::ip::address_v4::loopback(), port}, ec);
        if (ec)
            return std::nullopt;
        return client;
    }

private:
    boost::asio::io_context io_;  // never run: blocking calls only
    boost::asio::ip::tcp::acceptor acceptor_{io_};
};

/// A port nobody listens on: bound (so nobody else gets it) but never listening.
struct ClosedPort {
    ClosedPort()
    {
        socket.open(boost::asio::ip::tcp::v4());
        socket.bind({boost::asio::ip::address_v4::loopback(), 0});
        port = socket.local_endpoint().port();
    }
    boost::asio::io_context io;
    HostPeer socket{io};
    std::uint16_t port = 0;
};

/// Echoes everything on an accepted connection until EOF (bounded by a 10 s idle timeout).
inline void echoUntilClosed(HostPeer peer)
{
    char buf[4096];
    const auto fd = static_cast<platform::NativeSocket>(peer.native_handle());
    for (;;) {
        platform::PollEntry p{.socket = fd, .read = true};
        if (platform::poll({&p, 1}, 10000) <= 0)
            break;
        boost::system::error_code ec;
        const std::size_t n = peer.read_some(boost::asio::buffer(buf), ec);
        if (ec || hostSend(peer, {buf, n}) != n)
            break;
    }
}

}  // namespace wiiu::test
