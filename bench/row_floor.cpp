// Row 3's floor: the public-key work a full handshake of row 3 cannot avoid with Debian's
// BearSSL 0.6, timed with the implementations the engine itself uses. A client does one X25519
// key generation and one X25519 multiplication (ECDHE), and three RSA-2048 public operations:
// the root's signature on the intermediate, the intermediate's on the leaf, and the leaf's on
// the ServerKeyExchange. bench/report.py adds them up and sets the handshakes against it.
#include <benchmark/benchmark.h>

#include <cstring>
#include <optional>
#include <vector>

#include "common/bearssl.h"
#include "pki/public_key.h"
#include "pki/x509.h"
#include "common.h"
#include "rows.h"

namespace wiiu::bench {

namespace {

/// The RSA public key of a DER certificate, parsed by the module's own X.509 code.
std::optional<pki::PublicKey> rsaKeyOf(const std::vector<std::uint8_t>& der)
{
    auto cert = pki::parseCertificate(der);
    if (!cert)
        return std::nullopt;
    auto key = pki::parsePublicKey(cert->spki);
    if (!key || key->type != pki::KeyType::Rsa)
        return std::nullopt;
    return std::move(*key);
}

/// X25519 as the engine does it: the default EC implementation (br_ec_all_m31 dispatches to
/// br_ec_c25519_m31), a key generation (mulgen) and the shared secret (mul).
void x25519(benchmark::State& state)
{
    const br_ec_impl* ec = br_ec_get_default();
    unsigned char secret[32], peer[32], shared[32];
    std::memset(secret, 0x5a, sizeof secret);
    ec->mulgen(peer, secret, sizeof secret, BR_EC_curve25519);  // the server's share
    for (auto _ : state) {
        secret[0]++;
        const std::size_t len = ec->mulgen(shared, secret, sizeof secret, BR_EC_curve25519);
        std::memcpy(shared, peer, sizeof shared);
        benchmark::DoNotOptimize(ec->mul(shared, len, secret, sizeof secret, BR_EC_curve25519));
    }
}

/// One RSA-2048 public operation with the engine's verifier (i62 where the compiler has 128-bit
/// multiplication), on the server certificate's key. A PKCS#1 verification is this plus a
/// padding check.
void rsaPublic(benchmark::State& state)
{
    auto rsa = rsaKeyOf(readFile(pkiFile("server.der")));
    if (!rsa) {
        state.SkipWithError("no RSA key in server.der");
        return;
    }
    const br_rsa_public_key key{rsa->rsaN.data(), rsa->rsaN.size(), rsa->rsaE.data(), rsa->rsaE.size()};
    const br_rsa_public pub = br_rsa_public_get_default();
    std::vector<unsigned char> x(key.nlen, 0x11);
    x[0] = 0;  // below the modulus
    for (auto _ : state) {
        std::vector<unsigned char> y = x;
        benchmark::DoNotOptimize(pub(y.data(), y.size(), &key));
    }
}

}  // namespace

void registerFloorRow()
{
    benchmark::RegisterBenchmark("floor/x25519_keygen_and_mul", x25519)->MeasureProcessCPUTime()->Unit(benchmark::kMicrosecond);
    benchmark::RegisterBenchmark("floor/rsa2048_public", rsaPublic)->MeasureProcessCPUTime()->Unit(benchmark::kMicrosecond);
}

}  // namespace wiiu::bench
