#include "hle/guest/wait.h"

#include <array>
#include <chrono>
#include <exception>

#include "common/log.h"

namespace wiiu::guest {

namespace {

bool passed(const Deadline& deadline)
{
    return deadline && std::chrono::steady_clock::now() >= *deadline;
}

}  // namespace

WaitResult waitFor(EmbeddingHooks& hooks, std::span<WaitItem> targets, std::span<const Interrupt* const> aborts,
                   Deadline deadline)
{
    const std::size_t count = targets.size() + aborts.size();
    if (count > kMaxWaitItems) {
        log::guest().error("wait over {} items exceeds the limit of {}", count, kMaxWaitItems);
        return WaitResult::Aborted;
    }
    // Layout: the targets, then the abort signals.
    std::array<WaitItem, kMaxWaitItems> items;
    for (std::size_t i = 0; i < targets.size(); ++i) {
        if (targets[i].fd < 0)
            return WaitResult::Aborted;  // the socket behind the target is already closed
        items[i] = waitTarget(targets[i].fd, targets[i].readable, targets[i].writable);
    }
    for (std::size_t i = 0; i < aborts.size(); ++i)
        items[targets.size() + i] = aborts[i]->waitItem();
    const std::span<WaitItem> all(items.data(), count);

    for (;;) {
        for (WaitItem& item : all)
            item.readReady = item.writeReady = item.failed = false;
        try {
            hooks.wait(all, deadline);
        } catch (const std::exception& e) {  // an emulator's hook must not unwind through the guest
            log::guest().error("embedding hook wait() threw: {}", e.what());
            return WaitResult::Aborted;
        } catch (...) {
            log::guest().error("embedding hook wait() threw a non-standard exception");
            return WaitResult::Aborted;
        }
        for (std::size_t i = targets.size(); i < count; ++i)
            if (all[i].ready())
                return WaitResult::Aborted;
        bool ready = false;
        for (std::size_t i = 0; i < targets.size(); ++i) {
            targets[i].readReady = all[i].readReady;
            targets[i].writeReady = all[i].writeReady;
            targets[i].failed = all[i].failed;
            ready = ready || all[i].ready();
        }
        if (ready)
            return WaitResult::Ready;
        // Nothing reported: a timeout, a poll-then-sleep hook's round, or a parked thread the
        // emulator resumed without results (e.g. after destroying the process). An abort that
        // fired meanwhile ends the call now instead of waiting again.
        for (const Interrupt* abort : aborts)
            if (abort->signalled())
                return WaitResult::Aborted;
        if (passed(deadline))
            return WaitResult::TimedOut;
    }
}

}  // namespace wiiu::guest
