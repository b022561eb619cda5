// The demo's PKI, made at run time (no key is ever committed): P-256 keys from BearSSL's key
// generator and X.509 v3 certificates written by a small DER writer, signed with ECDSA/SHA-256.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "bearssl_api.h"

namespace wiiu::probe {

/// A P-256 key pair. Not copyable: BearSSL's key structs point into the buffers.
struct DemoKey {
    br_ec_private_key sk{};
    br_ec_public_key pk{};
    unsigned char skBuf[BR_EC_KBUF_PRIV_MAX_SIZE]{};
    unsigned char pkBuf[BR_EC_KBUF_PUB_MAX_SIZE]{};

    DemoKey() = default;
    DemoKey(const DemoKey&) = delete;
    DemoKey& operator=(const DemoKey&) = delete;
    ~DemoKey();

    /// SEC1 ECPrivateKey DER (what NSSLSetClientPKIExternal and the store take).
    std::vector<std::uint8_t> sec1Der() const;
};

struct DemoCert {
    std::vector<std::uint8_t> der;
    std::vector<std::uint8_t> subject;  ///< DER of its subject Name (a BearSSL trust anchor's dn)
    std::unique_ptr<DemoKey> key;
};

struct DemoPki {
    DemoCert root;         ///< "wiiu_nssl Demo Root CA"
    DemoCert server;       ///< CN=localhost, SAN DNS:localhost + IP:127.0.0.1, by root
    DemoCert client;       ///< "wiiu_nssl Demo Client", clientAuth, by root
    DemoCert rogueRoot;    ///< "Someone Else's CA": not in the demo store
    DemoCert rogueServer;  ///< CN=localhost by rogueRoot
};

/// Generates the whole demo PKI (a few milliseconds); throws std::runtime_error on failure.
DemoPki makeDemoPki();

}  // namespace wiiu::probe
