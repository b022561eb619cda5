// Interop with real TLS servers: openssl s_server, gnutls-serv and python3 ssl on 127.0.0.1.
#include <fstream>

#include <gtest/gtest.h>

#include "tls/cipher_suites.h"
#include "interop/tls_test_util.h"
#include "support/tls_peer.h"

namespace wiiu::test {
namespace {

using tls::TlsStatus;
using Kind = TlsPeer::Kind;
using Version = TlsPeer::Version;

std::unique_ptr<TlsPeer> startPeer(TlsPeer::Options o)
{
    if (o.cert.empty()) {
        o.cert = pem("server.pem");
        o.key = pem("server.key");
        o.chain = pem("int.pem");
    }
    std::string why;
    auto peer = TlsPeer::start(o, &why);
    EXPECT_TRUE(peer) << why;
    return peer;
}

TlsPeer::Options opts(Kind kind, Version version = Version::Default)
{
    TlsPeer::Options o;
    o.kind = kind;
    o.version = version;
    return o;
}

TlsPeer::Options withClientCA(TlsPeer::Options o, const std::string& ca)
{
    o.clientCA = ca;
    return o;
}

std::uint16_t wireVersion(Version v)
{
    return v == Version::Tls10 ? BR_TLS10 : v == Version::Tls11 ? BR_TLS11 : BR_TLS12;
}

struct PeerVersion {
    Kind kind;
    Version version;
};

class tls_peer_versions : public ::testing::TestWithParam<PeerVersion> {};

TEST_P(tls_peer_versions, HandshakeAndRequestResponse)
{
    const auto [kind, version] = GetParam();
    auto peer = startPeer(opts(kind, version));
    ASSERT_TRUE(peer);
    Conn c = connectTo(peer->port(), defaultConfig());
    ASSERT_EQ(c.handshake(), TlsStatus::Ok) << describe(*c.tls) << "\n" << peer->output();
    EXPECT_EQ(c.tls->version(), wireVersion(version));
    EXPECT_FALSE(c.tls->cipherSuiteName().empty());
    EXPECT_EQ(c.tls->peerChain().size(), 2u);
    EXPECT_EQ(c.tls->peerChain()[0], der("server.der"));

    ASSERT_EQ(c.writeAll("ping from nssl\n"), TlsStatus::Ok);
    std::string reply;
    if (kind == Kind::OpenSsl) {  // s_server prints what it got and sends what we type
        ASSERT_TRUE(peer->waitForOutput("ping from nssl")) << peer->output();
        peer->writeStdin("pong\n");
        ASSERT_EQ(c.readExactly(5, reply), TlsStatus::Ok);
        EXPECT_EQ(reply, "pong\n");
    } else {
        ASSERT_EQ(c.readExactly(15, reply), TlsStatus::Ok);
        EXPECT_EQ(reply, "ping from nssl\n");
    }
    EXPECT_EQ(c.close(), TlsStatus::Ok);
}

INSTANTIATE_TEST_SUITE_P(
    All, tls_peer_versions,
    ::testing::Values(PeerVersion{Kind::OpenSsl, Version::Tls10}, PeerVersion{Kind::OpenSsl, Version::Tls11},
                      PeerVersion{Kind::OpenSsl, Version::Tls12}, PeerVersion{Kind::GnuTls, Version::Tls10},
                      PeerVersion{Kind::GnuTls, Version::Tls11}, PeerVersion{Kind::GnuTls, Version::Tls12},
                      PeerVersion{Kind::Python, Version::Tls12}),
    [](const auto& p) {
        const char* k = p.param.kind == Kind::OpenSsl  ? "OpenSsl"
                        : p.param.kind == Kind::GnuTls ? "GnuTls"
                                                          : "Python";
        const char* v = p.param.version == Version::Tls10   ? "Tls10"
                        : p.param.version == Version::Tls11 ? "Tls11"
                                                               : "Tls12";
        return std::string(k) + v;
    });

TEST(tls_peers, AesGcmChosenFirstWhenAllowed)
{
    for (Kind kind : {Kind::OpenSsl, Kind::GnuTls}) {
        auto peer = startPeer(opts(kind, Version::Tls12));
        ASSERT_TRUE(peer);
        Conn c = connectTo(peer->port(), defaultConfig());
        ASSERT_EQ(c.handshake(), TlsStatus::Ok) << describe(*c.tls);
        EXPECT_EQ(c.tls->cipherSuite(), BR_TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256);
        EXPECT_EQ(c.tls->cipherSuiteName(), "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256");
        c.close();
    }
}

TEST(tls_peers, VersionRefusedByServerIsProtocolVersion)
{
    auto peer = startPeer(opts(Kind::OpenSsl, Version::Tls12));
    ASSERT_TRUE(peer);
    auto config = defaultConfig();
    config.minVersion = config.maxVersion = BR_TLS10;
    Conn c = connectTo(peer->port(), std::move(config));
    EXPECT_EQ(c.handshake(), TlsStatus::HandshakeFailed);
    EXPECT_EQ(c.tls->failure().reason, tls::FailureReason::ProtocolVersion) << describe(*c.tls);
}

TEST(tls_peers, SniSentOrNotToOpenSsl)
{
    for (bool sni : {true, false}) {
        auto o = opts(Kind::OpenSsl);
        o.reportSni = true;
        auto peer = startPeer(o);
        ASSERT_TRUE(peer);
        auto config = defaultConfig();
        config.sendSni = sni;
        config.trust = trustOf({"root.der", "int.der"});  // s_server's SNI context sends no chain
        Conn c = connectTo(peer->port(), std::move(config));
        ASSERT_EQ(c.handshake(), TlsStatus::Ok) << describe(*c.tls);
        ASSERT_EQ(c.writeAll("x\n"), TlsStatus::Ok);
        ASSERT_TRUE(peer->waitForOutput("x\n"));  // the handshake's output is complete by now
        EXPECT_EQ(peer->output().find("Hostname in TLS extension: \"localhost\"") != std::string::npos,
                  sni) << peer->output();
        c.close();
    }
}

TEST(tls_peers, KeyLogLineMatchesOpenSsl)
{
    const auto file = pkiDir().parent_path() / ("tls-keylog-" + std::to_string(::getpid()) + ".txt");
    auto o = opts(Kind::OpenSsl);
    o.keyLogFile = file.string();
    auto peer = startPeer(o);
    ASSERT_TRUE(peer);
    Conn c = connectTo(peer->port(), defaultConfig());
    ASSERT_EQ(c.handshake(), TlsStatus::Ok) << describe(*c.tls);
    ASSERT_EQ(c.writeAll("k\n"), TlsStatus::Ok);
    ASSERT_TRUE(peer->waitForOutput("k\n"));
    const std::string line = c.tls->keyLogLine();
    ASSERT_EQ(line.size(), 14u + 64 + 1 + 96);
    std::ifstream in(file);
    std::string l;
    bool found = false;
    while (std::getline(in, l))
        if (l == line) found = true;
    EXPECT_TRUE(found) << "ours: " << line;
    c.close();
    peer.reset();
    std::filesystem::remove(file);
}

TEST(tls_peers, ResumptionWithOpenSsl)
{
    auto peer = startPeer(opts(Kind::OpenSsl));
    ASSERT_TRUE(peer);
    std::optional<tls::SessionParameters> session;
    {
        Conn c = connectTo(peer->port(), defaultConfig());
        ASSERT_EQ(c.handshake(), TlsStatus::Ok) << describe(*c.tls);
        EXPECT_FALSE(c.tls->resumed());
        session = c.tls->session();
        ASSERT_TRUE(session);
        ASSERT_EQ(c.close(), TlsStatus::Ok);  // OpenSSL drops sessions closed uncleanly
    }
    {
        auto config = defaultConfig();
        config.resume = session;
        Conn c = connectTo(peer->port(), std::move(config));
        ASSERT_EQ(c.handshake(), TlsStatus::Ok) << describe(*c.tls);
        EXPECT_TRUE(c.tls->resumed());
        EXPECT_TRUE(c.tls->peerChain().empty());
        ASSERT_EQ(c.writeAll("r\n"), TlsStatus::Ok);
        EXPECT_TRUE(peer->waitForOutput("Reused session-id")) << peer->output();
        c.close();
    }
    {
        br_ssl_session_parameters raw = session->raw();
        raw.session_id[0] ^= 0xff;  // a session the server does not know
        auto config = defaultConfig();
        config.resume = tls::SessionParameters(raw);
        Conn c = connectTo(peer->port(), std::move(config));
        ASSERT_EQ(c.handshake(), TlsStatus::Ok) << describe(*c.tls);
        EXPECT_FALSE(c.tls->resumed());
        EXPECT_EQ(c.tls->peerChain().size(), 2u);
        c.close();
    }
}

TEST(tls_peers, RsaClientCertificateRequired)
{
    auto identity = tls::ClientIdentity::create({der("client.der"), der("int.der")},
                                                 der("client.rsa.der"));
    ASSERT_TRUE(identity) << (identity ? "" : identity.error());
    for (Kind kind : {Kind::OpenSsl, Kind::GnuTls}) {
        auto peer = startPeer(withClientCA(opts(kind), pem("ca-bundle.pem")));
        ASSERT_TRUE(peer);
        auto config = defaultConfig();
        config.identity = *identity;
        Conn c = connectTo(peer->port(), std::move(config));
        ASSERT_EQ(c.handshake(), TlsStatus::Ok) << describe(*c.tls) << peer->output();
        ASSERT_EQ(c.writeAll("with cert\n"), TlsStatus::Ok);
        if (kind == Kind::OpenSsl) {
            EXPECT_TRUE(peer->waitForOutput("with cert"));
            EXPECT_NE(peer->output().find("CN = NSSL Test Client"), std::string::npos) << peer->output();
        } else {
            std::string echo;
            EXPECT_EQ(c.readExactly(10, echo), TlsStatus::Ok);
        }
        c.close();
    }
}

TEST(tls_peers, MissingClientCertificateGetsAlert)
{
    for (Kind kind : {Kind::OpenSsl, Kind::GnuTls}) {
        auto peer = startPeer(withClientCA(opts(kind, Version::Tls12), pem("ca-bundle.pem")));
        ASSERT_TRUE(peer);
        Conn c = connectTo(peer->port(), defaultConfig());
        // The server may decide after our Finished: the alert can surface on the first read.
        TlsStatus s = c.handshake();
        if (s == TlsStatus::Ok) {
            std::string r;
            s = c.readExactly(1, r);
        }
        EXPECT_TRUE(s == TlsStatus::HandshakeFailed || s == TlsStatus::IoError) << tls::tlsStatusName(s);
        EXPECT_EQ(c.tls->failure().reason, tls::FailureReason::AlertReceived) << describe(*c.tls);
        EXPECT_GT(c.tls->failure().alert, 0);
    }
}

// A refused certificate is answered with the fatal alert other clients send (the console's
// choice is unknown: docs/abi.md), so the server's operator reads why in their log.
TEST(tls_peers, RefusedCertificateIsToldToTheServer)
{
    struct Case {
        std::string leaf;
        std::string host;
        std::string trust;
        tls::FailureReason reason;
        std::string alert;  // as s_server -msg names it
    };
    const Case cases[] = {
        {"server", "localhost", "ec-root.der", tls::FailureReason::Untrusted, "unknown_ca"},
        {"expired", "localhost", "root.der", tls::FailureReason::Expired, "certificate_expired"},
        {"server", "wronghost", "root.der", tls::FailureReason::NameMismatch, "bad_certificate"},
    };
    for (const Case& k : cases) {
        auto o = opts(Kind::OpenSsl, Version::Tls12);
        o.cert = pem(k.leaf + ".pem");
        o.key = pem(k.leaf + ".key");
        o.chain = pem("int.pem");
        o.extraArgs = {"-msg"};
        auto peer = startPeer(o);
        ASSERT_TRUE(peer);
        auto config = defaultConfig();
        config.hostName = k.host;
        config.trust = trustOf({k.trust});
        Conn c = connectTo(peer->port(), std::move(config));
        EXPECT_EQ(c.handshake(), TlsStatus::HandshakeFailed) << k.alert;
        EXPECT_EQ(c.tls->failure().reason, k.reason) << describe(*c.tls);
        EXPECT_TRUE(peer->waitForOutput("<<< TLS 1.2, Alert [length 0002], fatal " + k.alert)) << peer->output();
    }
}

TEST(tls_peers, EcClientCertificateRequired)
{
    const auto& [cert, key] = ecClientIdentity();
    ASSERT_FALSE(cert.empty());
    auto identity = tls::ClientIdentity::create({cert}, key);
    ASSERT_TRUE(identity) << (identity ? "" : identity.error());
    EXPECT_FALSE((*identity)->isRsa());
    for (Kind kind : {Kind::OpenSsl, Kind::GnuTls}) {
        auto peer = startPeer(withClientCA(opts(kind), pem("ec-root.pem")));
        ASSERT_TRUE(peer);
        auto config = defaultConfig();
        config.identity = *identity;
        Conn c = connectTo(peer->port(), std::move(config));
        ASSERT_EQ(c.handshake(), TlsStatus::Ok) << describe(*c.tls) << peer->output();
        ASSERT_EQ(c.writeAll("ec cert\n"), TlsStatus::Ok);
        if (kind == Kind::OpenSsl) {
            EXPECT_TRUE(peer->waitForOutput("ec cert")) << peer->output();
        } else {
            std::string echo;
            EXPECT_EQ(c.readExactly(8, echo), TlsStatus::Ok);
        }
        c.close();
    }
}

}  // namespace
}  // namespace wiiu::test
