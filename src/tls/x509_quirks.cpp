// The console's verification quirks (tls/console_quirks.h), as X509Verifier passes. Each quirk
// is tried only once plain verification of the same chain has refused, so quirks_ records
// exactly what an acceptance relied on. Rules and sources: docs/abi.md.
#include <vector>

#include "tls/x509_verifier.h"

namespace wiiu::tls {

bool X509Verifier::leafHasBareWildcard() const
{
    auto leaf = pki::parseCertificate(chain_.front());
    return leaf && hasBareWildcardName(*leaf);
}

unsigned X509Verifier::runConsoleChain(const char* name)
{
    // A certificate after the leaf that looks like a root is ignored, as the console does; plain
    // BearSSL stops at the first certificate a trust anchor issued, so for an ordinary chain
    // this changes nothing, but a forged CA that looks like a root is never used.
    std::vector<pki::Bytes> certs{chain_.front()};
    for (std::size_t i = 1; i < chain_.size(); ++i) {
        auto cert = pki::parseCertificate(chain_[i]);
        if (!cert || !looksLikeRoot(*cert)) certs.push_back(chain_[i]);
    }
    const unsigned err = runConsoleRules(certs, name);
    if (err != BR_ERR_OK || certs.size() == chain_.size()) return err;
    // Something was dropped: when the chain as sent fails the same rules, the acceptance relied
    // on ignoring it (e.g. an unrelated root between the leaf and its issuer), which no other
    // client does, so the verdict must say so.
    const std::uint32_t used = quirks_;
    const bool asSentFails = runConsoleRules(chain_, name) != BR_ERR_OK;
    quirks_ = used | (asSentFails ? quirk::RootInChainIgnored : 0);
    return BR_ERR_OK;  // the leaf key kept is the same: a failed pass keeps none
}

unsigned X509Verifier::runConsoleRules(std::span<const pki::Bytes> certs, const char* name)
{
    quirks_ = 0;
    unsigned err = runChain(trustAnchors(), certs, name);
    if (err == BR_ERR_OK) return err;

    const bool star = name && leafHasBareWildcard();
    if (star) {
        // The console takes the name; whatever is still wrong is what the refusal must say.
        err = runChain(trustAnchors(), certs, nullptr);
        if (err == BR_ERR_OK) {
            quirks_ = quirk::BareWildcardName;
            return BR_ERR_OK;
        }
    }
    if (hasForgedCaPath(*policy_.console) && policy_.trust &&
        runForgedCa(certs, name, star) == BR_ERR_OK)
        return BR_ERR_OK;
    return err;  // without the forged path, plain verification's refusal says best what is wrong
}

unsigned X509Verifier::runForgedCa(std::span<const pki::Bytes> certs, const char* name, bool star)
{
    std::vector<pki::Certificate> trusted;
    for (const auto& der : policy_.trust->certificates())
        if (auto cert = pki::parseCertificate(der)) trusted.push_back(std::move(*cert));

    // The first CA above the leaf that forges a trusted one is taken unchecked: its own key is the
    // anchor for the certificates below it (the ones above are not looked at).
    for (std::size_t i = 1; i < certs.size(); ++i) {
        auto candidate = pki::parseCertificate(certs[i]);
        if (!candidate) continue;
        bool forged = false;
        for (const auto& t : trusted) forged = forged || forgesTrustedCa(*candidate, t);
        if (!forged) continue;
        auto anchor = OwnedAnchor::decode(certs[i]);
        if (!anchor) continue;
        const br_x509_trust_anchor ta = anchor->anchor(BR_X509_TA_CA);
        const std::span<const pki::Bytes> below = certs.first(i);
        if (runChain(Anchors(&ta, 1), below, name) == BR_ERR_OK) {
            quirks_ = quirk::ForgedCa;
            return BR_ERR_OK;
        }
        if (star && runChain(Anchors(&ta, 1), below, nullptr) == BR_ERR_OK) {
            quirks_ = quirk::ForgedCa | quirk::BareWildcardName;
            return BR_ERR_OK;
        }
        return BR_ERR_X509_NOT_TRUSTED;
    }
    return BR_ERR_X509_NOT_TRUSTED;
}

}  // namespace wiiu::tls
