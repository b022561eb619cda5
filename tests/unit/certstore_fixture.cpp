#include "unit/certstore_fixture.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <iterator>
#include <sstream>
#include <stdexcept>

namespace certstore_test {

std::string quote(const fs::path& p)
{
    std::string out = "'";
    for (char c : p.string()) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
}

const fs::path& pristineDump()
{
    // Generating takes seconds (RSA keys), and ctest runs every test in its own process, so the
    // dump is made once per build tree; a lock file makes parallel first runs wait for one
    // generator instead of all generating. The rename keeps a crashed run from leaving half a dump.
    static const fs::path root = [] {
        fs::path dir = fs::path(WIIU_NSSL_BINARY_DIR) / "tests/fixtures/console_dump";
        if (fs::exists(dir / "otp.bin")) return dir;
        fs::create_directories(dir.parent_path());
        int lock = ::open((dir.string() + ".lock").c_str(), O_CREAT | O_RDWR | O_CLOEXEC, 0600);
        if (lock >= 0) ::flock(lock, LOCK_EX);  // released when the process exits or below
        struct Unlock {
            int fd;
            ~Unlock() { if (fd >= 0) ::close(fd); }
        } unlock{lock};
        if (fs::exists(dir / "otp.bin")) return dir;
        fs::path tmp = dir.string() + ".tmp-" + std::to_string(::getpid());
        fs::remove_all(tmp);
        std::string cmd = quote(fs::path(WIIU_NSSL_SOURCE_DIR) / "tests/fixtures/make_console_dump.sh") + " " +
                          quote(tmp) + " >/dev/null";
        if (std::system(cmd.c_str()) != 0) throw std::runtime_error("make_console_dump.sh failed");
        std::error_code ec;
        fs::rename(tmp, dir, ec);
        if (ec) fs::remove_all(tmp);  // another process won
        return dir;
    }();
    return root;
}

TempDir::TempDir()
{
    std::string templ = (fs::temp_directory_path() / "wiiu_certstore_test-XXXXXX").string();
    if (!::mkdtemp(templ.data())) throw std::runtime_error("mkdtemp failed");
    path_ = templ;
}

TempDir::~TempDir()
{
    std::error_code ec;
    fs::remove_all(path_, ec);
}

fs::path copyDump(const TempDir& dir)
{
    fs::path root = dir.path() / "dump";
    fs::copy(pristineDump(), root, fs::copy_options::recursive);
    return root;
}

std::vector<std::uint8_t> readBytes(const fs::path& p)
{
    std::ifstream in(p, std::ios::binary);
    if (!in) throw std::runtime_error("cannot read " + p.string());
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void writeBytes(const fs::path& p, const std::vector<std::uint8_t>& data)
{
    std::ofstream out(p, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data.data()), static_cast<std::streamsize>(data.size()));
}

void writeText(const fs::path& p, const std::string& text)
{
    std::ofstream out(p, std::ios::binary | std::ios::trunc);
    out << text;
}

std::string readText(const fs::path& p)
{
    auto bytes = readBytes(p);
    return {bytes.begin(), bytes.end()};
}

fs::path dumpCertsBinary() { return fs::path(WIIU_NSSL_BINARY_DIR) / "bin/dump_certs"; }

RunResult runDumpCerts(const std::string& args)
{
    TempDir capture;
    fs::path out = capture.path() / "stdout", err = capture.path() / "stderr";
    std::string cmd = quote(dumpCertsBinary()) + " " + args + " >" + quote(out) +
                      " 2>" + quote(err);
    int status = std::system(cmd.c_str());
    RunResult r;
    r.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    r.out = readText(out);
    r.err = readText(err);
    return r;
}

}  // namespace certstore_test
