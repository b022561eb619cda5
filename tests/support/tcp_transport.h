// A non-blocking TCP client socket on 127.0.0.1 adapted to nssl::Transport, and a poll-based
// driver that turns the TLS engine's WantRead / WantWrite into waits (the tests' "blocking mode").
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>

#include "platform/socket.h"
#include "tls/client.h"
#include "tls/transport.h"

namespace wiiu::test {

class TcpTransport : public tls::Transport {
public:
    /// Connects to 127.0.0.1:`port` (waiting up to `timeout`), then switches to non-blocking.
    /// nullptr on failure. `sendBuffer` > 0 shrinks SO_SNDBUF to force partial writes.
    static std::shared_ptr<TcpTransport> connect(std::uint16_t port, int sendBuffer = 0,
                                                 std::chrono::milliseconds timeout =
                                                     std::chrono::seconds(5));
    ~TcpTransport() override;

    IoResult receive(std::span<std::uint8_t> buffer) override;
    IoResult send(std::span<const std::uint8_t> data) override;

    platform::NativeSocket fd() const;
    /// Orderly shutdown of our sending side (FIN).
    void shutdownWrite();
    /// Waits until readable (`forWrite` false) or writable; false on timeout.
    bool wait(bool forWrite, std::chrono::milliseconds timeout) const;

    std::size_t wouldBlockCount() const { return wouldBlock_; }
    /// recv() calls made (each is a system call).
    std::size_t receiveCount() const { return receives_; }
    /// send() calls that moved bytes (each a write the peer's TCP may see as its own segment).
    std::size_t sendCount() const { return sends_; }

private:
    struct Socket;
    explicit TcpTransport(std::unique_ptr<Socket> socket);
    std::unique_ptr<Socket> socket_;
    std::size_t wouldBlock_ = 0;
    std::size_t receives_ = 0;
    std::size_t sends_ = 0;
};

/// Repeats `step` (a callable returning nssl::TlsStatus) while it returns WantRead/WantWrite,
/// polling the socket the way it asks. Returns the first other status; IoError on timeout.
template <class Step>
tls::TlsStatus drive(const TcpTransport& socket, Step&& step,
                      std::chrono::milliseconds timeout = std::chrono::seconds(10))
{
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
        tls::TlsStatus s = step();
        if (s != tls::TlsStatus::WantRead && s != tls::TlsStatus::WantWrite) return s;
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0 || !socket.wait(s == tls::TlsStatus::WantWrite, left))
            return tls::TlsStatus::IoError;
    }
}

}  // namespace wiiu::test
