// The byte pipe a TLS connection runs over: non-blocking, never waits.
//
// The NSSL service adapts the nsysnet host socket to it; tests use a POSIX TCP adapter
// (tests/support/tcp_transport.h). Waiting for readiness is the caller's job: the TLS engine
// only reports which way it is blocked. Results are the shared wiiu::IoResult, passed up as the
// transport produced them.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "common/io_result.h"

namespace wiiu::tls {

class Transport {
public:
    virtual ~Transport() = default;
    /// Reads at most `buffer.size()` bytes without waiting.
    virtual IoResult receive(std::span<std::uint8_t> buffer) = 0;
    /// Writes at most `data.size()` bytes without waiting; a partial count is normal.
    virtual IoResult send(std::span<const std::uint8_t> data) = 0;
};

}  // namespace wiiu::tls
