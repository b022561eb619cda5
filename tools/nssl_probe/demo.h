// nssl-probe --demo: the whole flow with nothing but this program — a PKI generated in memory,
// an in-memory certificate store, local BearSSL servers, and the guest calls of a game.
#pragma once

#include <string>

namespace wiiu::probe {

struct DemoOptions {
    bool json = false;
    std::string pcap, keylog, dumpChain;  ///< the debugging switches, passed on
};

/// Runs every step; true when each behaved as expected.
bool runDemo(const DemoOptions& options);

}  // namespace wiiu::probe
