// TLS engine pieces that need no peer: suites table, failure mapping, trust store, identities,
// configuration checks.
#include <algorithm>
#include <string>
#include <utility>

#include <gtest/gtest.h>

#include "common/bearssl.h"
#include "tls/cipher_suites.h"
#include "tls/client_identity.h"
#include "tls/client.h"
#include <wiiu_nssl/tls_failure.h>
#include "tls/trust_store.h"
#include "support/pki_fixture.h"

namespace wiiu::tls {
namespace {

bool isGcm(std::string_view n) { return n.find("_GCM_") != std::string_view::npos; }
bool isChaCha(std::string_view n) { return n.find("CHACHA20") != std::string_view::npos; }

TEST(tls_suites, AesGcmFirstThenChaChaAndEveryOneNamed)
{
    auto suites = defaultCipherSuites();
    ASSERT_FALSE(suites.empty());
    ASSERT_LE(suites.size(), std::size_t{BR_MAX_CIPHER_SUITES});
    EXPECT_TRUE(isGcm(cipherSuiteName(suites[0])));
    std::size_t firstChaCha = suites.size(), lastEcdheGcm = 0;
    for (std::size_t i = 0; i < suites.size(); ++i) {
        auto name = cipherSuiteName(suites[i]);
        EXPECT_TRUE(name.starts_with("TLS_")) << suites[i];
        if (isChaCha(name)) firstChaCha = std::min(firstChaCha, i);
        if (isGcm(name) && name.starts_with("TLS_ECDHE_")) lastEcdheGcm = i;
    }
    EXPECT_LT(lastEcdheGcm, firstChaCha);
    // Legacy RSA key exchange and SHA-1 stay available.
    EXPECT_NE(std::find(suites.begin(), suites.end(), BR_TLS_RSA_WITH_AES_128_CBC_SHA), suites.end());
    EXPECT_EQ(cipherSuiteName(0xC02F), "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256");
    EXPECT_EQ(cipherSuiteName(0x0004), "");  // RC4: not something BearSSL negotiates
    EXPECT_EQ(protocolVersionName(BR_TLS11), "TLSv1.1");
    EXPECT_EQ(protocolVersionName(BR_SSL30), "");
}

TEST(tls_failure_map, NamesAndReasons)
{
    EXPECT_EQ(failureFromBearSsl(BR_ERR_X509_NOT_TRUSTED).reason, FailureReason::Untrusted);
    EXPECT_EQ(failureFromBearSsl(BR_ERR_X509_EXPIRED).reason, FailureReason::Expired);
    EXPECT_EQ(failureFromBearSsl(BR_ERR_X509_BAD_SERVER_NAME).reason, FailureReason::NameMismatch);
    EXPECT_EQ(failureFromBearSsl(BR_ERR_X509_BAD_SIGNATURE).reason, FailureReason::BadSignature);
    EXPECT_EQ(failureFromBearSsl(BR_ERR_X509_WEAK_PUBLIC_KEY).reason, FailureReason::UnsupportedKey);
    EXPECT_EQ(failureFromBearSsl(BR_ERR_UNSUPPORTED_VERSION).reason, FailureReason::ProtocolVersion);
    EXPECT_EQ(failureFromBearSsl(BR_ERR_IO).reason, FailureReason::Io);
    auto alert = failureFromBearSsl(BR_ERR_RECV_FATAL_ALERT + 40);
    EXPECT_EQ(alert.reason, FailureReason::AlertReceived);
    EXPECT_EQ(alert.alert, 40);
    EXPECT_EQ(failureFromBearSsl(BR_ERR_RECV_FATAL_ALERT + 70).reason, FailureReason::ProtocolVersion);
    EXPECT_EQ(failureFromBearSsl(BR_ERR_SEND_FATAL_ALERT + 42).reason, FailureReason::AlertSent);
    EXPECT_EQ(bearSslErrorName(BR_ERR_X509_EXPIRED), "BR_ERR_X509_EXPIRED");
    for (int code = 0; code <= 62; ++code)
        if (!bearSslErrorName(code).empty()) {
            EXPECT_FALSE(failureFromBearSsl(code).text.empty()) << code;
        }
    EXPECT_EQ(failureReasonName(FailureReason::Revoked), "Revoked");
}

TEST(tls_trust_store, BuildsAnchorsAndRefusesGarbage)
{
    auto store = TrustStore::fromDer(std::vector<pki::Bytes>{test::pkiBytes("root.der"),
                                                             test::pkiBytes("int.der")});
    ASSERT_TRUE(store);
    EXPECT_EQ((*store)->certificateCount(), 2u);
    EXPECT_EQ((*store)->anchors().size(), 2u);  // both CAs: no direct-trust twin
    for (const auto& ta : (*store)->anchors()) EXPECT_EQ(ta.flags, unsigned{BR_X509_TA_CA});

    auto leaf = TrustStore::fromDer(std::vector<pki::Bytes>{test::pkiBytes("server.der")});
    ASSERT_TRUE(leaf);
    EXPECT_EQ((*leaf)->anchors().size(), 2u);  // a non-CA gets a CA and a direct-trust anchor

    auto bad = TrustStore::fromDer(std::vector<pki::Bytes>{test::pkiBytes("root.der"),
                                                           pki::Bytes{0x30, 0x03, 0x02, 0x01}});
    ASSERT_FALSE(bad);
    EXPECT_EQ(bad.error().index, 1u);
    EXPECT_FALSE(bad.error().reason.empty());
    EXPECT_FALSE(TrustStore::check(pki::Bytes{}));
    EXPECT_TRUE(TrustStore::check(test::pkiBytes("ec-root.der")));
}

TEST(tls_client_identity, DecodesRsaAndEcKeysAndRefusesMismatch)
{
    EXPECT_TRUE(ClientIdentity::create({test::pkiBytes("client.der")}, test::pkiBytes("client.rsa.der")));
    EXPECT_TRUE(ClientIdentity::create({test::pkiBytes("client.der")}, test::pkiBytes("client.key.der")));
    auto ec = ClientIdentity::create({test::pkiBytes("ec-server.der")}, test::pkiBytes("ec-server.sec1.der"));
    ASSERT_TRUE(ec);
    EXPECT_FALSE((*ec)->isRsa());
    EXPECT_FALSE(ClientIdentity::create({test::pkiBytes("client.der")}, test::pkiBytes("ec-server.key.der")));
    EXPECT_FALSE(ClientIdentity::create({test::pkiBytes("client.der")}, pki::Bytes{1, 2, 3}));
    EXPECT_FALSE(ClientIdentity::create({}, test::pkiBytes("client.rsa.der")));
}

class NullTransport : public Transport {
public:
    IoResult receive(std::span<std::uint8_t>) override { return IoResult::wouldBlock(); }
    IoResult send(std::span<const std::uint8_t> d) override { return IoResult::ok(d.size()); }
};

TEST(tls_client_config, RefusesImpossibleSettingsAndClampsVersions)
{
    ClientConfig c;
    c.minVersion = BR_TLS12;
    c.maxVersion = BR_TLS11;
    auto r = TlsClient::create(c, std::make_shared<NullTransport>());
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().reason, FailureReason::BadConfig);

    c = {};
    c.suites = {0x0004};  // RC4
    EXPECT_FALSE(TlsClient::create(c, std::make_shared<NullTransport>()));
    EXPECT_FALSE(TlsClient::create(ClientConfig{}, nullptr));

    c = {};
    c.minVersion = BR_SSL30;  // clamped to TLS 1.0, never offered
    auto ok = TlsClient::create(c, std::make_shared<NullTransport>());
    ASSERT_TRUE(ok);
    EXPECT_EQ((*ok)->handshake(), TlsStatus::WantRead);  // ClientHello went out
    EXPECT_FALSE((*ok)->established());
    EXPECT_EQ((*ok)->keyLogLine(), "");
    EXPECT_FALSE((*ok)->session());
    EXPECT_EQ((*ok)->cipherSuiteName(), "");
}

/// Takes the ClientHello, then answers every receive with one scripted result.
class ScriptedTransport : public Transport {
public:
    explicit ScriptedTransport(IoResult onReceive) : onReceive_(onReceive) {}
    IoResult receive(std::span<std::uint8_t>) override { return onReceive_; }
    IoResult send(std::span<const std::uint8_t> d) override { return IoResult::ok(d.size()); }

private:
    IoResult onReceive_;
};

// The engine words a transport failure from the result alone: its status and the transport's
// own name for the code, never the host's strerror.
TEST(tls_client_io, NamesTransportFailuresFromTheResult)
{
    const std::pair<IoResult, std::string> cases[] = {
        {IoResult::closed(), "closed without close_notify"},
        {IoResult::reset(8, "SO_ECONNRESET"), "connection reset by the peer while receiving"},
        {IoResult::failed(30, "SO_ENETUNREACH"), "transport error while receiving (SO_ENETUNREACH)"},
        {IoResult::failed(71, {}), "transport error while receiving (code 71)"},
    };
    for (const auto& [result, text] : cases) {
        auto client = TlsClient::create(ClientConfig{}, std::make_shared<ScriptedTransport>(result));
        ASSERT_TRUE(client);
        EXPECT_EQ((*client)->handshake(), TlsStatus::IoError) << text;
        EXPECT_EQ((*client)->failure().reason, FailureReason::Io) << text;
        EXPECT_EQ((*client)->failure().text, text);
    }
}

}  // namespace
}  // namespace wiiu::tls
