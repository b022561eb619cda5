// privateKeyMatches(): derive the public half of a private key and compare it with the
// certificate's, so a mismatched key/cert pair is caught before a handshake fails.
#include <algorithm>
#include <cstring>

#include "common/bearssl.h"
#include "pki/public_key.h"
#include "pki/x509.h"

namespace wiiu::pki {
namespace {

ByteView stripZeros(ByteView v)
{
    while (!v.empty() && v[0] == 0) v = v.subspan(1);
    return v;
}

bool sameMagnitude(ByteView a, ByteView b)
{
    a = stripZeros(a);
    b = stripZeros(b);
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin());
}

// Zeroes the decoder (it holds a copy of the private key) when the check is over.
struct WipedDecoder {
    br_skey_decoder_context ctx;
    WipedDecoder() { br_skey_decoder_init(&ctx); }
    ~WipedDecoder() { std::memset(&ctx, 0, sizeof ctx); }
    WipedDecoder(const WipedDecoder&) = delete;
    WipedDecoder& operator=(const WipedDecoder&) = delete;
};

}  // namespace

Expected<bool, ParseError> privateKeyMatches(ByteView keyDer, const Certificate& cert)
{
    WipedDecoder dec;
    br_skey_decoder_push(&dec.ctx, keyDer.data(), keyDer.size());
    if (const int err = br_skey_decoder_last_error(&dec.ctx); err != 0)
        return fail(ParseError{"cannot decode private key (BearSSL error " + std::to_string(err) + ")", 0});
    const int type = br_skey_decoder_key_type(&dec.ctx);
    if (type == 0) return fail(ParseError{"truncated private key", keyDer.size()});

    auto pub = parsePublicKey(cert.spki);
    if (!pub) return fail(pub.error());

    if (type == BR_KEYTYPE_RSA) {
        if (pub->type != KeyType::Rsa) return false;
        const br_rsa_private_key* sk = br_skey_decoder_get_rsa(&dec.ctx);
        const auto computeModulus = br_rsa_compute_modulus_get_default();
        const std::size_t nLen = computeModulus(nullptr, sk);
        if (nLen == 0) return fail(ParseError{"invalid RSA private key", 0});
        Bytes n(nLen);
        computeModulus(n.data(), sk);
        const std::uint32_t e = br_rsa_compute_pubexp_get_default()(sk);
        Bytes eBytes;
        for (int shift = 24; shift >= 0; shift -= 8) eBytes.push_back(static_cast<std::uint8_t>(e >> shift));
        // e == 0 means BearSSL could not recover it (or it exceeds 32 bits); then n decides.
        return sameMagnitude(n, pub->rsaN) && (e == 0 || sameMagnitude(eBytes, pub->rsaE));
    }
    if (type == BR_KEYTYPE_EC) {
        if (pub->type != KeyType::Ec) return false;
        const br_ec_private_key* sk = br_skey_decoder_get_ec(&dec.ctx);
        if (sk->curve != pub->curve) return false;
        const br_ec_impl* ec = br_ec_get_default();
        unsigned char point[BR_EC_KBUF_PUB_MAX_SIZE];
        br_ec_public_key pk;
        if (br_ec_compute_pub(ec, &pk, point, sk) == 0)
            return fail(ParseError{"EC private key on an unsupported curve or invalid", 0});
        return sameMagnitude(ByteView(pk.q, pk.qlen), pub->ecPoint) && pk.qlen == pub->ecPoint.size();
    }
    return fail(ParseError{"unsupported private key type", 0});
}

}  // namespace wiiu::pki
