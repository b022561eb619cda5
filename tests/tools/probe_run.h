// Runs the built nssl-probe and captures what it said.
#pragma once

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace wiiu::test {

struct ProbeRun {
    int exitCode = -1;
    std::string out;  ///< stdout
    std::string err;  ///< stderr
    long peakRssKiB = 0;  ///< the probe's maximum resident set size (getrusage's ru_maxrss)
    /// stdout parsed as JSON (null when it is not JSON).
    nlohmann::json json() const;
};

/// A fresh, empty folder for one test's outputs, under the build tree.
std::filesystem::path scratch(const std::string& name);

/// nssl-probe with these arguments (each passed as one argv entry). A run that outlives `limit`
/// is killed (exit code 128 + SIGKILL): a hanging probe fails its test instead of stalling ctest.
ProbeRun runProbe(const std::vector<std::string>& args, std::chrono::seconds limit = std::chrono::seconds(60));

}  // namespace wiiu::test
