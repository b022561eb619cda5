// Shared helpers for the certstore and dump_certs tests: the synthetic console dump made by
// tests/fixtures/make_console_dump.sh (generated once per build tree), temp folders, files.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace certstore_test {

namespace fs = std::filesystem;

/// The pristine generated dump (read-only for tests): <root>/mlc/..., <root>/otp.bin,
/// <root>/work/<NAME>.key.der (the plain client keys).
const fs::path& pristineDump();

inline fs::path contentOf(const fs::path& root)
{
    return root / "mlc/sys/title/0005001b/10054000/content";
}

/// A fresh folder removed (with its contents) at destruction.
class TempDir {
public:
    TempDir();
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    const fs::path& path() const { return path_; }

private:
    fs::path path_;
};

/// Copies the pristine dump to <dir>/dump and returns that root, for tests that damage it.
fs::path copyDump(const TempDir& dir);

std::vector<std::uint8_t> readBytes(const fs::path& p);
void writeBytes(const fs::path& p, const std::vector<std::uint8_t>& data);
void writeText(const fs::path& p, const std::string& text);
std::string readText(const fs::path& p);

struct RunResult {
    int exitCode = -1;
    std::string out;
    std::string err;
};

fs::path dumpCertsBinary();

/// Runs build/bin/dump_certs with `args` (already shell-quoted), capturing stdout and stderr.
RunResult runDumpCerts(const std::string& args);

std::string quote(const fs::path& p);

}  // namespace certstore_test
