// The nlibcurl bridge (<wiiu_nssl/curl_bridge.h>) against a real host libcurl + OpenSSL fetching over
// HTTPS from `openssl s_server -www`: curl is configured from the bridge alone (the context's
// CAs as its whole X509_STORE, the context's client certificate when the server asks, a verify
// callback that asks the bridge), and must accept or refuse each server as the module's own
// NSSLDoHandshake through the import table does, for the same reason. The curl side is
// interop/bridged_curl.*.
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include <wiiu_nssl/curl_bridge.h>
#include <wiiu_nssl/firmware.h>
#include "hle/nssl/service.h"
#include "interop/bridged_curl.h"
#include "support/nssl_guest.h"
#include "support/pki_fixture.h"
#include "support/tls_peer.h"

using namespace wiiu;
using namespace wiiu::test;
using curl_bridge::Bytes;
using tls::FailureReason;

namespace {


class CurlBridge : public ::testing::Test {
protected:
    /// s_server -www presenting `leaf` (with the intermediate); requiring a client certificate
    /// issued under the test root when `requireClient`.
    std::unique_ptr<TlsPeer> server(const std::string& leaf, bool requireClient = false)
    {
        TlsPeer::Options o;
        o.cert = pkiPath(leaf + ".pem").string();
        o.key = pkiPath(leaf + ".key").string();
        o.chain = pkiPath("int.pem").string();
        if (requireClient)
            o.clientCA = pkiPath("ca-bundle.pem").string();
        o.extraArgs = {"-www"};
        std::string why;
        auto peer = TlsPeer::start(o, &why);
        EXPECT_TRUE(peer) << why;
        return peer;
    }

    /// NSSLDoHandshake through the import table: the code, and the reason in `reason`.
    std::int32_t moduleHandshake(std::int32_t ctx, std::uint16_t port, const std::string& host, FailureReason& reason)
    {
        std::int32_t fd = -1;
        const std::int32_t conn = g.connection(ctx, port, host, curl_bridge::kVerifyAll, true, &fd);
        const std::int32_t r = g.nssl("NSSLDoHandshake", {u(conn)});
        reason = g.process().state()->nssl().failure(nssl::ConnectionHandle{conn})->reason;
        g.nssl("NSSLDestroyConnection", {u(conn)});
        g.nssl("socketclose", {u(fd)});
        return r;
    }


    BridgedFetch curlFetch(std::int32_t ctx, std::uint16_t port, const std::string& host, FetchOptions options = {})
    {
        return bridgedFetch(g.process(), ctx, host, port, options);
    }

    /// A context trusting the test root by its internal ID.
    std::int32_t rootContext()
    {
        const std::int32_t ctx = g.context();
        EXPECT_EQ(g.nssl("NSSLAddServerPKI", {u(ctx), u(kTestRootId)}), 0);
        return ctx;
    }

    /// The server `leaf` fetched by the module and by curl through the bridge: both refuse it,
    /// with the same NSSL code and reason, which is `expected`.
    void expectBothRefuse(std::int32_t ctx, const std::string& leaf, const std::string& host, FailureReason expected)
    {
        auto peer = server(leaf);
        ASSERT_TRUE(peer);
        FailureReason moduleReason{};
        const std::int32_t moduleCode = moduleHandshake(ctx, peer->port(), host, moduleReason);
        EXPECT_EQ(moduleCode, NsslGuest::code(nssl::NsslError::HANDSHAKE_ERROR));
        EXPECT_EQ(moduleReason, expected) << tls::failureReasonName(moduleReason);

        const BridgedFetch f = curlFetch(ctx, peer->port(), host);
        EXPECT_FALSE(f.ok);
        EXPECT_TRUE(f.body.empty());
        ASSERT_TRUE(f.transfer.verdict) << "the bridge was never asked: " << f.error;
        EXPECT_EQ(f.transfer.verdict->error, moduleCode);
        EXPECT_EQ(f.transfer.verdict->reason, moduleReason) << f.transfer.verdict->text;
    }

    NsslGuest g;
};

TEST_F(CurlBridge, TrustedServerIsFetchedAsTheModuleAcceptsIt)
{
    const std::int32_t ctx = rootContext();
    auto peer = server("server");
    ASSERT_TRUE(peer);
    FailureReason reason{};
    ASSERT_EQ(moduleHandshake(ctx, peer->port(), "localhost", reason), 0) << tls::failureReasonName(reason);

    const BridgedFetch f = curlFetch(ctx, peer->port(), "localhost");
    ASSERT_TRUE(f.ok) << f.error;
    EXPECT_NE(f.body.find("<HTML>"), std::string::npos) << f.body.substr(0, 200);  // s_server's status page
    ASSERT_TRUE(f.transfer.verdict);
    EXPECT_TRUE(f.transfer.verdict->accepted());
    EXPECT_EQ(f.transfer.verdict->reason, FailureReason::NoFailure);
    EXPECT_EQ(f.transfer.storeCertificates, 1);  // the root, and nothing curl loaded by default
    EXPECT_TRUE(f.transfer.opensslAgreed);       // OpenSSL built the same path from that store
    EXPECT_FALSE(f.transfer.clientCertificateAsked);
}

TEST_F(CurlBridge, TrustsExactlyTheContextsCas)
{
    // The context trusts only the EC root: the store OpenSSL verifies against holds it alone,
    // and OpenSSL finds no path either.
    const std::int32_t ctx = g.context();
    ASSERT_EQ(g.nssl("NSSLAddServerPKI", {u(ctx), u(kTestEcRootId)}), 0);
    ASSERT_NO_FATAL_FAILURE(expectBothRefuse(ctx, "server", "localhost", FailureReason::Untrusted));
    auto peer = server("server");
    ASSERT_TRUE(peer);
    const BridgedFetch own = curlFetch(ctx, peer->port(), "localhost");
    EXPECT_EQ(own.transfer.storeCertificates, 1);
    EXPECT_FALSE(own.transfer.opensslAgreed);

    // A CA file curl loads on its own (as a host's default bundle would be) widens OpenSSL's
    // store, not the bridge's trust: the server stays refused.
    const BridgedFetch widened = curlFetch(ctx, peer->port(), "localhost", {.caFile = pkiPath("root.pem").string()});
    EXPECT_FALSE(widened.ok);
    ASSERT_TRUE(widened.transfer.verdict);
    EXPECT_EQ(widened.transfer.verdict->reason, FailureReason::Untrusted);
}

// The bridge's verdict names the console quirk an acceptance relied on, as the handshake's
// quirksUsed() does: here an unrelated root sent between the leaf and its issuer, which only the
// console's roots-ignored rule gets past (tests/fixtures/make_quirk_pki.sh).
TEST_F(CurlBridge, VerdictNamesTheConsoleQuirkItReliedOn)
{
    const std::vector<Bytes> withOtherRoot{quirkPkiBytes("host-by-int.der"), quirkPkiBytes("other-ca.der"),
                                           quirkPkiBytes("int.der")};
    const std::vector<Bytes> genuine{quirkPkiBytes("host-by-int.der"), quirkPkiBytes("int.der")};
    const std::int32_t ctx = g.context(0, quirkPkiBytes("ca.der"));
    const curl_bridge::Verdict console = curl_bridge::verifyPeer(g.process(), ctx, "localhost", withOtherRoot);
    ASSERT_TRUE(console.accepted()) << console.text;
    EXPECT_EQ(console.quirks, tls::quirk::RootInChainIgnored) << tls::quirkNames(console.quirks);
    const curl_bridge::Verdict plain = curl_bridge::verifyPeer(g.process(), ctx, "localhost", genuine);
    ASSERT_TRUE(plain.accepted()) << plain.text;
    EXPECT_EQ(plain.quirks, 0u);

    nssl::Config strictConfig;
    strictConfig.strict = true;
    NsslGuest strict(strictConfig);
    const std::int32_t strictCtx = strict.context(0, quirkPkiBytes("ca.der"));
    const curl_bridge::Verdict refused = curl_bridge::verifyPeer(strict.process(), strictCtx, "localhost", withOtherRoot);
    EXPECT_FALSE(refused.accepted());
    EXPECT_EQ(refused.reason, FailureReason::Untrusted) << refused.text;
    EXPECT_EQ(refused.quirks, 0u);
}

TEST_F(CurlBridge, ExpiredServerIsRefusedAsExpired)
{
    ASSERT_NO_FATAL_FAILURE(expectBothRefuse(rootContext(), "expired", "localhost", FailureReason::Expired));
}

TEST_F(CurlBridge, WrongHostIsRefusedAsNameMismatch)
{
    ASSERT_NO_FATAL_FAILURE(expectBothRefuse(rootContext(), "server", "wrong.test", FailureReason::NameMismatch));
}

TEST_F(CurlBridge, RevokedServerIsRefusedThroughTheContextsCrl)
{
    const std::int32_t ctx = rootContext();
    const Bytes crl = pkiBytes("int.crl.der");
    ASSERT_EQ(g.call32("nn_nets2", "NSSLAddCRLExternal", {u(ctx), g.putBytes(crl), u(static_cast<std::int32_t>(crl.size())), 0}), 0);
    ASSERT_EQ(g.call32("nn_nets2", "NSSLContextSetFlags", {u(ctx), 0x1}), 0);
    ASSERT_NO_FATAL_FAILURE(expectBothRefuse(ctx, "revoked", "localhost", FailureReason::Revoked));
}

TEST_F(CurlBridge, PresentsTheContextsClientCertificateWhenAsked)
{
    const std::int32_t ctx = rootContext();
    ASSERT_EQ(g.nssl("NSSLSetClientPKI", {u(ctx), u(kTestClientId)}), 0);
    auto peer = server("server", true);
    ASSERT_TRUE(peer);
    FailureReason reason{};
    ASSERT_EQ(moduleHandshake(ctx, peer->port(), "localhost", reason), 0) << tls::failureReasonName(reason);

    const BridgedFetch f = curlFetch(ctx, peer->port(), "localhost");
    ASSERT_TRUE(f.ok) << f.error;
    EXPECT_TRUE(f.transfer.clientCertificateAsked);
    // s_server -www shows the client certificate it received.
    EXPECT_NE(f.body.find("NSSL Test Client"), std::string::npos) << f.body;
}

TEST_F(CurlBridge, PresentsTheClientCertificateWithTheKeyKeptInTheModule)
{
    const std::int32_t ctx = rootContext();
    ASSERT_EQ(g.nssl("NSSLSetClientPKI", {u(ctx), u(kTestClientId)}), 0);
    auto peer = server("server", true);
    ASSERT_TRUE(peer);
    const BridgedFetch f = curlFetch(ctx, peer->port(), "localhost", {.caFile = "", .exportKey = false});
    ASSERT_TRUE(f.ok) << f.error;
    EXPECT_TRUE(f.transfer.description.client->privateKeyDer.empty());
    EXPECT_EQ(f.transfer.moduleSignatures, 1);  // the one CertificateVerify
    EXPECT_NE(f.body.find("NSSL Test Client"), std::string::npos) << f.body;
}

TEST_F(CurlBridge, WithoutAClientCertificateBothAreRefusedBySuchAServer)
{
    const std::int32_t ctx = rootContext();
    auto peer = server("server", true);
    ASSERT_TRUE(peer);
    FailureReason reason{};
    EXPECT_NE(moduleHandshake(ctx, peer->port(), "localhost", reason), 0);
    const BridgedFetch f = curlFetch(ctx, peer->port(), "localhost");
    EXPECT_FALSE(f.ok);
    EXPECT_TRUE(f.transfer.clientCertificateAsked);
}

TEST_F(CurlBridge, DescribesEveryPartOfTheContext)
{
    const Bytes extra = pkiBytes("ec-root.der");
    nssl::Config config;
    config.extraTrustedCas = {extra};
    NsslGuest guest(config);
    const Bytes external = pkiBytes("int.der");
    const std::int32_t ctx = guest.context(0, external);
    ASSERT_EQ(guest.nssl("NSSLAddServerPKI", {u(ctx), u(kTestRootId)}), 0);
    ASSERT_EQ(guest.nssl("NSSLAddServerPKI", {u(ctx), u(kTestRootId)}), 0);  // kept once
    ASSERT_EQ(guest.nssl("NSSLSetClientPKI", {u(ctx), u(kTestClientId)}), 0);
    const Bytes crl = pkiBytes("int.crl.der");
    ASSERT_EQ(guest.call32("nn_nets2", "NSSLAddCRLExternal", {u(ctx), guest.putBytes(crl), u(static_cast<std::int32_t>(crl.size())), 0}), 0);
    ASSERT_EQ(guest.call32("nn_nets2", "NSSLContextSetFlags", {u(ctx), 0x3}), 0);

    curl_bridge::ContextDescription d;
    ASSERT_EQ(curl_bridge::describeContext(guest.process(), ctx, d), 0);
    ASSERT_EQ(d.trustedCas.size(), 3u);
    EXPECT_EQ(d.trustedCas[0].der, external);
    EXPECT_EQ(d.trustedCas[0].origin, curl_bridge::TrustedCa::Origin::External);
    EXPECT_EQ(d.trustedCas[1].der, pkiBytes("root.der"));
    EXPECT_EQ(d.trustedCas[1].origin, curl_bridge::TrustedCa::Origin::Internal);
    EXPECT_EQ(d.trustedCas[1].certId, kTestRootId);
    EXPECT_EQ(d.trustedCas[2].der, extra);
    EXPECT_EQ(d.trustedCas[2].origin, curl_bridge::TrustedCa::Origin::Extra);
    ASSERT_TRUE(d.client);
    ASSERT_EQ(d.client->chain.size(), 1u);
    EXPECT_EQ(d.client->chain[0], pkiBytes("client.der"));
    EXPECT_EQ(d.client->keyType, curl_bridge::ClientCertificate::KeyType::Rsa);
    EXPECT_TRUE(d.client->privateKeyDer.empty());  // not without exportPrivateKey
    ASSERT_EQ(d.crls.size(), 1u);
    EXPECT_EQ(d.crls[0], crl);
    EXPECT_EQ(d.flags, 0x3u);
    EXPECT_EQ(d.minVersion, 0x0301);
    EXPECT_EQ(d.maxVersion, 0x0303);
    EXPECT_FALSE(d.acceptAnyCertificate);

    EXPECT_EQ(curl_bridge::describeContext(guest.process(), ctx + 1, d), NsslGuest::code(nssl::NsslError::INVALID_NSSL_CONTEXT));
    const std::vector<Bytes> chain = {pkiBytes("server.der"), pkiBytes("int.der")};
    EXPECT_EQ(curl_bridge::verifyPeer(guest.process(), ctx + 1, "localhost", chain).error,
              NsslGuest::code(nssl::NsslError::INVALID_NSSL_CONTEXT));
}


TEST_F(CurlBridge, SignsWithTheContextsKeyWithoutExportingIt)
{
    const Bytes digest(32, 0x5a);  // any 32 bytes stand for a SHA-256 digest
    std::int32_t ctx = rootContext();
    ASSERT_EQ(g.nssl("NSSLSetClientPKI", {u(ctx), u(kTestClientId)}), 0);
    curl_bridge::ContextDescription rsa;
    ASSERT_EQ(curl_bridge::describeContext(g.process(), ctx, rsa), 0);
    ASSERT_TRUE(rsa.client && rsa.client->sign);
    const Bytes rsaSig = rsa.client->sign(curl_bridge::SignatureHash::Sha256, digest);
    EXPECT_EQ(rsaSig.size(), 256u);
    EXPECT_TRUE(opensslVerifiesSha256(rsa.client->chain[0], digest, rsaSig));
    EXPECT_TRUE(rsa.client->sign(curl_bridge::SignatureHash::Sha384, digest).empty());  // wrong size

    const Bytes ecCert = pkiBytes("ec-server.der"), ecKey = pkiBytes("ec-server.key.der");
    ctx = g.context();
    ASSERT_EQ(g.nssl("NSSLSetClientPKIExternal", {u(ctx), g.putBytes(ecCert), u(static_cast<std::int32_t>(ecCert.size())), 0,
                                                  g.putBytes(ecKey), u(static_cast<std::int32_t>(ecKey.size())), 0}), 0);
    curl_bridge::ContextDescription ec;
    ASSERT_EQ(curl_bridge::describeContext(g.process(), ctx, ec, {.exportPrivateKey = true}), 0);
    ASSERT_TRUE(ec.client);
    EXPECT_EQ(ec.client->keyType, curl_bridge::ClientCertificate::KeyType::Ec);
    EXPECT_EQ(ec.client->privateKeyDer, ecKey);
    // The signing function keeps the key alive after the context is gone.
    ASSERT_EQ(g.nssl("NSSLDestroyContext", {u(ctx)}), 0);
    const Bytes ecSig = ec.client->sign(curl_bridge::SignatureHash::Sha256, digest);
    EXPECT_TRUE(opensslVerifiesSha256(ecCert, digest, ecSig));
}

/// A console clock set far ahead: both verdicts follow it, not the host's clock.
class FutureClock : public guest::DefaultHooks {
public:
    std::chrono::system_clock::time_point now() override
    {
        return std::chrono::system_clock::now() + std::chrono::hours(24 * 365 * 40);
    }
};

TEST_F(CurlBridge, JudgesAtTheEmulatedClockAsTheHandshakeDoes)
{
    FutureClock clock;
    NsslGuest future(nssl::Config{}, testCertStore(), &clock);
    const std::int32_t ctx = future.context(0, pkiBytes("root.der"));
    const std::vector<Bytes> chain = {pkiBytes("server.der"), pkiBytes("int.der")};
    const curl_bridge::Verdict later = curl_bridge::verifyPeer(future.process(), ctx, "localhost", chain);
    EXPECT_EQ(later.reason, FailureReason::Expired) << later.text;
    EXPECT_EQ(later.error, NsslGuest::code(nssl::NsslError::HANDSHAKE_ERROR));
    // Without the dates bit the same chain passes, as NSSLCreateConnection's options 0x3 would.
    EXPECT_TRUE(curl_bridge::verifyPeer(future.process(), ctx, "localhost", chain, 0x3).accepted());

    auto peer = server("server");
    ASSERT_TRUE(peer);
    std::int32_t fd = -1;
    const std::int32_t conn = future.connection(ctx, peer->port(), "localhost", curl_bridge::kVerifyAll, true, &fd);
    EXPECT_EQ(future.nssl("NSSLDoHandshake", {u(conn)}), later.error);
    EXPECT_EQ(future.process().state()->nssl().failure(nssl::ConnectionHandle{conn})->reason, later.reason);
}

}  // namespace
