#include <wiiu_nssl/park_and_wake.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <thread>
#include <vector>

#include "common/log.h"
#include "common/module_lock.h"
#include "platform/socket.h"

namespace wiiu::guest {

namespace {

using Clock = std::chrono::steady_clock;

/// Milliseconds until `deadline` for poll(): -1 for none, never below 0.
int pollTimeout(const Deadline& deadline)
{
    if (!deadline)
        return -1;
    const auto left = std::chrono::ceil<std::chrono::milliseconds>(*deadline - Clock::now()).count();
    return static_cast<int>(std::clamp<std::int64_t>(left, 0, INT32_MAX));
}

}  // namespace

/// The poller thread and the parked calls it watches. A call's record belongs to the poller (not
/// to the parked thread's stack, which an emulator may free without resuming it); the thread
/// finds it again by its number when it runs again.
class ParkAndWake::Poller {
public:
    explicit Poller(GuestThreadParking parking) : parking_(std::move(parking))
    {
        thread_ = std::thread([this] { run(); });
    }
    ~Poller()
    {
        {
            std::lock_guard lock(mutex_);
            stopping_ = true;
        }
        rescan_.signal();
        if (thread_.get_id() == std::this_thread::get_id())
            thread_.detach();  // the last share of the hooks went in a wake(): the loop ends on its own
        else
            thread_.join();
    }

    int wait(std::span<WaitItem> items, Deadline deadline)
    {
        const GuestThreadId self = parking_.current();
        std::uint64_t id = 0;
        {
            std::lock_guard lock(mutex_);
            id = nextId_++;
            parked_.emplace(id, Parked{{items.begin(), items.end()}, deadline, self});
        }
        rescan_.signal();  // the poller's current look does not include this call yet
        try {
            parking_.park(self);
        } catch (...) {
            std::lock_guard lock(mutex_);
            parked_.erase(id);
            throw;  // the module's wait loop reports it
        }

        std::lock_guard lock(mutex_);
        auto it = parked_.find(id);
        if (it == parked_.end())
            return 0;
        const Parked record = std::move(it->second);
        parked_.erase(it);
        if (!record.woken)
            return 0;  // an early return of park(): the module asks again
        int ready = 0;
        for (std::size_t i = 0; i < items.size(); ++i) {
            items[i].readReady = record.items[i].readReady;
            items[i].writeReady = record.items[i].writeReady;
            items[i].failed = record.items[i].failed;
            ready += items[i].ready() ? 1 : 0;
        }
        return ready;
    }

    std::uint64_t wakes() const { return wakes_.load(std::memory_order_relaxed); }

private:
    struct Parked {
        std::vector<WaitItem> items;
        Deadline deadline;
        GuestThreadId thread = 0;
        bool woken = false;  ///< results are in `items` (or the deadline passed)
    };

    /// One look at every parked call's items: until one is ready, a call's deadline passes or a
    /// new call parks; then wakes the calls that are done, with no lock held.
    void run()
    {
        std::vector<WaitItem> all;
        std::vector<std::pair<std::uint64_t, std::size_t>> looked;  // call, its first item in `all`
        std::vector<GuestThreadId> toWake;
        for (;;) {
            rescan_.clear();  // before the snapshot: a call that parks after it signals again
            Deadline nearest;
            all.assign(1, WaitItem{.fd = rescan_.handle(), .readable = true});
            looked.clear();
            {
                std::lock_guard lock(mutex_);
                if (stopping_)
                    return;
                for (const auto& [id, call] : parked_) {
                    if (call.woken)
                        continue;
                    looked.emplace_back(id, all.size());
                    all.insert(all.end(), call.items.begin(), call.items.end());
                    if (call.deadline && (!nearest || *call.deadline < *nearest))
                        nearest = call.deadline;
                }
            }
            pollItems(all, pollTimeout(nearest));

            toWake.clear();
            {
                std::lock_guard lock(mutex_);
                const auto now = Clock::now();
                for (const auto& [id, first] : looked) {
                    auto it = parked_.find(id);
                    if (it == parked_.end())
                        continue;  // returned early meanwhile
                    Parked& call = it->second;
                    bool ready = false;
                    for (std::size_t i = 0; i < call.items.size(); ++i) {
                        const WaitItem& seen = all[first + i];
                        call.items[i].readReady = seen.readReady;
                        call.items[i].writeReady = seen.writeReady;
                        call.items[i].failed = seen.failed;
                        ready = ready || seen.ready();
                    }
                    if (ready || (call.deadline && now >= *call.deadline)) {
                        call.woken = true;
                        toWake.push_back(call.thread);
                    }
                }
            }
            for (GuestThreadId thread : toWake) {
                wakes_.fetch_add(1, std::memory_order_relaxed);
                wakeGuarded(thread);
            }
        }
    }

    /// The emulator's wake(); one that throws must not end the poller.
    void wakeGuarded(GuestThreadId thread)
    {
        try {
            parking_.wake(thread);
        } catch (const std::exception& e) {
            log::guest().error("park-and-wake: the emulator's wake() threw: {}", e.what());
        } catch (...) {
            log::guest().error("park-and-wake: the emulator's wake() threw a non-standard exception");
        }
    }

    GuestThreadParking parking_;
    platform::WakeSignal rescan_;  // raised when a call parks, so the poller looks again
    ModuleMutex mutex_;
    std::map<std::uint64_t, Parked> parked_;
    std::uint64_t nextId_ = 1;
    bool stopping_ = false;
    std::atomic<std::uint64_t> wakes_{0};
    std::thread thread_;  // last: starts after everything it uses
};

ParkAndWake::ParkAndWake(GuestThreadParking parking) : poller_(std::make_unique<Poller>(std::move(parking))) {}

ParkAndWake::~ParkAndWake() = default;

int ParkAndWake::wait(std::span<WaitItem> items, Deadline deadline)
{
    return poller_->wait(items, deadline);
}

std::uint64_t ParkAndWake::wakes() const
{
    return poller_->wakes();
}

}  // namespace wiiu::guest
