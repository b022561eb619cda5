// The X.509 certificate fields BearSSL does not expose: serial, names, validity, CA flag.
// Parsed by the project's one strict DER reader (pki/der.h); nothing is read twice elsewhere.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include <wiiu_nssl/expected.h>
#include "pki/signature.h"
#include "pki/types.h"

namespace wiiu::pki {

struct Certificate {
    Bytes der;          ///< the whole certificate, as given
    Bytes serial;       ///< INTEGER content octets, as encoded (sign byte kept)
    Bytes issuer;       ///< DER of the issuer Name, tag and length included
    Bytes subject;      ///< DER of the subject Name, tag and length included
    UnixTime notBefore = 0;
    UnixTime notAfter = 0;
    bool isCA = false;  ///< basicConstraints cA = TRUE
    KeyType keyType = KeyType::Other;
    unsigned keyBits = 0;  ///< RSA modulus size or EC field size in bits

    // Added for signature checks and display; all copies of parts of `der`.
    int version = 1;       ///< 1, 2 or 3 (the number, not the encoded 0..2)
    Bytes tbs;             ///< DER of tbsCertificate: what the issuer signed
    SignatureAlgorithm sigAlg = SignatureAlgorithm::Unknown;
    Bytes signature;       ///< signatureValue BIT STRING content (unused-bits octet dropped)
    Bytes spki;            ///< DER of SubjectPublicKeyInfo (see pki/public_key.h)
    int pathLen = -1;      ///< basicConstraints pathLenConstraint, -1 when absent
    std::vector<std::string> dnsNames;  ///< subjectAltName dNSName entries, in order
    std::vector<Bytes> ipAddresses;     ///< subjectAltName iPAddress entries (network order), in order
    std::optional<Bytes> subjectKeyId;    ///< subjectKeyIdentifier, when present
    std::optional<Bytes> authorityKeyId;  ///< authorityKeyIdentifier keyIdentifier [0], when present

    std::string subjectText() const;  ///< e.g. "CN=Nintendo CA - G3, O=Nintendo Co., Ltd, C=US"
    std::string issuerText() const;
};

/// Strictly parses one DER certificate; refuses anything malformed or followed by extra bytes.
Expected<Certificate, ParseError> parseCertificate(ByteView der);

/// One-line text of a DER Name ("CN=..., O=..."), in the order the RDNs appear reversed
/// (most specific first, as OpenSSL's RFC 2253 output does).
std::string nameToText(ByteView nameDer);

/// The string values of the Name's commonName attributes, in order (non-string values skipped).
std::vector<std::string> commonNames(ByteView nameDer);

/// ISO 8601 UTC, e.g. "2037-12-31T23:59:59Z".
std::string formatTime(UnixTime t);

/// True when `keyDer` (PKCS#1 RSAPrivateKey, PKCS#8 or SEC1 EC private key, DER) is the private
/// half of the certificate's public key. A key that cannot be decoded gives an error.
Expected<bool, ParseError> privateKeyMatches(ByteView keyDer, const Certificate& cert);

}  // namespace wiiu::pki
