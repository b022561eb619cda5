// nssl-probe's transfers against real servers on 127.0.0.1: a Python ssl server that serves,
// echoes, cuts, resets or stalls its reply (tests/tools/http_peer.py), and openssl s_server
// renegotiating in the middle of a body. The verdict is what the guest's NSSLRead saw; the data is
// streamed (counted, hashed, never held whole) and the call log folds the repeated calls.
#include <sys/socket.h>
#include <netinet/in.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <future>
#include <set>
#include <thread>

#include <gtest/gtest.h>

#include "support/pki_fixture.h"
#include "support/tls_peer.h"
#include "tools/probe_run.h"

namespace wiiu::test {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

constexpr int kBody = 2 << 20;  // 2 MiB, as in the report that found the bug

std::string path(const char* name) { return pkiPath(name).string(); }

/// http_peer.py in `mode` (see the script), serving a body of `body` bytes ("@FILE": that file).
std::unique_ptr<TlsPeer> httpPeer(const char* mode, std::string body = std::to_string(kBody))
{
    TlsPeer::Options o;
    o.kind = TlsPeer::Kind::Python;
    o.cert = path("server.pem");
    o.key = path("server.key");
    o.chain = path("int.pem");
    o.script = WIIU_NSSL_SOURCE_DIR "/tests/tools/http_peer.py";
    o.extraArgs = {mode, std::move(body)};
    std::string why;
    auto peer = TlsPeer::start(o, &why);
    if (!peer)
        ADD_FAILURE() << "http_peer.py " << mode << ": " << why;
    return peer;
}

std::vector<std::string> args(std::uint16_t port, std::vector<std::string> extra)
{
    std::vector<std::string> a{"--connect", "127.0.0.1:" + std::to_string(port), "--host", "localhost",
                               "--ca-file", path("root.pem"), "--json"};
    if (std::find(extra.begin(), extra.end(), "--timeout") == extra.end())
        a.insert(a.end(), {"--timeout", "2"});
    a.insert(a.end(), extra.begin(), extra.end());
    return a;
}

ProbeRun get(const TlsPeer& peer, std::vector<std::string> extra = {})
{
    extra.insert(extra.begin(), {"--http-get", "/"});
    return runProbe(args(peer.port(), std::move(extra)), std::chrono::seconds(20));
}

/// The run failed with IO_ERROR / Io, exit 2, and its reason holds each of `words`.
void expectIo(const ProbeRun& r, std::initializer_list<std::string> words)
{
    EXPECT_EQ(r.exitCode, 2) << r.out << r.err;
    const auto j = r.json();
    ASSERT_TRUE(j.is_object()) << r.out << r.err;
    EXPECT_EQ(j["result"], "NSSL_ERROR_IO_ERROR");
    EXPECT_EQ(j["code"], -0x280009);
    EXPECT_EQ(j["failure"], "Io");
    const std::string reason = j["reason"];
    for (const auto& w : words)
        EXPECT_NE(reason.find(w), std::string::npos) << "'" << w << "' not in: " << reason;
}

std::string incomplete() { return std::to_string(kBody / 2) + " of " + std::to_string(kBody); }

/// The entries of the (folded) JSON call log for export `name`.
std::vector<nlohmann::json> entriesOf(const nlohmann::json& j, const std::string& name)
{
    std::vector<nlohmann::json> out;
    for (const auto& c : j["calls"])
        if (c["call"].get<std::string>().starts_with(name + "("))
            out.push_back(c);
    return out;
}

TEST(ProbeTransfer, HalfBodyThenFinIsAnIoError)
{
    auto peer = httpPeer("half-fin");
    ASSERT_TRUE(peer);
    const ProbeRun r = get(*peer);
    expectIo(r, {"NSSLRead", "closed without close_notify", "body incomplete", incomplete()});
    EXPECT_GT(r.json()["bytes_read"].get<int>(), kBody / 2);
    EXPECT_LT(r.json()["bytes_read"].get<int>(), kBody);
    // The good reads are one entry; the failing one stands alone after them.
    const auto reads = entriesOf(r.json(), "NSSLRead");
    ASSERT_EQ(reads.size(), 2u) << r.json()["calls"].dump(1);
    EXPECT_GT(reads[0]["count"].get<int>(), 1);
    EXPECT_EQ(reads[0]["bytes"], r.json()["bytes_read"]);
    EXPECT_EQ(reads[1]["count"], 1);
    EXPECT_EQ(reads[1]["result_name"], "NSSL_ERROR_IO_ERROR");
    EXPECT_EQ(reads[1]["results"], nlohmann::json({{"NSSL_ERROR_IO_ERROR", 1}}));
}

TEST(ProbeTransfer, FullBodyThenFinWithoutCloseNotifyIsAnIoError)
{
    auto peer = httpPeer("full-fin");
    ASSERT_TRUE(peer);
    const ProbeRun r = get(*peer);
    expectIo(r, {"closed without close_notify", "body complete", std::to_string(kBody) + " bytes"});
    EXPECT_GT(r.json()["bytes_read"].get<int>(), kBody);
}

TEST(ProbeTransfer, ResetMidBodyIsAnIoError)
{
    auto peer = httpPeer("reset");
    ASSERT_TRUE(peer);
    const ProbeRun r = get(*peer);
    expectIo(r, {"NSSLRead", "connection reset", "body incomplete"});
    EXPECT_LT(r.json()["bytes_read"].get<int>(), kBody);
}

TEST(ProbeTransfer, StallMidBodyTimesOut)
{
    auto peer = httpPeer("stall");
    ASSERT_TRUE(peer);
    const auto start = Clock::now();
    const ProbeRun r = get(*peer, {"--timeout", "1"});
    EXPECT_LT(Clock::now() - start, std::chrono::seconds(8));
    expectIo(r, {"NSSLRead", "timed out after 1 s", "body incomplete", incomplete()});
}

TEST(ProbeTransfer, CleanCloseStaysOk)
{
    auto peer = httpPeer("clean");
    ASSERT_TRUE(peer);
    const ProbeRun r = get(*peer);
    ASSERT_EQ(r.exitCode, 0) << r.out << r.err;
    const auto j = r.json();
    EXPECT_EQ(j["result"], "OK");
    EXPECT_EQ(j["failure"], "");
    EXPECT_EQ(j["reason"], "");
    EXPECT_GT(j["bytes_read"].get<int>(), kBody);
}

TEST(ProbeTransfer, SendIsJudgedTheSameWay)
{
    const fs::path request = scratch("send") / "request.txt";
    std::ofstream(request) << "GET / HTTP/1.0\r\nHost: localhost\r\n\r\n";
    auto peer = httpPeer("half-fin");
    ASSERT_TRUE(peer);
    const ProbeRun r = runProbe(args(peer->port(), {"--send", request.string()}), std::chrono::seconds(20));
    expectIo(r, {"closed without close_notify", "body incomplete"});
}

TEST(ProbeTransfer, TextOutputSaysWhyToo)
{
    auto peer = httpPeer("half-fin");
    ASSERT_TRUE(peer);
    auto a = args(peer->port(), {"--http-get", "/"});
    a.erase(std::find(a.begin(), a.end(), "--json"));
    const ProbeRun r = runProbe(a, std::chrono::seconds(20));
    EXPECT_EQ(r.exitCode, 2) << r.out << r.err;
    EXPECT_NE(r.out.find("result: NSSL_ERROR_IO_ERROR"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("closed without close_notify"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("failure: Io"), std::string::npos) << r.out;
}

TEST(ProbeTimeout, HandshakeNamesTheStepAndTheTime)
{
    auto peer = httpPeer("no-tls");
    ASSERT_TRUE(peer);
    const ProbeRun r = get(*peer, {"--timeout", "1"});
    expectIo(r, {"NSSLDoHandshake", "timed out after 1 s"});
}

TEST(ProbeTimeout, WriteNamesTheStepAndTheTime)
{
    // 16 MiB is more than the loopback buffers hold while the server reads nothing.
    const fs::path request = scratch("write-timeout") / "big.bin";
    std::ofstream(request, std::ios::binary) << std::string(16 << 20, 'w');
    auto peer = httpPeer("no-read");
    ASSERT_TRUE(peer);
    const ProbeRun r =
        runProbe(args(peer->port(), {"--send", request.string(), "--timeout", "1"}), std::chrono::seconds(20));
    expectIo(r, {"NSSLWrite", "timed out after 1 s"});
}

TEST(ProbeTimeout, ConnectNamesTheStepAndTheTime)
{
    // A listener whose accept queue is full drops further SYNs: connect() waits.
    const int listener = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof addr;
    ASSERT_EQ(::bind(listener, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
    ASSERT_EQ(::listen(listener, 0), 0);
    ASSERT_EQ(::getsockname(listener, reinterpret_cast<sockaddr*>(&addr), &len), 0);
    const int filler = ::socket(AF_INET, SOCK_STREAM, 0);
    ASSERT_EQ(::connect(filler, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
    const ProbeRun r = runProbe(args(ntohs(addr.sin_port), {"--timeout", "1"}), std::chrono::seconds(20));
    ::close(filler);
    ::close(listener);
    EXPECT_EQ(r.exitCode, 2) << r.out << r.err;
    const auto j = r.json();
    EXPECT_EQ(j["result"], "SOCKET_ERROR");
    EXPECT_EQ(j["failure"], "Io");
    EXPECT_NE(j["reason"].get<std::string>().find("timed out after 1 s"), std::string::npos) << j["reason"];
}

/// A file of `bytes` random bytes, and its SHA-256 as openssl computes it.
struct RandomFile {
    fs::path path;
    std::uint64_t size = 0;
    std::string sha256;
};

RandomFile randomFile(const std::string& name, std::uint64_t bytes)
{
    const fs::path file = scratch(name) / "data.bin";
    runCommand("head -c " + std::to_string(bytes) + " /dev/urandom > " + file.string());
    return {file, bytes, runCommand("openssl dgst -sha256 -r " + file.string() + " | cut -d' ' -f1")};
}

TEST(ProbeStream, DownloadIsCountedAndHashedNotKept)
{
    const RandomFile file = randomFile("download", (3 << 20) + 7);
    auto peer = httpPeer("clean", "@" + file.path.string());  // headers and body share a record
    ASSERT_TRUE(peer);
    const ProbeRun r = get(*peer);
    ASSERT_EQ(r.exitCode, 0) << r.out << r.err;
    const auto j = r.json();
    const auto& got = j["received"];
    EXPECT_EQ(got["http_status"], "HTTP/1.0 200 OK");
    EXPECT_EQ(got["body_bytes"], file.size);
    EXPECT_EQ(got["sha256_of"], "body");
    EXPECT_EQ(got["sha256"], file.sha256);
    EXPECT_EQ(got["bytes"], j["bytes_read"]);
    EXPECT_GT(got["bytes"].get<std::uint64_t>(), file.size);
    EXPECT_EQ(got["kept_bytes"], 4096);
    const std::string kept = got["kept"];
    EXPECT_TRUE(kept.starts_with("HTTP/1.0 200 OK\r\nContent-Type: application/octet-stream\r\n")) << kept;
    EXPECT_NE(kept.find("\\x"), std::string::npos) << "random bytes are shown escaped";

    // 3 MiB in 16 KiB reads: one entry for the reads, one for the ZERO_RETURN that ends them.
    const auto reads = entriesOf(j, "NSSLRead");
    ASSERT_EQ(reads.size(), 2u) << j["calls"].dump(1);
    EXPECT_GE(reads[0]["count"].get<int>(), 192);
    EXPECT_EQ(reads[0]["bytes"], j["bytes_read"]);
    EXPECT_EQ(reads[0]["results"], nlohmann::json({{"NSSL_ERROR_OK", reads[0]["count"]}}));
    EXPECT_EQ(reads[1]["result_name"], "NSSL_ERROR_ZERO_RETURN");
    EXPECT_LT(j["calls"].size(), 30u);

    auto a = args(peer->port(), {"--http-get", "/"});
    a.erase(std::find(a.begin(), a.end(), "--json"));
    const ProbeRun text = runProbe(a, std::chrono::seconds(20));
    ASSERT_EQ(text.exitCode, 0) << text.out << text.err;
    EXPECT_NE(text.out.find("sha256 of the body (" + std::to_string(file.size) + " bytes): " + file.sha256),
              std::string::npos) << text.out;
    EXPECT_NE(text.out.find("  reply: HTTP/1.0 200 OK\n"), std::string::npos) << text.out;
    EXPECT_NE(text.out.find("    | Content-Length: " + std::to_string(file.size) + "\n"), std::string::npos);
    EXPECT_NE(text.out.find(" bytes in all: NSSL_ERROR_OK x"), std::string::npos) << text.out;
    EXPECT_LT(std::count(text.out.begin(), text.out.end(), '\n'), 120) << "one line per call would be 200+";
}

TEST(ProbeStream, MemoryDoesNotGrowWithTheBody)
{
    // Holding the body (as the probe once did) costs at least its size in resident memory.
    auto small = httpPeer("clean", "65536");
    auto big = httpPeer("clean", std::to_string(64 << 20));
    ASSERT_TRUE(small && big);
    const ProbeRun base = get(*small);
    const ProbeRun r = runProbe(args(big->port(), {"--http-get", "/", "--timeout", "10"}), std::chrono::seconds(60));
    ASSERT_EQ(base.exitCode, 0) << base.out << base.err;
    ASSERT_EQ(r.exitCode, 0) << r.out << r.err;
    EXPECT_EQ(r.json()["received"]["body_bytes"], 64 << 20);
    EXPECT_LT(r.peakRssKiB - base.peakRssKiB, 16 * 1024)
        << "peak RSS " << base.peakRssKiB << " KiB for 64 KiB, " << r.peakRssKiB << " KiB for 64 MiB";
}

TEST(ProbeStream, SendStreamsAFileAndItsEchoHashesTheSame)
{
    const RandomFile file = randomFile("send-echo", (24 << 20) + 3);
    const RandomFile tiny = randomFile("send-echo-tiny", 16);
    auto peer = httpPeer("echo", std::to_string(file.size));
    auto tinyPeer = httpPeer("echo", "16");
    ASSERT_TRUE(peer && tinyPeer);
    const ProbeRun base = runProbe(args(tinyPeer->port(), {"--send", tiny.path.string()}), std::chrono::seconds(20));
    const ProbeRun r =
        runProbe(args(peer->port(), {"--send", file.path.string(), "--timeout", "10"}), std::chrono::seconds(60));
    ASSERT_EQ(base.exitCode, 0) << base.out << base.err;
    ASSERT_EQ(r.exitCode, 0) << r.out << r.err;
    const auto j = r.json();
    EXPECT_EQ(j["bytes_sent"], file.size);
    EXPECT_EQ(j["received"]["bytes"], file.size);
    EXPECT_EQ(j["received"]["sha256_of"], "all");
    EXPECT_EQ(j["received"]["sha256"], file.sha256);
    EXPECT_TRUE(j["received"]["http_status"].is_null());
    // Whole 16 KiB chunks are one entry; the short last one has other arguments, so its own.
    const auto writes = entriesOf(j, "NSSLWrite");
    ASSERT_EQ(writes.size(), 2u) << j["calls"].dump(1);
    EXPECT_EQ(writes[0]["count"], file.size / 16384);
    EXPECT_EQ(writes[0]["bytes"], file.size / 16384 * 16384);
    EXPECT_EQ(writes[1]["count"], 1);
    EXPECT_EQ(writes[1]["bytes"], file.size % 16384);
    EXPECT_EQ(base.json()["received"]["sha256"], tiny.sha256);
    EXPECT_LT(r.peakRssKiB - base.peakRssKiB, 16 * 1024)
        << "peak RSS " << base.peakRssKiB << " KiB for 16 bytes, " << r.peakRssKiB << " KiB for 24 MiB";
}

std::vector<std::string> keyLines(const fs::path& file)
{
    std::ifstream in(file);
    std::vector<std::string> out;
    for (std::string line; std::getline(in, line);)
        if (line.starts_with("CLIENT_RANDOM "))
            out.push_back(line);
    return out;
}

TEST(ProbeRenegotiation, KeyLogHasALinePerHandshake)
{
    const fs::path dir = scratch("reneg");
    const fs::path serverLog = dir / "server.keys", probeLog = dir / "probe.keys";
    TlsPeer::Options o;
    o.cert = path("server.pem");
    o.key = path("server.key");
    o.chain = path("int.pem");
    o.version = TlsPeer::Version::Tls12;
    o.keyLogFile = serverLog.string();
    std::string why;
    auto peer = TlsPeer::start(o, &why);
    ASSERT_TRUE(peer) << why;
    auto run = std::async(std::launch::async, [&] {
        return runProbe(args(peer->port(), {"--http-get", "/", "--keylog", probeLog.string(), "--timeout", "5"}),
                        std::chrono::seconds(20));
    });
    // s_server sends what its stdin gets; "r" alone on a line asks for a renegotiation.
    ASSERT_TRUE(peer->waitForOutput("GET / HTTP/1.0")) << peer->output();
    peer->writeStdin("HTTP/1.0 200 OK\r\nContent-Length: 20\r\n\r\n0123456789");
    std::this_thread::sleep_for(std::chrono::milliseconds(300));  // its own read: "r" must lead one
    peer->writeStdin("r\n");
    ASSERT_TRUE(peer->waitForOutput("SSL_do_handshake -> 1")) << peer->output();
    for (int i = 0; i < 500 && keyLines(serverLog).size() < 2; ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    ASSERT_EQ(keyLines(serverLog).size(), 2u) << "the renegotiation completed on the server";
    peer->writeStdin("abcdefghij");
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    peer->writeStdin("q\n");  // s_server closes the socket before its close_notify: a bare FIN
    const ProbeRun r = run.get();
    peer->stop();
    const auto j = r.json();
    ASSERT_TRUE(j.is_object()) << r.out << r.err;
    // Every byte arrived across the renegotiation; the end is s_server's bare FIN.
    EXPECT_EQ(j["failure"], "Io") << j["reason"];
    EXPECT_NE(j["reason"].get<std::string>().find("body complete"), std::string::npos) << j["reason"];
    const auto mine = keyLines(probeLog);
    ASSERT_EQ(mine.size(), 2u) << "one line per completed handshake, the renegotiation included";
    EXPECT_NE(mine[0], mine[1]);
    EXPECT_EQ(std::set(mine.begin(), mine.end()), [&] {
        auto theirs = keyLines(serverLog);
        return std::set(theirs.begin(), theirs.end());
    }());
}

}  // namespace
}  // namespace wiiu::test
