// The console's verification quirks (docs/abi.md "Console verification quirks") through the
// import table against a real TLS server on 127.0.0.1, for firmware 5.5.4, 5.5.5, 5.5.6 and
// strict. The chains are made when the test starts (tests/fixtures/make_quirk_pki.sh): a trusted
// CA, forged copies of it (another key, a changed authority key id), leaves named "*" and
// "localhost", and forgeries the console refuses (of an untrusted CA, looking like a root, with
// another subject).
#include <array>
#include <ostream>

#include <gtest/gtest.h>

#include <wiiu_nssl/inspection.h>

#include "support/bearssl_server.h"
#include "support/nssl_guest.h"
#include "support/pki_fixture.h"
#include "pki/x509.h"
#include "tls/console_quirks.h"

using namespace wiiu;
using namespace wiiu::test;
using nssl::NsslError;
namespace quirk = tls::quirk;

namespace {

enum Profile { Fw554, Fw555, Fw556, Strict };
constexpr const char* kProfileNames[] = {"5_5_4", "5_5_5", "5_5_6", "strict"};

nssl::Config configFor(Profile p)
{
    nssl::Config c;
    if (p == Strict) c.strict = true;
    else c.firmware = {5, 5, p == Fw554 ? 4 : p == Fw555 ? 5 : 6};
    return c;
}

struct Verdict {
    bool ok;
    std::uint32_t quirks = 0;                            ///< what an acceptance relied on
    tls::FailureReason reason = tls::FailureReason::NoFailure;  ///< of a refusal
};
constexpr Verdict plain{true, 0};
constexpr Verdict star{true, quirk::BareWildcardName};
constexpr Verdict forged{true, quirk::ForgedCa};
constexpr Verdict both{true, quirk::ForgedCa | quirk::BareWildcardName};
constexpr Verdict rootIgnored{true, quirk::RootInChainIgnored};
constexpr Verdict untrusted{false, 0, tls::FailureReason::Untrusted};
constexpr Verdict mismatch{false, 0, tls::FailureReason::NameMismatch};

struct QuirkCase {
    const char* name;
    const char* leaf;    ///< its issuer is sent after it (make_quirk_pki.sh)
    const char* issuer;
    const char* host;
    std::uint32_t options;
    std::array<Verdict, 4> verdicts;  ///< 5.5.4, 5.5.5, 5.5.6, strict
    const char* middle = nullptr;     ///< sent between the leaf and the issuer
};

struct QuirkParam {
    QuirkCase c;
    Profile profile;
};

void PrintTo(const QuirkParam& p, std::ostream* os) { *os << p.c.name << " on " << kProfileNames[p.profile]; }

class NsslQuirk : public ::testing::TestWithParam<QuirkParam> {};

TEST_P(NsslQuirk, VerdictAndTheQuirkItReliedOn)
{
    const auto& [c, profile] = GetParam();
    const Verdict& want = c.verdicts[profile];
    BearSslServer::Options o;
    o.chain = {quirkPkiBytes(std::string(c.leaf) + ".der"), quirkPkiBytes(std::string(c.issuer) + ".der")};
    if (c.middle) o.chain.insert(o.chain.begin() + 1, quirkPkiBytes(std::string(c.middle) + ".der"));
    o.key = quirkPkiBytes(std::string(c.leaf) + ".key.der");
    o.behavior = BearSslServer::Behavior::Echo;
    std::string why;
    auto server = BearSslServer::start(std::move(o), &why);
    ASSERT_TRUE(server) << why;

    NsslGuest g(configFor(profile));
    const std::int32_t ctx = g.context(0, quirkPkiBytes("ca.der"));  // only the genuine CA
    ASSERT_GE(ctx, 0);
    const std::int32_t conn = g.connection(ctx, server->port(), c.host, c.options);
    ASSERT_GE(conn, 0);
    const std::int32_t r = g.nssl("NSSLDoHandshake", {static_cast<std::uint32_t>(conn)});
    auto failure = g.process().state()->nssl().failure(nssl::ConnectionHandle{conn});
    ASSERT_TRUE(failure);
    auto used = g.process().state()->nssl().quirksUsed(nssl::ConnectionHandle{conn});
    ASSERT_TRUE(used);
    // What an emulator's debug view sees through the public inspection API: the same answers.
    const ProcessStatus seen = inspect(g.process());
    ASSERT_EQ(seen.nssl.connections.size(), 1u);
    const nssl::ConnectionStatus& st = seen.nssl.connections[0];
    EXPECT_EQ(st.handle, conn);
    EXPECT_EQ(st.host, c.host);
    EXPECT_EQ(seen.nssl.contexts, std::vector<std::int32_t>{ctx});
    EXPECT_EQ(seen.sockets.size(), 1u) << "the connection's socket";
    EXPECT_EQ(st.failureReason, failure->reason);
    EXPECT_EQ(st.failureText, failure->text);
    EXPECT_EQ(st.quirksUsed, *used);
    if (want.ok) {
        ASSERT_EQ(r, 0) << failure->text;
        EXPECT_EQ(*used, want.quirks) << tls::quirkNames(*used);
        EXPECT_EQ(st.state, "established");
        EXPECT_FALSE(st.suite.empty());
        EXPECT_EQ(st.lastErrorCode, NsslError::OK);
        ASSERT_EQ(st.peerChain.size(), c.middle ? 3u : 2u);  // as the server sent it
        EXPECT_EQ(st.peerChain[0], quirkPkiBytes(std::string(c.leaf) + ".der"));
        EXPECT_EQ(g.echo(conn, "ping"), "ping");
    } else {
        EXPECT_EQ(r, NsslGuest::code(NsslError::HANDSHAKE_ERROR));
        EXPECT_EQ(failure->reason, want.reason) << failure->text;
        EXPECT_EQ(*used, 0u);
        EXPECT_EQ(st.state, "failed");
        EXPECT_EQ(st.lastErrorCode, NsslError::HANDSHAKE_ERROR);
        EXPECT_NE(st.lastError.find("NSSL_ERROR_HANDSHAKE_ERROR"), std::string::npos) << st.lastError;
    }
}

constexpr std::uint32_t kAll = 7, kChainDates = 5, kNameOnly = 2;

// clang-format off
constexpr QuirkCase kCases[] = {
    // name                      leaf                      issuer            host                    options      5.5.4      5.5.5      5.5.6      strict
    {"genuine_chain",            "host-by-ca",             "ca",             "localhost",            kAll,        {plain,     plain,     plain,     plain}},
    {"bare_star_leaf",           "star-by-ca",             "ca",             "account.nintendo.net", kAll,        {star,      star,      star,      mismatch}},
    {"bare_star_name_unchecked", "star-by-ca",             "ca",             "account.nintendo.net", kChainDates, {plain,     plain,     plain,     plain}},
    {"forged_ca_real_host",      "host-by-forged",         "forged",         "localhost",            kAll,        {untrusted, forged,    forged,    untrusted}},
    {"forged_ca_bare_star",      "star-by-forged",         "forged",         "account.nintendo.net", kAll,        {untrusted, both,      both,      mismatch}},
    {"forged_chain_unchecked",   "star-by-forged",         "forged",         "account.nintendo.net", kNameOnly,   {star,      star,      star,      mismatch}},
    {"sssl_chain",               "sssl-leaf",              "sssl-ca",        "account.nintendo.net", kAll,        {untrusted, both,      both,      mismatch}},
    {"forged_untrusted_ca",      "star-by-forged-other",   "forged-other",   "account.nintendo.net", kAll,        {untrusted, untrusted, untrusted, mismatch}},
    {"forged_ca_like_a_root",    "star-by-forged-root",    "forged-root",    "account.nintendo.net", kAll,        {untrusted, untrusted, untrusted, mismatch}},
    {"forged_other_subject",     "star-by-forged-subject", "forged-subject", "account.nintendo.net", kAll,        {untrusted, untrusted, untrusted, mismatch}},
    // Sent as leaf, middle, issuer. An unrelated root between the leaf and its issuer: only the
    // console's roots-ignored rule accepts it; a root without key ids is not taken for one.
    {"unrelated_root_in_chain",  "host-by-int",            "int",            "localhost",            kAll,        {rootIgnored, rootIgnored, rootIgnored, untrusted}, "other-ca"},
    {"unrelated_keyless_root",   "host-by-int",            "int",            "localhost",            kAll,        {untrusted, untrusted, untrusted, untrusted}, "other-ca-nokid"},
    {"own_root_sent_along",      "host-by-int",            "ca",             "localhost",            kAll,        {plain,     plain,     plain,     plain}, "int"},
};
// clang-format on

std::vector<QuirkParam> allParams()
{
    std::vector<QuirkParam> out;
    for (const auto& c : kCases)
        for (Profile p : {Fw554, Fw555, Fw556, Strict}) out.push_back({c, p});
    return out;
}

INSTANTIATE_TEST_SUITE_P(Chains, NsslQuirk, ::testing::ValuesIn(allParams()), [](const auto& p) {
    return std::string(p.param.c.name) + "_" + kProfileNames[p.param.profile];
});

pki::Certificate parsed(const std::string& name)
{
    auto cert = pki::parseCertificate(quirkPkiBytes(name + ".der"));
    EXPECT_TRUE(cert) << name;
    return cert ? *cert : pki::Certificate{};
}

TEST(NsslQuirkRules, MatchingRuleOnTheGeneratedChains)
{
    const auto ca = parsed("ca");
    ASSERT_TRUE(ca.subjectKeyId && ca.authorityKeyId);
    EXPECT_TRUE(tls::looksLikeRoot(ca));
    EXPECT_TRUE(tls::forgesTrustedCa(parsed("forged"), ca));
    EXPECT_TRUE(tls::forgesTrustedCa(parsed("sssl-ca"), ca));
    EXPECT_FALSE(tls::forgesTrustedCa(ca, ca)) << "the same key needs no quirk";
    EXPECT_FALSE(tls::forgesTrustedCa(parsed("forged-root"), ca)) << "looks like a root";
    EXPECT_FALSE(tls::forgesTrustedCa(parsed("forged-subject"), ca));
    EXPECT_FALSE(tls::forgesTrustedCa(parsed("forged-other"), ca));
    EXPECT_FALSE(tls::forgesTrustedCa(parsed("star-by-forged"), ca)) << "not a CA";
    EXPECT_TRUE(tls::hasBareWildcardName(parsed("star-by-ca")));
    EXPECT_FALSE(tls::hasBareWildcardName(parsed("host-by-ca")));
    EXPECT_TRUE(tls::looksLikeRoot(parsed("other-ca")));
    EXPECT_FALSE(tls::looksLikeRoot(parsed("other-ca-nokid"))) << "no key ids: kept (docs/abi.md, chosen)";
    EXPECT_FALSE(tls::looksLikeRoot(parsed("int")));
    EXPECT_EQ(tls::quirkNames(quirk::RootInChainIgnored | quirk::BareWildcardName),
              "bare-wildcard-name+root-in-chain-ignored");
}

TEST(NsslQuirkFirmware, ParseAcceptsConsoleVersionsOnly)
{
    auto v = tls::Firmware::parse("5.5.5");
    ASSERT_TRUE(v);
    EXPECT_EQ(*v, (tls::Firmware{5, 5, 5}));
    EXPECT_TRUE(tls::hasForgedCaPath(*v));
    EXPECT_FALSE(tls::hasForgedCaPath(*tls::Firmware::parse("5.5.4")));
    EXPECT_EQ(tls::Firmware::parse("1.0.0")->text(), "1.0.0");
    for (const char* bad : {"", "5", "5.5", "5.5.6.1", "5.5.x", "+5.5.5", "5..5", "5.5.5 ", "05.5.5", "a.b.c"})
        EXPECT_FALSE(tls::Firmware::parse(bad)) << bad;
    for (const char* unknown : {"5.5.7", "6.0.0", "0.9.9"}) {
        auto u = tls::Firmware::parse(unknown);
        ASSERT_FALSE(u) << unknown;
        EXPECT_NE(u.error().find("unknown firmware"), std::string::npos) << u.error();
    }
}

}  // namespace
