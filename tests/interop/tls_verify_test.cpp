// Verification bits (0x1 chain, 0x2 host name, 0x4 dates) alone and together, against the
// in-process BearSSL server sending chosen chains.
#include <gtest/gtest.h>

#include "interop/tls_test_util.h"
#include "support/bearssl_server.h"

namespace wiiu::test {
namespace {

using tls::TlsStatus;
using tls::FailureReason;
namespace verify = tls::verify;

std::unique_ptr<BearSslServer> serverWith(const std::string& leaf, bool sendIntermediate = true)
{
    BearSslServer::Options o;
    o.chain.push_back(der(leaf + ".der"));
    if (sendIntermediate) o.chain.push_back(der("int.der"));
    o.key = der(leaf + ".key.der");
    std::string why;
    auto s = BearSslServer::start(std::move(o), &why);
    EXPECT_TRUE(s) << why;
    return s;
}

struct Outcome {
    TlsStatus status;
    FailureReason reason;
    std::size_t chainLength;
    std::string sni;
};

Outcome handshakeWith(const std::string& leaf, std::uint32_t flags, std::string host = "localhost",
                      bool sni = true, std::vector<std::string> trust = {"root.der"},
                      tls::ChainCheck extra = {})
{
    auto server = serverWith(leaf);
    if (!server) return {TlsStatus::IoError, FailureReason::Internal, 0, ""};
    auto config = defaultConfig();
    config.verifyFlags = flags;
    config.hostName = host;
    config.sendSni = sni;
    config.trust = trustOf(trust);
    config.extraCheck = std::move(extra);
    Conn c = connectTo(server->port(), std::move(config));
    if (!c.tls) return {TlsStatus::IoError, FailureReason::Internal, 0, ""};
    Outcome out{c.handshake(), c.tls->failure().reason, c.tls->peerChain().size(), ""};
    if (out.status == TlsStatus::Ok) c.close();
    c.socket.reset();
    c.tls.reset();
    server->waitForConnections(1);
    auto seen = server->connections();
    if (!seen.empty()) out.sni = seen[0].sni;
    return out;
}

TEST(tls_verify, ChainViaIntermediateAllBits)
{
    auto o = handshakeWith("server", verify::All);
    EXPECT_EQ(o.status, TlsStatus::Ok) << tls::failureReasonName(o.reason);
    EXPECT_EQ(o.chainLength, 2u);
    EXPECT_EQ(o.sni, "localhost");
}

TEST(tls_verify, UntrustedRootFailsWithChainBitAndChainIsKept)
{
    auto o = handshakeWith("server", verify::Chain, "localhost", true, {"ec-root.der"});
    EXPECT_EQ(o.status, TlsStatus::HandshakeFailed);
    EXPECT_EQ(o.reason, FailureReason::Untrusted);
    EXPECT_EQ(o.chainLength, 2u);  // captured even though verification failed
}

TEST(tls_verify, UntrustedRootAcceptedWithoutChainBit)
{
    auto o = handshakeWith("server", verify::HostName | verify::Dates, "localhost", true,
                           {"ec-root.der"});
    EXPECT_EQ(o.status, TlsStatus::Ok) << tls::failureReasonName(o.reason);
}

TEST(tls_verify, ExpiredLeaf)
{
    EXPECT_EQ(handshakeWith("expired", verify::All).reason, FailureReason::Expired);
    EXPECT_EQ(handshakeWith("expired", verify::Dates).reason, FailureReason::Expired);
    // Dates off: ignored, even though no instant fits both the 2020 leaf and today's CA.
    EXPECT_EQ(handshakeWith("expired", verify::Chain | verify::HostName).status, TlsStatus::Ok);
    EXPECT_EQ(handshakeWith("expired", verify::HostName).status, TlsStatus::Ok);
    EXPECT_EQ(handshakeWith("expired", 0).status, TlsStatus::Ok);
}

TEST(tls_verify, NotYetValidLeaf)
{
    EXPECT_EQ(handshakeWith("notyet", verify::All).reason, FailureReason::NotYetValid);
    EXPECT_EQ(handshakeWith("notyet", verify::Dates).reason, FailureReason::NotYetValid);
    EXPECT_EQ(handshakeWith("notyet", verify::Chain | verify::HostName).status, TlsStatus::Ok);
}

TEST(tls_verify, WrongHostName)
{
    EXPECT_EQ(handshakeWith("server", verify::All, "wronghost").reason, FailureReason::NameMismatch);
    EXPECT_EQ(handshakeWith("server", verify::HostName, "wronghost").reason,
              FailureReason::NameMismatch);
    EXPECT_EQ(handshakeWith("server", verify::Chain | verify::Dates, "wronghost").status,
              TlsStatus::Ok);
}

TEST(tls_verify, NameCheckWithoutChainCheck)
{
    // Untrusted issuer, but the name alone is checked.
    auto ok = handshakeWith("server", verify::HostName, "localhost", true, {});
    EXPECT_EQ(ok.status, TlsStatus::Ok) << tls::failureReasonName(ok.reason);
    auto bad = handshakeWith("server", verify::HostName, "example.org", true, {});
    EXPECT_EQ(bad.reason, FailureReason::NameMismatch);
}

TEST(tls_verify, IpLiteralIsMatchedAgainstIpAddressEntries)
{
    // The leaf names IP:127.0.0.1; BearSSL alone would look for it among the dNSNames.
    auto ok = handshakeWith("server", verify::All, "127.0.0.1");
    EXPECT_EQ(ok.status, TlsStatus::Ok) << tls::failureReasonName(ok.reason);
    EXPECT_EQ(ok.sni, "");  // SNI never carries an address, even when asked to
    EXPECT_EQ(handshakeWith("server", verify::All, "127.0.0.2").reason, FailureReason::NameMismatch);
    EXPECT_EQ(handshakeWith("server", verify::HostName, "127.0.0.2", true, {}).reason,
              FailureReason::NameMismatch);
    EXPECT_EQ(handshakeWith("server", verify::Chain | verify::Dates, "127.0.0.2").status, TlsStatus::Ok);
}

TEST(tls_verify, NameCheckWithoutSni)
{
    auto ok = handshakeWith("server", verify::All, "localhost", false);
    EXPECT_EQ(ok.status, TlsStatus::Ok);
    EXPECT_EQ(ok.sni, "");
    auto bad = handshakeWith("server", verify::All, "wronghost", false);
    EXPECT_EQ(bad.reason, FailureReason::NameMismatch);
    EXPECT_EQ(bad.sni, "");
}

TEST(tls_verify, SniWithoutNameCheck)
{
    auto o = handshakeWith("server", verify::Chain | verify::Dates, "wronghost", true);
    EXPECT_EQ(o.status, TlsStatus::Ok);
    EXPECT_EQ(o.sni, "wronghost");
}

TEST(tls_verify, OptionsZeroAcceptsAnything)
{
    EXPECT_EQ(handshakeWith("expired", 0, "wronghost", true, {}).status, TlsStatus::Ok);
    EXPECT_EQ(handshakeWith("notyet", 0, "", false, {}).status, TlsStatus::Ok);
}

TEST(tls_verify, ExtraChainCheckRunsAfterNormalChecks)
{
    std::size_t seen = 0;
    auto revoke = [&](std::span<const pki::Bytes> chain) {
        seen = chain.size();
        return FailureReason::Revoked;
    };
    auto o = handshakeWith("server", verify::All, "localhost", true, {"root.der"}, revoke);
    EXPECT_EQ(o.status, TlsStatus::HandshakeFailed);
    EXPECT_EQ(o.reason, FailureReason::Revoked);
    EXPECT_EQ(seen, 2u);
    // Not reached when a normal check already failed.
    seen = 0;
    auto untrusted = handshakeWith("server", verify::All, "localhost", true, {"ec-root.der"}, revoke);
    EXPECT_EQ(untrusted.reason, FailureReason::Untrusted);
    EXPECT_EQ(seen, 0u);
}

TEST(tls_verify, IntermediateAsAnchor)
{
    EXPECT_EQ(handshakeWith("server", verify::All, "localhost", true, {"int.der"}).status,
              TlsStatus::Ok);
}

TEST(tls_verify, EcServerChain)
{
    BearSslServer::Options o;
    o.chain = {der("ec-server.der")};
    o.key = der("ec-server.key.der");
    auto server = BearSslServer::start(std::move(o));
    ASSERT_TRUE(server);
    auto config = defaultConfig();
    config.trust = trustOf({"ec-root.der"});
    Conn c = connectTo(server->port(), std::move(config));
    ASSERT_EQ(c.handshake(), TlsStatus::Ok) << describe(*c.tls);
    EXPECT_EQ(c.tls->cipherSuite(), BR_TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256);
}

}  // namespace
}  // namespace wiiu::test
