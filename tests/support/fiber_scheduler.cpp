#include "support/fiber_scheduler.h"

#include "common/fiber_safe_tls.h"

#include <wiiu_nssl/polling_wait.h>

#include <ucontext.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <stdexcept>
#include <system_error>
#include <thread>
#include <utility>

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define WIIU_FIBERS_ASAN 1
#endif
#if __has_feature(thread_sanitizer)
#define WIIU_FIBERS_TSAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__)
#define WIIU_FIBERS_ASAN 1
#endif
#if defined(__SANITIZE_THREAD__)
#define WIIU_FIBERS_TSAN 1
#endif

#ifdef WIIU_FIBERS_ASAN
#include <sanitizer/common_interface_defs.h>
#endif
#ifdef WIIU_FIBERS_TSAN
#include <sanitizer/tsan_interface.h>
#endif

namespace wiiu::test {

namespace {

using Clock = std::chrono::steady_clock;

}  // namespace

/// What a host thread running fibers keeps: its own context to switch back to, and the fiber it
/// runs now. One per host thread; a fiber reaches it through host(), never through a cached
/// address, because the fiber may wake up on another host thread.
struct HostContext {
    int id = 0;
    FiberScheduler* scheduler = nullptr;
    FiberScheduler::Fiber* current = nullptr;
    ucontext_t context{};
    void* tsanFiber = nullptr;
    // ASan: this thread's stack, learnt when a fiber first switches in.
    const void* stackBottom = nullptr;
    std::size_t stackSize = 0;
    void* fakeStack = nullptr;
};

namespace {

thread_local HostContext tlsHost;

/// The calling host thread's context, looked up anew on every call as the module's own
/// thread_locals are (common/fiber_safe_tls.h): a fiber may have migrated since the last.
WIIU_NOINLINE HostContext& host()
{
    return *opaqueAddress(&tlsHost);
}

}  // namespace

struct FiberScheduler::Fiber {
    enum class State { Runnable, Running, Parked, Done } state = State::Runnable;
    /// What the fiber asked for when it last switched away; its host thread publishes it.
    enum class Leaving { Parked, Done } leaving = Leaving::Parked;
    std::string name;
    std::function<void()> body;
    std::unique_ptr<char[]> stack;
    ucontext_t context{};
    void* tsanFiber = nullptr;
    void* fakeStack = nullptr;
    int parkedOn = -1;  ///< the host thread it last parked on; -1: never parked
    bool byWake = false;  ///< parked in parkUntilWoken(): only wake() makes it runnable
    bool woken = false;   ///< a wake() that came while it was not parked there
    // While parked:
    std::uint64_t parks = 0;  ///< counts park() calls, so a poll knows the park it looked at
    std::span<guest::WaitItem> items;
    guest::Deadline deadline;
    int ready = 0;
};

FiberScheduler::FiberScheduler(std::size_t stackSize, std::size_t hostThreads)
    : stackSize_(stackSize), hostThreads_(std::max<std::size_t>(1, hostThreads))
{
}

FiberScheduler::~FiberScheduler()
{
    // A fiber that never finished is abandoned with its stack, as an emulator may do: whatever
    // that stack still held is then the caller's to account for (the tests always drain).
#ifdef WIIU_FIBERS_TSAN
    for (auto& f : fibers_)
        if (f->tsanFiber)
            __tsan_destroy_fiber(f->tsanFiber);
#endif
}

void FiberScheduler::spawn(std::string name, std::function<void()> body)
{
    auto f = std::make_unique<Fiber>();
    f->name = std::move(name);
    f->body = std::move(body);
    f->stack = std::make_unique<char[]>(stackSize_);
    if (::getcontext(&f->context) != 0)
        throw std::system_error(errno, std::generic_category(), "getcontext");
    f->context.uc_stack.ss_sp = f->stack.get();
    f->context.uc_stack.ss_size = stackSize_;
    f->context.uc_link = nullptr;  // entry() never returns
    ::makecontext(&f->context, &FiberScheduler::entry, 0);
#ifdef WIIU_FIBERS_TSAN
    f->tsanFiber = __tsan_create_fiber(0);
#endif
    std::lock_guard lock(mutex_);
    fibers_.push_back(std::move(f));
    changed_.notify_all();
}

bool FiberScheduler::inFiber() const
{
    const HostContext& h = host();
    return h.current != nullptr && h.scheduler == this;
}

void FiberScheduler::entry()
{
#ifdef WIIU_FIBERS_ASAN
    {
        HostContext& h = host();
        __sanitizer_finish_switch_fiber(nullptr, &h.stackBottom, &h.stackSize);
    }
#endif
    Fiber& f = *host().current;
    try {
        f.body();
    } catch (...) {
        // A test body reports through gtest; an escaping exception must not unwind off the stack.
    }
    f.leaving = Fiber::Leaving::Done;
    HostContext& h = host();  // the host thread the fiber ends on
#ifdef WIIU_FIBERS_ASAN
    __sanitizer_start_switch_fiber(nullptr, h.stackBottom, h.stackSize);  // this stack ends
#endif
#ifdef WIIU_FIBERS_TSAN
    __tsan_switch_to_fiber(h.tsanFiber, 0);
#endif
    ::setcontext(&h.context);
    std::abort();  // unreachable: setcontext does not return
}

void FiberScheduler::resume(Fiber& f)
{
    HostContext& h = host();
    h.scheduler = this;
    h.current = &f;
#ifdef WIIU_FIBERS_TSAN
    if (!h.tsanFiber)
        h.tsanFiber = __tsan_get_current_fiber();
#endif
#ifdef WIIU_FIBERS_ASAN
    __sanitizer_start_switch_fiber(&h.fakeStack, f.stack.get(), stackSize_);
#endif
#ifdef WIIU_FIBERS_TSAN
    __tsan_switch_to_fiber(f.tsanFiber, 0);
#endif
    ::swapcontext(&h.context, &f.context);
#ifdef WIIU_FIBERS_ASAN
    __sanitizer_finish_switch_fiber(h.fakeStack, nullptr, nullptr);
#endif
    h.current = nullptr;
    // Published only now that the fiber's context is saved: another host thread may resume it
    // as soon as it is Parked.
    std::lock_guard lock(mutex_);
    if (f.leaving == Fiber::Leaving::Done) {
        f.state = Fiber::State::Done;
    } else if (f.byWake && std::exchange(f.woken, false)) {
        f.state = Fiber::State::Runnable;  // woken before it was parked: it goes on
        f.parkedOn = h.id;
    } else {
        f.state = Fiber::State::Parked;
        f.parkedOn = h.id;
    }
    --running_;
    changed_.notify_all();
}

void FiberScheduler::switchToScheduler()
{
    HostContext& h = host();
    Fiber& f = *h.current;
#ifdef WIIU_FIBERS_ASAN
    __sanitizer_start_switch_fiber(&f.fakeStack, h.stackBottom, h.stackSize);
#endif
#ifdef WIIU_FIBERS_TSAN
    __tsan_switch_to_fiber(h.tsanFiber, 0);
#endif
    ::swapcontext(&f.context, &h.context);
    // Resumed, maybe on another host thread: everything below asks host() again.
#ifdef WIIU_FIBERS_ASAN
    HostContext& now = host();
    __sanitizer_finish_switch_fiber(f.fakeStack, &now.stackBottom, &now.stackSize);
#endif
}

int FiberScheduler::park(std::span<guest::WaitItem> items, guest::Deadline deadline)
{
    Fiber& f = *host().current;
    // Written while the fiber runs; its host thread publishes them under the lock when it marks
    // the fiber Parked.
    f.leaving = Fiber::Leaving::Parked;
    ++f.parks;
    f.items = items;
    f.deadline = deadline;
    f.ready = 0;
    switchToScheduler();
    // A poll that looked at this park may still be reading the items: clear them under its lock.
    std::lock_guard lock(mutex_);
    f.items = {};
    return f.ready;
}

std::string waitStyleName(WaitStyle style)
{
    return style == WaitStyle::Park ? "Park" : "PollThenSleep";
}

int waitInStyle(FiberScheduler& scheduler, WaitStyle style, std::span<guest::WaitItem> items, guest::Deadline deadline)
{
    if (!scheduler.inFiber())
        return guest::DefaultHooks().wait(items, deadline);
    if (style == WaitStyle::Park)
        return scheduler.park(items, deadline);
    return guest::pollThenSleep(items, deadline, [&scheduler](auto d) { scheduler.sleepFor(d); });
}

void FiberScheduler::sleepFor(std::chrono::nanoseconds duration)
{
    park({}, Clock::now() + duration);
}

std::uint64_t FiberScheduler::currentFiber() const
{
    return reinterpret_cast<std::uintptr_t>(host().current);
}

void FiberScheduler::parkUntilWoken()
{
    Fiber& f = *host().current;
    {
        std::lock_guard lock(mutex_);
        f.byWake = true;
    }
    park({}, std::nullopt);
    std::lock_guard lock(mutex_);
    f.byWake = false;
}

void FiberScheduler::wake(std::uint64_t fiber)
{
    std::lock_guard lock(mutex_);
    for (auto& f : fibers_) {
        if (reinterpret_cast<std::uintptr_t>(f.get()) != fiber)
            continue;
        if (f->state == Fiber::State::Parked && f->byWake) {
            f->ready = 0;
            f->state = Fiber::State::Runnable;
            changed_.notify_all();
        } else if (f->state != Fiber::State::Done) {
            f->woken = true;
        }
        return;  // a fiber that is gone is ignored, as the adapter's contract asks
    }
}

void FiberScheduler::pollParked(std::unique_lock<std::mutex>& lock, std::chrono::milliseconds most)
{
    // The lock is released while polling: a fiber parked in parkUntilWoken() may be woken, run
    // and even park again meanwhile. Only fibers still in the park looked at get results, and
    // each park's items are copied out and back at the positions they had.
    struct Looked {
        Fiber* fiber;
        std::uint64_t park;
        std::size_t items;
    };
    std::vector<Looked> parked;
    std::vector<guest::WaitItem> all;
    auto wake = Clock::now() + most;
    for (auto& f : fibers_) {
        if (f->state != Fiber::State::Parked)
            continue;
        parked.push_back({f.get(), f->parks, f->items.size()});
        all.insert(all.end(), f->items.begin(), f->items.end());
        if (f->deadline)
            wake = std::min(wake, *f->deadline);
    }
    lock.unlock();
    const auto left = std::chrono::ceil<std::chrono::milliseconds>(wake - Clock::now()).count();
    guest::pollItems(all, static_cast<int>(std::max<std::int64_t>(0, left)));
    lock.lock();
    const auto now = Clock::now();
    std::size_t at = 0;
    for (const Looked& l : parked) {
        Fiber* f = l.fiber;
        const std::size_t first = std::exchange(at, at + l.items);
        if (f->state != Fiber::State::Parked || f->parks != l.park)
            continue;  // woken meanwhile: its items are its own again
        int ready = 0;
        for (std::size_t i = 0; i < l.items; ++i) {
            guest::WaitItem& item = f->items[i];
            item.readReady = all[first + i].readReady;
            item.writeReady = all[first + i].writeReady;
            item.failed = all[first + i].failed;
            ready += item.ready() ? 1 : 0;
        }
        if (ready > 0 || (f->deadline && now >= *f->deadline)) {
            f->ready = ready;
            f->state = Fiber::State::Runnable;
        }
    }
    changed_.notify_all();
}

FiberScheduler::Fiber* FiberScheduler::pick(int hostId)
{
    if (pausing_)
        return nullptr;
    for (auto& f : fibers_) {
        // With several host threads a parked fiber never resumes where it parked.
        if (f->state != Fiber::State::Runnable || (hostThreads_ > 1 && f->parkedOn == hostId))
            continue;
        f->state = Fiber::State::Running;
        ++running_;
        if (f->parkedOn >= 0) {
            ++resumesAfterPark_;
            resumesOnParkingThread_ += f->parkedOn == hostId ? 1 : 0;
        }
        return f.get();
    }
    return nullptr;
}

bool FiberScheduler::runUntil(const std::function<bool()>& done, std::chrono::milliseconds limit)
{
    const auto end = Clock::now() + limit;
    return hostThreads_ == 1 ? runHere(done, end) : runOnHostThreads(done, end);
}

bool FiberScheduler::runHere(const std::function<bool()>& done, Clock::time_point end)
{
    host().id = 0;
    for (;;) {
        if (done() || live() == 0)
            return true;
        if (Clock::now() > end)
            return false;
        bool ran = false;
        for (;;) {  // one round: every fiber runnable now, spawn() may grow the list meanwhile
            Fiber* f = nullptr;
            {
                std::lock_guard lock(mutex_);
                f = pick(0);
            }
            if (!f)
                break;
            resume(*f);
            ran = true;
        }
        if (!ran) {
            std::unique_lock lock(mutex_);
            pollParked(lock, std::chrono::milliseconds(20));
        }
    }
}

void FiberScheduler::hostLoop(int hostId)
{
    host().id = hostId;
    std::unique_lock lock(mutex_);
    for (;;) {
        Fiber* f = nullptr;
        changed_.wait(lock, [&] { return stopping_ || (f = pick(hostId)) != nullptr; });
        if (!f)
            return;
        lock.unlock();
        resume(*f);
        lock.lock();
    }
}

bool FiberScheduler::runOnHostThreads(const std::function<bool()>& done, Clock::time_point end)
{
    {
        std::lock_guard lock(mutex_);
        stopping_ = false;
    }
    std::vector<std::thread> hosts;
    for (std::size_t i = 0; i < hostThreads_; ++i)
        hosts.emplace_back([this, i] { hostLoop(static_cast<int>(i + 1)); });
    bool finished = false;
    {
        std::unique_lock lock(mutex_);
        for (;;) {
            if (running_ == 0) {
                // Asked only while no fiber runs (and none may start), so done() reads what the
                // fibers wrote without a race, and may ask the scheduler (which locks).
                pausing_ = true;
                lock.unlock();
                const bool over = done() || live() == 0;
                lock.lock();
                pausing_ = false;
                changed_.notify_all();
                if (over) {
                    finished = true;
                    break;
                }
            }
            if (Clock::now() > end)
                break;
            const bool runnable = countIf([](const Fiber& f) { return f.state == Fiber::State::Runnable; }) > 0;
            if (!runnable && countIf([](const Fiber& f) { return f.state == Fiber::State::Parked; }) > 0)
                pollParked(lock, std::chrono::milliseconds(2));  // short: fibers park meanwhile
            else
                changed_.wait_for(lock, std::chrono::milliseconds(1));
        }
        stopping_ = true;
        changed_.notify_all();
    }
    for (auto& t : hosts)
        t.join();
    return finished;
}

bool FiberScheduler::drain(std::chrono::milliseconds limit)
{
    {
        std::lock_guard lock(mutex_);
        for (auto& f : fibers_)
            if (f->state == Fiber::State::Parked) {
                f->ready = 0;
                f->state = Fiber::State::Runnable;
            }
    }
    return runUntil([] { return false; }, limit);
}

std::size_t FiberScheduler::countIf(bool (*pred)(const Fiber&)) const
{
    return static_cast<std::size_t>(
        std::count_if(fibers_.begin(), fibers_.end(), [pred](const auto& f) { return pred(*f); }));
}

std::size_t FiberScheduler::live() const
{
    std::lock_guard lock(mutex_);
    return countIf([](const Fiber& f) { return f.state != Fiber::State::Done; });
}

std::size_t FiberScheduler::parked() const
{
    std::lock_guard lock(mutex_);
    return countIf([](const Fiber& f) { return f.state == Fiber::State::Parked; });
}

bool FiberScheduler::finished(const std::string& name) const
{
    std::lock_guard lock(mutex_);
    for (const auto& f : fibers_)
        if (f->name == name)
            return f->state == Fiber::State::Done;
    return false;
}

std::size_t FiberScheduler::resumesAfterPark() const
{
    std::lock_guard lock(mutex_);
    return resumesAfterPark_;
}

std::size_t FiberScheduler::resumesOnTheParkingThread() const
{
    std::lock_guard lock(mutex_);
    return resumesOnParkingThread_;
}

namespace {

std::size_t countDescriptors(bool socketsOnly)
{
    std::size_t n = 0;
    for (const auto& entry : std::filesystem::directory_iterator("/proc/self/fd")) {
        std::error_code ec;
        const auto target = std::filesystem::read_symlink(entry.path(), ec);
        if (ec)
            continue;  // the directory iterator's own descriptor, gone by now
        if (!socketsOnly || target.string().starts_with("socket:"))
            ++n;
    }
    return n;
}

}  // namespace

std::size_t openSocketCount()
{
    return countDescriptors(true);
}

std::size_t openDescriptorCount()
{
    return countDescriptors(false);
}

}  // namespace wiiu::test
