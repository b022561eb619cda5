#include "tls/revocation.h"

#include "common/log.h"
#include "pki/encoding.h"

namespace wiiu::tls {

namespace {

/// The certificate that issued `subject`'s certificate: the next ones in the peer chain first,
/// then the given issuers. Matched by name; the CRL signature check confirms the key.
const pki::Certificate* findIssuer(const pki::Bytes& issuerName, std::span<const pki::Certificate> chain,
                                   std::size_t after, std::span<const pki::Certificate> cas)
{
    for (std::size_t i = after + 1; i < chain.size(); ++i)
        if (chain[i].subject == issuerName)
            return &chain[i];
    for (const auto& ca : cas)
        if (ca.subject == issuerName)
            return &ca;
    // A self-issued certificate signs its own CRL.
    if (chain[after].subject == issuerName)
        return &chain[after];
    return nullptr;
}

/// Why a CRL cannot be used at `now`, or empty when it can.
std::string unusable(const pki::Crl& crl, const pki::Certificate* issuer, pki::UnixTime now)
{
    if (crl.unknownCriticalExtension)
        return "it carries a critical extension this reader does not understand (RFC 5280: do not use it)";
    if (!issuer)
        return "its issuer is neither in the chain nor among the given issuers";
    if (auto ok = pki::verifyCrlSignature(crl, *issuer); !ok)
        return "signature does not verify: " + ok.error();
    if (now < crl.thisUpdate)
        return "not yet valid (thisUpdate " + pki::formatTime(crl.thisUpdate) + ")";
    if (crl.isExpired(now))
        return "expired (nextUpdate " + pki::formatTime(*crl.nextUpdate) + ")";
    return {};
}

}  // namespace

ChainCheck revocationCheck(RevocationPolicy policy)
{
    return [crls = std::move(policy.crls), cas = std::move(policy.issuers), requireCrl = policy.requireCrl,
            now = policy.now](std::span<const pki::Bytes> chainDer) -> FailureReason {
        std::vector<pki::Certificate> chain;
        for (const auto& der : chainDer) {
            auto cert = pki::parseCertificate(der);
            if (!cert)
                return FailureReason::Malformed;
            chain.push_back(std::move(*cert));
        }
        const std::span<const pki::Certificate> caList = cas ? std::span<const pki::Certificate>(*cas)
                                                             : std::span<const pki::Certificate>();
        for (std::size_t i = 0; i < chain.size(); ++i) {
            const pki::Certificate& cert = chain[i];
            bool usableCrlFound = false;
            for (const pki::Crl& crl : *crls) {
                if (crl.issuer != cert.issuer)
                    continue;
                const pki::Certificate* issuer = findIssuer(cert.issuer, chain, i, caList);
                if (std::string why = unusable(crl, issuer, now); !why.empty()) {
                    log::nssl().warn("CRL of '{}' skipped: {}", pki::nameToText(crl.issuer), why);
                    continue;
                }
                usableCrlFound = true;
                if (crl.isRevoked(cert.serial)) {
                    log::nssl().warn("certificate '{}' (serial {}) is revoked by its issuer's CRL", cert.subjectText(),
                                     pki::toHex(cert.serial));
                    return FailureReason::Revoked;
                }
            }
            // The root of a chain has no issuer to ask; only certificates issued by another need a CRL.
            const bool selfIssued = cert.subject == cert.issuer;
            if (requireCrl && !usableCrlFound && !selfIssued) {
                log::nssl().warn("no usable CRL for the issuer of '{}' and one is required",
                                 cert.subjectText());
                return FailureReason::CrlMissing;
            }
        }
        return FailureReason::NoFailure;
    };
}

}  // namespace wiiu::tls
