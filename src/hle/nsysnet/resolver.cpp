#include "hle/nsysnet/resolver.h"

#include <array>
#include <atomic>
#include <charconv>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>

#include <fmt/format.h>

#include "common/log.h"
#include "common/module_lock.h"
#include "hle/guest/wait.h"
#include "platform/socket.h"

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
    const platform::HostLookup found = platform::lookupHost(name);
    HostLookup out;
    switch (found.status) {
    case platform::LookupStatus::Ok: break;
    case platform::LookupStatus::NotFound: out.error = ResolveError::HostNotFound; return out;
    case platform::LookupStatus::TryAgain: out.error = ResolveError::TryAgain; return out;
    case platform::LookupStatus::NoData: out.error = ResolveError::NoData; return out;
    case platform::LookupStatus::Failed: out.error = ResolveError::NoRecovery; return out;
    }
    out.canonicalName = found.canonicalName;
    for (const std::uint32_t a : found.addresses) {
        if (std::find(out.addresses.begin(), out.addresses.end(), a) == out.addresses.end())
            out.addresses.push_back(a);
    }
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
        ModuleMutex mutex;
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
    ModuleMutex mutex;
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
    auto result = runWithDeadline<std::string>([address] { return platform::reverseLookup(address); });
    if (!result || result->empty())
        return std::nullopt;
    return result;
}

std::optional<std::uint32_t> Resolver::parseAton(std::string_view text)
{
    if (text.empty() || text.size() > 64)
        return std::nullopt;
    return platform::parseAton(std::string(text));
}

std::optional<std::uint32_t> Resolver::parseDotted(std::string_view text)
{
    if (text.empty() || text.size() > 15)
        return std::nullopt;
    const auto bytes = platform::parseIpLiteral(std::string(text));
    if (!bytes || bytes->size() != 4)
        return std::nullopt;
    return std::uint32_t{(*bytes)[0]} << 24 | std::uint32_t{(*bytes)[1]} << 16 | std::uint32_t{(*bytes)[2]} << 8 |
           (*bytes)[3];
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
    return platform::servicePort(std::string(service), udp);
}

std::optional<std::string> Resolver::serviceName(std::uint16_t port, bool udp)
{
    return platform::serviceName(port, udp);
}

}  // namespace wiiu::nsysnet
