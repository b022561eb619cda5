// The console's verification quirks as rules over parsed certificates: what the verifier asks
// when plain X.509 refused a chain (the firmware and the quirk bits: <wiiu_nssl/firmware.h>).
#pragma once

#include <wiiu_nssl/firmware.h>

#include "pki/x509.h"

namespace wiiu::tls {

/// The certificate's authority key id equals its subject key id: the console ignores it in a
/// presented chain (both must be present; chosen, docs/abi.md).
bool looksLikeRoot(const pki::Certificate& cert);

/// The leaf names itself by a bare "*": a commonName or a SAN dNSName that is exactly "*".
bool hasBareWildcardName(const pki::Certificate& leaf);

/// True when `candidate` (a CA of the presented chain) is a forged copy of `trusted` that a 5.5.5+
/// console accepts: same subject and serial (DER equal), another public key, the CA flag, and an
/// authority key id present and unlike its subject key id (docs/abi.md, chosen).
bool forgesTrustedCa(const pki::Certificate& candidate, const pki::Certificate& trusted);

}  // namespace wiiu::tls
