// The ready-made wait for emulators that implement blocking HLE calls by polling: look once with
// a timeout of 0; when nothing is ready, let the emulator sleep the guest thread (OSSleepTicks:
// the emulated core runs other guest threads meanwhile) and report "nothing yet", after which
// the module asks again. The module never blocks a host thread through it.
#pragma once

#include <wiiu_nssl/language.h>

#include <chrono>
#include <functional>
#include <span>

#include <wiiu_nssl/hooks.h>

namespace wiiu::guest {

/// Sleeps the calling guest thread for about `duration` (it may return early).
using GuestSleep = std::function<void(std::chrono::nanoseconds duration)>;

/// Between two looks at the descriptors when the caller gives no interval: short enough that a
/// TLS record that arrived is taken within a frame at 60 Hz, long enough to cost nothing.
inline constexpr std::chrono::milliseconds kDefaultPollInterval{2};

/// One round of the poll-then-sleep style: the number of ready items, else sleeps the guest
/// thread for `interval` (never past `deadline`) and returns 0. Use it inside your own wait().
int pollThenSleep(std::span<WaitItem> items, Deadline deadline, const GuestSleep& sleep,
                  std::chrono::nanoseconds interval = kDefaultPollInterval);

/// DefaultHooks whose wait() is pollThenSleep with the emulator's sleep function.
class PollingHooks : public DefaultHooks {
public:
    explicit PollingHooks(GuestSleep sleep, std::chrono::nanoseconds interval = kDefaultPollInterval)
        : sleep_(std::move(sleep)), interval_(interval)
    {
    }
    PollingHooks(GuestSleep sleep, std::uint32_t heapStart, std::uint32_t heapSize,
                 std::chrono::nanoseconds interval = kDefaultPollInterval)
        : DefaultHooks(heapStart, heapSize), sleep_(std::move(sleep)), interval_(interval)
    {
    }

    int wait(std::span<WaitItem> items, Deadline deadline) override
    {
        return pollThenSleep(items, deadline, sleep_, interval_);
    }

private:
    GuestSleep sleep_;
    std::chrono::nanoseconds interval_;
};

}  // namespace wiiu::guest
