#include "pki/signature.h"

#include <array>

#include "pki/der.h"

namespace wiiu::pki {
namespace {

struct AlgorithmEntry {
    SignatureAlgorithm alg;
    std::string_view name;
    std::array<std::uint8_t, 9> oid;
    std::size_t oidLength;
};

// PKCS#1 (1.2.840.113549.1.1.x) and ANSI X9.62 (1.2.840.10045.4.x) signature OIDs.
constexpr AlgorithmEntry kAlgorithms[] = {
    {SignatureAlgorithm::RsaPkcs1Md5, "md5WithRSAEncryption", {0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x04}, 9},
    {SignatureAlgorithm::RsaPkcs1Sha1, "sha1WithRSAEncryption", {0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x05}, 9},
    {SignatureAlgorithm::RsaPkcs1Sha224, "sha224WithRSAEncryption", {0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0e}, 9},
    {SignatureAlgorithm::RsaPkcs1Sha256, "sha256WithRSAEncryption", {0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0b}, 9},
    {SignatureAlgorithm::RsaPkcs1Sha384, "sha384WithRSAEncryption", {0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0c}, 9},
    {SignatureAlgorithm::RsaPkcs1Sha512, "sha512WithRSAEncryption", {0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0d}, 9},
    {SignatureAlgorithm::EcdsaSha1, "ecdsa-with-SHA1", {0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x01}, 7},
    {SignatureAlgorithm::EcdsaSha224, "ecdsa-with-SHA224", {0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x01}, 8},
    {SignatureAlgorithm::EcdsaSha256, "ecdsa-with-SHA256", {0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x02}, 8},
    {SignatureAlgorithm::EcdsaSha384, "ecdsa-with-SHA384", {0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x03}, 8},
    {SignatureAlgorithm::EcdsaSha512, "ecdsa-with-SHA512", {0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x04}, 8},
};

bool isEcdsa(SignatureAlgorithm alg)
{
    return alg >= SignatureAlgorithm::EcdsaSha1 && alg <= SignatureAlgorithm::EcdsaSha512;
}

}  // namespace

std::string_view signatureAlgorithmName(SignatureAlgorithm alg)
{
    for (const auto& e : kAlgorithms)
        if (e.alg == alg) return e.name;
    return "unknown";
}

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
