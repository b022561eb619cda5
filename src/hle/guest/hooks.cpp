#include <wiiu_nssl/hooks.h>
#include "common/fiber_safe_tls.h"
#include "hle/guest/caller.h"
#include "hle/guest/interrupt.h"

#include <cstdint>
#include <vector>

namespace wiiu::guest {

void Interrupt::signal()
{
    signal_.signal();
}

bool Interrupt::signalled() const
{
    return signal_.signalled();
}

int EmbeddingHooks::wait(std::span<WaitItem> items, Deadline deadline)
{
    int timeoutMs = -1;
    if (deadline) {
        auto left = std::chrono::ceil<std::chrono::milliseconds>(*deadline - std::chrono::steady_clock::now());
        timeoutMs = static_cast<int>(std::max<std::int64_t>(0, std::min<std::int64_t>(left.count(), INT32_MAX)));
    }
    return pollItems(items, timeoutMs);
}

int pollItems(std::span<WaitItem> items, int timeoutMs)
{
    std::vector<platform::PollEntry> entries;
    entries.reserve(items.size());
    for (WaitItem& item : items) {
        item.readReady = item.writeReady = item.failed = false;
        entries.push_back({.socket = item.fd, .read = item.readable, .write = item.writable});
    }
    if (platform::poll(entries, timeoutMs) == 0)
        return 0;  // timeout, or an interrupted poll: a spurious return the caller retries
    int ready = 0;
    for (std::size_t i = 0; i < items.size(); ++i) {
        items[i].readReady = entries[i].readReady;
        items[i].writeReady = entries[i].writeReady;
        items[i].failed = entries[i].failed;
        ready += items[i].ready() ? 1 : 0;
    }
    return ready;
}

std::chrono::system_clock::time_point EmbeddingHooks::now()
{
    return std::chrono::system_clock::now();
}

std::uint32_t EmbeddingHooks::guestAlloc(std::uint32_t, std::uint32_t)
{
    return 0;
}

void EmbeddingHooks::guestFree(std::uint32_t) {}

void EmbeddingHooks::socketErrorChanged(GuestThreadId, std::int32_t) {}

namespace {

// Per host thread: a bridge call runs on the emulator's host thread from start to end, without
// fibers, so the depth never travels with a guest thread.
thread_local int hostCallDepthHere = 0;

WIIU_NOINLINE int& hostCallDepth()
{
    return *opaqueAddress(&hostCallDepthHere);
}

}  // namespace

HostCallerScope::HostCallerScope()
{
    ++hostCallDepth();
}

HostCallerScope::~HostCallerScope()
{
    --hostCallDepth();
}

Caller currentCaller()
{
    return hostCallDepth() > 0 ? Caller::HostThread : Caller::GuestThread;
}

std::optional<std::uint32_t> EmbeddingHooks::callGuest(GuestThreadId, std::uint32_t, std::span<const std::uint32_t>)
{
    return std::nullopt;
}

}  // namespace wiiu::guest
