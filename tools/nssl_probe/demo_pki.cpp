#include "demo_pki.h"

#include <chrono>
#include <cstring>
#include <initializer_list>
#include <stdexcept>

#include <fmt/chrono.h>
#include <fmt/format.h>

namespace wiiu::probe {

namespace {

using Bytes = std::vector<std::uint8_t>;

// --- A minimal DER writer: just the shapes a certificate needs. ---

Bytes tlv(std::uint8_t tag, const Bytes& content)
{
    Bytes out{tag};
    const std::size_t n = content.size();
    if (n < 0x80) {
        out.push_back(static_cast<std::uint8_t>(n));
    } else {
        Bytes len;
        for (std::size_t v = n; v; v >>= 8)
            len.insert(len.begin(), static_cast<std::uint8_t>(v & 0xff));
        out.push_back(static_cast<std::uint8_t>(0x80 | len.size()));
        out.insert(out.end(), len.begin(), len.end());
    }
    out.insert(out.end(), content.begin(), content.end());
    return out;
}

Bytes cat(std::initializer_list<Bytes> parts)
{
    Bytes out;
    for (const auto& p : parts)
        out.insert(out.end(), p.begin(), p.end());
    return out;
}

Bytes seq(std::initializer_list<Bytes> parts) { return tlv(0x30, cat(parts)); }
Bytes set(std::initializer_list<Bytes> parts) { return tlv(0x31, cat(parts)); }
Bytes raw(std::initializer_list<std::uint8_t> b) { return Bytes(b); }
Bytes utf8(const std::string& s) { return tlv(0x0c, Bytes(s.begin(), s.end())); }
Bytes octets(const Bytes& b) { return tlv(0x04, b); }
/// BIT STRING with `unused` trailing bits in the last octet.
Bytes bits(const Bytes& b, std::uint8_t unused = 0)
{
    Bytes content{unused};
    content.insert(content.end(), b.begin(), b.end());
    return tlv(0x03, content);
}

const Bytes kOidEcdsaSha256 = raw({0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x02});
const Bytes kOidEcPublicKey = raw({0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01});
const Bytes kOidP256 = raw({0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07});
const Bytes kOidCommonName = raw({0x06, 0x03, 0x55, 0x04, 0x03});
const Bytes kOidOrganization = raw({0x06, 0x03, 0x55, 0x04, 0x0a});
const Bytes kOidBasicConstraints = raw({0x06, 0x03, 0x55, 0x1d, 0x13});
const Bytes kOidKeyUsage = raw({0x06, 0x03, 0x55, 0x1d, 0x0f});
const Bytes kOidSubjectAltName = raw({0x06, 0x03, 0x55, 0x1d, 0x11});
const Bytes kOidExtKeyUsage = raw({0x06, 0x03, 0x55, 0x1d, 0x25});
const Bytes kOidServerAuth = raw({0x06, 0x08, 0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x03, 0x01});
const Bytes kOidClientAuth = raw({0x06, 0x08, 0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x03, 0x02});
const Bytes kTrue = raw({0x01, 0x01, 0xff});

Bytes name(const std::string& cn)
{
    // Most general first, as X.509 names are (displays reverse it: "CN=..., O=...").
    return seq({set({seq({kOidOrganization, utf8("wiiu_nssl demo")})}), set({seq({kOidCommonName, utf8(cn)})})});
}

/// UTCTime (years 1950..2049, which covers any demo run).
Bytes utcTime(std::chrono::system_clock::time_point t)
{
    const std::string s = fmt::format("{:%y%m%d%H%M%SZ}", fmt::gmtime(std::chrono::system_clock::to_time_t(t)));
    return tlv(0x17, Bytes(s.begin(), s.end()));
}

Bytes extension(const Bytes& oid, bool critical, const Bytes& value)
{
    return critical ? seq({oid, kTrue, octets(value)}) : seq({oid, octets(value)});
}

class Rng {
public:
    Rng()
    {
        br_hmac_drbg_init(&drbg_, &br_sha256_vtable, nullptr, 0);
        const char* seederName = nullptr;
        const br_prng_seeder seeder = br_prng_seeder_system(&seederName);
        if (!seeder || !seeder(&drbg_.vtable))
            throw std::runtime_error("demo PKI: no system random source to seed BearSSL's DRBG");
    }
    ~Rng() { std::memset(&drbg_, 0, sizeof drbg_); }
    const br_prng_class** vtable() { return &drbg_.vtable; }
    Bytes bytes(std::size_t n)
    {
        Bytes out(n);
        br_hmac_drbg_generate(&drbg_, out.data(), n);
        return out;
    }

private:
    br_hmac_drbg_context drbg_{};
};

std::unique_ptr<DemoKey> generateKey(Rng& rng)
{
    auto key = std::make_unique<DemoKey>();
    const br_ec_impl* ec = br_ec_get_default();
    if (br_ec_keygen(rng.vtable(), ec, &key->sk, key->skBuf, BR_EC_secp256r1) == 0 ||
        br_ec_compute_pub(ec, &key->pk, key->pkBuf, &key->sk) == 0)
        throw std::runtime_error("demo PKI: P-256 key generation failed");
    return key;
}

struct Profile {
    std::string subject;
    bool ca = false;
    bool server = false;  ///< SAN localhost/127.0.0.1 + serverAuth
    bool client = false;  ///< clientAuth
};

DemoCert issue(Rng& rng, const Profile& p, const DemoCert* issuer, const std::string& issuerName)
{
    DemoCert cert;
    cert.key = generateKey(rng);
    cert.subject = name(p.subject);
    const DemoKey& signer = issuer ? *issuer->key : *cert.key;

    Bytes serial = rng.bytes(8);
    serial[0] = static_cast<std::uint8_t>((serial[0] & 0x7f) | 0x10);  // positive, minimal encoding

    const auto now = std::chrono::system_clock::now();
    const auto validity = seq({utcTime(now - std::chrono::hours(24)), utcTime(now + std::chrono::hours(24 * 30))});
    const Bytes spki = seq({seq({kOidEcPublicKey, kOidP256}), bits(Bytes(cert.key->pk.q, cert.key->pk.q + cert.key->pk.qlen))});

    Bytes exts;
    auto add = [&](const Bytes& e) { exts.insert(exts.end(), e.begin(), e.end()); };
    if (p.ca) {
        add(extension(kOidBasicConstraints, true, seq({kTrue})));
        add(extension(kOidKeyUsage, true, bits(raw({0x06}), 1)));  // keyCertSign, cRLSign
    } else {
        add(extension(kOidBasicConstraints, false, seq({})));
        add(extension(kOidKeyUsage, true, bits(raw({0x80}), 7)));  // digitalSignature
    }
    if (p.server) {
        add(extension(kOidSubjectAltName, false,
                      seq({tlv(0x82, Bytes{'l', 'o', 'c', 'a', 'l', 'h', 'o', 's', 't'}), tlv(0x87, raw({127, 0, 0, 1}))})));
        add(extension(kOidExtKeyUsage, false, seq({kOidServerAuth})));
    }
    if (p.client)
        add(extension(kOidExtKeyUsage, false, seq({kOidClientAuth})));

    const Bytes tbs = seq({tlv(0xa0, raw({0x02, 0x01, 0x02})), tlv(0x02, serial), seq({kOidEcdsaSha256}),
                           name(issuerName), validity, cert.subject, spki, tlv(0xa3, tlv(0x30, exts))});

    std::uint8_t hash[32];
    br_sha256_context sha;
    br_sha256_init(&sha);
    br_sha256_update(&sha, tbs.data(), tbs.size());
    br_sha256_out(&sha, hash);
    std::uint8_t sig[80];
    const std::size_t sigLen = br_ecdsa_i31_sign_asn1(br_ec_get_default(), &br_sha256_vtable, hash, &signer.sk, sig);
    if (sigLen == 0)
        throw std::runtime_error("demo PKI: ECDSA signing failed");
    cert.der = seq({tbs, seq({kOidEcdsaSha256}), bits(Bytes(sig, sig + sigLen))});
    return cert;
}

}  // namespace

DemoKey::~DemoKey()
{
    std::memset(skBuf, 0, sizeof skBuf);  // a demo key, but keys are wiped all the same
}

Bytes DemoKey::sec1Der() const
{
    const std::size_t n = br_encode_ec_raw_der(nullptr, &sk, &pk);
    Bytes out(n);
    if (n == 0 || br_encode_ec_raw_der(out.data(), &sk, &pk) != n)
        throw std::runtime_error("demo PKI: cannot encode the EC key");
    return out;
}

DemoPki makeDemoPki()
{
    Rng rng;
    DemoPki pki;
    const std::string rootName = "wiiu_nssl Demo Root CA";
    const std::string rogueName = "Someone Else's CA";
    pki.root = issue(rng, {.subject = rootName, .ca = true}, nullptr, rootName);
    pki.server = issue(rng, {.subject = "localhost", .server = true}, &pki.root, rootName);
    pki.client = issue(rng, {.subject = "wiiu_nssl Demo Client", .client = true}, &pki.root, rootName);
    pki.rogueRoot = issue(rng, {.subject = rogueName, .ca = true}, nullptr, rogueName);
    pki.rogueServer = issue(rng, {.subject = "localhost", .server = true}, &pki.rogueRoot, rogueName);
    return pki;
}

}  // namespace wiiu::probe
