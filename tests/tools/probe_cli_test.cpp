// nssl-probe's command line: the demo, usage errors (exit 1, a message naming the problem).
#include <gtest/gtest.h>

#include "tools/probe_run.h"

namespace wiiu::test {
namespace {

TEST(ProbeCli, DemoRunsEveryStepAsExpected)
{
    const ProbeRun r = runProbe({"--demo"});
    EXPECT_EQ(r.exitCode, 0) << r.out << r.err;
    EXPECT_NE(r.out.find("NSSLDoHandshake(conn=0) -> NSSL_ERROR_OK"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("session RESUMED"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("NSSL_ERROR_HANDSHAKE_ERROR"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("every step behaved as expected"), std::string::npos) << r.out;
}

TEST(ProbeCli, DemoJsonIsOneObject)
{
    const ProbeRun r = runProbe({"--demo", "--json"});
    ASSERT_EQ(r.exitCode, 0) << r.out << r.err;
    const auto j = r.json();
    ASSERT_TRUE(j.is_object()) << r.out;
    EXPECT_TRUE(j["ok"].get<bool>());
    ASSERT_EQ(j["demo"].size(), 3u);
    EXPECT_EQ(j["demo"][0]["result"], "OK");
    EXPECT_EQ(j["demo"][0]["resumed"], nlohmann::json::array({true}));
    EXPECT_EQ(j["demo"][1]["failure"], "Untrusted");
    EXPECT_EQ(j["demo"][2]["failure"], "NameMismatch");
}

struct UsageCase {
    std::vector<std::string> args;
    std::string message;  ///< part of stderr
};

class ProbeUsage : public testing::TestWithParam<UsageCase> {};

TEST_P(ProbeUsage, ExitsOneWithAClearMessage)
{
    const ProbeRun r = runProbe(GetParam().args);
    EXPECT_EQ(r.exitCode, 1) << r.out << r.err;
    EXPECT_NE(r.err.find(GetParam().message), std::string::npos) << r.err;
}

INSTANTIATE_TEST_SUITE_P(
    Cases, ProbeUsage,
    testing::Values(UsageCase{{}, "--connect HOST:PORT is required"},
                    UsageCase{{"--connect", "nohostport"}, "expected HOST:PORT"},
                    UsageCase{{"--connect", "127.0.0.1:1", "--ca-file", "/nonexistent/ca.pem"},
                              "/nonexistent/ca.pem: cannot open"},
                    UsageCase{{"--connect", "127.0.0.1:1", "--ca-file", "/etc/hostname"}, "/etc/hostname: not DER"},
                    UsageCase{{"--connect", "127.0.0.1:1", "--time", "yesterday"}, "--time yesterday"},
                    UsageCase{{"--connect", "127.0.0.1:1", "--groups", "3"}, "need --store"},
                    UsageCase{{"--connect", "127.0.0.1:1", "--store", "/nonexistent-store"}, "--store /nonexistent-store"},
                    UsageCase{{"--connect", "127.0.0.1:1", "--client-cert", "x.pem"}, "go together"},
                    UsageCase{{"--connect", "127.0.0.1:1", "--policy", "loose"}, "--policy"},
                    UsageCase{{"--connect", "127.0.0.1:1", "--firmware", "5.5"},
                              "'5.5' is not a firmware version of the form X.Y.Z"},
                    UsageCase{{"--connect", "127.0.0.1:1", "--firmware", "v5.5.5"}, "not a firmware version"},
                    UsageCase{{"--connect", "127.0.0.1:1", "--firmware", "5.5.7"}, "unknown firmware 5.5.7"},
                    UsageCase{{"--connect", "127.0.0.1:1", "--firmware", "9.0.0"}, "unknown firmware 9.0.0"},
                    UsageCase{{"--connect", "127.0.0.1:1", "--firmware", "5.5.5", "--strict"}, "exclude each other"},
                    UsageCase{{"--bogus"}, "bogus"}),
    [](const auto& p) { return "case" + std::to_string(p.index); });

TEST(ProbeCli, RefusedConnectionIsAFailureNotAUsageError)
{
    const ProbeRun r = runProbe({"--connect", "127.0.0.1:1", "--json"});
    EXPECT_EQ(r.exitCode, 2) << r.out << r.err;
    const auto j = r.json();
    EXPECT_EQ(j["result"], "SOCKET_ERROR");
    EXPECT_NE(j["reason"].get<std::string>().find("SO_ECONNREFUSED"), std::string::npos) << r.out;
}

}  // namespace
}  // namespace wiiu::test
