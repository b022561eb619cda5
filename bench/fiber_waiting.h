// The two ways an emulator with fibers waits in a blocking HLE call, as the bench's guest
// threads (fibers of the tests' FiberScheduler) use them: the park-and-wake adapter, or
// poll-then-sleep with a nap (Cemu's own socket loops nap ~1 ms).
#pragma once

#include <chrono>
#include <memory>

#include <wiiu_nssl/park_and_wake.h>
#include <wiiu_nssl/polling_wait.h>
#include "support/fiber_scheduler.h"

namespace wiiu::bench {

inline constexpr auto kPollingNap = std::chrono::milliseconds(1);

/// Hooks whose wait() parks the calling fiber until the adapter's poller wakes it (`park`), or
/// polls and sleeps it for kPollingNap.
inline std::shared_ptr<guest::EmbeddingHooks> fiberHooks(bool park, test::FiberScheduler& scheduler)
{
    if (park)
        return std::make_shared<guest::ParkAndWakeHooks>(guest::GuestThreadParking{
            .current = [&scheduler] { return scheduler.currentFiber(); },
            .park = [&scheduler](guest::GuestThreadId) { scheduler.parkUntilWoken(); },
            .wake = [&scheduler](guest::GuestThreadId fiber) { scheduler.wake(fiber); }});
    return std::make_shared<guest::PollingHooks>([&scheduler](auto d) { scheduler.sleepFor(d); }, kPollingNap);
}

}  // namespace wiiu::bench
