// Trust anchors for BearSSL built from DER CA certificates; immutable once built, so one store
// is shared by many connections (std::shared_ptr<const TrustStore>).
#pragma once

#include <cstddef>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "common/bearssl.h"
#include <wiiu_nssl/expected.h>
#include "pki/types.h"

namespace wiiu::tls {

/// One certificate decoded as a BearSSL trust anchor that owns its DN and key bytes (BearSSL's
/// decoder hands out pointers into its own context, which does not outlive the decode).
class OwnedAnchor {
public:
    /// Decodes `der` with br_x509_decoder. `flags` is BR_X509_TA_CA or 0 (direct trust).
    static Expected<OwnedAnchor, std::string> decode(pki::ByteView der);

    OwnedAnchor(OwnedAnchor&&) noexcept = default;
    OwnedAnchor& operator=(OwnedAnchor&&) noexcept = default;
    OwnedAnchor(const OwnedAnchor&) = delete;
    OwnedAnchor& operator=(const OwnedAnchor&) = delete;

    /// The anchor with the given flags; pointers stay valid while this object lives (moves of
    /// the object keep the byte buffers in place).
    br_x509_trust_anchor anchor(unsigned flags) const;
    bool isCA() const { return isCA_; }

private:
    OwnedAnchor() = default;
    std::vector<unsigned char> dn_, key1_, key2_;  // key1/key2: RSA n/e, or EC point
    unsigned keyType_ = 0;
    int curve_ = 0;
    bool isCA_ = false;
};

struct TrustStoreError {
    std::size_t index = 0;  ///< which input certificate was refused
    std::string reason;
};

class TrustStore {
public:
    /// Builds a store from DER certificates. A certificate without the CA flag (a v1 root, or a
    /// pinned server certificate) becomes both a CA anchor and a direct-trust anchor, so old
    /// roots still issue and a pinned leaf still matches. Unparsable DER is refused with a reason.
    static Expected<std::shared_ptr<const TrustStore>, TrustStoreError> fromDer(
        std::span<const pki::Bytes> certificates);

    /// Whether `der` would be accepted as an anchor; the reason when not.
    static Expected<void, std::string> check(pki::ByteView der);

    std::span<const br_x509_trust_anchor> anchors() const { return table_; }
    std::size_t certificateCount() const { return owned_.size(); }
    /// The certificates as given, in order (the console quirks compare serials and names).
    std::span<const pki::Bytes> certificates() const { return der_; }

private:
    TrustStore() = default;
    std::vector<OwnedAnchor> owned_;
    std::vector<pki::Bytes> der_;
    std::vector<br_x509_trust_anchor> table_;
};

}  // namespace wiiu::tls
