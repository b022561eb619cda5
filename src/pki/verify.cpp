// verifySignature(): the one signature check behind CRLs (and any certificate check).
#include <cstring>
#include <optional>

#include <fmt/format.h>

#include "common/bearssl.h"
#include "pki/public_key.h"
#include "pki/signature.h"
#include "pki/x509.h"

namespace wiiu::pki {
namespace {

struct HashChoice {
    const br_hash_class* hash;
    const unsigned char* rsaOid;  // BearSSL's length-prefixed DigestInfo OID
    bool ecdsa;
};

std::optional<HashChoice> hashFor(SignatureAlgorithm alg)
{
    using A = SignatureAlgorithm;
    switch (alg) {
    case A::RsaPkcs1Sha1: return HashChoice{&br_sha1_vtable, BR_HASH_OID_SHA1, false};
    case A::RsaPkcs1Sha224: return HashChoice{&br_sha224_vtable, BR_HASH_OID_SHA224, false};
    case A::RsaPkcs1Sha256: return HashChoice{&br_sha256_vtable, BR_HASH_OID_SHA256, false};
    case A::RsaPkcs1Sha384: return HashChoice{&br_sha384_vtable, BR_HASH_OID_SHA384, false};
    case A::RsaPkcs1Sha512: return HashChoice{&br_sha512_vtable, BR_HASH_OID_SHA512, false};
    case A::EcdsaSha1: return HashChoice{&br_sha1_vtable, nullptr, true};
    case A::EcdsaSha224: return HashChoice{&br_sha224_vtable, nullptr, true};
    case A::EcdsaSha256: return HashChoice{&br_sha256_vtable, nullptr, true};
    case A::EcdsaSha384: return HashChoice{&br_sha384_vtable, nullptr, true};
    case A::EcdsaSha512: return HashChoice{&br_sha512_vtable, nullptr, true};
    case A::RsaPkcs1Md5:
    case A::Unknown: break;
    }
    return std::nullopt;
}

}  // namespace

Expected<void, std::string> verifySignature(ByteView signedData, SignatureAlgorithm alg,
                                            ByteView signature, const Certificate& issuer)
{
    if (alg == SignatureAlgorithm::RsaPkcs1Md5) return fail(std::string("MD5 signatures are not accepted"));
    const auto choice = hashFor(alg);
    if (!choice) return fail(std::string("unsupported signature algorithm"));

    auto key = parsePublicKey(issuer.spki);
    if (!key) return fail(fmt::format("issuer public key: {} at offset {}", key.error().what, key.error().offset));
    if (key->type != (choice->ecdsa ? KeyType::Ec : KeyType::Rsa))
        return fail(std::string("signature algorithm does not match the issuer's key type"));

    br_hash_compat_context hc;
    choice->hash->init(&hc.vtable);
    choice->hash->update(&hc.vtable, signedData.data(), signedData.size());
    unsigned char digest[64];
    choice->hash->out(&hc.vtable, digest);
    const std::size_t digestLength = (choice->hash->desc >> BR_HASHDESC_OUT_OFF) & BR_HASHDESC_OUT_MASK;

    if (!choice->ecdsa) {
        br_rsa_public_key pk{key->rsaN.data(), key->rsaN.size(), key->rsaE.data(), key->rsaE.size()};
        // The signature must be exactly the modulus length (RFC 8017 8.2.2 step 1).
        if (signature.size() != key->rsaN.size()) return fail(std::string("RSA signature has the wrong length"));
        Bytes sig(signature.begin(), signature.end());  // BearSSL decrypts in place
        unsigned char recovered[64];
        if (!br_rsa_pkcs1_vrfy_get_default()(sig.data(), sig.size(), choice->rsaOid, digestLength, &pk, recovered))
            return fail(std::string("bad RSA signature"));
        if (std::memcmp(recovered, digest, digestLength) != 0) return fail(std::string("RSA signature digest mismatch"));
        return {};
    }

    const br_ec_impl* ec = br_ec_get_default();
    if (key->curve == 0 || !((ec->supported_curves >> key->curve) & 1))
        return fail(std::string("issuer EC curve not supported"));
    Bytes point = key->ecPoint;
    br_ec_public_key pk{key->curve, point.data(), point.size()};
    if (!br_ecdsa_vrfy_asn1_get_default()(ec, digest, digestLength, &pk, signature.data(), signature.size()))
        return fail(std::string("bad ECDSA signature"));
    return {};
}

}  // namespace wiiu::pki
