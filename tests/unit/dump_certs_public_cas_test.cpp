// dump_certs --public-cas: a store of the console's public CAs taken from a host CA bundle, only
// where the SHA-1 equals the console's fingerprint. Bundles are made at test time: test
// certificates, a look-alike of a console root (its subject and serial, another key) and, when
// the system bundle is there, the genuine roots copied out of it.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "certstore/known_certs.h"
#include "certstore/public_cas.h"
#include "pki/encoding.h"
#include "unit/certstore_fixture.h"

using namespace certstore_test;
using ::testing::HasSubstr;

namespace {

#define REQUIRE_DUMP_CERTS() \
    if (!fs::exists(dumpCertsBinary())) GTEST_SKIP() << "dump_certs was not built"

std::string readText(const fs::path& p)
{
    std::ifstream in(p, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

/// Runs a shell command; its stdout.
std::string sh(const std::string& command)
{
    std::string out;
    if (FILE* pipe = ::popen(command.c_str(), "r")) {
        char buf[4096];
        for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, pipe)) > 0;) out.append(buf, n);
        ::pclose(pipe);
    }
    return out;
}

/// The console IDs whose fingerprint Python's ssl and hashlib find in `bundle` (computed apart
/// from dump_certs' own PEM reader).
std::set<int> idsInBundle(const fs::path& bundle)
{
    const std::string fingerprints = sh(
        "python3 -c 'import hashlib, re, ssl, sys\n"
        "for b in re.findall(r\"-----BEGIN CERTIFICATE-----.*?-----END CERTIFICATE-----\", open(sys.argv[1]).read(), re.S):\n"
        "    print(hashlib.sha1(ssl.PEM_cert_to_DER_cert(b)).hexdigest())' " + quote(bundle));
    std::set<int> ids;
    for (const auto& k : wiiu::certstore::knownCerts())
        if (!k.sha1.empty() && fingerprints.find(std::string(k.sha1)) != std::string::npos) ids.insert(k.id);
    return ids;
}

/// A self-signed certificate with Baltimore CyberTrust Root's subject and serial but a key of
/// its own: what a bundle could hold that must never pass for ID 1001.
std::string lookAlikePem(const fs::path& work)
{
    const std::string key = quote(work / "lookalike.key"), cert = quote(work / "lookalike.pem");
    sh("openssl req -x509 -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout " + key +
       " -subj '/C=IE/O=Baltimore/OU=CyberTrust/CN=Baltimore CyberTrust Root' -set_serial 0x020000B9"
       " -days 30 -out " + cert + " 2>/dev/null");
    return readText(work / "lookalike.pem");
}

std::set<int> idsOf(const nlohmann::json& verify)
{
    std::set<int> ids;
    for (const auto& e : verify["entries"]) ids.insert(e["id"].get<int>());
    return ids;
}

TEST(dump_certs_public_cas, GeneratedBundleWithoutAMatchWritesNothing)
{
    REQUIRE_DUMP_CERTS();
    TempDir tmp;
    const fs::path bundle = tmp.path() / "bundle.pem";
    std::ofstream(bundle) << lookAlikePem(tmp.path());
    const fs::path out = tmp.path() / "store";
    auto r = runDumpCerts("--public-cas " + quote(bundle) + " --out " + quote(out));
    EXPECT_EQ(r.exitCode, 2) << r.out << r.err;
    EXPECT_THAT(r.err, HasSubstr("no certificate matches a console CA fingerprint"));
    EXPECT_FALSE(fs::exists(out));
    // Not a bundle at all: named in the message.
    std::ofstream(tmp.path() / "junk.txt") << "not pem\n";
    auto junk = runDumpCerts("--public-cas " + quote(tmp.path() / "junk.txt") + " --out " + quote(out));
    EXPECT_EQ(junk.exitCode, 2);
    EXPECT_THAT(junk.err, HasSubstr("junk.txt"));
}

TEST(dump_certs_public_cas, UsageErrors)
{
    REQUIRE_DUMP_CERTS();
    EXPECT_EQ(runDumpCerts("--public-cas").exitCode, 1);  // no --out
    EXPECT_EQ(runDumpCerts("--verify /x --public-cas").exitCode, 1);
    EXPECT_THAT(runDumpCerts("--out /tmp/x").err, HasSubstr("--out needs --mlc/--otp or --public-cas"));
}

class DumpCertsSystemBundle : public ::testing::Test {
protected:
    void SetUp() override
    {
        if (!fs::exists(dumpCertsBinary())) GTEST_SKIP() << "dump_certs was not built";
        if (!fs::exists(wiiu::certstore::kSystemCaBundle)) GTEST_SKIP() << "no system CA bundle (ca-certificates)";
        expected = idsInBundle(wiiu::certstore::kSystemCaBundle);
    }
    TempDir tmp;
    std::set<int> expected;
};

TEST_F(DumpCertsSystemBundle, DefaultBundleYieldsExactlyTheMatchingCommercialCas)
{
    const fs::path out = tmp.path() / "store";
    auto r = runDumpCerts("--public-cas --out " + quote(out));
    if (expected.empty()) {
        EXPECT_EQ(r.exitCode, 2) << r.err;
        return;
    }
    ASSERT_EQ(r.exitCode, 0) << r.err;
    auto v = runDumpCerts("--verify " + quote(out) + " --json");
    ASSERT_EQ(v.exitCode, 0) << v.err;
    const auto doc = nlohmann::json::parse(v.out);
    EXPECT_EQ(idsOf(doc), expected);
    for (const auto& e : doc["entries"]) {
        EXPECT_EQ(e["kind"], "server");
        EXPECT_EQ(e["known_sha1"], "yes");
        const auto* known = wiiu::certstore::findKnown(e["id"].get<int>());
        ASSERT_NE(known, nullptr);
        EXPECT_EQ(e["sha1"].get<std::string>(), std::string(known->sha1));
        EXPECT_NE(known->groups & (wiiu::certstore::kGroupCommercial | wiiu::certstore::kGroupCommercial4096), 0u);
    }
    // Debian 12's bundle holds 13 of them (the count); a newer bundle may drop old roots.
    EXPECT_GE(expected.size(), 1u);
}

TEST_F(DumpCertsSystemBundle, LookAlikesNeverPassAndTheConsoleDumpWins)
{
    if (expected.empty()) GTEST_SKIP() << "the system bundle holds none of the console's CAs";
    // A generated bundle: the look-alike first (so it is seen before any genuine copy), then the
    // system's roots.
    const fs::path bundle = tmp.path() / "bundle.pem";
    std::ofstream(bundle) << lookAlikePem(tmp.path()) << readText(wiiu::certstore::kSystemCaBundle);
    auto found = wiiu::certstore::publicCasFromBundle(bundle);
    ASSERT_TRUE(found) << found.error().message;
    std::set<int> ids;
    for (const auto& e : *found) {
        ids.insert(e.id);
        EXPECT_EQ(wiiu::pki::toHex(wiiu::pki::sha1(e.certDer)), std::string(wiiu::certstore::findKnown(e.id)->sha1));
    }
    EXPECT_EQ(ids, expected);

    // With a console dump: its entries stay as they are, the bundle adds the IDs it lacks.
    TempDir dir;
    const fs::path dump = copyDump(dir);
    const fs::path out = tmp.path() / "merged";
    auto r = runDumpCerts("--mlc " + quote(dump / "mlc") + " --otp " + quote(dump / "otp.bin") + " --public-cas " +
                          quote(bundle) + " --out " + quote(out));
    ASSERT_EQ(r.exitCode, 0) << r.err;
    auto v = runDumpCerts("--verify " + quote(out) + " --json");
    const auto doc = nlohmann::json::parse(v.out);
    const std::set<int> merged = idsOf(doc);
    for (int id : expected) EXPECT_TRUE(merged.count(id)) << id;
    EXPECT_TRUE(merged.count(1)) << "the console's client certificate is kept";
    // The fixture dump holds test CAs under 1001 and 1004: those are kept, not replaced.
    for (const auto& e : doc["entries"]) {
        const int id = e["id"].get<int>();
        if (id == 1001 || id == 1004) {
            EXPECT_EQ(e["known_sha1"], "no") << e;
        } else if (expected.count(id)) {
            EXPECT_EQ(e["known_sha1"], "yes") << e;
        }
    }
}

}  // namespace
