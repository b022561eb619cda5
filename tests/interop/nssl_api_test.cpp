// The NSSL exports' argument and handle rules through the import table: calls before NSSLInit,
// stale and foreign handles, bad pointers and sizes, the per-process limits, and the store.
#include <gtest/gtest.h>

#include "support/captured_log.h"
#include "support/nssl_guest.h"
#include "support/pki_fixture.h"

using namespace wiiu;
using namespace wiiu::test;
using nssl::NsslError;

namespace {

constexpr std::uint32_t kBad = 0xFFFFFFF0;  ///< outside guest memory
constexpr std::uint32_t kStraddle = GuestEnv::kBase + GuestEnv::kSize - 2;

TEST(NsslApi, EveryCallBeforeInitIsLibNotReady)
{
    NsslGuest g;
    const std::int32_t notReady = NsslGuest::code(NsslError::LIB_NOT_READY);
    for (const char* name :
         {"NSSLCreateContext", "NSSLDestroyContext", "NSSLSetClientPKI", "NSSLAddServerPKI", "NSSLAddServerPKIGroups",
          "NSSLAddServerPKIExternal", "NSSLSetClientPKIExternal", "NSSLCreateConnection", "NSSLDestroyConnection",
          "NSSLDoHandshake", "NSSLRead", "NSSLWrite", "NSSLGetPending", "NSSLGetPeerCertSize", "NSSLGetPeerCert",
          "NSSLGetCipherInfo", "NSSLGetSession", "NSSLSetSession", "NSSLFreeSession", "NSSLRemoveSession",
          "NSSLExportInternalServerCertificate", "NSSLExportInternalClientCertificate"})
        EXPECT_EQ(g.nssl(name, {0, 0, 0, 0, 0, 0, 0}), notReady) << name;
    EXPECT_EQ(g.nssl("NSSLFinish"), 0);  // nothing to finish is no error (decaf)
    for (const char* name : {"NSSLAddCRLExternal", "NSSLContextSetFlags", "NSSLContextGetFlags",
                             "NSSLContextClearFlags", "NSSLContextSetMode"})
        EXPECT_EQ(g.call32("nn_nets2", name, {0, 0, 0, 0}), notReady) << name;
    EXPECT_EQ(g.nssl("NSSLInit"), 0);
    EXPECT_EQ(g.nssl("NSSLInit"), 0);  // idempotent
}

TEST(NsslApi, ContextHandlesVersionsAndLimit)
{
    NsslGuest g;
    g.nssl("NSSLInit");
    EXPECT_EQ(g.nssl("NSSLCreateContext", {3}), NsslGuest::code(NsslError::INVALID_ARG));
    EXPECT_EQ(g.nssl("NSSLCreateContext", {0xFFFFFFFF}), NsslGuest::code(NsslError::INVALID_ARG));
    for (std::int32_t i = 0; i < 32; ++i)
        ASSERT_EQ(g.nssl("NSSLCreateContext", {u(i % 3)}), i);  // lowest free handle from 0
    EXPECT_EQ(g.nssl("NSSLCreateContext", {0}), NsslGuest::code(NsslError::PROCESS_MAX_CONTEXTS));
    EXPECT_EQ(g.nssl("NSSLDestroyContext", {5}), 0);
    EXPECT_EQ(g.nssl("NSSLDestroyContext", {5}), NsslGuest::code(NsslError::INVALID_NSSL_CONTEXT));
    EXPECT_EQ(g.nssl("NSSLCreateContext", {0}), 5);
    for (std::uint32_t bad : {32u, 0xFFFFFFFFu, 0x7FFFFFFFu})
        EXPECT_EQ(g.nssl("NSSLDestroyContext", {bad}), NsslGuest::code(NsslError::INVALID_NSSL_CONTEXT));
}

TEST(NsslApi, ForeignHandlesFromAnotherProcessAreUnknown)
{
    NsslGuest a;
    NsslGuest b;
    const std::int32_t ctx = a.context(0);
    ASSERT_EQ(ctx, 0);
    b.nssl("NSSLInit");
    EXPECT_EQ(b.nssl("NSSLDestroyContext", {u(ctx)}), NsslGuest::code(NsslError::INVALID_NSSL_CONTEXT));
    EXPECT_EQ(a.nssl("NSSLDestroyContext", {u(ctx)}), 0);
}

TEST(NsslApi, ServerPkiInternalGroupsAndExternal)
{
    NsslGuest g;
    const std::int32_t ctx = g.context(0);
    EXPECT_EQ(g.nssl("NSSLAddServerPKI", {u(ctx), kTestRootId}), 0);
    EXPECT_EQ(g.nssl("NSSLAddServerPKI", {u(ctx), kTestRootId}), 0);  // twice is fine
    EXPECT_EQ(g.nssl("NSSLAddServerPKI", {u(ctx), 12345}), NsslGuest::code(NsslError::INVALID_CERT_ID));
    EXPECT_EQ(g.nssl("NSSLAddServerPKI", {u(ctx), kTestClientId}), NsslGuest::code(NsslError::INVALID_CERT_ID));
    EXPECT_EQ(g.nssl("NSSLAddServerPKI", {99, kTestRootId}), NsslGuest::code(NsslError::INVALID_NSSL_CONTEXT));

    const auto valid = g.alloc(4);
    const auto invalid = g.alloc(4);
    ASSERT_EQ(g.nssl("NSSLAddServerPKIGroups", {u(ctx), 3, valid, invalid}), 0);
    EXPECT_EQ(g.readBe32(valid), 3u);  // the test store holds 2 CAs in group 1, 1 in group 2
    // The known table lists 6 Nintendo and 33 commercial CAs; the test store lacks 36 of them.
    EXPECT_EQ(g.readBe32(invalid), 39u - 3u);
    EXPECT_EQ(g.nssl("NSSLAddServerPKIGroups", {u(ctx), 1, 0, 0}), 0);  // both outputs may be NULL
    EXPECT_EQ(g.nssl("NSSLAddServerPKIGroups", {u(ctx), 1, kBad, 0}), NsslGuest::code(NsslError::INVALID_ARG));
    EXPECT_EQ(g.nssl("NSSLAddServerPKIGroups", {u(ctx), 1, 0, kStraddle}), NsslGuest::code(NsslError::INVALID_ARG));

    auto der = pkiBytes("int.der");
    const auto at = g.putBytes(der);
    const auto n = static_cast<std::uint32_t>(der.size());
    EXPECT_EQ(g.nssl("NSSLAddServerPKIExternal", {u(ctx), at, n, 0}), 0);
    EXPECT_EQ(g.nssl("NSSLAddServerPKIExternal", {u(ctx), 0, n, 0}), NsslGuest::code(NsslError::INVALID_ARG));
    EXPECT_EQ(g.nssl("NSSLAddServerPKIExternal", {u(ctx), at, 0, 0}), NsslGuest::code(NsslError::INVALID_ARG));
    EXPECT_EQ(g.nssl("NSSLAddServerPKIExternal", {u(ctx), at, 0xFFFFFFFF, 0}), NsslGuest::code(NsslError::INVALID_ARG));
    EXPECT_EQ(g.nssl("NSSLAddServerPKIExternal", {u(ctx), kStraddle, 4, 0}), NsslGuest::code(NsslError::INVALID_ARG));
    EXPECT_EQ(g.nssl("NSSLAddServerPKIExternal", {u(ctx), at, n, 1}), NsslGuest::code(NsslError::INVALID_CERT_TYPE));
    EXPECT_EQ(g.nssl("NSSLAddServerPKIExternal", {u(ctx), at, 0x4000, 0}), NsslGuest::code(NsslError::CERT_SIZE_LIMIT));
    EXPECT_EQ(g.nssl("NSSLAddServerPKIExternal", {u(ctx), at, n - 1, 0}), NsslGuest::code(NsslError::INVALID_CERT));
    const auto pem = g.putText(pkiText("int.pem"));
    EXPECT_EQ(g.nssl("NSSLAddServerPKIExternal", {u(ctx), pem, 600, 0}), NsslGuest::code(NsslError::INVALID_CERT));
}

TEST(NsslApi, ExternalCertificateLimitIsPerProcess)
{
    NsslGuest g;
    const std::int32_t a = g.context(0);
    const std::int32_t b = g.nssl("NSSLCreateContext", {0});
    auto der = pkiBytes("root.der");
    const auto at = g.putBytes(der);
    const auto n = static_cast<std::uint32_t>(der.size());
    for (int i = 0; i < 64; ++i)
        ASSERT_EQ(g.nssl("NSSLAddServerPKIExternal", {u(i % 2 ? a : b), at, n, 0}), 0) << i;
    EXPECT_EQ(g.nssl("NSSLAddServerPKIExternal", {u(a), at, n, 0}),
              NsslGuest::code(NsslError::PROCESS_MAX_EXT_CERTS));
}

TEST(NsslApi, ConnectionsNeedAnOpenTcpSocketOfTheProcessAndStopAt32)
{
    NsslGuest g;
    const std::int32_t ctx = g.context(0);
    const auto host = g.putText("localhost");
    auto create = [&](std::int32_t fd, std::uint32_t hostAt = 0, std::uint32_t hostLen = 9) {
        return g.nssl("NSSLCreateConnection", {u(ctx), hostAt ? hostAt : host, hostLen, 7, u(fd), 1});
    };
    g.nssl("socket_lib_init");
    EXPECT_EQ(create(25), NsslGuest::code(NsslError::INVALID_FD));
    const std::int32_t udp = g.nssl("socket", {2, 2, 17});
    ASSERT_GE(udp, 0);
    EXPECT_EQ(create(udp), NsslGuest::code(NsslError::INVALID_FD));
    const std::int32_t tcp = g.nssl("socket", {2, 1, 6});
    ASSERT_GE(tcp, 0);
    EXPECT_EQ(create(tcp, kBad), NsslGuest::code(NsslError::INVALID_ARG));
    EXPECT_EQ(create(tcp, host, 0x7FFFFFFF), NsslGuest::code(NsslError::INVALID_ARG));
    EXPECT_EQ(g.nssl("NSSLCreateConnection", {99, host, 9, 7, u(tcp), 1}),
              NsslGuest::code(NsslError::INVALID_NSSL_CONTEXT));

    // Not connected: the connection is created, the handshake fails with IO_ERROR.
    const std::int32_t conn = create(tcp);
    ASSERT_EQ(conn, 0);
    EXPECT_EQ(g.nssl("NSSLDoHandshake", {u(conn)}), NsslGuest::code(NsslError::IO_ERROR));
    for (std::int32_t i = 1; i < 32; ++i)
        ASSERT_EQ(create(tcp), i);  // several connections may share a socket object
    EXPECT_EQ(create(tcp), NsslGuest::code(NsslError::PROCESS_MAX_CONNECTIONS));
    EXPECT_EQ(g.nssl("NSSLDestroyConnection", {7}), 0);
    EXPECT_EQ(g.nssl("NSSLDestroyConnection", {7}), NsslGuest::code(NsslError::INVALID_NSSL_CONNECTION));
    EXPECT_EQ(create(tcp), 7);
}

TEST(NsslApi, ConnectionCallsRefuseBadPointersAndStaleHandles)
{
    NsslGuest g;
    const std::int32_t ctx = g.context(0);
    g.nssl("socket_lib_init");
    const std::int32_t fd = g.nssl("socket", {2, 1, 6});
    const auto host = g.putText("localhost");
    const std::int32_t conn = g.nssl("NSSLCreateConnection", {u(ctx), host, 9, 7, u(fd), 1});
    ASSERT_GE(conn, 0);
    const auto buf = g.alloc(64);
    const auto word = g.alloc(4);
    const std::int32_t invalidArg = NsslGuest::code(NsslError::INVALID_ARG);
    EXPECT_EQ(g.nssl("NSSLRead", {u(conn), kBad, 64, word}), invalidArg);
    EXPECT_EQ(g.nssl("NSSLRead", {u(conn), buf, 64, 0}), invalidArg);
    EXPECT_EQ(g.nssl("NSSLRead", {u(conn), buf, 0xFFFFFFFF, word}), invalidArg);
    EXPECT_EQ(g.nssl("NSSLRead", {u(conn), buf, 0x10000000, word}), invalidArg);
    EXPECT_EQ(g.nssl("NSSLWrite", {u(conn), kStraddle, 64, word}), invalidArg);
    EXPECT_EQ(g.nssl("NSSLWrite", {u(conn), buf, 64, kBad}), invalidArg);
    EXPECT_EQ(g.nssl("NSSLGetPending", {u(conn), 0}), invalidArg);
    EXPECT_EQ(g.nssl("NSSLGetPeerCertSize", {u(conn), kBad}), invalidArg);
    EXPECT_EQ(g.nssl("NSSLGetCipherInfo", {u(conn), kStraddle}), invalidArg);
    // Before a handshake: no peer, no cipher, nothing pending.
    EXPECT_EQ(g.nssl("NSSLGetPeerCertSize", {u(conn), word}), NsslGuest::code(NsslError::NO_PEER_CERT));
    EXPECT_EQ(g.nssl("NSSLGetCipherInfo", {u(conn), buf}), NsslGuest::code(NsslError::NO_CIPHER));
    EXPECT_EQ(g.nssl("NSSLGetPending", {u(conn), word}), 0);
    EXPECT_EQ(g.readBe32(word), 0u);
    EXPECT_EQ(g.nssl("NSSLSetSession", {u(conn), 0}), NsslGuest::code(NsslError::INVALID_NSSL_SESSION));
    EXPECT_EQ(g.nssl("NSSLFreeSession", {3}), NsslGuest::code(NsslError::INVALID_NSSL_SESSION));
    EXPECT_EQ(g.nssl("NSSLRemoveSession", {0xFFFFFFFF}), NsslGuest::code(NsslError::INVALID_NSSL_SESSION));

    const std::int32_t stale = NsslGuest::code(NsslError::INVALID_NSSL_CONNECTION);
    EXPECT_EQ(g.nssl("NSSLDestroyConnection", {u(conn)}), 0);
    for (const char* name : {"NSSLDoHandshake", "NSSLDestroyConnection", "NSSLGetSession"})
        EXPECT_EQ(g.nssl(name, {u(conn)}), stale) << name;
    EXPECT_EQ(g.nssl("NSSLRead", {u(conn), buf, 64, word}), stale);
    EXPECT_EQ(g.nssl("NSSLWrite", {u(conn), buf, 64, word}), stale);
    EXPECT_EQ(g.nssl("NSSLGetPending", {u(conn), word}), stale);
}

TEST(NsslApi, ExportInternalCertificates)
{
    NsslGuest g;
    g.nssl("NSSLInit");
    const auto size = g.alloc(4);
    const auto type = g.alloc(4);
    const auto root = pkiBytes("root.der");
    // Size query: NULL buffer.
    ASSERT_EQ(g.nssl("NSSLExportInternalServerCertificate", {kTestRootId, 0, size, type}), 0);
    EXPECT_EQ(g.readBe32(size), root.size());
    // Too small: INSUFFICIENT_SIZE with the needed size written back.
    const auto buf = g.alloc(4096);
    g.memory().store(guest::GuestPtr<guest::be32>{size}, guest::be32(10u));
    EXPECT_EQ(g.nssl("NSSLExportInternalServerCertificate", {kTestRootId, buf, size, type}),
              NsslGuest::code(NsslError::INSUFFICIENT_SIZE));
    EXPECT_EQ(g.readBe32(size), root.size());
    g.memory().store(guest::GuestPtr<guest::be32>{size}, guest::be32(4096u));
    ASSERT_EQ(g.nssl("NSSLExportInternalServerCertificate", {kTestRootId, buf, size, type}), 0);
    EXPECT_EQ(std::memcmp(g.host(buf), root.data(), root.size()), 0);
    EXPECT_EQ(g.readBe32(type), 0u);
    EXPECT_EQ(g.nssl("NSSLExportInternalServerCertificate", {kTestPrivateCaId, buf, size, type}),
              NsslGuest::code(NsslError::CERT_NOT_EXPORTABLE));
    EXPECT_EQ(g.nssl("NSSLExportInternalServerCertificate", {4242, buf, size, type}),
              NsslGuest::code(NsslError::INVALID_CERT_ID2));
    EXPECT_EQ(g.nssl("NSSLExportInternalServerCertificate", {kTestRootId, buf, 0, type}),
              NsslGuest::code(NsslError::INVALID_ARG));

    const auto key = pkiBytes("client.rsa.der");
    const auto cert = pkiBytes("client.der");
    const auto keyBuf = g.alloc(4096);
    const auto keySize = g.put(guest::be32(4096u));
    const auto keyType = g.alloc(4);
    g.memory().store(guest::GuestPtr<guest::be32>{size}, guest::be32(4096u));
    ASSERT_EQ(g.nssl("NSSLExportInternalClientCertificate", {kTestClientId, buf, size, type, keyBuf,
                                                             keySize.address, keyType}),
              0);
    EXPECT_EQ(g.readBe32(size), cert.size());
    EXPECT_EQ(g.readBe32(keySize.address), key.size());
    EXPECT_EQ(std::memcmp(g.host(keyBuf), key.data(), key.size()), 0);
    EXPECT_EQ(g.nssl("NSSLExportInternalClientCertificate", {kTestRootId, buf, size, type, keyBuf,
                                                             keySize.address, keyType}),
              NsslGuest::code(NsslError::INVALID_CERT_TYPE));
}

// A game adds its groups to every context it makes: what the store lacks is warned about once
// per process and group, not on every call (later calls log it at debug level).
TEST(NsslApi, MissingGroupCertificatesAreWarnedOncePerProcessAndGroup)
{
    NsslGuest g;
    CapturedLog captured;
    const auto warnings = [&] { return captured.count(log::Level::warn, "certificates of those groups are missing"); };
    for (int i = 0; i < 3; ++i) {
        const std::int32_t ctx = g.context(0);
        ASSERT_EQ(g.nssl("NSSLAddServerPKIGroups", {u(ctx), 1, 0, 0}), 0);
        ASSERT_EQ(g.nssl("NSSLAddServerPKIGroups", {u(ctx), 1, 0, 0}), 0);
        EXPECT_EQ(g.nssl("NSSLDestroyContext", {u(ctx)}), 0);
    }
    EXPECT_EQ(warnings(), 1u) << "group 1";
    const std::int32_t ctx = g.context(0);
    ASSERT_EQ(g.nssl("NSSLAddServerPKIGroups", {u(ctx), 3, 0, 0}), 0);
    ASSERT_EQ(g.nssl("NSSLAddServerPKIGroups", {u(ctx), 2, 0, 0}), 0);
    EXPECT_EQ(warnings(), 2u) << "group 2, once";
    NsslGuest other;  // another process warns again
    ASSERT_EQ(other.nssl("NSSLAddServerPKIGroups", {u(other.context(0)), 1, 0, 0}), 0);
    EXPECT_EQ(warnings(), 3u);
}

TEST(NsslApi, PermissionListsAreCheckedWhenTheEmulatorNamesTheCaller)
{
    // The test store's entries have empty permission lists: a named caller may use none of them.
    nssl::Config config;
    config.caller = certstore::Caller{0x0005000010101A00ull, certstore::kIosProcessCosMaster, 0};
    NsslGuest g(config);
    const std::int32_t ctx = g.context(0);
    const auto noAccess = NsslGuest::code(NsslError::CERT_NO_ACCESS);
    EXPECT_EQ(g.nssl("NSSLAddServerPKI", {u(ctx), kTestRootId}), noAccess);
    EXPECT_EQ(g.nssl("NSSLAddServerPKI", {u(ctx), 12345}), NsslGuest::code(NsslError::INVALID_CERT_ID));
    EXPECT_EQ(g.nssl("NSSLSetClientPKI", {u(ctx), kTestClientId}), noAccess);
    const auto valid = g.alloc(4);
    const auto invalid = g.alloc(4);
    ASSERT_EQ(g.nssl("NSSLAddServerPKIGroups", {u(ctx), 3, valid, invalid}), 0);
    EXPECT_EQ(g.readBe32(valid), 0u);
    EXPECT_EQ(g.readBe32(invalid), 39u);  // 36 missing from the test store + 3 refused
    const auto size = g.alloc(4);
    const auto type = g.alloc(4);
    EXPECT_EQ(g.nssl("NSSLExportInternalServerCertificate", {kTestRootId, 0, size, type}), noAccess);
    EXPECT_EQ(g.nssl("NSSLExportInternalServerCertificate", {4242, 0, size, type}),
              NsslGuest::code(NsslError::INVALID_CERT_ID2));
    const auto keySize = g.alloc(4);
    const auto keyType = g.alloc(4);
    EXPECT_EQ(g.nssl("NSSLExportInternalClientCertificate", {kTestClientId, 0, size, type, 0, keySize, keyType}),
              noAccess);

    // Lists that name the caller (title ID for the root, any process for the client) let it in.
    auto entries = std::vector<certstore::Entry>{};
    for (const std::int32_t id : {kTestRootId, kTestClientId}) {
        const certstore::Entry* e = testCertStore()->find(id);
        ASSERT_NE(e, nullptr);
        certstore::Entry copy;
        copy.id = e->id;
        copy.name = e->name;
        copy.kind = e->kind;
        copy.groups = e->groups;
        copy.permissions = e->permissions;
        copy.certDer = e->certDer;
        copy.keyDer = e->keyDer.clone();
        if (id == kTestRootId)
            copy.permissions.titleIds = {config.caller->titleId};
        else
            copy.permissions.processIds = {-4};
        entries.push_back(std::move(copy));
    }
    auto store = certstore::CertStore::create(std::move(entries));
    ASSERT_TRUE(store);
    NsslGuest named(config, *store);
    const std::int32_t ctx2 = named.context(0);
    EXPECT_EQ(named.nssl("NSSLAddServerPKI", {u(ctx2), kTestRootId}), 0);
    EXPECT_EQ(named.nssl("NSSLSetClientPKI", {u(ctx2), kTestClientId}), 0);
}

}  // namespace

// Issue 18, item 7: the argument checks decaf's nsysnet wrappers make before IOS-NSEC sees a call.
TEST(NsslApi, WrapperChecksComeBeforeTheContextAndTheId)
{
    NsslGuest g;
    EXPECT_EQ(g.nssl("NSSLFinish"), 0);  // before NSSLInit: nothing to finish, no error
    ASSERT_EQ(g.nssl("NSSLInit"), 0);
    const auto cert = g.alloc(16);
    // A bad context with a bad type: the type is judged first.
    EXPECT_EQ(g.nssl("NSSLAddServerPKIExternal", {77, cert, 16, 1}), NsslGuest::code(NsslError::INVALID_CERT_TYPE));
    EXPECT_EQ(g.nssl("NSSLAddServerPKIExternal", {77, 0, 16, 1}), NsslGuest::code(NsslError::INVALID_ARG));
    EXPECT_EQ(g.nssl("NSSLAddServerPKIExternal", {77, cert, 16, 0}), NsslGuest::code(NsslError::INVALID_NSSL_CONTEXT));
    // The type outputs are required, even for an unknown ID.
    const auto size = g.alloc(4);
    const auto type = g.alloc(4);
    EXPECT_EQ(g.nssl("NSSLExportInternalServerCertificate", {4242, 0, size, 0}), NsslGuest::code(NsslError::INVALID_ARG));
    EXPECT_EQ(g.nssl("NSSLExportInternalServerCertificate", {4242, 0, size, type}),
              NsslGuest::code(NsslError::INVALID_CERT_ID2));
    const auto keySize = g.alloc(4);
    EXPECT_EQ(g.nssl("NSSLExportInternalClientCertificate", {4242, 0, size, type, 0, keySize, 0}),
              NsslGuest::code(NsslError::INVALID_ARG));
    EXPECT_EQ(g.nssl("NSSLExportInternalClientCertificate", {4242, 0, size, 0, 0, keySize, type}),
              NsslGuest::code(NsslError::INVALID_ARG));
}
