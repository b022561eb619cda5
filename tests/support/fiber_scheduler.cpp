#include "support/fiber_scheduler.h"

#include <ucontext.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <stdexcept>
#include <system_error>

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

thread_local FiberScheduler* tlsScheduler = nullptr;  // for entry(): makecontext passes ints only

}  // namespace

struct SchedulerContext {
    ucontext_t context{};
    void* tsanFiber = nullptr;
    // ASan: the scheduler's stack, learnt when a fiber first switches in.
    const void* stackBottom = nullptr;
    std::size_t stackSize = 0;
    void* fakeStack = nullptr;
};

struct FiberScheduler::Fiber {
    enum class State { Runnable, Parked, Done } state = State::Runnable;
    std::string name;
    std::function<void()> body;
    std::unique_ptr<char[]> stack;
    ucontext_t context{};
    void* tsanFiber = nullptr;
    void* fakeStack = nullptr;
    // While parked:
    std::span<guest::WaitItem> items;
    guest::Deadline deadline;
    int ready = 0;
};

FiberScheduler::FiberScheduler(std::size_t stackSize) : stackSize_(stackSize), main_(std::make_unique<SchedulerContext>())
{
#ifdef WIIU_FIBERS_TSAN
    main_->tsanFiber = __tsan_get_current_fiber();
#endif
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
    fibers_.push_back(std::move(f));
}

void FiberScheduler::entry()
{
    FiberScheduler& s = *tlsScheduler;
#ifdef WIIU_FIBERS_ASAN
    __sanitizer_finish_switch_fiber(nullptr, &s.main_->stackBottom, &s.main_->stackSize);
#endif
    Fiber& f = *s.current_;
    try {
        f.body();
    } catch (...) {
        // A test body reports through gtest; an escaping exception must not unwind off the stack.
    }
    f.state = Fiber::State::Done;
#ifdef WIIU_FIBERS_ASAN
    __sanitizer_start_switch_fiber(nullptr, s.main_->stackBottom, s.main_->stackSize);  // this stack ends
#endif
#ifdef WIIU_FIBERS_TSAN
    __tsan_switch_to_fiber(s.main_->tsanFiber, 0);
#endif
    ::setcontext(&s.main_->context);
    std::abort();  // unreachable: setcontext does not return
}

void FiberScheduler::resume(Fiber& f)
{
    tlsScheduler = this;
    current_ = &f;
#ifdef WIIU_FIBERS_ASAN
    __sanitizer_start_switch_fiber(&main_->fakeStack, f.stack.get(), stackSize_);
#endif
#ifdef WIIU_FIBERS_TSAN
    __tsan_switch_to_fiber(f.tsanFiber, 0);
#endif
    ::swapcontext(&main_->context, &f.context);
#ifdef WIIU_FIBERS_ASAN
    __sanitizer_finish_switch_fiber(main_->fakeStack, nullptr, nullptr);
#endif
    current_ = nullptr;
}

void FiberScheduler::switchToScheduler()
{
    Fiber& f = *current_;
#ifdef WIIU_FIBERS_ASAN
    __sanitizer_start_switch_fiber(&f.fakeStack, main_->stackBottom, main_->stackSize);
#endif
#ifdef WIIU_FIBERS_TSAN
    __tsan_switch_to_fiber(main_->tsanFiber, 0);
#endif
    ::swapcontext(&f.context, &main_->context);
#ifdef WIIU_FIBERS_ASAN
    __sanitizer_finish_switch_fiber(f.fakeStack, &main_->stackBottom, &main_->stackSize);
#endif
}

int FiberScheduler::park(std::span<guest::WaitItem> items, guest::Deadline deadline)
{
    Fiber& f = *current_;
    f.state = Fiber::State::Parked;
    f.items = items;
    f.deadline = deadline;
    f.ready = 0;
    switchToScheduler();
    f.items = {};
    return f.ready;
}

void FiberScheduler::sleepFor(std::chrono::nanoseconds duration)
{
    park({}, Clock::now() + duration);
}

void FiberScheduler::pollParked()
{
    std::vector<guest::WaitItem> all;
    auto wake = Clock::now() + std::chrono::milliseconds(20);
    for (auto& f : fibers_) {
        if (f->state != Fiber::State::Parked)
            continue;
        all.insert(all.end(), f->items.begin(), f->items.end());
        if (f->deadline)
            wake = std::min(wake, *f->deadline);
    }
    const auto left = std::chrono::ceil<std::chrono::milliseconds>(wake - Clock::now()).count();
    guest::pollItems(all, static_cast<int>(std::max<std::int64_t>(0, left)));
    const auto now = Clock::now();
    std::size_t at = 0;
    for (auto& f : fibers_) {
        if (f->state != Fiber::State::Parked)
            continue;
        int ready = 0;
        for (guest::WaitItem& item : f->items) {
            item.readReady = all[at].readReady;
            item.writeReady = all[at].writeReady;
            item.failed = all[at].failed;
            ready += item.ready() ? 1 : 0;
            ++at;
        }
        if (ready > 0 || (f->deadline && now >= *f->deadline)) {
            f->ready = ready;
            f->state = Fiber::State::Runnable;
        }
    }
}

bool FiberScheduler::runUntil(const std::function<bool()>& done, std::chrono::milliseconds limit)
{
    const auto end = Clock::now() + limit;
    while (!done() && live() > 0) {
        if (Clock::now() > end)
            return false;
        bool ran = false;
        for (std::size_t i = 0; i < fibers_.size(); ++i) {  // spawn() may grow the list meanwhile
            if (fibers_[i]->state == Fiber::State::Runnable) {
                resume(*fibers_[i]);
                ran = true;
            }
        }
        if (!ran)
            pollParked();
    }
    return true;
}

bool FiberScheduler::drain(std::chrono::milliseconds limit)
{
    for (auto& f : fibers_)
        if (f->state == Fiber::State::Parked) {
            f->ready = 0;
            f->state = Fiber::State::Runnable;
        }
    return runUntil([] { return false; }, limit);
}

std::size_t FiberScheduler::live() const
{
    return static_cast<std::size_t>(
        std::count_if(fibers_.begin(), fibers_.end(), [](const auto& f) { return f->state != Fiber::State::Done; }));
}

std::size_t FiberScheduler::parked() const
{
    return static_cast<std::size_t>(
        std::count_if(fibers_.begin(), fibers_.end(), [](const auto& f) { return f->state == Fiber::State::Parked; }));
}

bool FiberScheduler::finished(const std::string& name) const
{
    for (const auto& f : fibers_)
        if (f->name == name)
            return f->state == Fiber::State::Done;
    return false;
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
