// Guest threads as fibers, the way Cemu and decaf run them: a cooperative scheduler over
// ucontext (annotated for ASan and TSan, which otherwise lose track of the stacks) on one host
// thread, or on several (Cemu's multi-core mode, decaf): then a fiber that parked on one host
// thread is always resumed on another. The two wait styles those emulators use for blocking HLE
// calls:
// - park: the fiber registers its descriptors and switches away; the scheduler polls them all
//   when no fiber is runnable and resumes the ones that became ready (ParkingHooks);
// - poll, then sleep: guest::PollingHooks with sleepFor() as the emulator's OSSleepTicks.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include <wiiu_nssl/hooks.h>

namespace wiiu::test {

struct HostContext;

class FiberScheduler {
public:
    /// `hostThreads` 1: runUntil() runs every fiber on the calling thread. More: it runs them on
    /// that many host threads of its own (the caller polls parked fibers), and a fiber that
    /// parked is resumed on a host thread other than the one it parked on.
    explicit FiberScheduler(std::size_t stackSize = 1u << 20, std::size_t hostThreads = 1);  ///< 1 MiB, as decaf's
    ~FiberScheduler();
    FiberScheduler(const FiberScheduler&) = delete;
    FiberScheduler& operator=(const FiberScheduler&) = delete;

    /// A new runnable fiber; it starts at the next round.
    void spawn(std::string name, std::function<void()> body);

    /// Runs rounds until `done()` holds or every fiber finished; false when `limit` passed first.
    /// With several host threads `done()` is asked only while no fiber runs.
    bool runUntil(const std::function<bool()>& done, std::chrono::milliseconds limit = std::chrono::seconds(20));
    /// Resumes every parked fiber once without results, as an emulator that lets a guest thread
    /// go on after its process was destroyed, and runs until all finished (false on `limit`).
    bool drain(std::chrono::milliseconds limit = std::chrono::seconds(5));

    // --- inside a fiber ----------------------------------------------------------------------
    bool inFiber() const;
    /// Parks until an item is ready or the deadline passes; the number of ready items (0: woken
    /// without results, or timed out).
    int park(std::span<guest::WaitItem> items, guest::Deadline deadline);
    /// Parks for `duration` (OSSleepTicks).
    void sleepFor(std::chrono::nanoseconds duration);
    /// The calling fiber, as wake() names it.
    std::uint64_t currentFiber() const;
    /// Parks until wake() names this fiber; a wake that came since the fiber last ran makes it go
    /// on at once (an event, as decaf's OSEvent or Cemu's resume queue keep it).
    void parkUntilWoken();

    // --- any host thread -------------------------------------------------------------------------
    /// Makes fiber `fiber` (currentFiber()) runnable: now if it waits in parkUntilWoken(), else
    /// as soon as it parks there next.
    void wake(std::uint64_t fiber);

    // --- the scheduler's view ----------------------------------------------------------------
    std::size_t live() const;        ///< fibers not finished
    std::size_t parked() const;      ///< fibers parked in park() or sleepFor()
    bool finished(const std::string& name) const;
    /// Resumptions of a parked fiber, and how many of them ran on the host thread it parked on.
    std::size_t resumesAfterPark() const;
    std::size_t resumesOnTheParkingThread() const;

private:
    friend struct HostContext;
    struct Fiber;
    void resume(Fiber& f);
    void switchToScheduler();
    [[noreturn]] static void entry();
    /// When nothing is runnable: polls every parked fiber's items (up to the nearest deadline,
    /// at most 20 ms) and makes the ready and the expired ones runnable. Called with `lock` held;
    /// releases it while polling.
    void pollParked(std::unique_lock<std::mutex>& lock, std::chrono::milliseconds most);
    bool runHere(const std::function<bool()>& done, std::chrono::steady_clock::time_point end);
    bool runOnHostThreads(const std::function<bool()>& done, std::chrono::steady_clock::time_point end);
    /// A host thread's loop: resumes runnable fibers (not one that parked on `host`) until stopped.
    void hostLoop(int host);
    /// The next fiber host thread `host` may resume, marked running; null when none.
    Fiber* pick(int host);
    std::size_t countIf(bool (*pred)(const Fiber&)) const;

    std::size_t stackSize_;
    std::size_t hostThreads_;
    mutable std::mutex mutex_;  // fiber states, the list, the counters
    std::condition_variable changed_;
    bool stopping_ = false;
    bool pausing_ = false;  // no fiber is picked while runUntil's done() looks at the fibers' results
    std::size_t running_ = 0;
    std::size_t resumesAfterPark_ = 0;
    std::size_t resumesOnParkingThread_ = 0;
    std::vector<std::unique_ptr<Fiber>> fibers_;
};

/// The two ways emulators wait in a blocking HLE call (the header's comment above).
enum class WaitStyle { Park, PollThenSleep };
std::string waitStyleName(WaitStyle style);

/// What an emulator's wait() does in `style`: park the calling fiber, or poll once and sleep it
/// for 2 ms; outside a fiber (a host thread) the default poll.
int waitInStyle(FiberScheduler& scheduler, WaitStyle style, std::span<guest::WaitItem> items, guest::Deadline deadline);

/// The park style as an emulator's hooks: wait() parks the calling fiber (the default poll when
/// called outside one).
class ParkingHooks : public guest::DefaultHooks {
public:
    explicit ParkingHooks(FiberScheduler& scheduler) : scheduler_(scheduler) {}
    int wait(std::span<guest::WaitItem> items, guest::Deadline deadline) override
    {
        return scheduler_.inFiber() ? scheduler_.park(items, deadline) : DefaultHooks::wait(items, deadline);
    }

private:
    FiberScheduler& scheduler_;
};

/// Hooks that also mirror socketlasterr per guest thread, as an emulator writing coreinit's errno.
template <class Hooks>
class ErrnoMirroring : public Hooks {
public:
    using Hooks::Hooks;
    void socketErrorChanged(guest::GuestThreadId thread, std::int32_t error) override { errno_[thread] = error; }
    /// The mirrored value; nothing when the module never published one for `thread`.
    std::optional<std::int32_t> guestErrno(guest::GuestThreadId thread) const
    {
        auto it = errno_.find(thread);
        return it == errno_.end() ? std::nullopt : std::optional(it->second);
    }

private:
    std::map<guest::GuestThreadId, std::int32_t> errno_;
};

/// Sockets of this process as /proc/self/fd lists them ("socket:[inode]").
std::size_t openSocketCount();
/// Every descriptor of this process.
std::size_t openDescriptorCount();

}  // namespace wiiu::test
