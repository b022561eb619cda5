#include "tools/probe_run.h"

#include <cstdio>
#include <csignal>
#include <fcntl.h>
#include <fstream>
#include <sstream>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

namespace wiiu::test {

namespace {

std::string slurp(const std::string& path)
{
    std::ifstream in(path);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

}  // namespace

std::filesystem::path scratch(const std::string& name)
{
    const auto dir = std::filesystem::path(WIIU_NSSL_BINARY_DIR) / "probe-test-out" / name;
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    return dir;
}

nlohmann::json ProbeRun::json() const
{
    return nlohmann::json::parse(out, nullptr, false);
}

ProbeRun runProbe(const std::vector<std::string>& args, std::chrono::seconds limit)
{
    const std::string exe = std::string(WIIU_NSSL_BINARY_DIR) + "/bin/nssl-probe";
    char outName[] = "/tmp/probe-out-XXXXXX";
    char errName[] = "/tmp/probe-err-XXXXXX";
    const int outFd = ::mkstemp(outName);
    const int errFd = ::mkstemp(errName);
    ProbeRun run;
    const pid_t pid = ::fork();
    if (pid == 0) {
        ::dup2(outFd, 1);
        ::dup2(errFd, 2);
        std::vector<char*> argv{const_cast<char*>(exe.c_str())};
        for (const auto& a : args)
            argv.push_back(const_cast<char*>(a.c_str()));
        argv.push_back(nullptr);
        ::execv(exe.c_str(), argv.data());
        ::_exit(127);
    }
    int status = 0;
    rusage usage{};
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (::wait4(pid, &status, WNOHANG, &usage) == 0) {
        if (std::chrono::steady_clock::now() >= deadline) {
            ::kill(pid, SIGKILL);
            ::wait4(pid, &status, 0, &usage);
            break;
        }
        ::usleep(10000);
    }
    run.peakRssKiB = usage.ru_maxrss;
    run.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    ::close(outFd);
    ::close(errFd);
    run.out = slurp(outName);
    run.err = slurp(errName);
    ::unlink(outName);
    ::unlink(errName);
    return run;
}

}  // namespace wiiu::test
