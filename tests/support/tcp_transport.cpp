#include "support/tcp_transport.h"

#include <boost/asio/error.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include "platform/socket.h"

namespace wiiu::test {

namespace asio = boost::asio;
using boost::system::error_code;

// A Boost.Asio socket used in non-blocking steps (its io_context never runs), so the transport
// builds for Windows too; connect and the waits go through the platform layer.
struct TcpTransport::Socket {
    asio::io_context io;
    asio::ip::tcp::socket socket{io};
};

namespace {

/// A failed step as the shared I/O result; the name is a static string.
IoResult failure(const error_code& ec)
{
    const int code = ec.value();
    if (ec == asio::error::connection_reset) return IoResult::reset(code, "ECONNRESET");
    if (ec == asio::error::connection_refused) return IoResult::failed(code, "ECONNREFUSED");
    if (ec == asio::error::connection_aborted) return IoResult::failed(code, "ECONNABORTED");
    if (ec == asio::error::timed_out) return IoResult::failed(code, "ETIMEDOUT");
    if (ec == asio::error::not_connected) return IoResult::failed(code, "ENOTCONN");
    if (ec == asio::error::host_unreachable) return IoResult::failed(code, "EHOSTUNREACH");
    if (ec == asio::error::network_unreachable) return IoResult::failed(code, "ENETUNREACH");
    if (ec == asio::error::bad_descriptor) return IoResult::failed(code, "EBADF");
    return IoResult::failed(code, {});  // the engine prints the code
}

bool wouldBlock(const error_code& ec)
{
    return ec == asio::error::would_block || ec == asio::error::try_again;
}

}  // namespace

std::shared_ptr<TcpTransport> TcpTransport::connect(std::uint16_t port, int sendBuffer,
                                                    std::chrono::milliseconds timeout)
{
    auto transport = std::shared_ptr<TcpTransport>(new TcpTransport(std::make_unique<Socket>()));
    auto& s = transport->socket_->socket;
    error_code ec;
    s.open(asio::ip::tcp::v4(), ec);
    if (!ec) s.non_blocking(true, ec);
    if (ec) return nullptr;
    if (sendBuffer > 0) s.set_option(asio::socket_base::send_buffer_size(sendBuffer), ec);
    s.set_option(asio::ip::tcp::no_delay(true), ec);
    // Asio's synchronous connect waits without a limit; the platform's is one non-blocking step.
    const int err = platform::connect(transport->fd(), {0x7F000001, port});
    if (err != 0) {
        if (!platform::connectInProgress(err)) return nullptr;
        if (!transport->wait(true, timeout)) return nullptr;
        int pending = 0;
        if (platform::pendingError(transport->fd(), pending) != 0 || pending != 0) return nullptr;
    }
    return transport;
}

TcpTransport::TcpTransport(std::unique_ptr<Socket> socket) : socket_(std::move(socket)) {}

TcpTransport::~TcpTransport() = default;

platform::NativeSocket TcpTransport::fd() const
{
    return static_cast<platform::NativeSocket>(socket_->socket.native_handle());
}

IoResult TcpTransport::receive(std::span<std::uint8_t> buffer)
{
    ++receives_;
    error_code ec;
    const std::size_t n = socket_->socket.receive(asio::buffer(buffer.data(), buffer.size()), 0, ec);
    if (!ec) return n == 0 && !buffer.empty() ? IoResult::closed() : IoResult::ok(n);
    if (ec == asio::error::eof) return IoResult::closed();
    if (wouldBlock(ec)) {
        ++wouldBlock_;
        return IoResult::wouldBlock();
    }
    return failure(ec);
}

IoResult TcpTransport::send(std::span<const std::uint8_t> data)
{
    error_code ec;
    const std::size_t n = socket_->socket.send(asio::buffer(data.data(), data.size()), 0, ec);  // MSG_NOSIGNAL
    if (!ec) {
        sends_ += n > 0 ? 1 : 0;
        return IoResult::ok(n);
    }
    if (wouldBlock(ec)) {
        ++wouldBlock_;
        return IoResult::wouldBlock();
    }
    if (ec == asio::error::broken_pipe) return IoResult::closed();
    return failure(ec);
}

void TcpTransport::shutdownWrite()
{
    error_code ignored;
    socket_->socket.shutdown(asio::socket_base::shutdown_send, ignored);
}

bool TcpTransport::wait(bool forWrite, std::chrono::milliseconds timeout) const
{
    platform::PollEntry p{.socket = fd(), .read = !forWrite, .write = forWrite};
    return platform::poll({&p, 1}, static_cast<int>(timeout.count())) > 0;
}

}  // namespace wiiu::test
