// Address text conversions and byte order: inet_aton, inet_ntoa(_r), inet_ntop, inet_pton, hton*,
// ntoh*. None needs socket_lib_init; only inet_ntop/inet_pton failures set socketlasterr.
#include <cstring>

#include "hle/export_failures.h"
#include "hle/guest/marshal.h"
#include "hle/nsysnet/exports/export_call.h"
#include "hle/nsysnet/exports/exports.h"
#include "hle/nsysnet/resolver.h"

namespace wiiu::nsysnet {

namespace {

using guest::be32;
using guest::Call;
using guest::GuestPtr;

constexpr std::uint32_t kMaxAddressText = 64;  // longest text an address parser looks at
constexpr std::uint32_t kNtoaSize = 16;        // "255.255.255.255" + NUL

bool writeText(const guest::GuestMemory& memory, GuestPtr<char> dst, std::uint32_t capacity, const std::string& text)
{
    if (text.size() + 1 > capacity)
        return false;
    auto out = memory.span(dst, static_cast<std::uint32_t>(text.size() + 1));
    if (!out)
        return false;
    std::memcpy(out->data(), text.c_str(), text.size() + 1);
    return true;
}

/// 1 and *addr set for a valid address, 0 otherwise (addr may be NULL: validate only).
std::int32_t inet_aton(Call& call, GuestPtr<const char> text, GuestPtr<be32> addr)
{
    auto s = call.memory().string(text, kMaxAddressText);
    if (!s)
        return 0;
    auto a = Resolver::parseAton(*s);
    if (!a)
        return 0;
    if (addr && !call.memory().store(addr, be32(*a)))
        return 0;
    return 1;
}

/// The text in a per-process static buffer (overwritten by the next call, as on the console).
GuestPtr<char> inet_ntoa(Call& call, std::uint32_t address)
{
    SocketCall net(call);
    const std::uint32_t buffer = net.table().guestBlocks().persistent("inet_ntoa", kNtoaSize);
    if (!buffer || !writeText(call.memory(), GuestPtr<char>{buffer}, kNtoaSize, Resolver::formatDotted(address))) {
        log::nsysnet().warn("inet_ntoa: no guest memory for the result buffer");
        return {};
    }
    return {buffer};
}

/// inet_ntoa into a caller buffer of at least 16 bytes; returns it, or NULL.
GuestPtr<char> inet_ntoa_r(Call& call, std::uint32_t address, GuestPtr<char> buffer)
{
    if (!writeText(call.memory(), buffer, kNtoaSize, Resolver::formatDotted(address))) {
        log::nsysnet().warn("inet_ntoa_r: bad buffer {:#x}", buffer.address);
        return {};
    }
    return buffer;
}

GuestPtr<char> inet_ntop(Call& call, std::int32_t family, GuestPtr<const be32> src, GuestPtr<char> dst,
                         std::int32_t size)
{
    SocketCall net(call);
    if (family != kAfInet) {
        net.setError(SoError::SO_EAFNOSUPPORT, fmt::format("family {}", family));
        return {};
    }
    auto a = call.memory().load(src);
    if (!a || !dst || size < 0) {
        net.setError(!src || !dst || size < 0 ? SoError::SO_EINVAL : SoError::SO_EFAULT, "bad source or buffer");
        return {};
    }
    const std::string text = Resolver::formatDotted(*a);
    if (text.size() + 1 > static_cast<std::uint32_t>(size)) {
        net.setError(SoError::SO_EINVAL, fmt::format("buffer of {} bytes is too small", size));
        return {};
    }
    if (!writeText(call.memory(), dst, static_cast<std::uint32_t>(size), text)) {
        net.setError(SoError::SO_EFAULT, "destination outside guest memory");
        return {};
    }
    net.ok();
    return dst;
}

/// 1 = converted, 0 = not a dotted IPv4 address, -1 = error (socketlasterr says which).
std::int32_t inet_pton(Call& call, std::int32_t family, GuestPtr<const char> text, GuestPtr<be32> dst)
{
    SocketCall net(call);
    if (family != kAfInet)
        return net.fail(SoError::SO_EAFNOSUPPORT, "family {}", family);
    if (!text || !dst)
        return net.fail(SoError::SO_EINVAL, "NULL source or destination");
    if (!call.memory().object(dst))
        return net.fail(SoError::SO_EFAULT, "destination {:#x} outside guest memory", dst.address);
    auto s = call.memory().checkedString(text, kMaxAddressText);
    if (!s) {
        if (s.error() == guest::GuestMemory::StringError::TooLong)
            return net.ok(0);  // too long to be an address
        return net.fail(SoError::SO_EFAULT, "source {:#x} runs outside guest memory", text.address);
    }
    auto a = Resolver::parseDotted(*s);
    if (!a)
        return net.ok(0);
    call.memory().store(dst, be32(*a));
    return net.ok(1);
}

// The guest is big-endian: network order is its own order.
// (The host's htonl & co. are macros, hence the names.)
std::uint32_t networkOrder32(Call&, std::uint32_t v) { return v; }
std::uint16_t networkOrder16(Call&, std::uint16_t v) { return v; }

}  // namespace

void registerInetExports(guest::ImportTableBuilder& table)
{
    static constexpr guest::ExportDef kExports[] = {
        WIIU_EXPORT_FAILING(inet_aton, failure::zero),
        WIIU_EXPORT_FAILING(inet_ntoa, failure::zero),
        WIIU_EXPORT_FAILING(inet_ntoa_r, failure::zero),
        WIIU_EXPORT_FAILING(inet_ntop, failure::zero),
        WIIU_EXPORT(inet_pton),
        // The guest is big-endian: network order is its own order.
        WIIU_EXPORT_AS("htonl", networkOrder32),
        WIIU_EXPORT_AS("htons", networkOrder16),
        WIIU_EXPORT_AS("ntohl", networkOrder32),
        WIIU_EXPORT_AS("ntohs", networkOrder16),
    };
    table.add({guest::ExportPart::Sockets, "nsysnet", log::Channel::nsysnet, failure::minusOne, kExports});
}

}  // namespace wiiu::nsysnet
