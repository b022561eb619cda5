// nssl-probe --firmware / --strict: the verdict for one firmware and the console quirk a success
// relied on, in text and JSON, for an SSSL-style chain (tests/fixtures/make_quirk_pki.sh) served
// by a real TLS server on 127.0.0.1 (malformed and unknown versions: probe_cli_test.cpp).
#include <gtest/gtest.h>

#include "support/bearssl_server.h"
#include "support/pki_fixture.h"
#include "tools/probe_run.h"

namespace wiiu::test {
namespace {

/// A server sending `leaf`, `middle` (when not empty) and `issuer` (make_quirk_pki.sh names).
std::unique_ptr<BearSslServer> serverFor(const std::string& leaf, const std::string& issuer,
                                         const std::string& middle = {})
{
    BearSslServer::Options o;
    o.chain = {quirkPkiBytes(leaf + ".der"), quirkPkiBytes(issuer + ".der")};
    if (!middle.empty()) o.chain.insert(o.chain.begin() + 1, quirkPkiBytes(middle + ".der"));
    o.key = quirkPkiBytes(leaf + ".key.der");
    o.behavior = BearSslServer::Behavior::Echo;
    std::string why;
    auto server = BearSslServer::start(std::move(o), &why);
    EXPECT_TRUE(server) << why;
    return server;
}

std::unique_ptr<BearSslServer> ssslServer() { return serverFor("sssl-leaf", "sssl-ca"); }

std::vector<std::string> probeArgs(std::uint16_t port, std::vector<std::string> extra,
                                   const std::string& host = "account.nintendo.net")
{
    std::vector<std::string> args{"--ca-file", quirkPkiPath("ca.der").string(), "--connect",
                                  "127.0.0.1:" + std::to_string(port), "--host", host};
    args.insert(args.end(), extra.begin(), extra.end());
    return args;
}

TEST(ProbeQuirk, SsslChainVerdictPerFirmware)
{
    auto server = ssslServer();
    ASSERT_TRUE(server);
    const ProbeRun old = runProbe(probeArgs(server->port(), {"--firmware", "5.5.4"}));
    EXPECT_EQ(old.exitCode, 2) << old.out << old.err;
    EXPECT_NE(old.out.find("verdict on firmware 5.5.4: refused (Untrusted)"), std::string::npos) << old.out;

    const ProbeRun now = runProbe(probeArgs(server->port(), {"--firmware", "5.5.5"}));
    EXPECT_EQ(now.exitCode, 0) << now.out << now.err;
    EXPECT_NE(now.out.find("verdict on firmware 5.5.5: accepted through bare-wildcard-name+forged-ca"),
              std::string::npos) << now.out;
    EXPECT_NE(now.out.find("accepted only through the 5.5.5 forged-CA path"), std::string::npos) << now.out;
    EXPECT_NE(now.out.find("host name matched only through the bare-* rule"), std::string::npos) << now.out;

    const ProbeRun strict = runProbe(probeArgs(server->port(), {"--strict"}));
    EXPECT_EQ(strict.exitCode, 2) << strict.out << strict.err;
    EXPECT_NE(strict.out.find("verdict on --strict (no console quirks): refused (NameMismatch)"), std::string::npos)
        << strict.out;
}

TEST(ProbeQuirk, JsonNamesTheQuirksAndTheFirmware)
{
    auto server = ssslServer();
    ASSERT_TRUE(server);
    const ProbeRun r = runProbe(probeArgs(server->port(), {"--json"}));  // the default, 5.5.6
    ASSERT_EQ(r.exitCode, 0) << r.out << r.err;
    const auto j = r.json();
    ASSERT_TRUE(j.is_object()) << r.out;
    EXPECT_EQ(j["firmware"], "5.5.6");
    EXPECT_EQ(j["strict"], false);
    EXPECT_EQ(j["quirks"], nlohmann::json::array({"forged-ca", "bare-wildcard-name"}));
    EXPECT_NE(j["quirk_note"].get<std::string>().find("forged-CA path"), std::string::npos);
    EXPECT_EQ(j["connections"][0]["quirks"], j["quirks"]);

    const ProbeRun s = runProbe(probeArgs(server->port(), {"--json", "--strict"}));
    EXPECT_EQ(s.exitCode, 2) << s.out << s.err;
    const auto js = s.json();
    EXPECT_TRUE(js["firmware"].is_null());
    EXPECT_EQ(js["strict"], true);
    EXPECT_EQ(js["quirks"], nlohmann::json::array());
    EXPECT_EQ(js["failure"], "NameMismatch");
}

TEST(ProbeQuirk, PlainChainNeedsNoQuirk)
{
    auto server = serverFor("host-by-ca", "ca");
    ASSERT_TRUE(server);
    const ProbeRun r = runProbe(probeArgs(server->port(), {"--firmware", "5.5.4"}, "localhost"));
    EXPECT_EQ(r.exitCode, 0) << r.out << r.err;
    EXPECT_NE(r.out.find("verdict on firmware 5.5.4: accepted by plain X.509"), std::string::npos) << r.out;
}

// Leaf, an unrelated root, then the leaf's issuer: accepted only because the console ignores
// roots in the chain, which plain X.509 (and every other client) does not, so the verdict names it.
TEST(ProbeQuirk, UnrelatedRootInTheChainIsNamed)
{
    auto server = serverFor("host-by-int", "int", "other-ca");
    ASSERT_TRUE(server);
    for (const char* firmware : {"5.5.4", "5.5.5", "5.5.6"}) {
        const ProbeRun r = runProbe(probeArgs(server->port(), {"--firmware", firmware}, "localhost"));
        EXPECT_EQ(r.exitCode, 0) << r.out << r.err;
        EXPECT_NE(r.out.find(std::string("verdict on firmware ") + firmware +
                             ": accepted through root-in-chain-ignored: accepted only because the console "
                             "ignores a root-looking certificate in the chain"),
                  std::string::npos) << r.out;
    }
    const ProbeRun j = runProbe(probeArgs(server->port(), {"--json"}, "localhost"));
    ASSERT_EQ(j.exitCode, 0) << j.out << j.err;
    const auto json = j.json();
    EXPECT_EQ(json["quirks"], nlohmann::json::array({"root-in-chain-ignored"}));
    EXPECT_EQ(json["connections"][0]["quirks"], json["quirks"]);
    EXPECT_NE(json["quirk_note"].get<std::string>().find("other clients refuse the chain as sent"), std::string::npos);

    const ProbeRun strict = runProbe(probeArgs(server->port(), {"--strict"}, "localhost"));
    EXPECT_EQ(strict.exitCode, 2) << strict.out << strict.err;
    EXPECT_NE(strict.out.find("verdict on --strict (no console quirks): refused (Untrusted)"), std::string::npos)
        << strict.out;
    EXPECT_NE(strict.out.find("BR_ERR_X509_DN_MISMATCH"), std::string::npos) << strict.out;
}

}  // namespace
}  // namespace wiiu::test
