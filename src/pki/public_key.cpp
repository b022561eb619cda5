#include "pki/public_key.h"

#include "common/bearssl.h"
#include "pki/der.h"
#include "pki/oids.h"

namespace wiiu::pki {
namespace {

struct CurveEntry {
    ByteView oid;
    int brId;
    unsigned bits;
};

const CurveEntry kCurves[] = {
    {oid::kSecp256r1, BR_EC_secp256r1, 256}, {oid::kSecp384r1, BR_EC_secp384r1, 384},
    {oid::kSecp521r1, BR_EC_secp521r1, 521}, {oid::kSecp224r1, BR_EC_secp224r1, 224},
    {oid::kSecp256k1, BR_EC_secp256k1, 256},
};

// A positive INTEGER's magnitude: the DER sign octet removed.
Expected<Bytes, ParseError> positiveInteger(der::Reader& r, const char* what)
{
    const std::size_t at = r.offset();
    auto v = r.integer();
    if (!v) return fail(v.error());
    ByteView mag = *v;
    if (mag[0] & 0x80) return fail(ParseError{std::string("negative ") + what, at});
    if (mag[0] == 0 && mag.size() > 1) mag = mag.subspan(1);
    if (mag.size() == 1 && mag[0] == 0) return fail(ParseError{std::string("zero ") + what, at});
    return Bytes(mag.begin(), mag.end());
}

unsigned bitLength(const Bytes& magnitude)
{
    unsigned top = magnitude[0], bits = 0;
    while (top) {
        ++bits;
        top >>= 1;
    }
    return static_cast<unsigned>((magnitude.size() - 1) * 8) + bits;
}

}  // namespace

Expected<PublicKey, ParseError> parsePublicKey(ByteView spkiDer, std::size_t baseOffset)
{
    der::Reader outer(spkiDer, baseOffset);
    auto spki = outer.sequence();
    if (!spki) return fail(spki.error());
    if (auto end = outer.expectEnd("SubjectPublicKeyInfo"); !end) return fail(end.error());
    auto algId = spki->sequence();
    if (!algId) return fail(algId.error());
    auto algOid = algId->oid();
    if (!algOid) return fail(algOid.error());

    PublicKey key;
    std::optional<ByteView> curveOid;
    if (der::oidEquals(*algOid, oid::kRsaEncryption)) {
        key.type = KeyType::Rsa;
        if (auto n = algId->null(); !n) return fail(n.error());  // RFC 3279: parameters NULL
    } else if (der::oidEquals(*algOid, oid::kEcPublicKey)) {
        key.type = KeyType::Ec;
        // Only namedCurve: implicit and explicit curve parameters are forbidden by RFC 5480.
        auto curve = algId->oid();
        if (!curve) return fail(curve.error());
        curveOid = *curve;
    } else if (!algId->atEnd()) {
        if (auto params = algId->read(); !params) return fail(params.error());
    }
    if (auto end = algId->expectEnd("key algorithm"); !end) return fail(end.error());

    const std::size_t bitsAt = spki->offset();
    auto bits = spki->bitString();
    if (!bits) return fail(bits.error());
    if (auto end = spki->expectEnd("public key"); !end) return fail(end.error());
    if (key.type != KeyType::Other && bits->unusedBits != 0)
        return fail(ParseError{"public key is not whole octets", bitsAt});

    if (key.type == KeyType::Rsa) {
        // RSAPublicKey ::= SEQUENCE { modulus INTEGER, publicExponent INTEGER }
        der::Reader inner(bits->bytes,
                          baseOffset + static_cast<std::size_t>(bits->bytes.data() - spkiDer.data()));
        auto rsa = inner.sequence();
        if (!rsa) return fail(rsa.error());
        if (auto end = inner.expectEnd("RSA public key"); !end) return fail(end.error());
        auto n = positiveInteger(*rsa, "RSA modulus");
        if (!n) return fail(n.error());
        auto e = positiveInteger(*rsa, "RSA exponent");
        if (!e) return fail(e.error());
        if (auto end = rsa->expectEnd("RSA exponent"); !end) return fail(end.error());
        key.rsaN = std::move(*n);
        key.rsaE = std::move(*e);
        key.bits = bitLength(key.rsaN);
    } else if (key.type == KeyType::Ec) {
        for (const auto& c : kCurves)
            if (der::oidEquals(*curveOid, c.oid)) {
                key.curve = c.brId;
                key.bits = c.bits;
            }
        if (bits->bytes.empty()) return fail(ParseError{"empty EC point", bitsAt});
        key.ecPoint.assign(bits->bytes.begin(), bits->bytes.end());
    }
    return key;
}

}  // namespace wiiu::pki
