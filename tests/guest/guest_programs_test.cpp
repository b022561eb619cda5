// Real PowerPC guest programs (tests/guest/programs, built with powerpc-linux-gnu-gcc) run under
// Unicorn and drive the module through the import table the way a game does. Each program checks
// its own results and returns 0 or the number of its first failed check; the host asserts the
// verdict (printing the failed check's source text) and what the server and Process observed.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <condition_variable>
#include <fstream>
#include <map>
#include <mutex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "hle/nssl/service.h"
#include <fmt/format.h>
#include <zlib.h>

#include "guest/runner/ppc_runner.h"
#include "rpl/bytes.h"
#include "rpl/file.h"
#include "rpl/reader.h"
#include "hle/nssl/errors.h"
#include "support/bearssl_server.h"
#include "support/nssl_guest.h"
#include "support/pki_fixture.h"
#include "support/tls_peer.h"

namespace wiiu::test::ppc {
namespace {

using guest::GuestAddress;

/// The text of `check(<cond>, code)` in the program's source, so a failed verdict reads as the
/// condition that failed rather than a bare number.
std::string checkName(const std::string& program, std::uint32_t code)
{
    if (code == 0)
        return "pass";
    std::ifstream in(std::string(WIIU_NSSL_SOURCE_DIR) + "/tests/guest/programs/" + program + ".c");
    std::stringstream text;
    text << in.rdbuf();
    const std::string src = text.str();
    for (std::size_t at = src.find("check("); at != std::string::npos; at = src.find("check(", at + 1)) {
        if (at > 0 && (std::isalnum(static_cast<unsigned char>(src[at - 1])) || src[at - 1] == '_'))
            continue;
        int depth = 0;
        std::size_t lastComma = std::string::npos, end = at + 5;
        for (; end < src.size(); ++end) {
            if (src[end] == '(')
                ++depth;
            else if (src[end] == ')' && --depth == 0)
                break;
            else if (src[end] == ',' && depth == 1)
                lastComma = end;
        }
        if (lastComma == std::string::npos || end >= src.size())
            continue;
        std::string number = src.substr(lastComma + 1, end - lastComma - 1);
        std::erase(number, ' ');
        if (number == std::to_string(code)) {
            std::string cond = src.substr(at + 6, lastComma - at - 6);
            std::replace(cond.begin(), cond.end(), '\n', ' ');
            return "check " + std::to_string(code) + ": " + cond;
        }
    }
    return "check " + std::to_string(code) + " (computed code; see " + program + ".c)";
}

#define EXPECT_VERDICT(program, result)                                                        \
    do {                                                                                       \
        EXPECT_TRUE((result).ok) << (result).error;                                            \
        EXPECT_TRUE((result).exited) << program << " did not end through coreinit's exit";   \
        EXPECT_EQ((result).r3, 0u) << program << ": " << checkName(program, (result).r3);      \
    } while (0)

/// A barrier for the "host_barrier" import: returns 0 to each guest thread once `parties` have
/// arrived, 1 on timeout (a guest thread that failed earlier never arrives).
class HostBarrier {
public:
    explicit HostBarrier(unsigned parties) : parties_(parties) {}
    std::uint32_t arrive()
    {
        std::unique_lock lock(mutex_);
        if (++arrived_ >= parties_)
            changed_.notify_all();
        return changed_.wait_for(lock, std::chrono::seconds(10), [&] { return arrived_ >= parties_; }) ? 0 : 1;
    }

private:
    std::mutex mutex_;
    std::condition_variable changed_;
    unsigned parties_;
    unsigned arrived_ = 0;
};

/// struct guest_params (programs/guest_rt.h), written big-endian by the host.
struct Params {
    std::uint16_t port = 0;
    std::vector<std::uint8_t> ca;
    std::int32_t rootId = kTestRootId;
    std::vector<std::uint8_t> leaf;
    std::uint32_t flags = 0;
};
Params withServer(std::uint16_t port, std::vector<std::uint8_t> ca)
{
    Params p;
    p.port = port;
    p.ca = std::move(ca);
    return p;
}
constexpr std::uint32_t kParamsSize = 0x40;
constexpr std::uint32_t kFlagSharedLib = 0x1;

class PpcGuestTest : public ::testing::Test {
protected:
    void SetUp() override { runner_ = makeRunner(1); }

    std::unique_ptr<PpcRunner> makeRunner(unsigned threads)
    {
        auto runner = std::make_unique<PpcRunner>(PpcRunner::Settings{testCertStore(), {}, nullptr});
        barrier_ = std::make_unique<HostBarrier>(threads);
        runner->addHostImport("host_barrier", [b = barrier_.get()](guest::CallFrame& f) { f.setResult(b->arrive()); });
        runner->setObserver([this, r = runner.get()](guest::ExportIndex index, const guest::CallFrame& frame) {
            observe(*r, index, frame);
        });
        return runner;
    }

    void load(const std::string& program, PpcRunner* runner = nullptr)
    {
        std::string why;
        ASSERT_TRUE((runner ? runner : runner_.get())->load(programPath(program), &why)) << why;
    }

    GuestAddress params(const Params& p, PpcRunner* runner = nullptr)
    {
        PpcRunner& r = runner ? *runner : *runner_;
        const GuestAddress at = r.alloc(kParamsSize);
        r.storeBe32(at + 0x00, p.port);
        if (!p.ca.empty()) {
            r.storeBe32(at + 0x04, r.putBytes(p.ca));
            r.storeBe32(at + 0x08, static_cast<std::uint32_t>(p.ca.size()));
        }
        r.storeBe32(at + 0x0C, static_cast<std::uint32_t>(p.rootId));
        if (!p.leaf.empty()) {
            r.storeBe32(at + 0x10, r.putBytes(p.leaf));
            r.storeBe32(at + 0x14, static_cast<std::uint32_t>(p.leaf.size()));
        }
        r.storeBe32(at + 0x18, p.flags);
        return at;
    }
    std::uint32_t out(GuestAddress params, unsigned n, PpcRunner* runner = nullptr)
    {
        return (runner ? *runner : *runner_).loadBe32(params + 0x20 + 4 * n);
    }

    /// Before each NSSLDestroyConnection: whether that connection resumed (host-side API), and
    /// which guest thread called.
    void observe(PpcRunner& runner, guest::ExportIndex index, const guest::CallFrame& frame)
    {
        const auto& name = runner.table().entry(index).name;
        std::lock_guard lock(observed_);
        callers_.insert(frame.thread);
        if (name == "NSSLDestroyConnection") {
            const auto conn = static_cast<std::int32_t>(frame.gpr[3]);
            auto resumed = runner.process().state()->nssl().resumed(nssl::ConnectionHandle{conn});
            destroyed_.push_back({frame.thread, conn, resumed && *resumed});
        }
    }

    static std::unique_ptr<BearSslServer> echoServer(std::chrono::milliseconds answerDelay = {})
    {
        BearSslServer::Options o;
        o.answerDelay = answerDelay;
        o.chain = {pkiBytes("server.der"), pkiBytes("int.der")};
        o.key = pkiBytes("server.key.der");
        std::string why;
        auto server = BearSslServer::start(std::move(o), &why);
        EXPECT_TRUE(server) << why;
        return server;
    }

    struct Destroyed {
        guest::GuestThreadId thread;
        std::int32_t conn;
        bool resumed;
    };
    std::unique_ptr<HostBarrier> barrier_;
    std::unique_ptr<PpcRunner> runner_;
    std::mutex observed_;
    std::set<guest::GuestThreadId> callers_;
    std::vector<Destroyed> destroyed_;
};

TEST_F(PpcGuestTest, LoaderBindsEveryImportByLibraryAndName)
{
    load("tls_flow");
    auto file = rpl::readFile(programPath("tls_flow"));
    ASSERT_TRUE(file) << file.error().message;
    auto rpx = rpl::read(*file);
    ASSERT_TRUE(rpx) << rpx.error().message;
    const auto& imports = runner_->imports();
    ASSERT_EQ(imports.size(), rpx->imports.size());  // one stub per import
    std::size_t fromTable = 0;
    bool exitBound = false;
    for (std::size_t i = 0; i < imports.size(); ++i) {
        const auto& im = imports[i];
        EXPECT_EQ(im.library, rpx->imports[i].library);
        EXPECT_EQ(im.name, rpx->imports[i].name);
        EXPECT_EQ(runner_->loadBe32(Layout::kStubs + Layout::kStubStride * static_cast<std::uint32_t>(i)), 0x4E800020u);
        if (im.library == "coreinit" || im.library == "host") {
            // The runner's own imports: never resolved through the module.
            EXPECT_TRUE(im.isHost) << im.name;
            EXPECT_FALSE(im.index) << im.name;
            exitBound |= im.library == "coreinit" && im.name == "exit" && im.isExit;
            continue;
        }
        ASSERT_TRUE(im.index) << im.name;
        EXPECT_EQ(runner_->table().entry(*im.index).name, im.name);
        EXPECT_EQ(runner_->table().entry(*im.index).library, im.library);
        ++fromTable;
    }
    EXPECT_GE(fromTable, 15u);
    EXPECT_TRUE(exitBound) << "crt0.S ends through coreinit's exit";
    EXPECT_GE(runner_->entry(), Layout::kProgram);
    EXPECT_LT(runner_->entry(), Layout::kProgram + Layout::kMaxProgram);
}

TEST_F(PpcGuestTest, LoaderRefusesAnUnknownImportAndABrokenFile)
{
    auto file = rpl::readFile(std::filesystem::path(WIIU_PPC_PROGRAM_DIR) / "tls_flow_plain.rpx");
    ASSERT_TRUE(file) << file.error().message;
    auto rpx = rpl::read(*file);
    ASSERT_TRUE(rpx) << rpx.error().message;
    // Rename the import NSSLGetSession to NSSLGetSessioX in the symbol names, CRC kept right.
    const auto symtab = std::find_if(rpx->sections.begin(), rpx->sections.end(),
                                     [](const rpl::Section& s) { return s.type == rpl::section_type::symtab; });
    ASSERT_NE(symtab, rpx->sections.end());
    rpl::Section strtab = rpx->sections[symtab->link];
    ASSERT_FALSE(strtab.deflated());
    const std::string name("NSSLGetSession\0", 15);
    const auto at = std::search(strtab.data.begin(), strtab.data.end(), name.begin(), name.end());
    ASSERT_NE(at, strtab.data.end());
    at[13] = 'X';
    std::vector<std::uint8_t> edited = *file;
    std::copy(strtab.data.begin(), strtab.data.end(), edited.begin() + strtab.offset);
    const auto& crcs = rpx->sections[rpx->sections.size() - 2];
    rpl::putBe32(edited, crcs.offset + 4 * strtab.index,
                 static_cast<std::uint32_t>(crc32(crc32(0, nullptr, 0), strtab.data.data(), static_cast<uInt>(strtab.data.size()))));
    std::string why;
    EXPECT_FALSE(runner_->load(edited, &why));
    EXPECT_EQ(why, "unresolved import nsysnet::NSSLGetSessioX");

    // The same edit without the CRC: the reader names the section.
    std::vector<std::uint8_t> lying = *file;
    std::copy(strtab.data.begin(), strtab.data.end(), lying.begin() + strtab.offset);
    EXPECT_FALSE(runner_->load(lying, &why));
    EXPECT_NE(why.find(fmt::format("section {} '.strtab'", strtab.index)), std::string::npos) << why;
    EXPECT_NE(why.find("CRC"), std::string::npos) << why;

    lying = *file;
    lying[0] ^= 0xFF;
    EXPECT_FALSE(runner_->load(lying, &why));
    EXPECT_NE(why.find("magic"), std::string::npos) << why;
}

TEST_F(PpcGuestTest, BlockingFlowResumesItsSession)
{
    auto server = echoServer();
    ASSERT_TRUE(server);
    load("tls_flow");
    const auto p = params(withServer(server->port(), pkiBytes("root.der")));
    const RunResult result = runner_->run(ThreadSpec{p, 0, 0x1234});
    EXPECT_VERDICT("tls_flow", result);
    EXPECT_GT(result.calls, 30u);
    EXPECT_GE(out(p, 3), 1u);  // NSSLAddServerPKIGroups(0x1) added the test root

    // The Process saw the first connection full and the second resumed, both from our thread.
    ASSERT_EQ(destroyed_.size(), 2u);
    EXPECT_EQ(destroyed_[0].conn, static_cast<std::int32_t>(out(p, 0)));
    EXPECT_FALSE(destroyed_[0].resumed);
    EXPECT_EQ(destroyed_[1].conn, static_cast<std::int32_t>(out(p, 1)));
    EXPECT_TRUE(destroyed_[1].resumed);
    EXPECT_EQ(callers_, std::set<guest::GuestThreadId>{0x1234});

    // The server saw two verified handshakes, the request both times, and clean closes.
    ASSERT_TRUE(server->waitForConnections(2));
    const auto conns = server->connections();
    ASSERT_EQ(conns.size(), 2u);
    for (const auto& c : conns) {
        EXPECT_TRUE(c.handshakeOk);
        EXPECT_EQ(c.sni, "localhost");
        EXPECT_EQ(c.received, std::string("GET / HTTP/1.0\r\nHost: localhost\r\n\r\n").size());
        EXPECT_TRUE(c.cleanClose);
    }
}

TEST_F(PpcGuestTest, NonBlockingFlowWaitsWithSelect)
{
    // The server answers the ClientHello only after 100 ms, so the guest must meet WANT_READ and
    // wait in select even when the machine is so loaded that every later answer is already there.
    auto server = echoServer(std::chrono::milliseconds(100));
    ASSERT_TRUE(server);
    load("tls_nonblocking");
    const auto p = params(withServer(server->port(), pkiBytes("root.der")));
    const RunResult result = runner_->run(ThreadSpec{p, 0, 0});
    EXPECT_VERDICT("tls_nonblocking", result);
    EXPECT_GE(out(p, 1), 1u) << "WANT_READ never seen";
    EXPECT_GE(out(p, 3), 1u) << "select never called";
    ASSERT_TRUE(server->waitForConnections(1));
    const auto conns = server->connections();
    ASSERT_EQ(conns.size(), 1u);
    EXPECT_TRUE(conns[0].handshakeOk);
    EXPECT_EQ(conns[0].received, std::string("non-blocking hello from a PowerPC guest").size());
}

TEST_F(PpcGuestTest, ErrorPathsGiveConsoleCodes)
{
    load("error_paths");
    const auto p = params(withServer(0, pkiBytes("root.der")));
    const RunResult result = runner_->run(ThreadSpec{p, 0, 0});
    EXPECT_VERDICT("error_paths", result);
    EXPECT_EQ(out(p, 0), 32u) << "contexts created before the limit";
    EXPECT_EQ(static_cast<std::int32_t>(out(p, 1)), nssl::code(nssl::NsslError::PROCESS_MAX_CONTEXTS));
}

TEST_F(PpcGuestTest, StructHeavyCallsReadBigEndianResults)
{
    auto server = echoServer();
    ASSERT_TRUE(server);
    load("structs");
    const auto leaf = pkiBytes("server.der");
    Params block = withServer(server->port(), {});
    block.leaf = leaf;
    const auto p = params(block);
    const RunResult result = runner_->run(ThreadSpec{p, 0, 0});
    EXPECT_VERDICT("structs", result);
    EXPECT_EQ(out(p, 2), leaf.size());
    EXPECT_EQ(out(p, 3), 1u);
    EXPECT_EQ(out(p, 4), 0x544C535Fu);  // "TLS_"
    ASSERT_TRUE(server->waitForConnections(1));
    const auto conns = server->connections();
    ASSERT_EQ(conns.size(), 1u);
    EXPECT_EQ(out(p, 0), conns[0].suite);    // what the guest read is what the server chose
    EXPECT_EQ(out(p, 1), conns[0].version);
}

TEST_F(PpcGuestTest, ThreeGuestThreadsShareOneProcess)
{
    constexpr unsigned kThreads = 3;
    std::string why;  // python: threaded, serves the three connections at once
    auto peer = TlsPeer::start(testServerOptions(TlsPeer::Kind::Python), &why);
    ASSERT_TRUE(peer) << why;

    runner_ = makeRunner(kThreads);
    load("tls_flow");
    std::vector<ThreadSpec> specs;
    std::vector<GuestAddress> blocks;
    for (unsigned i = 0; i < kThreads; ++i) {
        Params block = withServer(peer->port(), pkiBytes("root.der"));
        block.flags = kFlagSharedLib;
        blocks.push_back(params(block));
        specs.push_back(ThreadSpec{blocks.back(), i, 0x20000000u + i * 0x100});
    }
    const auto results = runner_->runConcurrently(specs);
    std::set<std::uint32_t> firstConnections;
    for (unsigned i = 0; i < kThreads; ++i) {
        SCOPED_TRACE("guest thread " + std::to_string(i));
        EXPECT_VERDICT("tls_flow", results[i]);
        firstConnections.insert(out(blocks[i], 0));
    }
    // At the barrier all three first connections were alive at once in one Process.
    EXPECT_EQ(firstConnections.size(), kThreads);
    EXPECT_EQ(callers_.size(), kThreads);
    ASSERT_EQ(destroyed_.size(), 2 * kThreads);
    std::map<guest::GuestThreadId, int> resumedPerThread;
    for (const auto& d : destroyed_)
        resumedPerThread[d.thread] += d.resumed ? 1 : 0;
    for (const auto& [thread, n] : resumedPerThread)
        EXPECT_EQ(n, 1) << "thread " << thread;
    EXPECT_TRUE(peer->waitForOutput("reused", std::chrono::seconds(5), kThreads)) << peer->output();
    EXPECT_TRUE(peer->waitForOutput(" new", std::chrono::seconds(5), kThreads)) << peer->output();
}

/// argc/argv as a homebrew launcher passes them: r3 = argc, r4 = the array of string pointers.
ThreadSpec launcherArguments(PpcRunner& runner, const std::vector<std::string>& args)
{
    const GuestAddress argv = runner.alloc(static_cast<std::uint32_t>(4 * (args.size() + 1)));
    for (std::size_t i = 0; i < args.size(); ++i) {
        std::vector<std::uint8_t> text(args[i].begin(), args[i].end());
        text.push_back(0);
        runner.storeBe32(argv + 4 * static_cast<std::uint32_t>(i), runner.putBytes(text));
    }
    return ThreadSpec{static_cast<std::uint32_t>(args.size()), argv, 0};
}

std::string joined(const std::vector<std::string>& lines)
{
    std::string all;
    for (const auto& line : lines)
        all += line + "\n";
    return all;
}

TEST_F(PpcGuestTest, SelfTestPassesAgainstTheLocalServer)
{
    auto server = echoServer();
    ASSERT_TRUE(server);
    std::string why;
    ASSERT_TRUE(runner_->load(std::filesystem::path(WIIU_PPC_SELFTEST), &why)) << why;
    const auto args = launcherArguments(*runner_, {"nssl-selftest.rpx", "localhost", std::to_string(server->port())});
    const RunResult result = runner_->run(args);
    const auto log = joined(runner_->reports());
    EXPECT_TRUE(result.ok) << result.error;
    EXPECT_TRUE(result.exited);
    EXPECT_EQ(result.r3, 0u) << log;
    EXPECT_NE(log.find("PASS 10 NSSLDoHandshake"), std::string::npos) << log;
    EXPECT_NE(log.find("PASS 14 NSSLRead"), std::string::npos) << log;
    EXPECT_NE(log.find("nssl-selftest: all checks passed"), std::string::npos) << log;
    EXPECT_EQ(log.find("FAIL"), std::string::npos) << log;
    ASSERT_TRUE(server->waitForConnections(1));
    EXPECT_TRUE(server->connections()[0].handshakeOk);
}

TEST_F(PpcGuestTest, SelfTestFailsNamingTheCheckAgainstAServerTheModuleMustRefuse)
{
    // The server's certificate names localhost; asked for wrong.localhost (also 127.0.0.1), the
    // module must refuse the handshake, and the self-test must say so.
    auto server = echoServer();
    ASSERT_TRUE(server);
    std::string why;
    ASSERT_TRUE(runner_->load(std::filesystem::path(WIIU_PPC_SELFTEST), &why)) << why;
    const auto args =
        launcherArguments(*runner_, {"nssl-selftest.rpx", "wrong.localhost", std::to_string(server->port())});
    const RunResult result = runner_->run(args);
    const auto log = joined(runner_->reports());
    EXPECT_TRUE(result.ok) << result.error;
    EXPECT_EQ(result.r3, 10u) << log;
    EXPECT_NE(log.find("FAIL 10 NSSLDoHandshake"), std::string::npos) << log;
    EXPECT_EQ(log.find("all checks passed"), std::string::npos) << log;
}

}  // namespace
}  // namespace wiiu::test::ppc
