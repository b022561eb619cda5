// The NSSL service through its host API alone: no guest memory, no import table. Real sockets
// to an in-process BearSSL server on 127.0.0.1. What an emulator's own nlibcurl HLE would call.
#include <gtest/gtest.h>

#include <wiiu_nssl/hooks.h>
#include "hle/nssl/service.h"
#include "hle/nsysnet/socket_table.h"
#include "support/bearssl_server.h"
#include "support/nssl_guest.h"
#include "support/pki_fixture.h"

using namespace wiiu;
using namespace wiiu::nssl;
using wiiu::test::BearSslServer;
using wiiu::test::pkiBytes;

namespace {

constexpr std::uint32_t kLoopback = 0x7F000001;

class NsslService : public ::testing::Test {
protected:
    explicit NsslService(Config config = smallLimits())
        : sockets(hooks), service(config, test::testCertStore(), tableSockets, hooks)
    {
    }
    static Config smallLimits()
    {
        Config c;
        c.maxContexts = 2;
        c.maxConnections = 2;
        c.maxSessions = 2;
        return c;
    }
    void SetUp() override
    {
        BearSslServer::Options o;
        o.chain = {pkiBytes("server.der"), pkiBytes("int.der")};
        o.key = pkiBytes("server.key.der");
        o.behavior = BearSslServer::Behavior::SendThenFin;  // moves on without waiting for us
        o.payload = "hi";
        std::string why;
        server = BearSslServer::start(std::move(o), &why);
        ASSERT_TRUE(server) << why;
        ASSERT_EQ(service.init(), NsslError::OK);
        sockets.initialize();
    }

    ContextHandle context()
    {
        auto ctx = service.createContext(0);
        EXPECT_TRUE(ctx);
        const auto root = pkiBytes("root.der");
        EXPECT_EQ(service.addServerPkiExternal(*ctx, root, kCertTypeDer), NsslError::OK);
        return *ctx;
    }
    /// A connection on a fresh TCP socket connected to the server.
    Result<ConnectionHandle> connection(ContextHandle ctx)
    {
        auto fd = sockets.open(nsysnet::SocketKind::Stream);
        EXPECT_TRUE(fd);
        EXPECT_TRUE(sockets.connect(*fd, {kLoopback, server->port()}));
        return service.createConnection(ctx, "localhost", tls::verify::All, *fd, true);
    }
    ConnectionHandle handshaken(ContextHandle ctx)
    {
        auto conn = connection(ctx);
        EXPECT_TRUE(conn);
        EXPECT_EQ(service.doHandshake(*conn), NsslError::OK);
        return *conn;
    }

    guest::DefaultHooks hooks;
    nsysnet::SocketTable sockets;
    TableSockets tableSockets{sockets};  // where the service finds the sockets
    Service service;
    std::unique_ptr<BearSslServer> server;
};

TEST_F(NsslService, LimitsAreTheConfiguredOnes)
{
    const ContextHandle a = context();
    context();
    auto third = service.createContext(0);
    ASSERT_FALSE(third);
    EXPECT_EQ(third.error(), NsslError::PROCESS_MAX_CONTEXTS);
    ASSERT_TRUE(connection(a));
    ASSERT_TRUE(connection(a));
    auto overflow = connection(a);
    ASSERT_FALSE(overflow);
    EXPECT_EQ(overflow.error(), NsslError::PROCESS_MAX_CONNECTIONS);
    // Destroying the context frees its connections' handles.
    EXPECT_EQ(service.destroyContext(a), NsslError::OK);
    EXPECT_TRUE(service.status().connections.empty());
    EXPECT_TRUE(service.createContext(0));
}

TEST_F(NsslService, SessionReferencesAndResumption)
{
    const ContextHandle ctx = context();
    const ConnectionHandle first = handshaken(ctx);
    auto session = service.getSession(first);
    ASSERT_TRUE(session);
    auto again = service.getSession(first);  // one more reference to the same session
    ASSERT_TRUE(again);
    EXPECT_EQ(*again, *session);
    EXPECT_EQ(service.status().sessions, 1u);

    auto resumedConn = connection(ctx);
    ASSERT_TRUE(resumedConn);
    EXPECT_EQ(service.setSession(*resumedConn, *session), NsslError::OK);
    ASSERT_EQ(service.doHandshake(*resumedConn), NsslError::OK);
    EXPECT_TRUE(*service.resumed(*resumedConn));

    EXPECT_EQ(service.freeSession(*session), NsslError::OK);
    EXPECT_EQ(service.status().sessions, 1u) << "one reference is left";
    EXPECT_EQ(service.freeSession(*session), NsslError::OK);
    EXPECT_EQ(service.status().sessions, 0u);
    EXPECT_EQ(service.freeSession(*session), NsslError::INVALID_NSSL_SESSION);
}

TEST_F(NsslService, ReadAnswersTheBytesThenWhyNoMore)
{
    const ConnectionHandle conn = handshaken(context());
    std::array<std::uint8_t, 16> buf{};
    auto got = service.read(conn, buf);
    ASSERT_TRUE(got);
    EXPECT_EQ(std::string(buf.begin(), buf.begin() + static_cast<std::ptrdiff_t>(*got)), "hi");
    auto end = service.read(conn, buf);  // the server sent a FIN without close_notify
    ASSERT_FALSE(end);
    EXPECT_EQ(end.error(), NsslError::IO_ERROR);
    EXPECT_EQ(service.failure(conn)->reason, tls::FailureReason::Io);
}

TEST_F(NsslService, FinishTearsEverythingDownAndRefusesUntilInit)
{
    const ContextHandle ctx = context();
    const ConnectionHandle conn = handshaken(ctx);
    ASSERT_TRUE(service.getSession(conn));
    EXPECT_EQ(service.finish(), NsslError::OK);
    const auto status = service.status();
    EXPECT_TRUE(status.contexts.empty());
    EXPECT_TRUE(status.connections.empty());
    EXPECT_EQ(status.sessions, 0u);
    EXPECT_EQ(service.doHandshake(conn), NsslError::LIB_NOT_READY);
    EXPECT_EQ(service.finish(), NsslError::OK);  // a second finish has nothing to do (decaf answers OK)
    ASSERT_EQ(service.init(), NsslError::OK);
    EXPECT_EQ(service.doHandshake(conn), NsslError::INVALID_NSSL_CONNECTION);
    auto fresh = service.createContext(0);
    ASSERT_TRUE(fresh);
    EXPECT_EQ(static_cast<std::int32_t>(*fresh), 0) << "handles start again from 0";
}

}  // namespace
