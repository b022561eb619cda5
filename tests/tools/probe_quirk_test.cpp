// nssl-probe --firmware / --strict: the verdict for one firmware and the console quirk a success
// relied on, in text and JSON, for an SSSL-style chain (tests/fixtures/make_quirk_pki.sh) served
// by a real TLS server on 127.0.0.1; malformed and unknown versions are usage errors.
#include <gtest/gtest.h>

#include "support/bearssl_server.h"
#include "support/pki_fixture.h"
#include "tools/probe_run.h"

namespace wiiu::test {
namespace {

std::unique_ptr<BearSslServer> ssslServer()
{
    BearSslServer::Options o;
    o.chain = {quirkPkiBytes("sssl-leaf.der"), quirkPkiBytes("sssl-ca.der")};
    o.key = quirkPkiBytes("sssl-leaf.key.der");
    o.behavior = BearSslServer::Behavior::Echo;
    std::string why;
    auto server = BearSslServer::start(std::move(o), &why);
    EXPECT_TRUE(server) << why;
    return server;
}

std::vector<std::string> probeArgs(std::uint16_t port, std::vector<std::string> extra)
{
    std::vector<std::string> args{"--ca-file", quirkPkiPath("ca.der").string(), "--connect",
                                  "127.0.0.1:" + std::to_string(port), "--host", "account.nintendo.net"};
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
    BearSslServer::Options o;
    o.chain = {quirkPkiBytes("host-by-ca.der"), quirkPkiBytes("ca.der")};
    o.key = quirkPkiBytes("host-by-ca.key.der");
    o.behavior = BearSslServer::Behavior::Echo;
    std::string why;
    auto server = BearSslServer::start(std::move(o), &why);
    ASSERT_TRUE(server) << why;
    std::vector<std::string> args{"--ca-file", quirkPkiPath("ca.der").string(), "--connect",
                                  "127.0.0.1:" + std::to_string(server->port()), "--host", "localhost",
                                  "--firmware", "5.5.4"};
    const ProbeRun r = runProbe(args);
    EXPECT_EQ(r.exitCode, 0) << r.out << r.err;
    EXPECT_NE(r.out.find("verdict on firmware 5.5.4: accepted by plain X.509"), std::string::npos) << r.out;
}

struct FirmwareUsage {
    std::vector<std::string> args;
    std::string message;
};

class ProbeQuirkUsage : public testing::TestWithParam<FirmwareUsage> {};

TEST_P(ProbeQuirkUsage, ExitsOneWithAClearMessage)
{
    const ProbeRun r = runProbe(GetParam().args);
    EXPECT_EQ(r.exitCode, 1) << r.out << r.err;
    EXPECT_NE(r.err.find(GetParam().message), std::string::npos) << r.err;
}

INSTANTIATE_TEST_SUITE_P(
    Cases, ProbeQuirkUsage,
    testing::Values(
        FirmwareUsage{{"--connect", "127.0.0.1:1", "--firmware", "5.5"}, "'5.5' is not a firmware version of the form X.Y.Z"},
        FirmwareUsage{{"--connect", "127.0.0.1:1", "--firmware", "v5.5.5"}, "not a firmware version"},
        FirmwareUsage{{"--connect", "127.0.0.1:1", "--firmware", "5.5.7"}, "unknown firmware 5.5.7"},
        FirmwareUsage{{"--connect", "127.0.0.1:1", "--firmware", "9.0.0"}, "unknown firmware 9.0.0"},
        FirmwareUsage{{"--connect", "127.0.0.1:1", "--firmware", "5.5.5", "--strict"}, "exclude each other"}),
    [](const auto& p) { return "case" + std::to_string(p.index); });

}  // namespace
}  // namespace wiiu::test
