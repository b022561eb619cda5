// The byte pipe a TLS connection runs over: non-blocking, never waits.
//
// The NSSL service adapts the nsysnet host socket to it; tests use a POSIX TCP adapter
// (tests/support/tcp_transport.h). Waiting for readiness is the caller's job: the TLS engine
// only reports which way it is blocked.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

namespace wiiu::tls {

enum class IoStatus {
    Ok,          ///< `bytes` were moved (at least one)
    WouldBlock,  ///< nothing can move now; wait for readiness and retry
    Closed,      ///< orderly end of stream from the peer (receive), or the pipe is shut (send)
    Error,       ///< transport failure (reset, unreachable, ...); `error` holds the errno value
};

struct IoResult {
    IoStatus status = IoStatus::Ok;
    std::size_t bytes = 0;
    int error = 0;

    static IoResult ok(std::size_t n) { return {IoStatus::Ok, n, 0}; }
    static IoResult wouldBlock() { return {IoStatus::WouldBlock, 0, 0}; }
    static IoResult closed() { return {IoStatus::Closed, 0, 0}; }
    static IoResult failed(int err) { return {IoStatus::Error, 0, err}; }
};

class Transport {
public:
    virtual ~Transport() = default;
    /// Reads at most `buffer.size()` bytes without waiting.
    virtual IoResult receive(std::span<std::uint8_t> buffer) = 0;
    /// Writes at most `data.size()` bytes without waiting; a partial count is normal.
    virtual IoResult send(std::span<const std::uint8_t> data) = 0;
};

}  // namespace wiiu::tls
