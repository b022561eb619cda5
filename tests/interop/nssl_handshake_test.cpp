// NSSL handshakes through the import table against real TLS servers on 127.0.0.1: versions,
// suites, verification options and client certificates.
#include <gtest/gtest.h>

#include "hle/nssl/service.h"
#include "support/bearssl_server.h"
#include "support/nssl_guest.h"
#include "support/pki_fixture.h"
#include "support/tls_peer.h"

using namespace wiiu;
using namespace wiiu::test;
using nssl::NsslError;

namespace {

constexpr std::uint32_t kVerifyAll = 7;

std::unique_ptr<TlsPeer> startPeer(const TlsPeer::Options& o)
{
    std::string why;
    auto peer = TlsPeer::start(o, &why);
    EXPECT_TRUE(peer) << why;
    return peer;
}

struct VersionCase {
    TlsPeer::Kind kind;
    TlsPeer::Version version;
    std::uint16_t wire;
};

class NsslVersions : public ::testing::TestWithParam<VersionCase> {};

TEST_P(NsslVersions, HandshakeRequestResponseAndCipherInfo)
{
    const VersionCase& c = GetParam();
    auto peer = startPeer(testServerOptions(c.kind, c.version));
    ASSERT_TRUE(peer);
    NsslGuest g;
    const std::int32_t ctx = g.context(0, pkiBytes("root.der"));
    ASSERT_GE(ctx, 0);
    const std::int32_t conn = g.connection(ctx, peer->port(), "localhost", kVerifyAll);
    ASSERT_GE(conn, 0);
    EXPECT_EQ(g.nssl("NSSLDoHandshake", {static_cast<std::uint32_t>(conn)}), 0);

    const auto info = g.alloc(68);
    ASSERT_EQ(g.nssl("NSSLGetCipherInfo", {static_cast<std::uint32_t>(conn), info}), 0);
    EXPECT_EQ(g.readValue<guest::be16>(info + 2), c.wire);
    const std::string name(reinterpret_cast<const char*>(g.host(info + 4)));
    EXPECT_NE(name.find("TLS_"), std::string::npos) << name;
    if (c.wire == 0x0303) {
        EXPECT_NE(name.find("_GCM_"), std::string::npos) << "AES-GCM must be offered before ChaCha20: " << name;
    }

    std::int32_t written = 0;
    // gnutls-serv's echo rewrites "\r\n\r\n", so echo servers get plain lines.
    const std::string request = c.kind == TlsPeer::Kind::OpenSsl ? "GET / HTTP/1.0\r\nHost: localhost\r\n\r\n"
                                                                 : "ping from the guest\n";
    ASSERT_EQ(g.write(conn, request, &written), 0);
    EXPECT_EQ(written, static_cast<std::int32_t>(request.size()));
    std::string reply;
    if (c.kind == TlsPeer::Kind::OpenSsl) {
        ASSERT_TRUE(peer->waitForOutput("Host: localhost"));
        peer->writeStdin("HTTP/1.0 200 OK\r\n\r\nhello\n");
        ASSERT_EQ(g.readExactly(conn, reply, 25), 0);
        EXPECT_EQ(reply, "HTTP/1.0 200 OK\r\n\r\nhello\n");
    } else {
        ASSERT_EQ(g.readExactly(conn, reply, request.size()), 0);  // echo servers
        EXPECT_EQ(reply, request);
    }
    EXPECT_EQ(g.nssl("NSSLDestroyConnection", {static_cast<std::uint32_t>(conn)}), 0);
    EXPECT_EQ(g.nssl("NSSLDestroyContext", {static_cast<std::uint32_t>(ctx)}), 0);
}

INSTANTIATE_TEST_SUITE_P(
    Peers, NsslVersions,
    ::testing::Values(VersionCase{TlsPeer::Kind::OpenSsl, TlsPeer::Version::Tls12, 0x0303},
                      VersionCase{TlsPeer::Kind::OpenSsl, TlsPeer::Version::Tls11, 0x0302},
                      VersionCase{TlsPeer::Kind::OpenSsl, TlsPeer::Version::Tls10, 0x0301},
                      VersionCase{TlsPeer::Kind::GnuTls, TlsPeer::Version::Tls12, 0x0303},
                      VersionCase{TlsPeer::Kind::GnuTls, TlsPeer::Version::Tls10, 0x0301},
                      VersionCase{TlsPeer::Kind::Python, TlsPeer::Version::Tls12, 0x0303}));

/// An in-process server presenting `leaf` (+ int) so each verification case is exact.
std::unique_ptr<BearSslServer> serverWith(const std::string& leaf, const std::string& key)
{
    BearSslServer::Options o;
    o.chain = {pkiBytes(leaf + ".der"), pkiBytes("int.der")};
    o.key = pkiBytes(key);
    o.behavior = BearSslServer::Behavior::Echo;
    std::string why;
    auto server = BearSslServer::start(std::move(o), &why);
    EXPECT_TRUE(server) << why;
    return server;
}

struct VerifyCase {
    const char* name;
    const char* leaf;
    const char* key;
    bool trustRoot;
    const char* host;
    std::uint32_t options;
    bool succeeds;
    tls::FailureReason reason;
};

class NsslVerification : public ::testing::TestWithParam<VerifyCase> {};

TEST_P(NsslVerification, EachOptionAloneAndTogether)
{
    const VerifyCase& c = GetParam();
    auto server = serverWith(c.leaf, c.key);
    ASSERT_TRUE(server);
    NsslGuest g;
    const std::int32_t ctx = g.context(0, c.trustRoot ? pkiBytes("root.der") : std::vector<std::uint8_t>{});
    ASSERT_GE(ctx, 0);
    const std::int32_t conn = g.connection(ctx, server->port(), c.host, c.options);
    ASSERT_GE(conn, 0);
    const std::int32_t r = g.nssl("NSSLDoHandshake", {static_cast<std::uint32_t>(conn)});
    if (c.succeeds) {
        EXPECT_EQ(r, 0);
        EXPECT_EQ(g.echo(conn, "ping"), "ping");
    } else {
        EXPECT_EQ(r, NsslGuest::code(NsslError::HANDSHAKE_ERROR));
        auto failure = g.process().state()->nssl().failure(nssl::ConnectionHandle{conn});
        ASSERT_TRUE(failure);
        EXPECT_EQ(failure->reason, c.reason) << failure->text;
        // The peer chain is kept even though verification failed.
        auto chain = g.process().state()->nssl().peerChain(nssl::ConnectionHandle{conn});
        ASSERT_TRUE(chain);
        EXPECT_EQ(chain->size(), 2u);
    }
}

using VF = tls::FailureReason;
INSTANTIATE_TEST_SUITE_P(
    Cases, NsslVerification,
    ::testing::Values(
        VerifyCase{"trusted_all_checks", "server", "server.key.der", true, "localhost", 7, true, VF::NoFailure},
        VerifyCase{"untrusted_root", "server", "server.key.der", false, "localhost", 1, false, VF::Untrusted},
        VerifyCase{"untrusted_but_chain_not_checked", "server", "server.key.der", false, "localhost", 6, true,
                   VF::NoFailure},
        VerifyCase{"expired", "expired", "expired.key.der", true, "localhost", 7, false, VF::Expired},
        VerifyCase{"expired_dates_not_checked", "expired", "expired.key.der", true, "localhost", 3, true, VF::NoFailure},
        VerifyCase{"not_yet_valid", "notyet", "notyet.key.der", true, "localhost", 4, false, VF::NotYetValid},
        VerifyCase{"wrong_host", "server", "server.key.der", true, "wronghost.example", 2, false,
                   VF::NameMismatch},
        VerifyCase{"wrong_host_name_not_checked", "server", "server.key.der", true, "wronghost.example", 5, true,
                   VF::NoFailure},
        VerifyCase{"ip_literal_in_san", "server", "server.key.der", true, "127.0.0.1", 7, true, VF::NoFailure},
        VerifyCase{"options_zero_accepts_anything", "expired", "expired.key.der", false, "nothing.example", 0,
                   true, VF::NoFailure}),
    [](const auto& param) { return std::string(param.param.name); });

TEST(NsslClientCertificate, InternalExternalAndMissing)
{
    auto o = testServerOptions(TlsPeer::Kind::OpenSsl, TlsPeer::Version::Tls12);
    o.clientCA = pkiPath("ca-bundle.pem").string();
    for (const char* mode : {"internal", "external", "missing"}) {
        SCOPED_TRACE(mode);
        auto peer = startPeer(o);
        ASSERT_TRUE(peer);
        NsslGuest g;
        const std::int32_t ctx = g.context(0);
        ASSERT_EQ(g.nssl("NSSLAddServerPKI", {static_cast<std::uint32_t>(ctx), kTestRootId}), 0);
        if (std::string(mode) == "internal") {
            ASSERT_EQ(g.nssl("NSSLSetClientPKI", {static_cast<std::uint32_t>(ctx), kTestClientId}), 0);
            EXPECT_EQ(g.nssl("NSSLSetClientPKI", {static_cast<std::uint32_t>(ctx), kTestClientId}),
                      NsslGuest::code(NsslError::CERT_LIMIT));
        } else if (std::string(mode) == "external") {
            auto cert = pkiBytes("client.der");
            auto key = pkiBytes("client.rsa.der");
            ASSERT_EQ(g.nssl("NSSLSetClientPKIExternal",
                             {static_cast<std::uint32_t>(ctx), g.putBytes(cert), static_cast<std::uint32_t>(cert.size()),
                              0, g.putBytes(key), static_cast<std::uint32_t>(key.size()), 0}),
                      0);
        }
        const std::int32_t conn = g.connection(ctx, peer->port(), "localhost", kVerifyAll);
        ASSERT_GE(conn, 0);
        const std::int32_t r = g.nssl("NSSLDoHandshake", {static_cast<std::uint32_t>(conn)});
        if (std::string(mode) == "missing") {
            EXPECT_EQ(r, NsslGuest::code(NsslError::HANDSHAKE_ERROR));
        } else {
            EXPECT_EQ(r, 0);
            EXPECT_TRUE(peer->waitForOutput("NSSL Test Client")) << peer->output();
        }
    }
}

TEST(NsslClientCertificate, ExternalKeyRefusals)
{
    NsslGuest g;
    const std::int32_t ctx = g.context(0);
    auto cert = pkiBytes("client.der");
    auto key = pkiBytes("client.rsa.der");
    auto otherKey = pkiBytes("server.rsa.der");
    auto set = [&](const std::vector<std::uint8_t>& c, std::int32_t ct, const std::vector<std::uint8_t>& k,
                   std::int32_t kt) {
        return g.nssl("NSSLSetClientPKIExternal",
                      {static_cast<std::uint32_t>(ctx), g.putBytes(c), static_cast<std::uint32_t>(c.size()),
                       static_cast<std::uint32_t>(ct), g.putBytes(k), static_cast<std::uint32_t>(k.size()),
                       static_cast<std::uint32_t>(kt)});
    };
    EXPECT_EQ(set(cert, 1, key, 0), NsslGuest::code(NsslError::INVALID_CERT_TYPE));
    EXPECT_EQ(set(cert, 0, key, 3), NsslGuest::code(NsslError::INVALID_KEY_TYPE));
    EXPECT_EQ(set(cert, 0, otherKey, 0), NsslGuest::code(NsslError::INVALID_PRIVATE_KEY));
    std::vector<std::uint8_t> garbage(100, 0x42);
    EXPECT_EQ(set(garbage, 0, key, 0), NsslGuest::code(NsslError::INVALID_CERT));
    EXPECT_EQ(set(cert, 0, garbage, 0), NsslGuest::code(NsslError::INVALID_PRIVATE_KEY));
    std::vector<std::uint8_t> huge(9000, 0x30);
    EXPECT_EQ(set(huge, 0, key, 0), NsslGuest::code(NsslError::CERT_SIZE_LIMIT));
    EXPECT_EQ(set(cert, 0, huge, 0), NsslGuest::code(NsslError::PRIVATE_KEY_SIZE_LIMIT));
    // EC keys work too, and the first good one wins: a second gives CERT_LIMIT.
    EXPECT_EQ(set(pkiBytes("ec-server.der"), 0, pkiBytes("ec-server.sec1.der"), 0), 0);
    EXPECT_EQ(set(cert, 0, key, 0), NsslGuest::code(NsslError::CERT_LIMIT));
}

}  // namespace
