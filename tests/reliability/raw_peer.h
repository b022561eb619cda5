// A scripted plain-TCP peer on 127.0.0.1 for fault injection: it accepts one connection and
// runs a script on the raw descriptor (read the ClientHello, answer garbage, reset, ...), so a
// test controls every byte the client sees where a real TLS server would refuse to misbehave.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string_view>
#include <thread>
#include <vector>

namespace wiiu::test {

class RawPeer {
public:
    /// The script gets the accepted descriptor (blocking) and a stop descriptor that becomes
    /// readable when the test ends; it must return by then. The socket is closed afterwards.
    using Script = std::function<void(RawPeer& peer, int fd)>;

    static std::unique_ptr<RawPeer> start(Script script);
    ~RawPeer();
    RawPeer(const RawPeer&) = delete;
    RawPeer& operator=(const RawPeer&) = delete;

    std::uint16_t port() const { return port_; }

    // Helpers for scripts (all bounded by `timeout` and by stop()).
    /// Reads until at least `count` bytes arrived, EOF, error, stop or timeout; what was read.
    std::vector<std::uint8_t> readAtLeast(int fd, std::size_t count,
                                          std::chrono::milliseconds timeout = std::chrono::seconds(5));
    /// Reads one complete TLS record (5-byte header + body); empty on failure.
    std::vector<std::uint8_t> readRecord(int fd, std::chrono::milliseconds timeout = std::chrono::seconds(5));
    bool send(int fd, std::string_view bytes);
    bool send(int fd, const std::vector<std::uint8_t>& bytes);
    /// Resets the connection (SO_LINGER 0) when the socket is closed after the script.
    void resetOnClose(int fd);
    /// Waits until the test ends (or the client goes away, or the timeout passes).
    void waitForStopOrEof(int fd, std::chrono::milliseconds timeout = std::chrono::seconds(30));
    void stop();

private:
    RawPeer() = default;
    void run(Script script);

    std::uint16_t port_ = 0;
    int listenFd_ = -1;
    int stopFd_[2] = {-1, -1};
    std::thread thread_;
};

}  // namespace wiiu::test
