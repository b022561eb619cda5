// nssl-probe --firmware / --strict: the verdict for one firmware and the console quirk a success
// relied on, in text and JSON, for an SSSL-style chain (tests/fixtures/make_quirk_pki.sh) served
// by a real TLS server on 127.0.0.1 (malformed and unknown versions: probe_cli_test.cpp).
#include <gtest/gtest.h>

#include "support/bearssl_server.h"
#include "support/pki_fixture.h"
#include "tools/probe_run.h"

namespace wiiu::test {
namespace {

/// A server sending `leaf` and its issuer (make_quirk_pki.sh names).
std::unique_ptr<BearSslServer> serverFor(const std::string& leaf, const std::string& issuer)
{
    BearSslServer::Options o;
    o.chain = {quirkPkiBytes(leaf + ".der"), quirkPkiBytes(issuer + ".der")};
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

}  // namespace
}  // namespace wiiu::test
