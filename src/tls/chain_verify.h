// A peer chain judged outside a handshake, by the very X.509 verifier a TlsClient hands BearSSL:
// for a host TLS library that must verify a chain exactly as the engine would (the nlibcurl
// bridge). Only the chain verdict: what a handshake adds after it (the peer proving it holds the
// key, the key usage the negotiated suite needs) is the host library's part.
#pragma once

#include <cstdint>
#include <span>

#include "pki/types.h"
#include <wiiu_nssl/tls_failure.h>
#include "tls/x509_verifier.h"

namespace wiiu::tls {

struct ChainVerdict {
    TlsFailure failure;         ///< the refusal; reason None when the chain is accepted
    std::uint32_t quirks = 0;   ///< the console quirks (quirk:: bits) an acceptance relied on
};

/// Feeds `chain` (leaf first, as the peer sent it) to an X509Verifier with `policy` the way
/// BearSSL's engine does.
ChainVerdict verifyChain(VerifyPolicy policy, std::span<const pki::Bytes> chain);

}  // namespace wiiu::tls
