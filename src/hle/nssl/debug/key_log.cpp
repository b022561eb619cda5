#include "hle/nssl/debug/key_log.h"

#include <cerrno>
#include <cstring>
#include <mutex>
#include <set>

#include <fcntl.h>
#include <unistd.h>

#include "common/log.h"

namespace wiiu::nssl::debug {

namespace {
std::mutex keyLogMutex;  // one line per write() is atomic with O_APPEND; this also orders the warnings
std::set<std::string> announced;
}  // namespace

void appendKeyLog(const std::string& path, const std::string& line)
{
    if (line.empty())
        return;
    std::lock_guard lock(keyLogMutex);
    if (announced.insert(path).second)
        log::nssl().warn("debug: appending TLS secrets (SSLKEYLOGFILE) to {}: anyone with it decrypts captures", path);
    const int fd = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) {
        log::nssl().error("debug: cannot open key log {}: {}", path, std::strerror(errno));
        return;
    }
    const std::string text = line + "\n";
    if (::write(fd, text.data(), text.size()) != static_cast<ssize_t>(text.size()))
        log::nssl().error("debug: cannot write key log {}: {}", path, std::strerror(errno));
    ::close(fd);
}

}  // namespace wiiu::nssl::debug
