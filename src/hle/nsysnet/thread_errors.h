// Per-guest-thread values: socketlasterr() (the console keeps it in the calling thread's GHS
// errno; 0 after every successful socket call). h_errno is per process, in guest memory.
#pragma once

#include <cstdint>
#include <mutex>
#include <unordered_map>

#include "hle/nsysnet/errors.h"

namespace wiiu::nsysnet {

template <class T>
class PerThread {
public:
    void set(std::uint64_t thread, T value)
    {
        std::lock_guard lock(mutex_);
        values_[thread] = value;
    }
    /// The thread's value; T{} for a thread that never set one.
    T get(std::uint64_t thread) const
    {
        std::lock_guard lock(mutex_);
        auto it = values_.find(thread);
        return it == values_.end() ? T{} : it->second;
    }

private:
    mutable std::mutex mutex_;
    std::unordered_map<std::uint64_t, T> values_;
};

using ThreadErrors = PerThread<SoError>;

}  // namespace wiiu::nsysnet
