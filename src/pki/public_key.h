// The public key inside a SubjectPublicKeyInfo, in the shape BearSSL's verifiers take.
#pragma once

#include "pki/types.h"

namespace wiiu::pki {

struct PublicKey {
    KeyType type = KeyType::Other;
    unsigned bits = 0;  ///< RSA modulus size, or EC field size, in bits
    Bytes rsaN;         ///< big-endian unsigned modulus, no leading zero
    Bytes rsaE;         ///< big-endian unsigned exponent, no leading zero
    int curve = 0;      ///< BearSSL curve id (BR_EC_secp256r1 ...) for EC keys, 0 if unknown
    Bytes ecPoint;      ///< encoded point (0x04 || X || Y) for EC keys
};

/// Parses a DER SubjectPublicKeyInfo. RSA and EC keys are decoded; other algorithms give
/// KeyType::Other (the SPKI structure is still checked). EC keys on curves BearSSL lacks give
/// curve 0 but still report their size.
Expected<PublicKey, ParseError> parsePublicKey(ByteView spkiDer, std::size_t baseOffset = 0);

}  // namespace wiiu::pki
