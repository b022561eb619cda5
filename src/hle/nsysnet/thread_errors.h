// socketlasterr(): the per-guest-thread error of the last socket call (the console keeps it in
// the thread's GHS errno). 0 after every successful call.
#pragma once

#include <cstdint>
#include <mutex>
#include <unordered_map>

#include "hle/nsysnet/errors.h"

namespace wiiu::nsysnet {

class ThreadErrors {
public:
    void set(std::uint64_t thread, SoError error)
    {
        std::lock_guard lock(mutex_);
        errors_[thread] = error;
    }
    SoError get(std::uint64_t thread) const
    {
        std::lock_guard lock(mutex_);
        auto it = errors_.find(thread);
        return it == errors_.end() ? SoError::SO_SUCCESS : it->second;
    }

private:
    mutable std::mutex mutex_;
    std::unordered_map<std::uint64_t, SoError> errors_;
};

}  // namespace wiiu::nsysnet
