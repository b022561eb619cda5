#include "hle/nssl/debug/key_log.h"

#include <cerrno>
#include <cstring>
#include <mutex>
#include <set>

#include "common/log.h"
#include "common/module_lock.h"
#include "platform/file.h"

namespace wiiu::nssl::debug {

namespace {
ModuleMutex keyLogMutex;  // one line per write() is atomic with O_APPEND; this also orders the warnings
std::set<std::string> announced;
}  // namespace

void appendKeyLog(const std::string& path, const std::string& line)
{
    if (line.empty())
        return;
    std::lock_guard lock(keyLogMutex);
    if (announced.insert(path).second)
        log::nssl().warn("debug: appending TLS secrets (SSLKEYLOGFILE) to {}: anyone with it decrypts captures", path);
    // One buffered append of one line: a single write, so lines of concurrent writers never mix.
    if (const int err = platform::appendToPrivateFile(platform::pathFromUtf8(path), line + "\n"); err != 0)
        log::nssl().error("debug: cannot write key log {}: {}", path, std::strerror(err));
}

}  // namespace wiiu::nssl::debug
