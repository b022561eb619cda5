// Stream behaviour against the in-process BearSSL server: non-blocking bulk transfer with honest
// partial writes, how the peer's ending is reported, stalls, resumption, memory per connection.
#include <malloc.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#include <thread>

#include <gtest/gtest.h>

#include "interop/tls_test_util.h"
#include "support/bearssl_server.h"
#include "support/tls_peer.h"

namespace wiiu::test {
namespace {

using tls::TlsStatus;
using Behavior = BearSslServer::Behavior;

BearSslServer::Options serverOptions(Behavior behavior)
{
    BearSslServer::Options o;
    o.chain = {der("server.der"), der("int.der")};
    o.key = der("server.key.der");
    o.behavior = behavior;
    return o;
}

std::unique_ptr<BearSslServer> startServer(BearSslServer::Options o)
{
    std::string why;
    auto s = BearSslServer::start(std::move(o), &why);
    EXPECT_TRUE(s) << why;
    return s;
}

TEST(tls_stream, PeerCloseNotifyIsZeroReturn)
{
    auto o = serverOptions(Behavior::SendThenCloseNotify);
    o.payload = "goodbye";
    auto server = startServer(std::move(o));
    ASSERT_TRUE(server);
    Conn c = connectTo(server->port(), defaultConfig());
    std::string got;
    ASSERT_EQ(c.readExactly(7, got), TlsStatus::Ok) << describe(*c.tls);
    EXPECT_EQ(got, "goodbye");
    std::string more;
    EXPECT_EQ(c.readExactly(1, more), TlsStatus::ZeroReturn);
    EXPECT_EQ(c.tls->failure().reason, tls::FailureReason::NoFailure);
    EXPECT_EQ(c.close(), TlsStatus::Ok);
}

TEST(tls_stream, EofWithoutCloseNotifyIsIoError)
{
    for (Behavior b : {Behavior::SendThenFin, Behavior::SendThenReset}) {
        auto o = serverOptions(b);
        o.payload = "partial";
        auto server = startServer(std::move(o));
        ASSERT_TRUE(server);
        Conn c = connectTo(server->port(), defaultConfig());
        std::string got;
        TlsStatus s = c.readExactly(7, got);
        // A reset may overtake the data; a FIN never does.
        if (b == Behavior::SendThenFin || s == TlsStatus::Ok) {
            ASSERT_EQ(s, TlsStatus::Ok) << describe(*c.tls);
            EXPECT_EQ(got, "partial");
            s = c.readExactly(8, got);
        }
        EXPECT_EQ(s, TlsStatus::IoError);
        EXPECT_EQ(c.tls->failure().reason, tls::FailureReason::Io) << describe(*c.tls);
        EXPECT_EQ(c.tls->pending(), 0u);
    }
}

TEST(tls_stream, StalledPeerKeepsWantingRead)
{
    auto server = startServer(serverOptions(Behavior::Stall));
    ASSERT_TRUE(server);
    Conn c = connectTo(server->port(), defaultConfig());
    EXPECT_EQ(c.tls->handshake(), TlsStatus::WantRead);  // ClientHello out, nothing back
    EXPECT_TRUE(c.tls->hasPendingOutput() == false);
    EXPECT_FALSE(c.socket->wait(false, std::chrono::milliseconds(50)));
    EXPECT_EQ(c.tls->handshake(), TlsStatus::WantRead);
    EXPECT_FALSE(c.tls->established());
    std::size_t n = 0;
    std::uint8_t b[4];
    EXPECT_EQ(c.tls->read(b, n), TlsStatus::WantRead);
    EXPECT_EQ(c.tls->write(b, n), TlsStatus::WantRead);
    EXPECT_EQ(n, 0u);
}

TEST(tls_stream, SixteenMiBBothWaysNonBlockingWithSlowReader)
{
    constexpr std::size_t kTotal = 16u << 20;
    auto o = serverOptions(Behavior::Bulk);
    o.bulkBytes = kTotal;
    o.slowReader = true;  // (tiny receive buffers on loopback stall on TCP's 200 ms persist timer)
    auto server = startServer(std::move(o));
    ASSERT_TRUE(server);
    Conn c = connectTo(server->port(), defaultConfig(), 32 * 1024);

    std::vector<std::uint8_t> out(256 * 1024);
    std::vector<std::uint8_t> in(64 * 1024);
    std::size_t sent = 0, received = 0, partialWrites = 0, wantWrites = 0, wantReads = 0;
    bool mismatch = false;
    br_sha256_context rx;
    br_sha256_init(&rx);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while ((sent < kTotal || received < kTotal) && std::chrono::steady_clock::now() < deadline) {
        bool wantRead = false, wantWrite = false;
        if (sent < kTotal) {
            const std::size_t chunk = std::min(out.size(), kTotal - sent);
            for (std::size_t i = 0; i < chunk; ++i) out[i] = BearSslServer::bulkByte(sent + i);
            std::size_t accepted = 0;
            TlsStatus s = c.tls->write(std::span(out.data(), chunk), accepted);
            ASSERT_TRUE(s == TlsStatus::Ok || s == TlsStatus::WantWrite || s == TlsStatus::WantRead)
                << tls::tlsStatusName(s) << " " << describe(*c.tls);
            ASSERT_LE(accepted, chunk);
            if (s != TlsStatus::Ok) {
                ASSERT_EQ(accepted, 0u);
            }
            if (s == TlsStatus::Ok && accepted < chunk) ++partialWrites;
            if (s == TlsStatus::WantWrite) ++wantWrites, wantWrite = true;
            if (s == TlsStatus::WantRead) wantRead = true;
            sent += accepted;
        }
        if (received < kTotal) {
            std::size_t got = 0;
            TlsStatus s = c.tls->read(in, got);
            ASSERT_TRUE(s == TlsStatus::Ok || s == TlsStatus::WantWrite || s == TlsStatus::WantRead)
                << tls::tlsStatusName(s) << " " << describe(*c.tls);
            for (std::size_t i = 0; i < got && !mismatch; ++i)
                mismatch = in[i] != BearSslServer::bulkByte(received + i);
            br_sha256_update(&rx, in.data(), got);
            received += got;
            if (s == TlsStatus::WantRead) ++wantReads, wantRead = true;
            if (s == TlsStatus::WantWrite) wantWrite = true;
        }
        if (wantRead || wantWrite) {
            platform::PollEntry p{.socket = c.socket->fd(), .read = wantRead, .write = wantWrite};
            platform::poll({&p, 1}, 1000);
        }
    }
    ASSERT_EQ(sent, kTotal);
    ASSERT_EQ(received, kTotal);
    EXPECT_FALSE(mismatch);
    ASSERT_EQ(c.close(), TlsStatus::Ok);
    ASSERT_TRUE(server->waitForConnections(1));

    // The server hashed what it received; we hash the pattern we meant to send.
    br_sha256_context tx;
    br_sha256_init(&tx);
    for (std::size_t off = 0; off < kTotal; off += out.size()) {
        for (std::size_t i = 0; i < out.size(); ++i) out[i] = BearSslServer::bulkByte(off + i);
        br_sha256_update(&tx, out.data(), out.size());
    }
    std::array<std::uint8_t, 32> expected{}, ours{};
    br_sha256_out(&tx, expected.data());
    br_sha256_out(&rx, ours.data());
    auto seen = server->connections().at(0);
    EXPECT_EQ(seen.received, kTotal);
    EXPECT_EQ(seen.receivedSha256, expected);  // what we wrote arrived intact
    EXPECT_EQ(ours, expected);                 // what it wrote arrived intact (same pattern)
    EXPECT_GT(partialWrites + wantWrites, 0u) << "the slow reader never pushed back";
    std::printf("[ bulk     ] 16 MiB each way: %zu partial writes, %zu WantWrite, %zu WantRead\n",
                partialWrites, wantWrites, wantReads);
}

// The engine reads the next record's header with the current record's body: one receive per
// record where BearSSL on its own makes two (header, then body). Counted with the records
// already waiting in the socket, so the count does not depend on how the peer is scheduled.
TEST(tls_stream, WaitingRecordsTakeOneReceiveEach)
{
    constexpr std::size_t kRecords = 4;
    auto o = serverOptions(Behavior::SendThenCloseNotify);
    const std::string payload(kRecords * 16384, 'r');
    o.payload = payload;
    auto server = startServer(std::move(o));
    ASSERT_TRUE(server);
    Conn c = connectTo(server->port(), defaultConfig());
    ASSERT_EQ(c.handshake(), TlsStatus::Ok) << describe(*c.tls);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    int queued = 0;
    while ((::ioctl(c.socket->fd(), FIONREAD, &queued) != 0 || queued < int(kRecords * (16384 + 16))) &&
           std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    ASSERT_GE(queued, int(kRecords * (16384 + 16))) << "the records never all arrived";
    const std::size_t before = c.socket->receiveCount();
    std::string got;
    ASSERT_EQ(c.readExactly(payload.size(), got), TlsStatus::Ok) << describe(*c.tls);
    EXPECT_EQ(got, payload);
    EXPECT_LE(c.socket->receiveCount() - before, kRecords + 1);
}

// Each flight leaves as one send. Sent record by record, the later records of a flight are
// small segments that Nagle holds until the peer ACKs the first, and a server that cannot answer
// before our Finished delays that ACK: ~40 ms per handshake with the guest's default socket
// options. Full handshake (ClientHello; ClientKeyExchange, ChangeCipherSpec, Finished), resumed
// (ClientHello; ChangeCipherSpec, Finished), with a client certificate (ClientHello; Certificate,
// ClientKeyExchange, CertificateVerify, ChangeCipherSpec, Finished), and a three-record write.
TEST(tls_stream, EachFlightIsOneSend)
{
    auto server = startServer(serverOptions(Behavior::Echo));
    ASSERT_TRUE(server);
    constexpr int kBigSendBuffer = 1 << 20;  // a whole write fits: a partial send is no second flight
    Conn full = connectTo(server->port(), defaultConfig(), kBigSendBuffer);
    ASSERT_EQ(full.handshake(), TlsStatus::Ok) << describe(*full.tls);
    EXPECT_EQ(full.socket->sendCount(), 2u) << "ClientHello, then ClientKeyExchange, ChangeCipherSpec, Finished";

    const std::string text(40000, 'w');  // 16384 + 16384 + 7232 bytes: three records
    const std::size_t before = full.socket->sendCount();
    std::size_t accepted = 0;
    ASSERT_EQ(full.tls->write(std::span(reinterpret_cast<const std::uint8_t*>(text.data()), text.size()), accepted),
              TlsStatus::Ok) << describe(*full.tls);
    EXPECT_EQ(accepted, text.size());
    EXPECT_EQ(full.socket->sendCount() - before, 1u) << "the write's three records";
    std::string echo;
    ASSERT_EQ(full.readExactly(text.size(), echo), TlsStatus::Ok) << describe(*full.tls);
    EXPECT_EQ(echo, text);
    auto config = defaultConfig();
    config.resume = full.tls->session();
    ASSERT_TRUE(config.resume);
    EXPECT_EQ(full.close(), TlsStatus::Ok);

    Conn resumed = connectTo(server->port(), std::move(config));
    ASSERT_EQ(resumed.handshake(), TlsStatus::Ok) << describe(*resumed.tls);
    ASSERT_TRUE(resumed.tls->resumed());
    EXPECT_EQ(resumed.socket->sendCount(), 2u) << "ClientHello, then ChangeCipherSpec and Finished";
    EXPECT_EQ(resumed.close(), TlsStatus::Ok);

    // With a client certificate: Certificate, ClientKeyExchange, CertificateVerify,
    // ChangeCipherSpec and Finished, to openssl s_server asking for it.
    auto identity = tls::ClientIdentity::create({der("client.der"), der("int.der")}, der("client.rsa.der"));
    ASSERT_TRUE(identity) << (identity ? "" : identity.error());
    auto o = testServerOptions(TlsPeer::Kind::OpenSsl);
    o.clientCA = pem("ca-bundle.pem");
    std::string why;
    auto peer = TlsPeer::start(o, &why);
    ASSERT_TRUE(peer) << why;
    auto withIdentity = defaultConfig();
    withIdentity.identity = *identity;
    Conn mutual = connectTo(peer->port(), std::move(withIdentity));
    ASSERT_EQ(mutual.handshake(), TlsStatus::Ok) << describe(*mutual.tls) << peer->output();
    EXPECT_EQ(mutual.socket->sendCount(), 2u) << "ClientHello, then the five messages of the second flight";
}

// What is read ahead is never a whole record: once the guest has read one record, the next is
// still (mostly) in the socket, so a guest that waits for readability before reading sees it.
TEST(tls_stream, AnUnreadRecordLeavesTheSocketReadable)
{
    auto o = serverOptions(Behavior::SendThenCloseNotify);
    o.payload = std::string(16384, 'a') + std::string(100, 'b');  // two records
    auto server = startServer(std::move(o));
    ASSERT_TRUE(server);
    Conn c = connectTo(server->port(), defaultConfig());
    std::string got;
    ASSERT_EQ(c.readExactly(16384, got), TlsStatus::Ok) << describe(*c.tls);
    EXPECT_EQ(got, std::string(16384, 'a'));
    ASSERT_EQ(c.tls->pending(), 0u);
    EXPECT_TRUE(c.socket->wait(false, std::chrono::seconds(5))) << "the second record is held back, the socket idle";
    std::string rest;
    ASSERT_EQ(c.readExactly(100, rest), TlsStatus::Ok) << describe(*c.tls);
    EXPECT_EQ(rest, std::string(100, 'b'));
}

// The read-ahead stops at a close_notify: what the peer sends after it stays in the socket, for
// a guest that goes on with the descriptor in plain TCP.
TEST(tls_stream, BytesAfterTheCloseNotifyStayInTheSocket)
{
    auto o = testServerOptions(TlsPeer::Kind::Python);
    o.script = WIIU_NSSL_SOURCE_DIR "/tests/interop/plain_after_close_notify.py";
    std::string why;
    auto peer = TlsPeer::start(o, &why);
    ASSERT_TRUE(peer) << why;
    Conn c = connectTo(peer->port(), defaultConfig());
    std::string got;
    ASSERT_EQ(c.readExactly(5, got), TlsStatus::Ok) << describe(*c.tls);
    EXPECT_EQ(got, "hello");
    std::string more;
    ASSERT_EQ(c.readExactly(1, more), TlsStatus::ZeroReturn) << describe(*c.tls);
    std::string plain;
    char buf[16];
    while (plain.size() < 5 && c.socket->wait(false, std::chrono::seconds(5))) {
        const ssize_t n = ::recv(c.socket->fd(), buf, sizeof buf, 0);
        if (n <= 0)
            break;
        plain.append(buf, static_cast<std::size_t>(n));
    }
    EXPECT_EQ(plain, "PLAIN");
}

TEST(tls_stream, ResumptionAgainstBearSsl)
{
    auto server = startServer(serverOptions(Behavior::Echo));
    ASSERT_TRUE(server);
    std::optional<tls::SessionParameters> session;
    {
        Conn c = connectTo(server->port(), defaultConfig());
        ASSERT_EQ(c.handshake(), TlsStatus::Ok) << describe(*c.tls);
        EXPECT_FALSE(c.tls->resumed());
        session = c.tls->session();
        ASSERT_TRUE(session);
        EXPECT_EQ(session->cipherSuite(), c.tls->cipherSuite());
        EXPECT_EQ(c.close(), TlsStatus::Ok);
    }
    {
        auto config = defaultConfig();
        config.resume = session;
        Conn c = connectTo(server->port(), std::move(config));
        ASSERT_EQ(c.handshake(), TlsStatus::Ok) << describe(*c.tls);
        EXPECT_TRUE(c.tls->resumed());
        EXPECT_TRUE(c.tls->peerChain().empty());
        ASSERT_EQ(c.writeAll("again"), TlsStatus::Ok);
        std::string echo;
        EXPECT_EQ(c.readExactly(5, echo), TlsStatus::Ok);
        EXPECT_EQ(echo, "again");
        EXPECT_EQ(c.close(), TlsStatus::Ok);
    }
    {
        br_ssl_session_parameters raw = session->raw();
        raw.session_id[1] ^= 0x5a;
        auto config = defaultConfig();
        config.resume = tls::SessionParameters(raw);
        Conn c = connectTo(server->port(), std::move(config));
        ASSERT_EQ(c.handshake(), TlsStatus::Ok) << describe(*c.tls);
        EXPECT_FALSE(c.tls->resumed());
        EXPECT_EQ(c.tls->peerChain().size(), 2u);
        c.close();
    }
    ASSERT_TRUE(server->waitForConnections(3));
    for (const auto& seen : server->connections()) EXPECT_TRUE(seen.cleanClose);
}

TEST(tls_stream, MemoryPerLiveConnection)
{
#if defined(__SANITIZE_ADDRESS__)
    GTEST_SKIP() << "mallinfo2 does not see ASan's allocator";
#endif
    // A concurrent peer (python's threaded echo), so all connections are live at once.
    TlsPeer::Options po;
    po.kind = TlsPeer::Kind::Python;
    po.cert = pem("server.pem");
    po.key = pem("server.key");
    po.chain = pem("int.pem");
    std::string why;
    auto peer = TlsPeer::start(po, &why);
    ASSERT_TRUE(peer) << why;

    constexpr int kConnections = 16;
    std::vector<std::shared_ptr<TcpTransport>> sockets;
    for (int i = 0; i < kConnections; ++i) {
        sockets.push_back(TcpTransport::connect(peer->port()));
        ASSERT_TRUE(sockets.back());
    }
    auto config = defaultConfig();
    std::vector<std::unique_ptr<tls::TlsClient>> clients;
    clients.reserve(kConnections);
    const auto before = mallinfo2().uordblks;
    for (int i = 0; i < kConnections; ++i) {
        auto tls = tls::TlsClient::create(config, sockets[i]);
        ASSERT_TRUE(tls);
        clients.push_back(std::move(*tls));
        ASSERT_EQ(drive(*sockets[i], [&] { return clients.back()->handshake(); }), TlsStatus::Ok)
            << describe(*clients.back());
    }
    const auto after = mallinfo2().uordblks;
    const double perConnection = static_cast<double>(after - before) / kConnections;
    std::printf("[ memory   ] %.0f bytes per live TLS connection (sizeof(TlsClient) = %zu, "
                "peer chain %zu bytes)\n",
                perConnection, sizeof(tls::TlsClient),
                clients[0]->peerChain()[0].size() + clients[0]->peerChain()[1].size());
    EXPECT_LE(perConnection, 44.0 * 1024);
    for (int i = 0; i < kConnections; ++i)
        drive(*sockets[i], [&] { return clients[i]->close(); });
}

}  // namespace
}  // namespace wiiu::test
