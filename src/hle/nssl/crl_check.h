// Revocation checking with the CRLs a guest added to its context (NSSLAddCRLExternal), turned on
// by the context flags (NSSLContextSetFlags). The check itself is the engine's
// (tls/revocation.h); this file holds NSSL's part: its flag numbers and which CRLs apply.
#pragma once

#include "hle/nssl/context.h"
#include "tls/x509_verifier.h"

namespace wiiu::nssl {

/// NSSLContextSetFlags bits (docs/abi.md).
namespace context_flag {
inline constexpr std::uint32_t CheckRevocation = 0x1;  ///< check every certificate whose issuer has a CRL
inline constexpr std::uint32_t RequireCrl = 0x2;       ///< also fail when an issuer has no usable CRL
inline constexpr std::uint32_t All = CheckRevocation | RequireCrl;
}  // namespace context_flag

/// The chain check for a handshake that starts at `now` (the emulated clock), or an empty
/// function when the context's flags ask for no revocation checking.
tls::ChainCheck makeCrlCheck(const ContextSnapshot& snapshot, pki::UnixTime now);

}  // namespace wiiu::nssl
