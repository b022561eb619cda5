// The module's locks. Rule (<wiiu_nssl/hooks.h>): no embedding hook runs while the module holds a
// lock, because a hook may switch fibers and the next fiber on the same host thread may call in
// and take the same lock. Every lock in the module is a ModuleMutex, which counts per host thread
// how many are held: hooks are called only where that count is 0 (tests check it from inside
// every hook), and log lines written under a lock reach the emulator's sink when the last is
// released (common/log.cpp).
#pragma once

#include <mutex>

namespace wiiu {

/// A std::mutex that keeps the count of module locks held by the calling host thread.
class ModuleMutex {
public:
    void lock();
    bool try_lock();
    void unlock();

private:
    std::mutex mutex_;
};

/// How many module locks the calling host thread holds now.
int moduleLocksHeld();

}  // namespace wiiu
