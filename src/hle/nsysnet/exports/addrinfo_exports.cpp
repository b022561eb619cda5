// The getaddrinfo family and the resolver's control calls, as measured on a console
// (capture2cloud's notes): getaddrinfo and getaddrinfo_rs wait for the answer; getaddrinfo_async
// and getaddrinfo_async_rs answer EAI_INPROGRESS until a later call with the same arguments
// finds the lookup done; all four take getaddrinfo's arguments. dns_abort_by_hname and
// clear_resolver_cache answer 0 and change nothing a guest can see, as on the console.
#include <algorithm>
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
using guest::Call;
using guest::GuestPtr;

// The flags nsysnet implements (wut's netdb.h).
constexpr std::int32_t kAiPassive = 1, kAiCanonName = 2, kAiNumericHost = 4;

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

/// How the host name is looked up: waiting for the answer, or polled (getaddrinfo_async).
enum class Lookup { Wait, Poll };

Eai resolve(Call& call, GuestPtr<const char> node, GuestPtr<const char> service,
            GuestPtr<const GuestAddrinfo> hintsPtr, GuestPtr<be32> res, Lookup mode)
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
            auto& resolver = net.table().resolver();
            auto answer = mode == Lookup::Wait ? std::optional(resolver.lookup(*n)) : resolver.lookupAsync(*n);
            if (!answer) {
                net.ok();
                return EAI_INPROGRESS_;  // nothing written: the guest asks again with the same arguments
            }
            found = std::move(*answer);
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
    const std::uint32_t base = net.table().guestBlocks().allocate(call.thread(), size, 4);
    if (!base)
        return fail(EAI_MEMORY_, "guest heap exhausted");
    const auto& memory = call.memory();
    if (base % 4 != 0 || !memory.span(GuestPtr<std::uint8_t>{base}, size)) {  // a guest allocator's answer
        net.table().guestBlocks().release(call.thread(), base);
        return fail(EAI_MEMORY_, fmt::format("the guest's allocator answered {:#x} for {} bytes", base, size));
    }
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
    if (!net.table().guestBlocks().release(call.thread(), ai.address))
        log::nsysnet().warn("freeaddrinfo({:#x}): not a list from getaddrinfo; ignored", ai.address);
}

/// getaddrinfo and getaddrinfo_rs wait for the answer; the _async variants poll.
template <Lookup Mode>
Eai addrinfo(Call& call, GuestPtr<const char> node, GuestPtr<const char> service,
             GuestPtr<const GuestAddrinfo> hints, GuestPtr<be32> res)
{
    return resolve(call, node, service, hints, res, Mode);
}

/// Measured: 0 whether or not a lookup of that name is pending, and the lookup still completes.
std::int32_t dns_abort_by_hname(Call& call, GuestPtr<const char> /*name*/)
{
    SocketCall net(call);
    return net.libraryReady() ? net.ok() : -1;
}

/// Measured: neither a found name nor a pending lookup is forgotten, and failures were never kept.
std::int32_t clear_resolver_cache(Call& call)
{
    SocketCall net(call);
    return net.libraryReady() ? net.ok() : -1;
}

}  // namespace

void registerAddrinfoExports(guest::ImportTableBuilder& table)
{
    static constexpr guest::ExportDef kExports[] = {
        WIIU_EXPORT_AS_FAILING("getaddrinfo", addrinfo<Lookup::Wait>, failure::eai),
        WIIU_EXPORT_AS_FAILING("getaddrinfo_rs", addrinfo<Lookup::Wait>, failure::eai),
        WIIU_EXPORT_AS_FAILING("getaddrinfo_async", addrinfo<Lookup::Poll>, failure::eai),
        WIIU_EXPORT_AS_FAILING("getaddrinfo_async_rs", addrinfo<Lookup::Poll>, failure::eai),
        WIIU_EXPORT(freeaddrinfo),
        WIIU_EXPORT(dns_abort_by_hname),
        WIIU_EXPORT(clear_resolver_cache),
    };
    table.add({guest::ExportPart::Sockets, "nsysnet", log::Channel::nsysnet, failure::minusOne, kExports});
}

}  // namespace wiiu::nsysnet
