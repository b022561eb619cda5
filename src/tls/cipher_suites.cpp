#include "tls/cipher_suites.h"

#include <algorithm>
#include <array>

#include "common/bearssl.h"

namespace wiiu::tls {

namespace {

struct Suite {
    std::uint16_t id;
    std::string_view name;
};

#define WIIU_SUITE(n) Suite{BR_##n, #n}

// Every suite br_ssl_client_init_full can negotiate, in the order we offer them.
constexpr std::array kSuites = {
    // ECDHE + AES-GCM
    WIIU_SUITE(TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256),
    WIIU_SUITE(TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256),
    WIIU_SUITE(TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384),
    WIIU_SUITE(TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384),
    // ECDHE + ChaCha20
    WIIU_SUITE(TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256),
    WIIU_SUITE(TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256),
    // ECDHE + AES-CBC
    WIIU_SUITE(TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256),
    WIIU_SUITE(TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256),
    WIIU_SUITE(TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384),
    WIIU_SUITE(TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384),
    WIIU_SUITE(TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA),
    WIIU_SUITE(TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA),
    WIIU_SUITE(TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA),
    WIIU_SUITE(TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA),
    // RSA key exchange (legacy servers)
    WIIU_SUITE(TLS_RSA_WITH_AES_128_GCM_SHA256),
    WIIU_SUITE(TLS_RSA_WITH_AES_256_GCM_SHA384),
    WIIU_SUITE(TLS_RSA_WITH_AES_128_CBC_SHA256),
    WIIU_SUITE(TLS_RSA_WITH_AES_256_CBC_SHA256),
    WIIU_SUITE(TLS_RSA_WITH_AES_128_CBC_SHA),
    WIIU_SUITE(TLS_RSA_WITH_AES_256_CBC_SHA),
    // static ECDH
    WIIU_SUITE(TLS_ECDH_ECDSA_WITH_AES_128_GCM_SHA256),
    WIIU_SUITE(TLS_ECDH_RSA_WITH_AES_128_GCM_SHA256),
    WIIU_SUITE(TLS_ECDH_ECDSA_WITH_AES_256_GCM_SHA384),
    WIIU_SUITE(TLS_ECDH_RSA_WITH_AES_256_GCM_SHA384),
    WIIU_SUITE(TLS_ECDH_ECDSA_WITH_AES_128_CBC_SHA256),
    WIIU_SUITE(TLS_ECDH_RSA_WITH_AES_128_CBC_SHA256),
    WIIU_SUITE(TLS_ECDH_ECDSA_WITH_AES_256_CBC_SHA384),
    WIIU_SUITE(TLS_ECDH_RSA_WITH_AES_256_CBC_SHA384),
    WIIU_SUITE(TLS_ECDH_ECDSA_WITH_AES_128_CBC_SHA),
    WIIU_SUITE(TLS_ECDH_RSA_WITH_AES_128_CBC_SHA),
    WIIU_SUITE(TLS_ECDH_ECDSA_WITH_AES_256_CBC_SHA),
    WIIU_SUITE(TLS_ECDH_RSA_WITH_AES_256_CBC_SHA),
    // AES-CCM (slower than GCM in software)
    WIIU_SUITE(TLS_ECDHE_ECDSA_WITH_AES_128_CCM),
    WIIU_SUITE(TLS_ECDHE_ECDSA_WITH_AES_256_CCM),
    WIIU_SUITE(TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8),
    WIIU_SUITE(TLS_ECDHE_ECDSA_WITH_AES_256_CCM_8),
    WIIU_SUITE(TLS_RSA_WITH_AES_128_CCM),
    WIIU_SUITE(TLS_RSA_WITH_AES_256_CCM),
    WIIU_SUITE(TLS_RSA_WITH_AES_128_CCM_8),
    WIIU_SUITE(TLS_RSA_WITH_AES_256_CCM_8),
    // 3DES, last resort
    WIIU_SUITE(TLS_ECDHE_ECDSA_WITH_3DES_EDE_CBC_SHA),
    WIIU_SUITE(TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA),
    WIIU_SUITE(TLS_ECDH_ECDSA_WITH_3DES_EDE_CBC_SHA),
    WIIU_SUITE(TLS_ECDH_RSA_WITH_3DES_EDE_CBC_SHA),
    WIIU_SUITE(TLS_RSA_WITH_3DES_EDE_CBC_SHA),
};

#undef WIIU_SUITE

static_assert(kSuites.size() <= BR_MAX_CIPHER_SUITES);

constexpr auto kOrder = [] {
    std::array<std::uint16_t, kSuites.size()> ids{};
    for (std::size_t i = 0; i < kSuites.size(); ++i) ids[i] = kSuites[i].id;
    return ids;
}();

}  // namespace

std::span<const std::uint16_t> defaultCipherSuites() { return kOrder; }

bool isSupportedCipherSuite(std::uint16_t suite) { return !cipherSuiteName(suite).empty(); }

std::string_view cipherSuiteName(std::uint16_t suite)
{
    auto it = std::find_if(kSuites.begin(), kSuites.end(),
                           [suite](const Suite& s) { return s.id == suite; });
    return it == kSuites.end() ? std::string_view{} : it->name;
}

std::string_view protocolVersionName(std::uint16_t version)
{
    switch (version) {
    case BR_TLS10: return "TLSv1.0";
    case BR_TLS11: return "TLSv1.1";
    case BR_TLS12: return "TLSv1.2";
    default: return {};
    }
}

}  // namespace wiiu::tls
