// The outcome of one non-blocking transfer, from the host socket up to the TLS engine.
//
// One type for every layer so a read crosses no conversion hop: nsysnet's HostSocket produces
// it, the socket service and the TLS engine (through tls::Transport) consume it as is. A
// failure carries the code and name of the layer that produced it (nsysnet: the SO_E* value and
// its name); layers above treat the code as opaque and print the name. Small and trivially
// copyable: it is returned by value on the bulk-transfer hot path.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <type_traits>

namespace wiiu {

enum class IoStatus : std::uint8_t {
    Ok,          ///< `bytes` moved (0 only for an empty buffer)
    WouldBlock,  ///< nothing can move now; wait for readiness and retry
    Closed,      ///< orderly end of stream from the peer (receive), or the pipe is shut (send)
    Reset,       ///< the peer reset the connection; `code`/`name` as for Error
    Error,       ///< any other failure; `code` and `name` say which
};

struct IoResult {
    IoStatus status = IoStatus::Ok;
    std::int32_t code = 0;  ///< the producing layer's failure code (0 unless Reset/Error)
    std::size_t bytes = 0;
    std::string_view name;  ///< static name of `code`, for texts and logs

    static constexpr IoResult ok(std::size_t n) { return {IoStatus::Ok, 0, n, {}}; }
    static constexpr IoResult wouldBlock() { return {IoStatus::WouldBlock, 0, 0, {}}; }
    static constexpr IoResult closed() { return {IoStatus::Closed, 0, 0, {}}; }
    static constexpr IoResult reset(std::int32_t code, std::string_view name)
    {
        return {IoStatus::Reset, code, 0, name};
    }
    static constexpr IoResult failed(std::int32_t code, std::string_view name)
    {
        return {IoStatus::Error, code, 0, name};
    }
};

static_assert(std::is_trivially_copyable_v<IoResult>);
static_assert(sizeof(IoResult) <= 32);

}  // namespace wiiu
