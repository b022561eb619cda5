// NSSL calls as a hostile guest makes them (issue 22's findings): freed session handles reused
// by another connection, creates racing destroy and finish, and refused calls that must leave
// guest memory as it was.
#include <atomic>
#include <cstring>
#include <thread>

#include <gtest/gtest.h>

#include "hle/nssl/service.h"
#include "support/bearssl_server.h"
#include "support/nssl_guest.h"
#include "support/pki_fixture.h"

using namespace wiiu;
using namespace wiiu::test;
using nssl::NsslError;

namespace {

/// Serves each connection a short payload and a FIN (no close_notify to wait for), so handshaken
/// connections stay open on the client side while the server moves on to the next one.
std::unique_ptr<BearSslServer> startServer()
{
    BearSslServer::Options o;
    o.chain = {pkiBytes("server.der"), pkiBytes("int.der")};
    o.key = pkiBytes("server.key.der");
    o.behavior = BearSslServer::Behavior::SendThenFin;
    o.payload = "hello";
    std::string why;
    auto server = BearSslServer::start(std::move(o), &why);
    EXPECT_TRUE(server) << why;
    return server;
}

/// The last `n` bytes of guest memory, filled with `fill`.
guest::GuestAddress tailOfMemory(GuestEnv& g, std::uint32_t n, std::uint8_t fill)
{
    const guest::GuestAddress at = GuestEnv::kBase + GuestEnv::kSize - n;
    std::memset(g.host(at), fill, n);
    return at;
}

bool allBytesAre(GuestEnv& g, guest::GuestAddress at, std::uint32_t n, std::uint8_t value)
{
    for (std::uint32_t i = 0; i < n; ++i)
        if (static_cast<std::uint8_t>(g.host(at)[i]) != value)
            return false;
    return true;
}

TEST(NsslHostileGuest, GetSessionNeverReturnsAnotherConnectionsSession)
{
    auto server = startServer();
    NsslGuest g;
    const std::int32_t ctx = g.context(0, pkiBytes("root.der"));
    const std::int32_t a = g.connection(ctx, server->port(), "localhost", 7);
    ASSERT_EQ(g.nssl("NSSLDoHandshake", {u(a)}), 0);
    const std::int32_t b = g.connection(ctx, server->port(), "localhost", 7);
    ASSERT_EQ(g.nssl("NSSLDoHandshake", {u(b)}), 0);

    const std::int32_t sa = g.nssl("NSSLGetSession", {u(a)});
    ASSERT_GE(sa, 0);
    ASSERT_EQ(g.nssl("NSSLFreeSession", {u(sa)}), 0);  // the handle dies with its last reference
    const std::int32_t sb = g.nssl("NSSLGetSession", {u(b)});
    ASSERT_EQ(sb, sa) << "the lowest free handle is reused";
    // A asks again: a new session of its own, not B's under the handle A once had.
    const std::int32_t sa2 = g.nssl("NSSLGetSession", {u(a)});
    ASSERT_GE(sa2, 0);
    EXPECT_NE(sa2, sb);
    // B's session has exactly one reference: freeing it once kills the handle.
    ASSERT_EQ(g.nssl("NSSLFreeSession", {u(sb)}), 0);
    EXPECT_EQ(g.nssl("NSSLFreeSession", {u(sb)}), NsslGuest::code(NsslError::INVALID_NSSL_SESSION));
    // A's new session resumes on a new connection of the same context.
    const std::int32_t c = g.connection(ctx, server->port(), "localhost", 7);
    ASSERT_GE(c, 0);
    EXPECT_EQ(g.nssl("NSSLSetSession", {u(c), u(sa2)}), 0);
    ASSERT_EQ(g.nssl("NSSLDoHandshake", {u(c)}), 0);
    auto resumed = g.process().state()->nssl().resumed(nssl::ConnectionHandle{c});
    ASSERT_TRUE(resumed);
    EXPECT_TRUE(*resumed);
}

/// Runs `create` and `destroy` on two threads released together, `rounds` times.
template <class Setup, class Create, class Destroy, class Check>
void race(int rounds, Setup setup, Create create, Destroy destroy, Check check)
{
    for (int i = 0; i < rounds; ++i) {
        auto state = setup();
        std::atomic<int> arrived{0};
        std::int32_t created = -1;
        auto go = [&] {
            arrived.fetch_add(1);
            while (arrived.load() < 2) {
            }
        };
        std::thread creator([&] {
            go();
            created = create(state);
        });
        go();
        destroy(state);
        creator.join();
        if (!check(state, created))
            return;
    }
}

/// One round of a create-versus-teardown race: a fresh context and an unconnected TCP socket.
struct RaceRound {
    std::int32_t ctx, fd;
    static RaceRound start(NsslGuest& g) { return {g.nssl("NSSLCreateContext", {0}), g.nssl("socket", {2, 1, 0})}; }
    /// NSSLCreateConnection on guest thread 2, the side that races the teardown.
    std::int32_t createConnection(NsslGuest& g, guest::GuestAddress host) const
    {
        return g.nssl("NSSLCreateConnection", {u(ctx), host, 9, 0, u(fd), 1}, 2);
    }
};

TEST(NsslHostileGuest, DestroyContextRacingCreateConnectionLeavesNoConnection)
{
    NsslGuest g;
    ASSERT_EQ(g.nssl("NSSLInit"), 0);
    ASSERT_EQ(g.nssl("socket_lib_init"), 0);
    const auto host = g.putText("localhost");
    using State = RaceRound;
    race(
        500,  // the unfixed code failed within the first ~100 rounds
        [&] { return RaceRound::start(g); },
        [&](State& s) { return s.createConnection(g, host); },
        [&](State& s) { EXPECT_EQ(g.nssl("NSSLDestroyContext", {u(s.ctx)}), 0); },
        [&](State& s, std::int32_t conn) {
            // Created before the destroy (and destroyed with the context) or refused after it.
            const auto word = g.alloc(4);
            if (conn >= 0) {
                EXPECT_EQ(g.nssl("NSSLGetPending", {u(conn), word}),
                          NsslGuest::code(NsslError::INVALID_NSSL_CONNECTION))
                    << "a connection of a destroyed context is still live";
            } else {
                EXPECT_EQ(conn, NsslGuest::code(NsslError::INVALID_NSSL_CONTEXT));
            }
            EXPECT_EQ(g.nssl("socketclose", {u(s.fd)}), 0);
            return !::testing::Test::HasFailure() && g.process().state()->nssl().status().connections.empty();
        });
    EXPECT_TRUE(g.process().state()->nssl().status().connections.empty());
}

TEST(NsslHostileGuest, FinishRacingCreateConnectionLeavesNoConnection)
{
    NsslGuest g;
    ASSERT_EQ(g.nssl("socket_lib_init"), 0);
    const auto host = g.putText("localhost");
    using State = RaceRound;
    race(
        500,  // the unfixed code failed within the first ~100 rounds
        [&] {
            EXPECT_EQ(g.nssl("NSSLInit"), 0);
            return RaceRound::start(g);
        },
        [&](State& s) { return s.createConnection(g, host); },
        [&](State&) { EXPECT_EQ(g.nssl("NSSLFinish"), 0); },
        [&](State& s, std::int32_t conn) {
            const auto word = g.alloc(4);
            if (conn < 0) {
                EXPECT_TRUE(conn == NsslGuest::code(NsslError::LIB_NOT_READY) ||
                            conn == NsslGuest::code(NsslError::INVALID_NSSL_CONTEXT))
                    << conn;
            }
            // After the next NSSLInit nothing of the finished library is usable.
            EXPECT_EQ(g.nssl("NSSLInit"), 0);
            if (conn >= 0) {
                EXPECT_EQ(g.nssl("NSSLGetPending", {u(conn), word}),
                          NsslGuest::code(NsslError::INVALID_NSSL_CONNECTION))
                    << "a connection survived NSSLFinish";
            }
            const bool empty = g.process().state()->nssl().status().connections.empty();
            EXPECT_TRUE(empty);
            EXPECT_EQ(g.nssl("NSSLFinish"), 0);
            EXPECT_EQ(g.nssl("socketclose", {u(s.fd)}), 0);
            return !::testing::Test::HasFailure();
        });
}

TEST(NsslHostileGuest, RefusedCertificateCopiesWriteNothing)
{
    auto server = startServer();
    NsslGuest g;
    const std::int32_t ctx = g.context(0, pkiBytes("root.der"));
    const std::int32_t conn = g.connection(ctx, server->port(), "localhost", 7);
    ASSERT_EQ(g.nssl("NSSLDoHandshake", {u(conn)}), 0);
    const auto leaf = pkiBytes("server.der");
    const auto type = g.put(guest::bei32(-7));
    const auto size = g.alloc(4);
    auto setSize = [&](guest::GuestAddress at, std::uint32_t v) {
        g.memory().store(guest::GuestPtr<guest::be32>{at}, guest::be32(v));
    };

    // A buffer whose capacity is enough but which runs past the end of guest memory.
    const auto straddling = tailOfMemory(g, 64, 0xEE);
    setSize(size, 4096);
    EXPECT_EQ(g.nssl("NSSLGetPeerCert", {u(conn), straddling, size, type.address}),
              NsslGuest::code(NsslError::INVALID_ARG));
    EXPECT_EQ(g.readBe32(size), 4096u) << "*inoutSize rewritten by a refused call";
    EXPECT_EQ(static_cast<std::int32_t>(g.readBe32(type.address)), -7);
    EXPECT_TRUE(allBytesAre(g, straddling, 64, 0xEE));

    EXPECT_EQ(g.nssl("NSSLExportInternalServerCertificate", {kTestRootId, straddling, size, type.address}),
              NsslGuest::code(NsslError::INVALID_ARG));
    EXPECT_EQ(g.readBe32(size), 4096u);
    EXPECT_TRUE(allBytesAre(g, straddling, 64, 0xEE));

    // The client export: a good certificate buffer, a key buffer that straddles the end.
    const auto certBuf = g.alloc(4096);
    std::memset(g.host(certBuf), 0xCC, 4096);
    const auto keySize = g.alloc(4);
    setSize(size, 4096);
    setSize(keySize, 4096);
    EXPECT_EQ(g.nssl("NSSLExportInternalClientCertificate",
                     {kTestClientId, certBuf, size, type.address, straddling, keySize, 0}),
              NsslGuest::code(NsslError::INVALID_ARG));
    EXPECT_TRUE(allBytesAre(g, certBuf, 4096, 0xCC)) << "the certificate was copied before the key was refused";
    EXPECT_EQ(g.readBe32(size), 4096u);
    EXPECT_EQ(g.readBe32(keySize), 4096u);
    EXPECT_TRUE(allBytesAre(g, straddling, 64, 0xEE));

    // Control: the same peer-certificate call into a good buffer succeeds and reports the size.
    const auto good = g.alloc(4096);
    EXPECT_EQ(g.nssl("NSSLGetPeerCert", {u(conn), good, size, type.address}), 0);
    EXPECT_EQ(g.readBe32(size), leaf.size());
    EXPECT_EQ(std::memcmp(g.host(good), leaf.data(), leaf.size()), 0);
}

}  // namespace
