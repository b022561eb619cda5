// Runs the built nssl-probe and captures what it said.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace wiiu::test {

struct ProbeRun {
    int exitCode = -1;
    std::string out;  ///< stdout
    std::string err;  ///< stderr
    /// stdout parsed as JSON (null when it is not JSON).
    nlohmann::json json() const;
};

/// nssl-probe with these arguments (each passed as one argv entry).
ProbeRun runProbe(const std::vector<std::string>& args);

}  // namespace wiiu::test
