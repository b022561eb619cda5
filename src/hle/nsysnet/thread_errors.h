// Per-guest-thread values: socketlasterr() (the console keeps it in the calling thread's GHS
// errno, published through the hooks; 0 after every successful socket call). h_errno is per
// process, in guest memory.
#pragma once

#include <cstdint>
#include <mutex>
#include <unordered_map>

#include <wiiu_nssl/hooks.h>
#include <wiiu_nssl/nsysnet_errors.h>
#include "common/module_lock.h"

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
    mutable ModuleMutex mutex_;
    std::unordered_map<std::uint64_t, T> values_;
};

/// socketlasterr() per guest thread; every change is also published through
/// EmbeddingHooks::socketErrorChanged, so an emulator can mirror it into coreinit's errno.
class ThreadErrors {
public:
    explicit ThreadErrors(guest::EmbeddingHooks& hooks) : hooks_(hooks) {}

    void set(std::uint64_t thread, SoError error)
    {
        values_.set(thread, error);
        hooks_.socketErrorChanged(thread, static_cast<std::int32_t>(error));
    }
    SoError get(std::uint64_t thread) const { return values_.get(thread); }

private:
    guest::EmbeddingHooks& hooks_;
    PerThread<SoError> values_;
};

}  // namespace wiiu::nsysnet
