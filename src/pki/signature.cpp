#include "pki/signature.h"

#include <array>

#include "pki/der.h"

namespace wiiu::pki {
namespace {

struct AlgorithmEntry {
    SignatureAlgorithm alg;
    std::array<std::uint8_t, 9> oid;
    std::size_t oidLength;
};

// PKCS#1 (1.2.840.113549.1.1.x) and ANSI X9.62 (1.2.840.10045.4.x) signature OIDs.
constexpr AlgorithmEntry kAlgorithms[] = {
    {SignatureAlgorithm::RsaPkcs1Md5, {0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x04}, 9},  // md5WithRSAEncryption
    {SignatureAlgorithm::RsaPkcs1Sha1, {0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x05}, 9},  // sha1WithRSAEncryption
    {SignatureAlgorithm::RsaPkcs1Sha224, {0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0e}, 9},  // sha224WithRSAEncryption
    {SignatureAlgorithm::RsaPkcs1Sha256, {0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0b}, 9},  // sha256WithRSAEncryption
    {SignatureAlgorithm::RsaPkcs1Sha384, {0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0c}, 9},  // sha384WithRSAEncryption
    {SignatureAlgorithm::RsaPkcs1Sha512, {0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0d}, 9},  // sha512WithRSAEncryption
    {SignatureAlgorithm::EcdsaSha1, {0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x01}, 7},  // ecdsa-with-SHA1
    {SignatureAlgorithm::EcdsaSha224, {0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x01}, 8},  // ecdsa-with-SHA224
    {SignatureAlgorithm::EcdsaSha256, {0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x02}, 8},  // ecdsa-with-SHA256
    {SignatureAlgorithm::EcdsaSha384, {0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x03}, 8},  // ecdsa-with-SHA384
    {SignatureAlgorithm::EcdsaSha512, {0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x04}, 8},  // ecdsa-with-SHA512
};

bool isEcdsa(SignatureAlgorithm alg)
{
    return alg >= SignatureAlgorithm::EcdsaSha1 && alg <= SignatureAlgorithm::EcdsaSha512;
}

}  // namespace

SignatureAlgorithm signatureAlgorithmFromOid(ByteView oid)
{
    for (const auto& e : kAlgorithms)
        if (der::oidEquals(oid, ByteView(e.oid.data(), e.oidLength))) return e.alg;
    return SignatureAlgorithm::Unknown;
}

Expected<AlgorithmIdentifier, ParseError> readSignatureAlgorithm(der::Reader& reader)
{
    auto tlv = reader.read(der::kSequence);
    if (!tlv) return fail(tlv.error());
    der::Reader seq(tlv->value, tlv->valueOffset);
    auto oid = seq.oid();
    if (!oid) return fail(oid.error());
    AlgorithmIdentifier id{signatureAlgorithmFromOid(*oid), tlv->whole};
    if (id.alg == SignatureAlgorithm::Unknown) {
        if (!seq.atEnd())
            if (auto params = seq.read(); !params) return fail(params.error());
    } else if (isEcdsa(id.alg)) {
        // RFC 5758: the ECDSA identifiers have no parameters at all.
    } else if (seq.peekTag() == der::kNull) {
        if (auto n = seq.null(); !n) return fail(n.error());
    }
    if (auto end = seq.expectEnd("algorithm parameters"); !end) return fail(end.error());
    return id;
}

}  // namespace wiiu::pki
