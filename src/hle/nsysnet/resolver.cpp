#include "hle/nsysnet/resolver.h"

#include <array>
#include <atomic>
#include <charconv>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <fmt/format.h>

#include "common/log.h"
#include "hle/guest/wait.h"

namespace wiiu::nsysnet {

namespace {

bool endsWith(std::string_view s, std::string_view suffix)
{
    if (s.size() < suffix.size())
        return false;
    auto tail = s.substr(s.size() - suffix.size());
    for (std::size_t i = 0; i < tail.size(); ++i)
        if (std::tolower(static_cast<unsigned char>(tail[i])) != suffix[i])
            return false;
    return true;
}

std::string lower(std::string_view s)
{
    std::string out(s);
    for (char& c : out)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

HostLookup hostLookup(const std::string& name)
{
    addrinfo hints{};
    hints.ai_family = AF_INET;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_CANONNAME;
    addrinfo* list = nullptr;
    const int rc = ::getaddrinfo(name.c_str(), nullptr, &hints, &list);
    HostLookup out;
    switch (rc) {
    case 0:
        break;
    case EAI_NONAME:
        out.error = ResolveError::HostNotFound;
        return out;
    case EAI_AGAIN:
        out.error = ResolveError::TryAgain;
        return out;
#ifdef EAI_NODATA
    case EAI_NODATA:
#endif
#ifdef EAI_ADDRFAMILY
    case EAI_ADDRFAMILY:
#endif
        out.error = ResolveError::NoData;
        return out;
    default:
        out.error = ResolveError::NoRecovery;
        return out;
    }
    for (const addrinfo* ai = list; ai; ai = ai->ai_next) {
        if (ai->ai_family != AF_INET || !ai->ai_addr)
            continue;
        if (out.canonicalName.empty() && ai->ai_canonname)
            out.canonicalName = ai->ai_canonname;
        const auto* sin = reinterpret_cast<const sockaddr_in*>(ai->ai_addr);
        const std::uint32_t a = ntohl(sin->sin_addr.s_addr);
        if (std::find(out.addresses.begin(), out.addresses.end(), a) == out.addresses.end())
            out.addresses.push_back(a);
    }
    ::freeaddrinfo(list);
    if (out.addresses.empty())
        out.error = ResolveError::NoData;
    if (out.canonicalName.empty())
        out.canonicalName = name;
    return out;
}

}  // namespace

template <class T>
std::optional<T> Resolver::runWithDeadline(std::function<T()> work)
{
    struct Job {
        std::mutex mutex;
        std::optional<T> result;
        guest::Interrupt done;
    };
    auto job = std::make_shared<Job>();
    try {
        // Detached: a lookup stuck in the host resolver finishes on its own; nobody waits for it.
        std::thread([job, work = std::move(work)] {
            T r = work();
            {
                std::lock_guard lock(job->mutex);
                job->result = std::move(r);
            }
            job->done.signal();
        }).detach();
    } catch (const std::exception& e) {
        log::nsysnet().warn("resolver: cannot start a lookup thread: {}", e.what());
        return std::nullopt;
    }
    const auto deadline = std::chrono::steady_clock::now() + timeout();
    guest::WaitItem finished = job->done.waitItem();
    guest::waitFor(hooks_, {&finished, 1}, {&teardown_}, deadline);
    // A lookup that finished counts even when teardown or the deadline came with it.
    std::lock_guard lock(job->mutex);
    return std::move(job->result);
}

std::optional<HostLookup> Resolver::answerLocally(std::string_view name)
{
    if (auto numeric = parseAton(name))
        return HostLookup{ResolveError::None, std::string(name), {*numeric}};
    const std::string n = lower(name);
    if (n.empty() || n.size() > 255)
        return HostLookup{ResolveError::HostNotFound, {}, {}};
    if (n == "localhost" || endsWith(n, ".localhost"))
        return HostLookup{ResolveError::None, n, {0x7F000001}};
    if (n == "invalid" || endsWith(n, ".invalid"))
        return HostLookup{ResolveError::HostNotFound, {}, {}};
    return std::nullopt;
}

HostLookup Resolver::lookup(std::string_view name)
{
    if (auto local = answerLocally(name))
        return std::move(*local);
    const std::string n = lower(name);
    auto result = runWithDeadline<HostLookup>([n] { return hostLookup(n); });
    if (!result) {
        log::nsysnet().warn("resolver: lookup of '{}' timed out after {} ms", n, timeout().count());
        return {ResolveError::TryAgain, {}, {}};
    }
    return std::move(*result);
}

struct Resolver::AsyncJob {
    std::mutex mutex;
    std::optional<HostLookup> result;
    std::chrono::steady_clock::time_point finished;
};

std::optional<HostLookup> Resolver::lookupAsync(std::string_view name)
{
    if (auto local = answerLocally(name))
        return local;
    const std::string n = lower(name);
    const auto now = std::chrono::steady_clock::now();
    std::lock_guard lock(asyncMutex_);
    if (auto it = async_.find(n); it != async_.end()) {
        std::optional<HostLookup> result;
        std::chrono::steady_clock::time_point finished;
        {
            std::lock_guard jobLock(it->second->mutex);  // released before the job may be erased
            result = it->second->result;
            finished = it->second->finished;
        }
        if (!result)
            return std::nullopt;  // still looking
        if (result->error == ResolveError::None && now - finished < kAsyncKeep)
            return result;
        async_.erase(it);  // a failure is answered once; an old success is looked up anew
        if (result->error != ResolveError::None)
            return result;
    }
    std::size_t pending = 0;
    for (const auto& [key, job] : async_) {
        std::lock_guard jobLock(job->mutex);
        pending += job->result ? 0 : 1;
    }
    if (pending >= kMaxPendingAsync)
        return HostLookup{ResolveError::TryAgain, {}, {}};
    auto job = std::make_shared<AsyncJob>();
    try {
        // Detached, holding only the job: a lookup stuck in the host resolver outlives nothing.
        std::thread([job, n] {
            HostLookup r = hostLookup(n);
            std::lock_guard jobLock(job->mutex);
            job->result = std::move(r);
            job->finished = std::chrono::steady_clock::now();
        }).detach();
    } catch (const std::exception& e) {
        log::nsysnet().warn("resolver: cannot start a lookup thread: {}", e.what());
        return HostLookup{ResolveError::TryAgain, {}, {}};
    }
    async_.emplace(n, std::move(job));
    return std::nullopt;
}

std::optional<std::string> Resolver::reverse(std::uint32_t address)
{
    if ((address >> 24) == 127)
        return std::string("localhost");
    auto result = runWithDeadline<std::string>([address] {
        sockaddr_in sa{};
        sa.sin_family = AF_INET;
        sa.sin_addr.s_addr = htonl(address);
        std::array<char, NI_MAXHOST> host{};
        if (::getnameinfo(reinterpret_cast<const sockaddr*>(&sa), sizeof sa, host.data(), host.size(), nullptr, 0,
                          NI_NAMEREQD) != 0)
            return std::string();
        return std::string(host.data());
    });
    if (!result || result->empty())
        return std::nullopt;
    return result;
}

std::optional<std::uint32_t> Resolver::parseAton(std::string_view text)
{
    if (text.empty() || text.size() > 64)
        return std::nullopt;
    const std::string s(text);
    in_addr a{};
    if (::inet_aton(s.c_str(), &a) == 0)
        return std::nullopt;
    return ntohl(a.s_addr);
}

std::optional<std::uint32_t> Resolver::parseDotted(std::string_view text)
{
    if (text.empty() || text.size() > 15)
        return std::nullopt;
    const std::string s(text);
    in_addr a{};
    if (::inet_pton(AF_INET, s.c_str(), &a) != 1)
        return std::nullopt;
    return ntohl(a.s_addr);
}

std::string Resolver::formatDotted(std::uint32_t a)
{
    return fmt::format("{}.{}.{}.{}", a >> 24, (a >> 16) & 0xFF, (a >> 8) & 0xFF, a & 0xFF);
}

std::optional<std::uint16_t> Resolver::servicePort(std::string_view service, bool udp)
{
    unsigned value = 0;
    auto [end, ec] = std::from_chars(service.data(), service.data() + service.size(), value);
    if (ec == std::errc() && end == service.data() + service.size())
        return value <= 0xFFFF ? std::optional<std::uint16_t>(static_cast<std::uint16_t>(value)) : std::nullopt;
    if (service.empty() || service.size() > 64)
        return std::nullopt;
    const std::string s(service);
    servent entry{};
    servent* found = nullptr;
    std::array<char, 1024> buffer{};
    if (::getservbyname_r(s.c_str(), udp ? "udp" : "tcp", &entry, buffer.data(), buffer.size(), &found) != 0 ||
        !found)
        return std::nullopt;
    return ntohs(static_cast<std::uint16_t>(found->s_port));
}

std::optional<std::string> Resolver::serviceName(std::uint16_t port, bool udp)
{
    servent entry{};
    servent* found = nullptr;
    std::array<char, 1024> buffer{};
    if (::getservbyport_r(htons(port), udp ? "udp" : "tcp", &entry, buffer.data(), buffer.size(), &found) != 0 ||
        !found || !found->s_name)
        return std::nullopt;
    return std::string(found->s_name);
}

}  // namespace wiiu::nsysnet
