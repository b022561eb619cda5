#include "tls/trust_store.h"

#include <fmt/format.h>

#include <wiiu_nssl/tls_failure.h>

namespace wiiu::tls {

namespace {

void appendTo(void* ctx, const void* data, std::size_t len)
{
    auto* out = static_cast<std::vector<unsigned char>*>(ctx);
    const auto* p = static_cast<const unsigned char*>(data);
    out->insert(out->end(), p, p + len);
}

}  // namespace

Expected<OwnedAnchor, std::string> OwnedAnchor::decode(pki::ByteView der)
{
    if (der.empty()) return fail(std::string("empty certificate"));
    OwnedAnchor a;
    br_x509_decoder_context dc;
    br_x509_decoder_init(&dc, appendTo, &a.dn_);
    br_x509_decoder_push(&dc, der.data(), der.size());
    const br_x509_pkey* pk = br_x509_decoder_get_pkey(&dc);
    if (!pk) {
        int err = br_x509_decoder_last_error(&dc);
        auto name = bearSslErrorName(err);
        return fail(fmt::format("not a decodable X.509 certificate ({})",
                                name.empty() ? fmt::format("error {}", err) : std::string(name)));
    }
    a.isCA_ = br_x509_decoder_isCA(&dc) != 0;
    a.keyType_ = pk->key_type;
    if (pk->key_type == BR_KEYTYPE_RSA) {
        a.key1_.assign(pk->key.rsa.n, pk->key.rsa.n + pk->key.rsa.nlen);
        a.key2_.assign(pk->key.rsa.e, pk->key.rsa.e + pk->key.rsa.elen);
    } else if (pk->key_type == BR_KEYTYPE_EC) {
        a.curve_ = pk->key.ec.curve;
        a.key1_.assign(pk->key.ec.q, pk->key.ec.q + pk->key.ec.qlen);
    } else {
        return fail(fmt::format("unsupported public key type {}", pk->key_type));
    }
    return a;
}

br_x509_trust_anchor OwnedAnchor::anchor(unsigned flags) const
{
    br_x509_trust_anchor ta{};
    ta.dn.data = const_cast<unsigned char*>(dn_.data());  // BearSSL's struct is not const-correct
    ta.dn.len = dn_.size();
    ta.flags = flags;
    ta.pkey.key_type = static_cast<unsigned char>(keyType_);
    if (keyType_ == BR_KEYTYPE_RSA) {
        ta.pkey.key.rsa.n = const_cast<unsigned char*>(key1_.data());
        ta.pkey.key.rsa.nlen = key1_.size();
        ta.pkey.key.rsa.e = const_cast<unsigned char*>(key2_.data());
        ta.pkey.key.rsa.elen = key2_.size();
    } else {
        ta.pkey.key.ec.curve = curve_;
        ta.pkey.key.ec.q = const_cast<unsigned char*>(key1_.data());
        ta.pkey.key.ec.qlen = key1_.size();
    }
    return ta;
}

Expected<std::shared_ptr<const TrustStore>, TrustStoreError> TrustStore::fromDer(
    std::span<const pki::Bytes> certificates)
{
    std::shared_ptr<TrustStore> store(new TrustStore());
    store->owned_.reserve(certificates.size());
    for (std::size_t i = 0; i < certificates.size(); ++i) {
        auto anchor = OwnedAnchor::decode(certificates[i]);
        if (!anchor) return fail(TrustStoreError{i, anchor.error()});
        store->owned_.push_back(std::move(*anchor));
    }
    store->der_.assign(certificates.begin(), certificates.end());
    // Built only after every anchor is in place: the table points into owned_'s buffers.
    for (const auto& a : store->owned_) {
        store->table_.push_back(a.anchor(BR_X509_TA_CA));
        if (!a.isCA()) store->table_.push_back(a.anchor(0));
    }
    return std::shared_ptr<const TrustStore>(std::move(store));
}

Expected<void, std::string> TrustStore::check(pki::ByteView der)
{
    auto anchor = OwnedAnchor::decode(der);
    if (!anchor) return fail(anchor.error());
    return {};
}

}  // namespace wiiu::tls
