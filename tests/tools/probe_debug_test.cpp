// The debugging toolkit through nssl-probe: the PCAP read back by tshark, the key log equal to
// the one openssl s_server writes for the same connection, and the peer chain dumped as DER.
#include <algorithm>
#include <filesystem>
#include <iterator>
#include <fstream>
#include <set>
#include <sstream>

#include <gtest/gtest.h>

#include "support/pki_fixture.h"
#include "support/tls_peer.h"
#include "tools/probe_run.h"

namespace wiiu::test {
namespace {

namespace fs = std::filesystem;

std::string path(const char* name) { return pkiPath(name).string(); }

std::set<std::string> lines(const fs::path& file)
{
    std::ifstream in(file);
    std::set<std::string> out;
    for (std::string line; std::getline(in, line);)
        if (!line.empty() && line[0] != '#')
            out.insert(line);
    return out;
}

std::vector<std::uint8_t> bytes(const fs::path& file)
{
    std::ifstream in(file, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::unique_ptr<TlsPeer> server(const std::string& keyLog = {})
{
    TlsPeer::Options o;
    o.cert = path("server.pem");
    o.key = path("server.key");
    o.chain = path("int.pem");
    o.keyLogFile = keyLog;
    o.extraArgs = {"-www"};
    std::string why;
    auto peer = TlsPeer::start(o, &why);
    if (!peer)
        ADD_FAILURE() << "openssl s_server: " << why;
    return peer;
}

TEST(ProbeDebug, PcapShowsTheHttpRequestToTshark)
{
    const fs::path dir = scratch("pcap");
    auto peer = server();
    ASSERT_TRUE(peer);
    const std::string port = std::to_string(peer->port());
    const fs::path pcap = dir / "probe.pcap";
    const ProbeRun r = runProbe({"--connect", "127.0.0.1:" + port, "--host", "localhost", "--ca-file",
                                 path("root.pem"), "--http-get", "/pcap-check", "--resume", "1", "--pcap",
                                 pcap.string()});
    ASSERT_EQ(r.exitCode, 0) << r.out << r.err;
    EXPECT_NE(r.err.find(pcap.string()), std::string::npos) << "the probe says where it writes";
    const std::string tshark = "tshark -n -r " + pcap.string() + " -d tcp.port==" + port + ",http ";
    EXPECT_EQ(runCommand(tshark + "-Y http.request -T fields -e http.request.uri 2>/dev/null"), "/pcap-check");
    EXPECT_EQ(runCommand(tshark + "-Y http.response -T fields -e http.response.code 2>/dev/null"), "200");
    // Each connection (the first and the resumed one) is a stream that opens with a handshake
    // and closes with FINs, on the real ports.
    EXPECT_EQ(runCommand(tshark + "-T fields -e tcp.stream 2>/dev/null | sort -u | wc -l"), "2");
    EXPECT_EQ(runCommand(tshark + "-Y 'tcp.flags.syn==1' 2>/dev/null | wc -l"), "4");
    EXPECT_EQ(runCommand(tshark + "-Y 'tcp.flags.fin==1' 2>/dev/null | wc -l"), "4");
    EXPECT_EQ(runCommand(tshark + "-Y 'tcp.dstport==" + port + " && tcp.flags.syn==1' 2>/dev/null | wc -l"), "2");
    EXPECT_EQ(runCommand(tshark + "-Y 'tcp.analysis.flags' 2>/dev/null | wc -l"), "0") << "no TCP anomalies";
}

TEST(ProbeDebug, KeyLogMatchesOpenssl)
{
    const fs::path dir = scratch("keylog");
    const fs::path serverLog = dir / "server.keys";
    const fs::path probeLog = dir / "probe.keys";
    auto peer = server(serverLog.string());
    ASSERT_TRUE(peer);
    const ProbeRun r = runProbe({"--connect", "127.0.0.1:" + std::to_string(peer->port()), "--host", "localhost",
                                 "--ca-file", path("root.pem"), "--resume", "1", "--keylog", probeLog.string()});
    ASSERT_EQ(r.exitCode, 0) << r.out << r.err;
    EXPECT_NE(r.err.find("WARNING: writing TLS secrets"), std::string::npos) << r.err;
    peer->stop();
    const auto mine = lines(probeLog);
    ASSERT_EQ(mine.size(), 2u) << "one line per completed handshake";
    EXPECT_TRUE(mine.begin()->starts_with("CLIENT_RANDOM "));
    EXPECT_EQ(mine, lines(serverLog));
    EXPECT_EQ(fs::status(probeLog).permissions() & fs::perms::all, fs::perms::owner_read | fs::perms::owner_write);
}

TEST(ProbeDebug, ChainDumpedAlsoWhenVerificationFails)
{
    const fs::path dir = scratch("chain");
    auto peer = server();
    ASSERT_TRUE(peer);
    // No CA: the handshake fails, the chain is written all the same.
    const ProbeRun r = runProbe({"--connect", "127.0.0.1:" + std::to_string(peer->port()), "--host", "localhost",
                                 "--dump-chain", dir.string()});
    EXPECT_EQ(r.exitCode, 2) << r.out << r.err;
    std::vector<fs::path> files;
    for (const auto& e : fs::directory_iterator(dir))
        files.push_back(e.path());
    std::sort(files.begin(), files.end());
    ASSERT_EQ(files.size(), 2u);
    EXPECT_TRUE(files[0].filename().string().starts_with("conn"));
    EXPECT_TRUE(files[0].filename().string().ends_with("-localhost-0.der"));
    EXPECT_EQ(bytes(files[0]), pkiBytes("server.der"));
    EXPECT_EQ(bytes(files[1]), pkiBytes("int.der"));
}

}  // namespace
}  // namespace wiiu::test
