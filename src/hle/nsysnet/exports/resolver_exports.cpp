// Resolver exports: gethostbyname, get_h_errno, gai_strerror, getnameinfo (the getaddrinfo family
// is addrinfo_exports.cpp). Results live in guest memory allocated through the embedding hooks.
#include <algorithm>
#include <cstddef>
#include <cstring>
#include <string>
#include <vector>

#include "hle/export_failures.h"
#include "hle/guest/marshal.h"
#include "hle/nsysnet/exports/export_call.h"
#include "hle/nsysnet/exports/exports.h"
#include "hle/nsysnet/resolver.h"

namespace wiiu::nsysnet {

namespace {

using guest::be32;
using guest::bei32;
using guest::Call;
using guest::GuestPtr;

// The flags nsysnet implements (wut's netdb.h).
constexpr std::int32_t kNiNoFqdn = 1, kNiNumericHost = 2, kNiNameReqd = 4, kNiNumericServ = 8, kNiDgram = 0x10;

// --- gethostbyname, h_errno ----------------------------------------------------------------------

/// h_errno is one word of guest memory per process, as decaf keeps it in nsysnet's data (and
/// wut dereferences what get_h_errno returns); 0 when the emulator gives no guest heap.
GuestPtr<bei32> hErrnoWord(SocketCall& net)
{
    return {net.table().guestBlocks().persistent("h_errno", sizeof(bei32))};
}

void setHErrno(SocketCall& net, ResolveError e)
{
    if (auto at = hErrnoWord(net))
        net.memory().store(at, bei32(static_cast<std::int32_t>(e)));
}

/// The process's one hostent (gethostbyname's and gethostbyaddr's, as on the console: each call
/// rewrites it) filled with `found`; NULL and SO_ENOMEM without guest memory for it.
GuestPtr<GuestHostent> storeHostent(SocketCall& net, const HostLookup& found)
{
    const std::uint32_t base = net.table().guestBlocks().persistent("hostent", sizeof(GuestHostentBlock));
    if (!base) {
        net.setError(SoError::SO_ENOMEM, "no guest memory for the hostent");
        setHErrno(net, ResolveError::NoRecovery);
        return {};
    }
    // Laid out on the host, then stored in one piece: every pointer is `base` + a member's offset.
    auto at = [base](std::size_t offset) { return base + static_cast<std::uint32_t>(offset); };
    GuestHostentBlock block{};
    const std::string canonical = found.canonicalName.substr(0, kMaxHostName);
    std::copy(canonical.begin(), canonical.end(), block.name.begin());  // zero-filled: NUL-terminated
    block.aliases = 0u;
    const std::size_t count = std::min<std::size_t>(found.addresses.size(), kMaxHostAddresses);
    for (std::size_t i = 0; i < count; ++i) {
        block.addresses[i] = found.addresses[i];
        block.addrList[i] = at(offsetof(GuestHostentBlock, addresses) + 4 * i);
    }
    block.addrList[count] = 0u;
    block.hostent.name = at(offsetof(GuestHostentBlock, name));
    block.hostent.aliases = at(offsetof(GuestHostentBlock, aliases));
    block.hostent.addrtype = kAfInet;
    block.hostent.length = 4;
    block.hostent.addrList = at(offsetof(GuestHostentBlock, addrList));
    net.memory().store(GuestPtr<GuestHostentBlock>{base}, block);
    net.ok();
    return {base};
}

GuestPtr<GuestHostent> gethostbyname(Call& call, GuestPtr<const char> name)
{
    SocketCall net(call);
    if (!net.libraryReady()) {
        setHErrno(net, ResolveError::NoRecovery);
        return {};
    }
    auto host = call.memory().string(name, kMaxHostName);
    if (!host) {
        setHErrno(net, ResolveError::HostNotFound);
        net.setError(name ? SoError::SO_EFAULT : SoError::SO_EINVAL, "bad or unterminated name");
        return {};
    }
    HostLookup found = net.table().resolver().lookup(*host);
    setHErrno(net, found.error);
    if (found.error != ResolveError::None) {
        log::nsysnet().warn("gethostbyname('{}'): h_errno {}", *host, static_cast<int>(found.error));
        net.ok();
        return {};
    }
    return storeHostent(net, found);
}

/// The name of one IPv4 address (`addr` points at it, network order), in the hostent
/// gethostbyname uses; NULL with h_errno HOST_NOT_FOUND when the address has no name.
GuestPtr<GuestHostent> gethostbyaddr(Call& call, GuestPtr<const be32> addr, std::int32_t length, std::int32_t type)
{
    SocketCall net(call);
    if (!net.libraryReady()) {
        setHErrno(net, ResolveError::NoRecovery);
        return {};
    }
    auto refuse = [&](SoError error, std::string_view why) {
        setHErrno(net, ResolveError::NoRecovery);
        net.setError(error, why);
        return GuestPtr<GuestHostent>{};
    };
    if (type != kAfInet)
        return refuse(SoError::SO_EAFNOSUPPORT, fmt::format("address family {}", type));
    if (!addr || length != 4)
        return refuse(SoError::SO_EINVAL, fmt::format("address {:#x} of length {}", addr.address, length));
    auto address = net.memory().load(addr);
    if (!address)
        return refuse(SoError::SO_EFAULT, fmt::format("address {:#x} outside guest memory", addr.address));
    auto name = net.table().resolver().reverse(*address);
    if (!name) {
        setHErrno(net, ResolveError::HostNotFound);
        log::nsysnet().warn("gethostbyaddr({}): h_errno {}", Resolver::formatDotted(*address),
                            static_cast<int>(ResolveError::HostNotFound));
        net.ok();
        return {};
    }
    setHErrno(net, ResolveError::None);
    return storeHostent(net, HostLookup{ResolveError::None, std::move(*name), {*address}});
}

/// The address of the process's h_errno (not a socket call: socketlasterr stays as it is).
GuestPtr<bei32> get_h_errno(Call& call)
{
    SocketCall net(call);
    const auto at = hErrnoWord(net);
    if (!at)
        log::nsysnet().warn("get_h_errno: no guest heap for h_errno; returning NULL");
    return at;
}

/// Installs the guest's allocator for resolver results (getaddrinfo's chains, given back by
/// freeaddrinfo); run through EmbeddingHooks::callGuest. -1 when either function is NULL (as
/// decaf answers) or outside guest memory, 0 otherwise. Not a socket call: socketlasterr stays.
std::int32_t set_resolver_allocator(Call& call, std::uint32_t allocFunction, std::uint32_t freeFunction)
{
    for (std::uint32_t function : {allocFunction, freeFunction}) {
        if (function == 0 || !call.memory().span(GuestPtr<const be32>{function}, 1)) {
            log::nsysnet().warn("set_resolver_allocator({:#x}, {:#x}): {:#x} is not guest code", allocFunction,
                                freeFunction, function);
            return -1;
        }
    }
    call.process().sockets().guestBlocks().useGuestAllocator(allocFunction, freeFunction);
    return 0;
}

// --- gai_strerror --------------------------------------------------------------------------------

constexpr std::array<std::string_view, 16> kGaiMessages{
    "Success",
    "Address family for hostname not supported",
    "Temporary failure in name resolution",
    "Invalid value for ai_flags",
    "Non-recoverable failure in name resolution",
    "ai_family not supported",
    "Memory allocation failure",
    "No address associated with hostname",
    "Name or service not known",
    "Servname not supported for ai_socktype",
    "ai_socktype not supported",
    "System error",
    "Invalid value for hints",
    "Resolved protocol is unknown",
    "Argument buffer overflow",
    "Name resolution in progress",  // EAI_INPROGRESS (15), getaddrinfo_async
};
constexpr std::string_view kGaiUnknown = "Unknown error";

GuestPtr<const char> gai_strerror(Call& call, std::int32_t code)
{
    SocketCall net(call);
    std::uint32_t size = static_cast<std::uint32_t>(kGaiUnknown.size() + 1);
    for (auto m : kGaiMessages)
        size += static_cast<std::uint32_t>(m.size() + 1);
    const std::uint32_t base = net.table().guestBlocks().persistent("gai_strerror", size, 1);
    if (!base)
        return {};
    // Rewritten on each call: cheap, and a guest that scribbled over a message gets it back.
    std::uint32_t at = base;
    std::uint32_t found = 0;
    auto put = [&](std::string_view m, bool wanted) {
        copyString(call.memory(), at, std::string(m));
        if (wanted)
            found = at;
        at += static_cast<std::uint32_t>(m.size() + 1);
    };
    for (std::size_t i = 0; i < kGaiMessages.size(); ++i)
        put(kGaiMessages[i], static_cast<std::int32_t>(i) == code);
    put(kGaiUnknown, found == 0);
    return {found};
}

// --- getnameinfo ---------------------------------------------------------------------------------

Eai getnameinfo(Call& call, GuestPtr<const GuestSockaddrIn> sa, std::int32_t salen, GuestPtr<char> host,
                         std::int32_t hostlen, GuestPtr<char> serv, std::int32_t servlen, std::int32_t flags)
{
    SocketCall net(call);
    auto fail = [&](Eai code, std::string_view why) {
        log::nsysnet().warn("getnameinfo: {} ({})", resultName(code), why);
        net.ok();
        return code;
    };
    if (!net.libraryReady())
        return EAI_SYSTEM_;
    if (!sa || salen != kSockaddrSize)
        return fail(EAI_FAIL_, "bad sockaddr length");
    auto addr = call.memory().load(sa);
    if (!addr)
        return fail(EAI_FAIL_, "sockaddr outside guest memory");
    if (addr->family != kAfInet)
        return fail(EAI_FAMILY_, "family");
    if (flags & ~(kNiNoFqdn | kNiNumericHost | kNiNameReqd | kNiNumericServ | kNiDgram))
        return fail(EAI_BADFLAGS_, "flags");
    const bool wantHost = host && hostlen > 0;
    const bool wantServ = serv && servlen > 0;
    if (!wantHost && !wantServ)
        return fail(EAI_NONAME_, "neither host nor service requested");
    std::string hostText, servText;
    if (wantHost) {
        if (!(flags & kNiNumericHost)) {
            if (auto name = net.table().resolver().reverse(addr->address))
                hostText = *name;
            else if (flags & kNiNameReqd)
                return fail(EAI_NONAME_, "no name for the address");
            if ((flags & kNiNoFqdn) && !hostText.empty())
                hostText = hostText.substr(0, hostText.find('.'));
        }
        if (hostText.empty())
            hostText = Resolver::formatDotted(addr->address);
        if (hostText.size() + 1 > static_cast<std::uint32_t>(hostlen))
            return fail(EAI_OVERFLOW_, "host buffer too small");
    }
    if (wantServ) {
        if (!(flags & kNiNumericServ))
            servText = Resolver::serviceName(addr->port, (flags & kNiDgram) != 0).value_or("");
        if (servText.empty())
            servText = std::to_string(addr->port.value());
        if (servText.size() + 1 > static_cast<std::uint32_t>(servlen))
            return fail(EAI_OVERFLOW_, "service buffer too small");
    }
    // Both buffers are checked before either is written: a refused call writes nothing.
    auto text = [&](GuestPtr<char> at, const std::string& t) {
        return call.memory().span(at, static_cast<std::uint32_t>(t.size() + 1));
    };
    std::optional<std::span<char>> hostOut, servOut;
    if (wantHost && !(hostOut = text(host, hostText)))
        return fail(EAI_FAIL_, "host buffer outside guest memory");
    if (wantServ && !(servOut = text(serv, servText)))
        return fail(EAI_FAIL_, "service buffer outside guest memory");
    if (hostOut)
        std::memcpy(hostOut->data(), hostText.c_str(), hostText.size() + 1);
    if (servOut)
        std::memcpy(servOut->data(), servText.c_str(), servText.size() + 1);
    net.ok();
    return EAI_OK;
}

}  // namespace

void registerResolverExports(guest::ImportTableBuilder& table)
{
    static constexpr guest::ExportDef kExports[] = {
        WIIU_EXPORT_FAILING(gethostbyname, failure::zero),
        WIIU_EXPORT_FAILING(gethostbyaddr, failure::zero),
        WIIU_EXPORT_FAILING(get_h_errno, failure::zero),
        WIIU_EXPORT_FAILING(gai_strerror, failure::zero),
        WIIU_EXPORT_FAILING(getnameinfo, failure::eai),
        WIIU_EXPORT(set_resolver_allocator),
    };
    table.add({guest::ExportPart::Sockets, "nsysnet", log::Channel::nsysnet, failure::minusOne, kExports});
}

}  // namespace wiiu::nsysnet
