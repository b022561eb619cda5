// X.509 certificate revocation lists (RFC 5280 section 5), v1 and v2: the entries BearSSL
// has no parser for, and the signature check against the issuing CA.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "pki/signature.h"
#include "pki/x509.h"

namespace wiiu::pki {

struct Crl {
    Bytes der;     ///< the whole CRL, as given
    Bytes tbs;     ///< DER of tbsCertList: what the issuer signed
    Bytes issuer;  ///< DER of the issuer Name, tag and length included
    UnixTime thisUpdate = 0;
    std::optional<UnixTime> nextUpdate;
    struct Revoked {
        Bytes serial;  ///< INTEGER content octets, as encoded (sign byte kept)
        UnixTime when = 0;
        std::optional<int> reason;  ///< CRLReason code when the entry carries one
    };
    std::vector<Revoked> revoked;
    SignatureAlgorithm sigAlg = SignatureAlgorithm::Unknown;
    Bytes signature;  ///< signatureValue BIT STRING content (unused-bits octet dropped)

    int version = 1;   ///< 1 or 2
    Bytes crlNumber;   ///< cRLNumber extension INTEGER content octets, empty when absent
    /// A critical CRL or entry extension this reader does not interpret (delta CRL, issuing
    /// distribution point, indirect-CRL certificateIssuer, ...). RFC 5280 5.2: such a CRL must
    /// not be used to decide revocation; callers should treat it as unusable.
    bool unknownCriticalExtension = false;

    /// True when `serial` (INTEGER content octets, e.g. Certificate::serial) is listed.
    /// Leading zero octets are ignored on both sides.
    bool isRevoked(ByteView serial) const;
    /// True when the CRL has a nextUpdate and `now` is past it.
    bool isExpired(UnixTime now) const { return nextUpdate && now > *nextUpdate; }
};

/// Strictly parses one DER CRL; refuses malformed input and trailing bytes. Extensions are
/// checked structurally (well-formed DER, no duplicates); only reasonCode and cRLNumber are read.
Expected<Crl, ParseError> parseCrl(ByteView der);

/// Checks that `issuer`'s subject is the CRL's issuer and that its key signed the CRL.
Expected<void, std::string> verifyCrlSignature(const Crl& crl, const Certificate& issuer);

}  // namespace wiiu::pki
