// Guest threads as fibers on ONE host thread, the way Cemu and decaf run them: a cooperative
// scheduler over ucontext (annotated for ASan and TSan, which otherwise lose track of the
// stacks), and the two wait styles those emulators use for blocking HLE calls:
// - park: the fiber registers its descriptors and switches away; the scheduler polls them all
//   when no fiber is runnable and resumes the ones that became ready (ParkingHooks);
// - poll, then sleep: guest::PollingHooks with sleepFor() as the emulator's OSSleepTicks.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include <wiiu_nssl/hooks.h>

namespace wiiu::test {

class FiberScheduler {
public:
    explicit FiberScheduler(std::size_t stackSize = 1u << 20);  ///< 1 MiB, as decaf's guest threads
    ~FiberScheduler();
    FiberScheduler(const FiberScheduler&) = delete;
    FiberScheduler& operator=(const FiberScheduler&) = delete;

    /// A new runnable fiber; it starts at the next round.
    void spawn(std::string name, std::function<void()> body);

    /// Runs rounds until `done()` holds or every fiber finished; false when `limit` passed first.
    bool runUntil(const std::function<bool()>& done, std::chrono::milliseconds limit = std::chrono::seconds(20));
    /// Resumes every parked fiber once without results, as an emulator that lets a guest thread
    /// go on after its process was destroyed, and runs until all finished (false on `limit`).
    bool drain(std::chrono::milliseconds limit = std::chrono::seconds(5));

    // --- inside a fiber ----------------------------------------------------------------------
    bool inFiber() const { return current_ != nullptr; }
    /// Parks until an item is ready or the deadline passes; the number of ready items (0: woken
    /// without results, or timed out).
    int park(std::span<guest::WaitItem> items, guest::Deadline deadline);
    /// Parks for `duration` (OSSleepTicks).
    void sleepFor(std::chrono::nanoseconds duration);

    // --- the scheduler's view ----------------------------------------------------------------
    std::size_t live() const;        ///< fibers not finished
    std::size_t parked() const;      ///< fibers parked in park() or sleepFor()
    bool finished(const std::string& name) const;

private:
    struct Fiber;
    void resume(Fiber& f);
    void switchToScheduler();
    [[noreturn]] static void entry();
    /// When nothing is runnable: polls every parked fiber's items (up to the nearest deadline,
    /// at most 20 ms) and makes the ready and the expired ones runnable.
    void pollParked();

    std::size_t stackSize_;
    std::vector<std::unique_ptr<Fiber>> fibers_;
    Fiber* current_ = nullptr;
    std::unique_ptr<struct SchedulerContext> main_;
};

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
