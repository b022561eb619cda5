// nssl-probe against openssl s_server on 127.0.0.1 with the generated PKI: success, each
// verification failure, --time, client certificates, resumption, non-blocking mode.
#include <algorithm>

#include <gtest/gtest.h>

#include "support/pki_fixture.h"
#include "support/tls_peer.h"
#include "tools/probe_run.h"

namespace wiiu::test {
namespace {

std::string path(const char* name) { return pkiPath(name).string(); }

/// openssl s_server -www (answers GET with a status page) with `cert`, chained to int.pem.
std::unique_ptr<TlsPeer> server(const char* cert, const char* key, std::string clientCA = {},
                                std::string chain = path("int.pem"))
{
    TlsPeer::Options o;
    o.cert = path(cert);
    o.key = path(key);
    o.chain = std::move(chain);
    o.clientCA = std::move(clientCA);
    o.extraArgs = {"-www"};
    std::string why;
    auto peer = TlsPeer::start(o, &why);
    if (!peer)
        ADD_FAILURE() << "openssl s_server: " << why;
    return peer;
}

std::vector<std::string> args(const TlsPeer& peer, std::vector<std::string> extra)
{
    std::vector<std::string> a{"--connect", "127.0.0.1:" + std::to_string(peer.port()), "--json"};
    if (std::find(extra.begin(), extra.end(), "--host") == extra.end())
        a.insert(a.end(), {"--host", "localhost"});
    a.insert(a.end(), extra.begin(), extra.end());
    return a;
}

TEST(ProbeServer, SuccessReportsVersionSuiteChainAndData)
{
    auto peer = server("server.pem", "server.key");
    ASSERT_TRUE(peer);
    const ProbeRun r = runProbe(args(*peer, {"--ca-file", path("root.pem"), "--http-get", "/"}));
    ASSERT_EQ(r.exitCode, 0) << r.out << r.err;
    const auto j = r.json();
    EXPECT_EQ(j["result"], "OK");
    EXPECT_EQ(j["code"], 0);
    EXPECT_EQ(j["reason"], "");
    EXPECT_EQ(j["version"], 771);
    EXPECT_FALSE(j["suite"].get<std::string>().empty());
    ASSERT_EQ(j["peer_chain"].size(), 2u);
    EXPECT_NE(j["peer_chain"][0]["subject"].get<std::string>().find("CN=localhost"), std::string::npos);
    EXPECT_NE(j["peer_chain"][0]["issuer"].get<std::string>().find("NSSL Test Intermediate CA"), std::string::npos);
    EXPECT_EQ(j["peer_chain"][0]["sha256"],
              runCommand("openssl x509 -in " + path("server.pem") +
                         " -noout -fingerprint -sha256 | cut -d= -f2 | tr -d : | tr A-F a-f"));
    EXPECT_GT(j["bytes_read"].get<int>(), 100);
    EXPECT_EQ(j["resumed"], nlohmann::json::array());
    bool sawHandshake = false;
    for (const auto& c : j["calls"])
        sawHandshake |= c["call"] == "NSSLDoHandshake(conn=0)" && c["result_name"] == "NSSL_ERROR_OK";
    EXPECT_TRUE(sawHandshake) << j["calls"].dump();
}

TEST(ProbeServer, TextOutputNamesEachCallAndTheResult)
{
    auto peer = server("server.pem", "server.key");
    ASSERT_TRUE(peer);
    auto a = args(*peer, {"--ca-file", path("root.der"), "--status"});
    a.erase(std::find(a.begin(), a.end(), "--json"));
    const ProbeRun r = runProbe(a);
    ASSERT_EQ(r.exitCode, 0) << r.out << r.err;
    EXPECT_NE(r.out.find("NSSLCreateContext(0) -> 0"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("NSSLDoHandshake(conn=0) -> NSSL_ERROR_OK"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("handshake OK, TLS 1.2"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("established"), std::string::npos) << r.out;  // the --status table
}

struct FailureCase {
    const char* name;
    const char* cert;
    const char* key;
    std::vector<std::string> extra;
    const char* failure;
};

class ProbeFailureReason : public testing::TestWithParam<FailureCase> {};

TEST_P(ProbeFailureReason, ReportsTheReasonAndTheChain)
{
    const auto& c = GetParam();
    auto peer = server(c.cert, c.key);
    ASSERT_TRUE(peer);
    std::vector<std::string> extra;
    for (const auto& e : c.extra)
        extra.push_back(e.starts_with("@") ? path(e.c_str() + 1) : e);  // @file: a fixture
    const ProbeRun r = runProbe(args(*peer, extra));
    EXPECT_EQ(r.exitCode, 2) << r.out << r.err;
    const auto j = r.json();
    EXPECT_EQ(j["result"], "NSSL_ERROR_HANDSHAKE_ERROR") << r.out;
    EXPECT_EQ(j["code"], -0x28000e);
    EXPECT_EQ(j["failure"], c.failure) << j["reason"];
    EXPECT_FALSE(j["reason"].get<std::string>().empty());
    EXPECT_EQ(j["peer_chain"].size(), 2u) << "the chain is reported on failure too";
}

INSTANTIATE_TEST_SUITE_P(
    Cases, ProbeFailureReason,
    testing::Values(FailureCase{"untrusted", "server.pem", "server.key", {}, "Untrusted"},
                    FailureCase{"expired", "expired.pem", "expired.key", {"--ca-file", "@root.pem"}, "Expired"},
                    FailureCase{"wronghost", "server.pem", "server.key",
                                {"--ca-file", "@root.pem", "--host", "wrong.example.com"}, "NameMismatch"},
                    FailureCase{"clockInThePast", "server.pem", "server.key",
                                {"--ca-file", "@root.pem", "--time", "2001-01-01"}, "NotYetValid"}),
    [](const auto& p) { return std::string(p.param.name); });

TEST(ProbeServer, OverlongChainIsRefusedButStillShown)
{
    // The leaf and 20 copies of the intermediate: past the verifier's cap of 16 (docs/abi.md).
    const std::string bundle = (scratch("chain21") / "chain.pem").string();
    runCommand("for i in $(seq 20); do cat " + path("int.pem") + "; done > " + bundle);
    auto peer = server("server.pem", "server.key", {}, bundle);
    ASSERT_TRUE(peer);
    const ProbeRun r = runProbe(args(*peer, {"--ca-file", path("root.pem")}));
    EXPECT_EQ(r.exitCode, 2) << r.out << r.err;
    const auto j = r.json();
    EXPECT_EQ(j["result"], "NSSL_ERROR_HANDSHAKE_ERROR");
    EXPECT_EQ(j["failure"], "ChainTooLarge") << j["reason"];
    EXPECT_NE(j["reason"].get<std::string>().find("21 certificates"), std::string::npos) << j["reason"];
    ASSERT_EQ(j["peer_chain"].size(), 16u) << "the certificates kept up to the cap are shown";
    EXPECT_NE(j["peer_chain"][0]["subject"].get<std::string>().find("CN=localhost"), std::string::npos);
    EXPECT_NE(j["peer_chain"][15]["subject"].get<std::string>().find("NSSL Test Intermediate CA"), std::string::npos);
}

TEST(ProbeServer, ClockInTheFutureExpiresTheChain)
{
    auto peer = server("server.pem", "server.key");
    ASSERT_TRUE(peer);
    const ProbeRun r = runProbe(args(*peer, {"--ca-file", path("root.pem"), "--time", "2099-06-01T12:00:00Z"}));
    EXPECT_EQ(r.exitCode, 2) << r.out << r.err;
    EXPECT_EQ(r.json()["failure"], "Expired");
}

TEST(ProbeServer, WithoutTheDateBitAnyClockPasses)
{
    auto peer = server("server.pem", "server.key");
    ASSERT_TRUE(peer);
    const ProbeRun r =
        runProbe(args(*peer, {"--ca-file", path("root.pem"), "--time", "1300000000", "--verify", "3"}));
    EXPECT_EQ(r.exitCode, 0) << r.out << r.err;
}

TEST(ProbeServer, ClientCertificateRequired)
{
    auto peer = server("server.pem", "server.key", path("ca-bundle.pem"));
    ASSERT_TRUE(peer);
    const ProbeRun without = runProbe(args(*peer, {"--ca-file", path("root.pem"), "--http-get", "/"}));
    EXPECT_EQ(without.exitCode, 2) << without.out;
    peer = server("server.pem", "server.key", path("ca-bundle.pem"));
    ASSERT_TRUE(peer);
    const ProbeRun with = runProbe(args(*peer, {"--ca-file", path("root.pem"), "--client-cert", path("client.pem"),
                                                "--client-key", path("client.key"), "--http-get", "/"}));
    ASSERT_EQ(with.exitCode, 0) << with.out << with.err;
    EXPECT_GT(with.json()["bytes_read"].get<int>(), 0);
    EXPECT_TRUE(peer->waitForOutput("NSSL Test Client")) << peer->output();
}

TEST(ProbeServer, ResumeTwice)
{
    auto peer = server("server.pem", "server.key");
    ASSERT_TRUE(peer);
    const ProbeRun r = runProbe(args(*peer, {"--ca-file", path("root.pem"), "--resume", "2"}));
    ASSERT_EQ(r.exitCode, 0) << r.out << r.err;
    EXPECT_EQ(r.json()["resumed"], nlohmann::json::array({true, true})) << r.out;
}

TEST(ProbeServer, NonBlockingWaitsWithSelect)
{
    // Every run must succeed; at least one must have met a WANT_* and waited in select. A run on
    // a loaded machine can find every answer already there each time it reads (the client was
    // preempted for a whole round trip), and then has nothing to wait for.
    bool sawSelect = false, sawWant = false;
    std::string calls;
    for (int attempt = 0; attempt < 5 && !(sawSelect && sawWant); ++attempt) {
        auto peer = server("server.pem", "server.key");
        ASSERT_TRUE(peer);
        const ProbeRun r = runProbe(args(*peer, {"--ca-file", path("root.pem"), "--nonblocking", "--http-get", "/"}));
        ASSERT_EQ(r.exitCode, 0) << r.out << r.err;
        const auto j = r.json();
        EXPECT_GT(j["bytes_read"].get<int>(), 0);
        sawSelect = sawWant = false;
        for (const auto& c : j["calls"]) {
            sawSelect |= c["call"].get<std::string>().starts_with("select(");
            sawWant |= c["result_name"].get<std::string>().starts_with("NSSL_ERROR_WANT_");
        }
        calls = j["calls"].dump(1);
    }
    EXPECT_TRUE(sawSelect && sawWant) << calls;
}

TEST(ProbeServer, ResolvesNamesWithGetaddrinfo)
{
    auto peer = server("server.pem", "server.key");
    ASSERT_TRUE(peer);
    const ProbeRun r = runProbe({"--connect", "localhost:" + std::to_string(peer->port()), "--ca-file",
                                 path("root.pem"), "--json"});
    ASSERT_EQ(r.exitCode, 0) << r.out << r.err;
    bool sawLookup = false;
    const auto j = r.json();
    for (const auto& c : j["calls"]) {
        const auto call = c["call"].get<std::string>();  // the module's trace, then the probe's note
        sawLookup |= call.starts_with("getaddrinfo(0x") && call.ends_with("[\"localhost\", SOCK_STREAM]");
    }
    EXPECT_TRUE(sawLookup);
}

}  // namespace
}  // namespace wiiu::test
