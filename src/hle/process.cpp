#include "hle/process.h"

namespace wiiu {

Process::Process(guest::EmbeddingHooks& hooks) : hooks_(hooks), sockets_(hooks) {}

Process::~Process()
{
    // Wake every guest thread blocked in a socket call before any library state goes away.
    sockets_.teardown();
}

bool Process::firstCallOf(guest::ExportIndex index)
{
    std::lock_guard lock(reportedMutex_);
    return reported_.insert(index).second;
}

}  // namespace wiiu
