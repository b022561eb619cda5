// The ready-made wait for emulators that park a guest thread in a blocking HLE call and resume it
// from a host thread (Cemu's fibers resumed through a concurrent queue, decaf's OSWaitEvent
// signalled from its host loop). The emulator supplies three small callbacks; one host poller
// thread owned by the adapter watches the descriptors of every parked call and wakes the guest
// thread whose descriptor became ready, whose abort signal fired (the module's abort signals are
// descriptors among the items) or whose deadline passed. No host thread blocks for a guest
// thread, and a woken thread may resume on any host thread.
#pragma once

#include <wiiu_nssl/language.h>

#include <functional>
#include <memory>
#include <span>

#include <wiiu_nssl/hooks.h>

namespace wiiu::guest {

/// How the emulator parks and wakes its guest threads. A guest thread is named as the emulator
/// likes (its OSThread address, a fiber pointer); the adapter only hands the name back.
struct GuestThreadParking {
    /// The calling guest thread.
    std::function<GuestThreadId()> current;
    /// Suspends the calling guest thread `self` until wake(self). A wake that came before park()
    /// must make it return at once (an event or a semaphore, not a flag park() clears). It may
    /// return early; the adapter then reports "nothing yet" and the module waits again.
    std::function<void(GuestThreadId self)> park;
    /// Makes guest thread `thread` runnable again. Called on the adapter's poller thread with no
    /// lock held; must not block or run the thread there. It may name a thread that stopped
    /// waiting meanwhile (that park() then returns early), or one the emulator has deleted after
    /// its scheduler stopped: ignore it then.
    std::function<void(GuestThreadId thread)> wake;
};

/// The adapter: its wait() is a complete EmbeddingHooks::wait for guest threads.
class ParkAndWake {
public:
    /// Starts the poller thread.
    explicit ParkAndWake(GuestThreadParking parking);
    /// Stops the poller thread. Destroy it when no guest thread waits in it any more: after the
    /// processes using it ended and their calls returned, or after the emulator's scheduler
    /// stopped for good (a thread still parked is then never woken).
    ~ParkAndWake();
    ParkAndWake(const ParkAndWake&) = delete;
    ParkAndWake& operator=(const ParkAndWake&) = delete;

    /// Registers the items with the poller, parks the calling guest thread and, once woken,
    /// fills in the items' results: the number of ready items, 0 on timeout or an early return.
    int wait(std::span<WaitItem> items, Deadline deadline);

    /// Guest threads woken so far (ready, aborted or timed out), for an emulator's statistics.
    std::uint64_t wakes() const;

private:
    class Poller;
    std::unique_ptr<Poller> poller_;
};

/// DefaultHooks whose wait() parks guest threads through a ParkAndWake; a call made on one of the
/// emulator's host threads (the nlibcurl bridge: currentCaller() is HostThread) is not a guest
/// thread and uses the default poll.
class ParkAndWakeHooks : public DefaultHooks {
public:
    explicit ParkAndWakeHooks(GuestThreadParking parking) : parking_(std::move(parking)) {}
    ParkAndWakeHooks(GuestThreadParking parking, std::uint32_t heapStart, std::uint32_t heapSize)
        : DefaultHooks(heapStart, heapSize), parking_(std::move(parking))
    {
    }

    int wait(std::span<WaitItem> items, Deadline deadline) override
    {
        if (currentCaller() == Caller::HostThread)
            return DefaultHooks::wait(items, deadline);
        return parking_.wait(items, deadline);
    }
    const ParkAndWake& adapter() const { return parking_; }

private:
    ParkAndWake parking_;
};

}  // namespace wiiu::guest
