// The guest side of every nsysnet export: keep the socket table alive while the call is inside it,
// check socket_lib_init, set the calling thread's socketlasterr (0 on success), log failures with
// a reason, and translate guest sockaddrs and buffers with the console's errors. The work itself,
// blocking included, is the socket service's (SocketTable).
#pragma once

#include <cstdint>
#include <cstring>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include <fmt/format.h>

#include "common/log.h"
#include "hle/guest/call.h"
#include "hle/nsysnet/endpoint.h"
#include "hle/nsysnet/socket_table.h"
#include <wiiu_nssl/nsysnet_structs.h>
#include "hle/process_state.h"

namespace wiiu::nsysnet {

/// Copies `s` and its NUL into guest memory at `at`; false when it does not fit there.
inline bool copyString(const guest::GuestMemory& memory, std::uint32_t at, const std::string& s)
{
    auto out = memory.span(guest::GuestPtr<char>{at}, static_cast<std::uint32_t>(s.size() + 1));
    if (!out)
        return false;
    std::memcpy(out->data(), s.c_str(), s.size() + 1);
    return true;
}

class SocketCall {
public:
    explicit SocketCall(guest::Call& call)
        : call_(call), table_(call.process().sockets()), scope_(table_)
    {
    }

    guest::Call& call() const { return call_; }
    SocketTable& table() const { return table_; }
    const guest::GuestMemory& memory() const { return call_.memory(); }

    /// False (socketlasterr = SO_ELIBNOTREADY) before socket_lib_init.
    bool libraryReady()
    {
        if (table_.initialized())
            return true;
        setError(SoError::SO_ELIBNOTREADY, "socket_lib_init was not called");
        return false;
    }

    std::int32_t ok(std::int32_t result = 0)
    {
        table_.lastErrors().set(call_.thread(), SoError::SO_SUCCESS);
        return result;
    }

    /// socketlasterr = error; returns -1.
    template <class... Args>
    std::int32_t fail(SoError error, fmt::format_string<Args...> why, Args&&... args)
    {
        setError(error, fmt::format(why, std::forward<Args>(args)...));
        return -1;
    }

    void setError(SoError error, std::string_view why)
    {
        table_.lastErrors().set(call_.thread(), error);
        // Would-block and in-progress are the normal rhythm of non-blocking code, not failures.
        const bool routine = error == SoError::SO_EWOULDBLOCK || error == SoError::SO_EINPROGRESS ||
                             error == SoError::SO_EALREADY;
        log::nsysnet().log(routine ? spdlog::level::debug : spdlog::level::warn, "{}: {} ({})",
                           call_.exportEntry().name, errorName(error), why);
    }

    /// Answers a service call that has no value: 0, or -1 with socketlasterr = its error.
    template <class... Args>
    std::int32_t answer(const Expected<void, SoError>& result, fmt::format_string<Args...> why, Args&&... args)
    {
        return result ? ok() : fail(result.error(), why, std::forward<Args>(args)...);
    }

    /// False (socketlasterr = SO_EBADF) when `fd` is not open. Checked before the arguments, as
    /// the console does, so a bad descriptor wins over a bad argument.
    bool isOpen(std::int32_t fd)
    {
        if (table_.find(fd))
            return true;
        setError(SoError::SO_EBADF, fmt::format("descriptor {} is not open", fd));
        return false;
    }

    /// isOpen(fd) once the library is ready: the opening of nearly every descriptor call.
    bool readyDescriptor(std::int32_t fd) { return libraryReady() && isOpen(fd); }

    /// A guest buffer: NULL or a negative length is SO_EINVAL, a range outside guest memory is
    /// SO_EFAULT (a huge length is never trusted). Null pointer + zero length is an empty span.
    template <class T>
    std::optional<std::span<T>> buffer(guest::GuestPtr<T> ptr, std::int32_t length)
    {
        if (length < 0) {
            setError(SoError::SO_EINVAL, fmt::format("negative length {}", length));
            return std::nullopt;
        }
        if (!ptr) {
            if (length == 0)
                return std::span<T>();
            setError(SoError::SO_EINVAL, "NULL buffer");
            return std::nullopt;
        }
        auto s = memory().span(ptr, static_cast<std::uint32_t>(length));
        if (!s)
            setError(SoError::SO_EFAULT, fmt::format("buffer {:#x}+{} is outside guest memory", ptr.address, length));
        return s;
    }

    /// A sockaddr_in the guest passes in (connect, bind, sendto): NULL, a length other than 16 or
    /// a family other than AF_INET is SO_EINVAL (as nsysnet checks), unmapped memory SO_EFAULT.
    std::optional<Ipv4Endpoint> inAddress(guest::GuestPtr<const GuestSockaddrIn> addr, std::int32_t length)
    {
        if (!addr || length != kSockaddrSize) {
            setError(SoError::SO_EINVAL, fmt::format("sockaddr {:#x} with length {}", addr.address, length));
            return std::nullopt;
        }
        auto sa = memory().load(addr);
        if (!sa) {
            setError(SoError::SO_EFAULT, fmt::format("sockaddr {:#x} is outside guest memory", addr.address));
            return std::nullopt;
        }
        if (sa->family != kAfInet) {
            setError(SoError::SO_EINVAL, fmt::format("sockaddr family {}", sa->family.value()));
            return std::nullopt;
        }
        return Ipv4Endpoint{sa->address, sa->port};
    }

    /// Where a sockaddr goes out (accept, recvfrom, getpeername, getsockname): both pointers
    /// valid and *length >= 16, else SO_EINVAL / SO_EFAULT. Checked before the operation so a
    /// bad pointer never loses a connection or a datagram.
    struct OutAddress {
        guest::GuestPtr<GuestSockaddrIn> addr;
        guest::GuestPtr<guest::bei32> length;
    };
    std::optional<OutAddress> outAddress(guest::GuestPtr<GuestSockaddrIn> addr, guest::GuestPtr<guest::bei32> length)
    {
        if (!addr || !length) {
            setError(SoError::SO_EINVAL, "NULL sockaddr or length pointer");
            return std::nullopt;
        }
        auto len = memory().load(length);
        if (!len || !memory().object(addr)) {
            setError(SoError::SO_EFAULT, fmt::format("sockaddr {:#x} / length {:#x} outside guest memory",
                                                     addr.address, length.address));
            return std::nullopt;
        }
        if (*len < kSockaddrSize) {
            setError(SoError::SO_EINVAL, fmt::format("sockaddr length {}", len->value()));
            return std::nullopt;
        }
        return OutAddress{addr, length};
    }
    void store(const OutAddress& out, const Ipv4Endpoint& ep)
    {
        memory().store(out.addr, sockaddrOf(ep));
        memory().store(out.length, guest::bei32(kSockaddrSize));
    }
    static GuestSockaddrIn sockaddrOf(const Ipv4Endpoint& ep)
    {
        GuestSockaddrIn sa{};
        sa.family = static_cast<std::uint16_t>(kAfInet);
        sa.port = ep.port;
        sa.address = ep.address;
        return sa;
    }

private:
    guest::Call& call_;
    SocketTable& table_;
    SocketTable::CallScope scope_;
};

}  // namespace wiiu::nsysnet
