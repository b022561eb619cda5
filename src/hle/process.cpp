#include "hle/process.h"

namespace wiiu {

Process::Process(guest::EmbeddingHooks& hooks) : hooks_(hooks) {}

Process::~Process() = default;

bool Process::firstCallOf(guest::ExportIndex index)
{
    std::lock_guard lock(reportedMutex_);
    return reported_.insert(index).second;
}

}  // namespace wiiu
