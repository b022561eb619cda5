// The test PKI (tests/fixtures/make_pki.sh), generated once per build folder and shared by
// every test process. See the top of make_pki.sh for the file names.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace wiiu::test {

/// Directory holding the generated PKI; runs make_pki.sh on first use (serialised across
/// processes with a lock file, since ctest may run tests in parallel). Aborts the test
/// program with a message if generation fails: every PKI test depends on it.
const std::filesystem::path& pkiDir();

/// Runs tests/fixtures/<script> into <build>/fixtures/<name> under a lock (scripts skip the work
/// when their output is up to date); the directory. Aborts the test program if the script fails.
std::filesystem::path generatedFixture(const std::string& script, const std::string& name);

/// Full path of a fixture file, e.g. pkiPath("server.der").
std::filesystem::path pkiPath(const std::string& name);

/// Contents of a fixture file (empty if missing; tests then fail on the parse).
std::vector<std::uint8_t> pkiBytes(const std::string& name);
std::string pkiText(const std::string& name);

/// A file of the console-quirk chains (tests/fixtures/make_quirk_pki.sh), made once per build
/// folder like the test PKI.
std::filesystem::path quirkPkiPath(const std::string& name);
std::vector<std::uint8_t> quirkPkiBytes(const std::string& name);

/// Runs a shell command and returns its standard output (trailing newline removed). For
/// comparing with `openssl` output.
std::string runCommand(const std::string& command);

}  // namespace wiiu::test
