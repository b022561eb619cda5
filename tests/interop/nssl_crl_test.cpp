// nn_nets2's CRL exports through the import table against a real TLS server: NSSLAddCRLExternal
// and the context flags decide whether a revoked certificate fails the handshake.
#include <gtest/gtest.h>

#include "hle/nssl/service.h"
#include "support/bearssl_server.h"
#include "support/nssl_guest.h"
#include "support/pki_fixture.h"

using namespace wiiu;
using namespace wiiu::test;
using nssl::NsslError;
using tls::FailureReason;

namespace {

constexpr std::uint32_t kCheckRevocation = 0x1;
constexpr std::uint32_t kRequireCrl = 0x2;

std::unique_ptr<BearSslServer> serverPresenting(const std::string& leaf)
{
    BearSslServer::Options o;
    o.chain = {pkiBytes(leaf + ".der"), pkiBytes("int.der")};
    o.key = pkiBytes(leaf + ".key.der");
    std::string why;
    auto server = BearSslServer::start(std::move(o), &why);
    EXPECT_TRUE(server) << why;
    return server;
}

class NsslCrl : public ::testing::Test {
protected:
    /// A context trusting the test root, with `crls` added and `flags` set.
    std::int32_t context(const std::vector<std::string>& crls, std::uint32_t flags)
    {
        const std::int32_t ctx = g.context(0, pkiBytes("root.der"));
        for (const auto& name : crls) {
            EXPECT_EQ(addCrl(ctx, pkiBytes(name)), 0) << name;
        }
        if (flags) {
            EXPECT_EQ(g.call32("nn_nets2", "NSSLContextSetFlags", {u(ctx), flags}), 0);
        }
        return ctx;
    }
    std::int32_t addCrl(std::int32_t ctx, const std::vector<std::uint8_t>& der, std::uint32_t type = 0)
    {
        return g.call32("nn_nets2", "NSSLAddCRLExternal",
                        {u(ctx), g.putBytes(der), static_cast<std::uint32_t>(der.size()), type});
    }
    /// Handshake with `leaf`'s server; the NSSL code, and the precise reason in `reason`.
    std::int32_t handshake(std::int32_t ctx, const std::string& leaf, FailureReason* reason = nullptr)
    {
        auto server = serverPresenting(leaf);
        if (!server)
            return -1;
        std::int32_t fd = -1;
        const std::int32_t conn = g.connection(ctx, server->port(), "localhost", 7, true, &fd);
        const std::int32_t r = g.nssl("NSSLDoHandshake", {u(conn)});
        if (reason)
            *reason = g.process().state()->nssl().failure(nssl::ConnectionHandle{conn})->reason;
        g.nssl("NSSLDestroyConnection", {u(conn)});
        g.nssl("socketclose", {u(fd)});
        return r;
    }

    NsslGuest g;
    const std::int32_t handshakeError = NsslGuest::code(NsslError::HANDSHAKE_ERROR);
};

TEST_F(NsslCrl, RevokedLeafFailsAsRevoked)
{
    FailureReason reason{};
    EXPECT_EQ(handshake(context({"int.crl.der"}, kCheckRevocation), "revoked", &reason), handshakeError);
    EXPECT_EQ(reason, FailureReason::Revoked);
}

TEST_F(NsslCrl, RevokedIntermediateFailsAsRevoked)
{
    FailureReason reason{};
    EXPECT_EQ(handshake(context({"root-revokes-int.crl.der"}, kCheckRevocation), "server", &reason), handshakeError);
    EXPECT_EQ(reason, FailureReason::Revoked);
}

TEST_F(NsslCrl, CrlListingOtherSerialsAccepts)
{
    EXPECT_EQ(handshake(context({"int.crl.der", "root.crl.der"}, kCheckRevocation | kRequireCrl), "server"), 0);
}

TEST_F(NsslCrl, CheckingOffAcceptsARevokedLeaf)
{
    EXPECT_EQ(handshake(context({"int.crl.der"}, 0), "revoked"), 0);
}

TEST_F(NsslCrl, UnusableCrlsAreIgnoredUnlessOneIsRequired)
{
    // Wrong signing key, expired, from an unrelated issuer, or with an unknown critical extension:
    // none may decide anything. With 0x1 alone the revoked leaf passes; with 0x2 it fails.
    for (const char* crl : {"int-wrongkey.crl.der", "int-expired.crl.der", "ec-root.crl.der", "int-critical.crl.der"}) {
        SCOPED_TRACE(crl);
        EXPECT_EQ(handshake(context({crl}, kCheckRevocation), "revoked"), 0);
        FailureReason reason{};
        EXPECT_EQ(handshake(context({crl, "root.crl.der"}, kCheckRevocation | kRequireCrl), "revoked", &reason),
                  handshakeError);
        EXPECT_EQ(reason, FailureReason::CrlMissing);
    }
}

TEST_F(NsslCrl, SeveralCrlsOnOneContextAndEveryIssuerRequired)
{
    // Only the intermediate's CRL: the root's CRL for the intermediate is missing.
    FailureReason reason{};
    EXPECT_EQ(handshake(context({"int.crl.der"}, kCheckRevocation | kRequireCrl), "server", &reason), handshakeError);
    EXPECT_EQ(reason, FailureReason::CrlMissing);
    // Both, in either order, plus variants signed with other digests and a v1 CRL.
    EXPECT_EQ(handshake(context({"root.crl.der", "int-sha384.crl.der"}, kCheckRevocation | kRequireCrl), "server"), 0);
    EXPECT_EQ(handshake(context({"int-v1.crl.der", "root.crl.der"}, kCheckRevocation | kRequireCrl), "revoked",
                        &reason),
              handshakeError);
    EXPECT_EQ(reason, FailureReason::Revoked);
}

TEST_F(NsslCrl, MalformedAndTruncatedCrlsAreRefusedAndNothingIsStored)
{
    const std::int32_t ctx = g.context(0, pkiBytes("root.der"));
    auto der = pkiBytes("int.crl.der");
    const std::int32_t invalidArg = NsslGuest::code(NsslError::INVALID_ARG);
    for (std::size_t cut : {std::size_t{1}, der.size() / 2, der.size() - 1}) {
        std::vector<std::uint8_t> truncated(der.begin(), der.begin() + static_cast<std::ptrdiff_t>(cut));
        EXPECT_EQ(addCrl(ctx, truncated), invalidArg) << cut;
    }
    auto trailing = der;
    trailing.push_back(0);
    EXPECT_EQ(addCrl(ctx, trailing), invalidArg);
    EXPECT_EQ(addCrl(ctx, pkiBytes("server.der")), invalidArg);  // a certificate is no CRL
    const auto pem = pkiText("int.crl");
    EXPECT_EQ(addCrl(ctx, std::vector<std::uint8_t>(pem.begin(), pem.end())), invalidArg);
    EXPECT_EQ(addCrl(ctx, der, 1), NsslGuest::code(NsslError::INVALID_CERT_TYPE));
    EXPECT_EQ(g.call32("nn_nets2", "NSSLAddCRLExternal", {u(ctx), 0, 100, 0}), invalidArg);
    EXPECT_EQ(g.call32("nn_nets2", "NSSLAddCRLExternal", {u(ctx), 0xFFFFFFF0, 100, 0}), invalidArg);
    EXPECT_EQ(g.call32("nn_nets2", "NSSLAddCRLExternal", {u(ctx), g.putBytes(der), 0xFFFFFFFF, 0}), invalidArg);
    EXPECT_EQ(g.call32("nn_nets2", "NSSLAddCRLExternal", {99, g.putBytes(der), u(static_cast<std::int32_t>(der.size())), 0}),
              NsslGuest::code(NsslError::INVALID_NSSL_CONTEXT));
    // Nothing was stored: with checking on, the revoked leaf still passes.
    ASSERT_EQ(g.call32("nn_nets2", "NSSLContextSetFlags", {u(ctx), kCheckRevocation}), 0);
    EXPECT_EQ(handshake(ctx, "revoked"), 0);
}

TEST_F(NsslCrl, FlagsSetClearGetAndMode)
{
    const std::int32_t ctx = g.context(0);
    const auto out = g.alloc(4);
    auto flags = [&] {
        EXPECT_EQ(g.call32("nn_nets2", "NSSLContextGetFlags", {u(ctx), out}), 0);
        return g.readBe32(out);
    };
    EXPECT_EQ(flags(), 0u);
    EXPECT_EQ(g.call32("nn_nets2", "NSSLContextSetFlags", {u(ctx), 0x1}), 0);
    EXPECT_EQ(g.call32("nn_nets2", "NSSLContextSetFlags", {u(ctx), 0x2}), 0);
    EXPECT_EQ(flags(), 3u);
    EXPECT_EQ(g.call32("nn_nets2", "NSSLContextClearFlags", {u(ctx), 0x1}), 0);
    EXPECT_EQ(flags(), 2u);
    EXPECT_EQ(g.call32("nn_nets2", "NSSLContextSetFlags", {u(ctx), 0x4}), NsslGuest::code(NsslError::INVALID_ARG));
    EXPECT_EQ(g.call32("nn_nets2", "NSSLContextClearFlags", {u(ctx), 0x80}), NsslGuest::code(NsslError::INVALID_ARG));
    EXPECT_EQ(flags(), 2u);
    EXPECT_EQ(g.call32("nn_nets2", "NSSLContextGetFlags", {u(ctx), 0}), NsslGuest::code(NsslError::INVALID_ARG));
    EXPECT_EQ(g.call32("nn_nets2", "NSSLContextGetFlags", {77, out}), NsslGuest::code(NsslError::INVALID_NSSL_CONTEXT));

    EXPECT_EQ(g.call32("nn_nets2", "NSSLContextSetMode", {u(ctx), 5}), 0);
    EXPECT_EQ(*g.process().state()->nssl().contextMode(nssl::ContextHandle{ctx}), 5);
    EXPECT_EQ(g.call32("nn_nets2", "NSSLContextSetMode", {77, 5}), NsslGuest::code(NsslError::INVALID_NSSL_CONTEXT));
}

TEST_F(NsslCrl, CrlsCountTowardTheExternalCertificateLimit)
{
    const std::int32_t ctx = g.context(0);
    auto der = pkiBytes("root.crl.der");
    const auto at = g.putBytes(der);
    for (int i = 0; i < 64; ++i)
        ASSERT_EQ(g.call32("nn_nets2", "NSSLAddCRLExternal", {u(ctx), at, static_cast<std::uint32_t>(der.size()), 0}), 0);
    EXPECT_EQ(g.call32("nn_nets2", "NSSLAddCRLExternal", {u(ctx), at, static_cast<std::uint32_t>(der.size()), 0}),
              NsslGuest::code(NsslError::PROCESS_MAX_EXT_CERTS));
}

}  // namespace
