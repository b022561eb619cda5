#include "support/pki_fixture.h"

#ifndef _WIN32
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>
#endif

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>

namespace wiiu::test {

std::filesystem::path generatedFixture(const std::string& script, const std::string& name)
{
    std::filesystem::path out = std::filesystem::path(WIIU_NSSL_BINARY_DIR) / "fixtures" / name;
#ifdef _WIN32
    // A Windows test program under Wine cannot run the shell script: the host ran it before, as
    // the fixture test tests/windows.cmake sets up for every program that needs it.
    if (!std::filesystem::exists(out / ".done")) {
        std::fprintf(stderr, "fixture: %s not made (run %s on the host first)\n", out.string().c_str(), script.c_str());
        std::abort();
    }
    return out;
#else
    std::filesystem::create_directories(out.parent_path());
    const std::string lockPath = out.string() + ".lock";
    const int lock = ::open(lockPath.c_str(), O_CREAT | O_RDWR | O_CLOEXEC, 0644);
    if (lock >= 0) ::flock(lock, LOCK_EX);
    const std::string cmd = "sh '" WIIU_NSSL_SOURCE_DIR "/tests/fixtures/" + script + "' '" + out.string() + "'";
    const int rc = std::system(cmd.c_str());
    if (lock >= 0) ::close(lock);  // closing releases the flock
    if (rc != 0) {
        std::fprintf(stderr, "fixture: '%s' failed (%d)\n", cmd.c_str(), rc);
        std::abort();
    }
    return out;
#endif
}

const std::filesystem::path& pkiDir()
{
    static const std::filesystem::path dir = generatedFixture("make_pki.sh", "pki");
    return dir;
}

std::filesystem::path pkiPath(const std::string& name) { return pkiDir() / name; }

namespace {

std::vector<std::uint8_t> fileBytes(const std::filesystem::path& path)
{
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

}  // namespace

std::vector<std::uint8_t> pkiBytes(const std::string& name) { return fileBytes(pkiPath(name)); }

std::filesystem::path quirkPkiPath(const std::string& name)
{
    static const std::filesystem::path dir = generatedFixture("make_quirk_pki.sh", "quirk-pki");
    return dir / name;
}

std::vector<std::uint8_t> quirkPkiBytes(const std::string& name) { return fileBytes(quirkPkiPath(name)); }

std::string pkiText(const std::string& name)
{
    const auto bytes = pkiBytes(name);
    return {bytes.begin(), bytes.end()};
}

std::string runCommand(const std::string& command)
{
    std::string out;
#ifdef _WIN32  // the host's openssl is out of reach under Wine: tests/windows.cmake leaves its callers out
    (void)command;
#else
    if (FILE* pipe = ::popen(command.c_str(), "r")) {
        char buf[4096];
        std::size_t n;
        while ((n = std::fread(buf, 1, sizeof buf, pipe)) > 0) out.append(buf, n);
        ::pclose(pipe);
    }
#endif
    while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
    return out;
}

}  // namespace wiiu::test
