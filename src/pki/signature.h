// Signature algorithms of certificates and CRLs, and the one signature check both use.
#pragma once

#include <string>
#include <string_view>

#include "pki/types.h"

namespace wiiu::pki {

namespace der {
class Reader;
}
struct Certificate;

/// The AlgorithmIdentifiers X.509 signers of the console's era and today use.
enum class SignatureAlgorithm {
    Unknown,  ///< parsed but not recognised: cannot be verified
    RsaPkcs1Md5,
    RsaPkcs1Sha1,
    RsaPkcs1Sha224,
    RsaPkcs1Sha256,
    RsaPkcs1Sha384,
    RsaPkcs1Sha512,
    EcdsaSha1,
    EcdsaSha224,
    EcdsaSha256,
    EcdsaSha384,
    EcdsaSha512,
};

/// Maps signature AlgorithmIdentifier OID content octets; Unknown when not in the table.
SignatureAlgorithm signatureAlgorithmFromOid(ByteView oid);

/// A parsed AlgorithmIdentifier: the algorithm and its whole DER (to compare the inner and
/// outer copies, which RFC 5280 requires to be identical).
struct AlgorithmIdentifier {
    SignatureAlgorithm alg = SignatureAlgorithm::Unknown;
    ByteView der;
};

/// Reads a signature AlgorithmIdentifier SEQUENCE. Known RSA algorithms take NULL or absent
/// parameters, ECDSA none; unknown ones may carry any single well-formed parameter.
Expected<AlgorithmIdentifier, ParseError> readSignatureAlgorithm(der::Reader& reader);

/// Checks `signature` over `signedData` (a tbsCertificate or tbsCertList) with the public key
/// of `issuer`. RSA PKCS#1 v1.5 and ECDSA (P-256/384/521) with SHA-1/224/256/384/512. MD5 is
/// refused: nothing trusted should rely on it.
Expected<void, std::string> verifySignature(ByteView signedData, SignatureAlgorithm alg,
                                            ByteView signature, const Certificate& issuer);

}  // namespace wiiu::pki
