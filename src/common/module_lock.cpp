#include "common/module_lock.h"

#include "common/fiber_safe_tls.h"
#include "common/log.h"

namespace wiiu {

namespace {

// Per host thread, not per fiber: a fiber switch happens only inside a hook, and no hook runs
// under a lock, so every lock is released on the host thread that took it.
thread_local int heldHere = 0;

WIIU_NOINLINE int& held()
{
    return *opaqueAddress(&heldHere);
}

}  // namespace

void ModuleMutex::lock()
{
    mutex_.lock();
    ++held();
}

bool ModuleMutex::try_lock()
{
    if (!mutex_.try_lock())
        return false;
    ++held();
    return true;
}

void ModuleMutex::unlock()
{
    mutex_.unlock();
    if (--held() == 0)
        log::deliverDeferred();
}

int moduleLocksHeld()
{
    return held();
}

}  // namespace wiiu
