// Resolver exports: gethostbyname, get_h_errno, getaddrinfo, freeaddrinfo, gai_strerror,
// getnameinfo. Results live in guest memory allocated through the embedding hooks.
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
constexpr std::int32_t kAiPassive = 1, kAiCanonName = 2, kAiNumericHost = 4;
constexpr std::int32_t kNiNoFqdn = 1, kNiNumericHost = 2, kNiNameReqd = 4, kNiNumericServ = 8, kNiDgram = 0x10;

bool copyString(const guest::GuestMemory& memory, std::uint32_t at, const std::string& s)
{
    auto out = memory.span(GuestPtr<char>{at}, static_cast<std::uint32_t>(s.size() + 1));
    if (!out)
        return false;
    std::memcpy(out->data(), s.c_str(), s.size() + 1);
    return true;
}

// --- gethostbyname -------------------------------------------------------------------------------

GuestPtr<GuestHostent> gethostbyname(Call& call, GuestPtr<const char> name)
{
    SocketCall net(call);
    auto& hErrno = net.table().hostErrors();
    if (!net.libraryReady()) {
        hErrno.set(call.thread(), static_cast<std::int32_t>(ResolveError::NoRecovery));
        return {};
    }
    auto host = call.memory().string(name, kMaxHostName);
    if (!host) {
        hErrno.set(call.thread(), static_cast<std::int32_t>(ResolveError::HostNotFound));
        net.setError(name ? SoError::SO_EFAULT : SoError::SO_EINVAL, "bad or unterminated name");
        return {};
    }
    HostLookup found = net.table().resolver().lookup(*host);
    hErrno.set(call.thread(), static_cast<std::int32_t>(found.error));
    if (found.error != ResolveError::None) {
        log::nsysnet().warn("gethostbyname('{}'): h_errno {}", *host, static_cast<int>(found.error));
        net.ok();
        return {};
    }
    const std::uint32_t base = net.table().guestBlocks().persistent("hostent", sizeof(GuestHostentBlock));
    if (!base) {
        net.setError(SoError::SO_ENOMEM, "no guest memory for the hostent");
        hErrno.set(call.thread(), static_cast<std::int32_t>(ResolveError::NoRecovery));
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
    call.memory().store(GuestPtr<GuestHostentBlock>{base}, block);
    net.ok();
    return {base};
}

std::int32_t get_h_errno(Call& call)
{
    return call.process().sockets().hostErrors().get(call.thread());
}

// --- getaddrinfo ---------------------------------------------------------------------------------

Eai toEai(ResolveError e)
{
    switch (e) {
    case ResolveError::None: return EAI_OK;
    case ResolveError::HostNotFound: return EAI_NONAME_;
    case ResolveError::TryAgain: return EAI_AGAIN_;
    case ResolveError::NoData: return EAI_NODATA_;
    case ResolveError::NoRecovery: break;
    }
    return EAI_FAIL_;
}

struct Hints {
    std::int32_t flags = 0;
    std::int32_t socktype = 0;
    std::int32_t protocol = 0;
};

Eai getaddrinfo(Call& call, GuestPtr<const char> node, GuestPtr<const char> service,
                         GuestPtr<const GuestAddrinfo> hintsPtr, GuestPtr<be32> res)
{
    SocketCall net(call);
    auto fail = [&](Eai code, std::string_view why) {
        log::nsysnet().warn("getaddrinfo: {} ({})", resultName(code), why);
        net.ok();  // the EAI code is the answer; socketlasterr is not involved
        return code;
    };
    if (!net.libraryReady())
        return EAI_SYSTEM_;
    if (!res || !call.memory().object(res))
        return fail(EAI_FAIL_, "bad result pointer");
    if (!node && !service)
        return fail(EAI_NONAME_, "neither node nor service");
    Hints hints;
    if (hintsPtr) {
        auto h = call.memory().load(hintsPtr);
        if (!h)
            return fail(EAI_BADHINTS_, "hints outside guest memory");
        if (h->addrlen != 0u || h->canonname != 0u || h->addr != 0u || h->next != 0u)
            return fail(EAI_BADHINTS_, "hints with addrlen/canonname/addr/next set");
        if (h->flags & ~(kAiPassive | kAiCanonName | kAiNumericHost))
            return fail(EAI_BADFLAGS_, "unsupported flags");
        if (h->family != 0 && h->family != kAfInet)
            return fail(EAI_FAMILY_, "family");
        if (h->socktype != 0 && h->socktype != kSockStream && h->socktype != kSockDgram)
            return fail(EAI_SOCKTYPE_, "socktype");
        if (h->protocol != 0 && h->protocol != kIpProtoTcp && h->protocol != kIpProtoUdp)
            return fail(EAI_PROTOCOL_, "protocol");
        if ((h->socktype == kSockStream && h->protocol == kIpProtoUdp) ||
            (h->socktype == kSockDgram && h->protocol == kIpProtoTcp))
            return fail(EAI_BADHINTS_, "socktype and protocol disagree");
        hints = {h->flags, h->socktype, h->protocol};
    }
    if ((hints.flags & kAiCanonName) && !node)
        return fail(EAI_BADFLAGS_, "AI_CANONNAME without a node");

    // Which socket types to answer for.
    std::vector<std::pair<std::int32_t, std::int32_t>> kinds;  // (socktype, protocol)
    if (hints.socktype != kSockDgram && hints.protocol != kIpProtoUdp)
        kinds.emplace_back(kSockStream, kIpProtoTcp);
    if (hints.socktype != kSockStream && hints.protocol != kIpProtoTcp)
        kinds.emplace_back(kSockDgram, kIpProtoUdp);

    std::uint16_t port = 0;
    if (service) {
        auto s = call.memory().string(service, 64);
        if (!s)
            return fail(EAI_SERVICE_, "bad service string");
        auto p = Resolver::servicePort(*s, hints.socktype == kSockDgram);
        if (!p)
            return fail(EAI_SERVICE_, "unknown service");
        port = *p;
    }

    HostLookup found;
    if (!node) {
        found.addresses.push_back((hints.flags & kAiPassive) ? 0u : 0x7F000001u);
    } else {
        auto n = call.memory().string(node, kMaxHostName);
        if (!n)
            return fail(EAI_NONAME_, "bad node string");
        if (hints.flags & kAiNumericHost) {
            auto a = Resolver::parseAton(*n);
            if (!a)
                return fail(EAI_NONAME_, "AI_NUMERICHOST with a name");
            found = {ResolveError::None, *n, {*a}};
        } else {
            found = net.table().resolver().lookup(*n);
            if (found.error != ResolveError::None)
                return fail(toEai(found.error), *n);
        }
    }

    // One block: the entries, then their sockaddrs, then the canonical name.
    const bool canon = (hints.flags & kAiCanonName) != 0;
    const std::string canonical = found.canonicalName.substr(0, kMaxHostName);
    const auto count = static_cast<std::uint32_t>(std::min<std::size_t>(found.addresses.size(), kMaxHostAddresses) * kinds.size());
    const std::uint32_t addrsAt = count * sizeof(GuestAddrinfo);
    const std::uint32_t nameAt = addrsAt + count * kSockaddrSize;
    const std::uint32_t size = nameAt + (canon ? static_cast<std::uint32_t>(canonical.size() + 1) : 0);
    const std::uint32_t base = net.table().guestBlocks().allocate(size, 4);
    if (!base)
        return fail(EAI_MEMORY_, "guest heap exhausted");
    const auto& memory = call.memory();
    if (canon)
        copyString(memory, base + nameAt, canonical);
    std::uint32_t i = 0;
    for (std::size_t a = 0; a < std::min<std::size_t>(found.addresses.size(), kMaxHostAddresses); ++a) {
        for (const auto& [socktype, protocol] : kinds) {
            const std::uint32_t entryAt = base + i * static_cast<std::uint32_t>(sizeof(GuestAddrinfo));
            const std::uint32_t saAt = base + addrsAt + i * kSockaddrSize;
            GuestSockaddrIn sa{};
            sa.family = static_cast<std::uint16_t>(kAfInet);
            sa.port = port;
            sa.address = found.addresses[a];
            memory.store(GuestPtr<GuestSockaddrIn>{saAt}, sa);
            GuestAddrinfo ai{};
            ai.flags = hints.flags;
            ai.family = kAfInet;
            ai.socktype = socktype;
            ai.protocol = protocol;
            ai.addrlen = static_cast<std::uint32_t>(kSockaddrSize);
            ai.canonname = (canon && i == 0) ? base + nameAt : 0u;
            ai.addr = saAt;
            ai.next = (i + 1 < count) ? entryAt + static_cast<std::uint32_t>(sizeof(GuestAddrinfo)) : 0u;
            memory.store(GuestPtr<GuestAddrinfo>{entryAt}, ai);
            ++i;
        }
    }
    memory.store(res, be32(base));
    net.ok();
    return EAI_OK;
}

/// Frees a chain getaddrinfo built; anything else is ignored (and logged), never freed.
void freeaddrinfo(Call& call, GuestPtr<GuestAddrinfo> ai)
{
    SocketCall net(call);
    if (!ai)
        return;
    if (!net.table().guestBlocks().release(ai.address))
        log::nsysnet().warn("freeaddrinfo({:#x}): not a list from getaddrinfo; ignored", ai.address);
}

// --- gai_strerror --------------------------------------------------------------------------------

constexpr std::array<std::string_view, 15> kGaiMessages{
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

void registerResolverExports(guest::ImportTable& table)
{
    static constexpr guest::ExportDef kExports[] = {
        WIIU_EXPORT_FAILING(gethostbyname, failure::zero),
        WIIU_NOT_IMPLEMENTED_FAILING("gethostbyaddr", failure::zero),
        WIIU_EXPORT(get_h_errno),
        WIIU_EXPORT_FAILING(getaddrinfo, failure::eai),
        WIIU_EXPORT(freeaddrinfo),
        WIIU_EXPORT_FAILING(gai_strerror, failure::zero),
        WIIU_EXPORT_FAILING(getnameinfo, failure::eai),
        WIIU_NOT_IMPLEMENTED("getaddrinfo_rs"),
        WIIU_NOT_IMPLEMENTED("getaddrinfo_async"),
        WIIU_NOT_IMPLEMENTED("getaddrinfo_async_rs"),
        WIIU_NOT_IMPLEMENTED("clear_resolver_cache"),
        WIIU_NOT_IMPLEMENTED("set_resolver_allocator"),
        WIIU_NOT_IMPLEMENTED("dns_abort_by_hname"),
    };
    table.add({"nsysnet", log::Channel::nsysnet, failure::minusOne, kExports});
}

}  // namespace wiiu::nsysnet
