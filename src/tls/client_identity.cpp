#include "tls/client_identity.h"

#include <array>
#include <cstring>

#include <fmt/format.h>

#include "common/secure_wipe.h"

namespace wiiu::tls {

ClientIdentity::~ClientIdentity()
{
    if (!secret_.empty()) secureWipe(secret_.data(), secret_.size());
    if (!keyDer_.empty()) secureWipe(keyDer_.data(), keyDer_.size());
}

Expected<std::shared_ptr<const ClientIdentity>, std::string> ClientIdentity::create(
    std::vector<pki::Bytes> chainDer, pki::ByteView keyDer)
{
    if (chainDer.empty() || chainDer.front().empty())
        return fail(std::string("no client certificate"));

    // Leaf public key type, and the issuer's key type (BearSSL needs it for static ECDH).
    br_x509_decoder_context dc;
    br_x509_decoder_init(&dc, nullptr, nullptr);
    br_x509_decoder_push(&dc, chainDer.front().data(), chainDer.front().size());
    const br_x509_pkey* pk = br_x509_decoder_get_pkey(&dc);
    if (!pk) return fail(std::string("client certificate is not decodable X.509"));
    unsigned certKeyType = pk->key_type;
    unsigned issuerKeyType = br_x509_decoder_get_signer_key_type(&dc);

    br_skey_decoder_context kd;
    br_skey_decoder_init(&kd);
    br_skey_decoder_push(&kd, keyDer.data(), keyDer.size());
    int keyType = br_skey_decoder_key_type(&kd);
    if (keyType == 0) {
        int err = br_skey_decoder_last_error(&kd);
        secureWipe(&kd, sizeof kd);
        return fail(fmt::format("private key is not decodable (error {})", err));
    }
    if (static_cast<unsigned>(keyType) != certKeyType) {
        secureWipe(&kd, sizeof kd);
        return fail(std::string("private key type does not match the certificate"));
    }

    std::shared_ptr<ClientIdentity> id(new ClientIdentity());
    id->keyType_ = certKeyType;
    id->issuerKeyType_ = issuerKeyType ? issuerKeyType : BR_KEYTYPE_RSA;
    if (keyType == BR_KEYTYPE_RSA) {
        const br_rsa_private_key* sk = br_skey_decoder_get_rsa(&kd);
        const std::size_t total = sk->plen + sk->qlen + sk->dplen + sk->dqlen + sk->iqlen;
        id->secret_.resize(total);
        unsigned char* p = id->secret_.data();
        auto take = [&p](const unsigned char* src, std::size_t len) {
            std::memcpy(p, src, len);
            unsigned char* at = p;
            p += len;
            return at;
        };
        id->rsa_.n_bitlen = sk->n_bitlen;
        id->rsa_.p = take(sk->p, sk->plen), id->rsa_.plen = sk->plen;
        id->rsa_.q = take(sk->q, sk->qlen), id->rsa_.qlen = sk->qlen;
        id->rsa_.dp = take(sk->dp, sk->dplen), id->rsa_.dplen = sk->dplen;
        id->rsa_.dq = take(sk->dq, sk->dqlen), id->rsa_.dqlen = sk->dqlen;
        id->rsa_.iq = take(sk->iq, sk->iqlen), id->rsa_.iqlen = sk->iqlen;
    } else {
        const br_ec_private_key* sk = br_skey_decoder_get_ec(&kd);
        id->secret_.assign(sk->x, sk->x + sk->xlen);
        id->ec_.curve = sk->curve;
        id->ec_.x = id->secret_.data();
        id->ec_.xlen = id->secret_.size();
    }
    secureWipe(&kd, sizeof kd);

    id->keyDer_.assign(keyDer.begin(), keyDer.end());
    id->chainDer_ = std::move(chainDer);
    id->chain_.reserve(id->chainDer_.size());
    for (auto& der : id->chainDer_)
        id->chain_.push_back(br_x509_certificate{der.data(), der.size()});
    return std::shared_ptr<const ClientIdentity>(std::move(id));
}

void ClientIdentity::install(br_ssl_client_context& cc) const
{
    if (keyType_ == BR_KEYTYPE_RSA) {
        br_ssl_client_set_single_rsa(&cc, chain_.data(), chain_.size(), &rsa_,
                                     br_rsa_pkcs1_sign_get_default());
    } else {
        br_ssl_client_set_single_ec(&cc, chain_.data(), chain_.size(), &ec_,
                                    BR_KEYTYPE_KEYX | BR_KEYTYPE_SIGN, issuerKeyType_,
                                    br_ec_get_default(), br_ecdsa_sign_asn1_get_default());
    }
}

namespace {

struct HashInfo {
    std::size_t size;
    const unsigned char* rsaOid;  // BearSSL's encoding: length byte, then the OID
    const br_hash_class* ecdsaHash;  // for ECDSA's deterministic nonce (RFC 6979)
};

HashInfo hashInfo(ClientIdentity::Hash hash)
{
    using Hash = ClientIdentity::Hash;
    switch (hash) {
    case Hash::Md5Sha1: return {36, nullptr, nullptr};
    case Hash::Sha1: return {20, BR_HASH_OID_SHA1, &br_sha1_vtable};
    case Hash::Sha224: return {28, BR_HASH_OID_SHA224, &br_sha224_vtable};
    case Hash::Sha256: return {32, BR_HASH_OID_SHA256, &br_sha256_vtable};
    case Hash::Sha384: return {48, BR_HASH_OID_SHA384, &br_sha384_vtable};
    case Hash::Sha512: return {64, BR_HASH_OID_SHA512, &br_sha512_vtable};
    }
    return {0, nullptr, nullptr};
}

}  // namespace

std::vector<std::uint8_t> ClientIdentity::sign(Hash hash, std::span<const std::uint8_t> digest) const
{
    const HashInfo info = hashInfo(hash);
    if (info.size == 0 || digest.size() != info.size) return {};
    std::vector<std::uint8_t> signature;
    if (keyType_ == BR_KEYTYPE_RSA) {
        signature.resize((rsa_.n_bitlen + 7) / 8);
        if (!br_rsa_pkcs1_sign_get_default()(info.rsaOid, digest.data(), digest.size(), &rsa_, signature.data()))
            return {};
        return signature;
    }
    if (!info.ecdsaHash) return {};
    std::array<std::uint8_t, 160> buf{};  // DER of two P-521 integers is at most 139 bytes
    const std::size_t len = br_ecdsa_sign_asn1_get_default()(br_ec_get_default(), info.ecdsaHash, digest.data(), &ec_, buf.data());
    if (len == 0) return {};
    return {buf.begin(), buf.begin() + static_cast<std::ptrdiff_t>(len)};
}

}  // namespace wiiu::tls
