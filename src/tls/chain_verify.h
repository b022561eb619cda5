// A peer chain judged outside a handshake, by the very X.509 verifier a TlsClient hands BearSSL:
// for a host TLS library that must verify a chain exactly as the engine would (the nlibcurl
// bridge). Only the chain verdict: what a handshake adds after it (the peer proving it holds the
// key, the key usage the negotiated suite needs) is the host library's part.
#pragma once

#include <span>

#include "pki/types.h"
#include "tls/failure.h"
#include "tls/x509_verifier.h"

namespace wiiu::tls {

/// Feeds `chain` (leaf first, as the peer sent it) to an X509Verifier with `policy` the way
/// BearSSL's engine does; the refusal, or reason None when the chain is accepted.
TlsFailure verifyChain(VerifyPolicy policy, std::span<const pki::Bytes> chain);

}  // namespace wiiu::tls
