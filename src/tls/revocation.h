// Revocation checking with CRLs. BearSSL has no CRL support: this is a chain check the X.509
// verifier runs after the chain itself has been verified (VerifyPolicy::extraCheck). Which CRLs
// apply and when to check is the caller's business (NSSL: the context's CRLs and flags).
#pragma once

#include <memory>
#include <vector>

#include "pki/crl.h"
#include "pki/x509.h"
#include "tls/x509_verifier.h"

namespace wiiu::tls {

struct RevocationPolicy {
    std::shared_ptr<const std::vector<pki::Crl>> crls;  ///< never null
    /// Where a CRL's issuer is looked for after the chain itself (may be null).
    std::shared_ptr<const std::vector<pki::Certificate>> issuers;
    bool requireCrl = false;  ///< also fail (CrlMissing) when an issuer has no usable CRL
    pki::UnixTime now = 0;    ///< the clock CRLs are checked at (thisUpdate / nextUpdate)
};

/// Checks every certificate of the chain against the CRLs of its issuer: Revoked, CrlMissing,
/// Malformed (a certificate the PKI reader refuses) or None. A CRL that cannot be used (bad
/// signature, unknown issuer, out of date, unknown critical extension) is skipped and logged.
ChainCheck revocationCheck(RevocationPolicy policy);

}  // namespace wiiu::tls
