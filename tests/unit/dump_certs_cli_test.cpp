// The dump_certs executable: exit codes, messages, table and JSON output.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "unit/certstore_fixture.h"

using namespace certstore_test;
using ::testing::HasSubstr;

namespace {

std::string dumpArgs(const fs::path& root, const fs::path& out)
{
    return "--mlc " + quote(root / "mlc") + " --otp " + quote(root / "otp.bin") + " --out " + quote(out);
}

}  // namespace

// The tool is only built with WIIU_NSSL_BUILD_TOOLS; without it these tests have nothing to run.
#define REQUIRE_DUMP_CERTS() \
    if (!fs::exists(dumpCertsBinary())) GTEST_SKIP() << "dump_certs was not built"

TEST(dump_certs_cli, DumpsAndVerifies)
{
    REQUIRE_DUMP_CERTS();
    TempDir tmp;
    fs::path out = tmp.path() / "store";
    auto r = runDumpCerts(dumpArgs(pristineDump(), out));
    ASSERT_EQ(r.exitCode, 0) << r.err;
    EXPECT_THAT(r.out, HasSubstr("NINTENDO_CA_G3"));
    EXPECT_THAT(r.out, HasSubstr("CN=Test Nintendo CA - G3"));
    EXPECT_THAT(r.out, HasSubstr("11 certificates written to"));
    EXPECT_THAT(r.out, HasSubstr("Known IDs not in this store: 103 104"));
    EXPECT_TRUE(fs::exists(out / "manifest.json"));

    auto v = runDumpCerts("--verify " + quote(out) + " --json");
    ASSERT_EQ(v.exitCode, 0) << v.err;
    auto doc = nlohmann::json::parse(v.out);
    EXPECT_EQ(doc["ok"], true);
    EXPECT_EQ(doc["mode"], "verify");
    ASSERT_EQ(doc["entries"].size(), 11u);
    EXPECT_EQ(doc["entries"][0]["id"], 1);
    EXPECT_EQ(doc["entries"][0]["known_sha1"], "unknown");  // client fingerprints are not public
    EXPECT_EQ(doc["entries"][5]["known_sha1"], "no");       // a test CA, not Nintendo's
    EXPECT_EQ(doc["entries"][5]["not_after"].get<std::string>().size(), 20u);

    // The fixture's CAs are not the console's: --strict turns that into a failure.
    EXPECT_EQ(runDumpCerts("--verify " + quote(out) + " --strict").exitCode, 2);
}

TEST(dump_certs_cli, ExistingOutputNeedsForce)
{
    REQUIRE_DUMP_CERTS();
    TempDir tmp;
    fs::path out = tmp.path() / "store";
    fs::create_directory(out);
    auto r = runDumpCerts(dumpArgs(pristineDump(), out));
    EXPECT_EQ(r.exitCode, 2);
    EXPECT_THAT(r.err, HasSubstr("already exists (use --force to replace it)"));
    auto f = runDumpCerts(dumpArgs(pristineDump(), out) + " --force");
    EXPECT_EQ(f.exitCode, 0) << f.err;
    EXPECT_TRUE(fs::exists(out / "manifest.json"));
}

TEST(dump_certs_cli, BadInputNamesTheFileAndWritesNothing)
{
    REQUIRE_DUMP_CERTS();
    TempDir tmp;
    fs::path root = copyDump(tmp);
    fs::path out = tmp.path() / "store";
    auto otp = readBytes(root / "otp.bin");
    otp[0x120] ^= 0xFF;
    writeBytes(root / "otp.bin", otp);
    auto r = runDumpCerts(dumpArgs(root, out) + " --json");
    EXPECT_EQ(r.exitCode, 2);
    EXPECT_THAT(r.err, HasSubstr("WIIU_COMMON_1_RSA_KEY.aes: decrypted key is not DER (wrong otp.bin?)"));
    auto doc = nlohmann::json::parse(r.out);
    EXPECT_EQ(doc["ok"], false);
    EXPECT_THAT(doc["error"].get<std::string>(), HasSubstr("wrong otp.bin?"));
    EXPECT_FALSE(fs::exists(out));
    int leftovers = 0;
    for (const auto& it : fs::directory_iterator(tmp.path())) leftovers += it.path().filename() != "dump";
    EXPECT_EQ(leftovers, 0);

    fs::remove(contentOf(root) / "scerts/GLOBALSIGN_ROOT_CA.der");
    auto m = runDumpCerts(dumpArgs(root, out));
    EXPECT_EQ(m.exitCode, 2);
    EXPECT_THAT(m.err, HasSubstr("scerts/GLOBALSIGN_ROOT_CA.der: file is missing"));
}

TEST(dump_certs_cli, PartialWritesWhatLoadsAndListsTheRest)
{
    REQUIRE_DUMP_CERTS();
    TempDir tmp;
    fs::path root = copyDump(tmp);
    fs::path out = tmp.path() / "store";
    fs::remove(contentOf(root) / "scerts/GLOBALSIGN_ROOT_CA.der");
    fs::remove(contentOf(root) / "ccerts/WIIU_ACCOUNT_1_RSA_KEY.aes");
    auto r = runDumpCerts(dumpArgs(root, out) + " --partial");
    EXPECT_EQ(r.exitCode, 3) << r.err;
    EXPECT_THAT(r.out, HasSubstr("9 certificates written to"));
    EXPECT_THAT(r.err, HasSubstr("partial: 9 loaded, 2 missing, 0 undecryptable, 0 corrupt"));
    EXPECT_THAT(r.err, HasSubstr("left out: 1004 GLOBALSIGN_ROOT_CA: missing: "));
    EXPECT_THAT(r.err, HasSubstr("left out: 3 WIIU_ACCOUNT_1: missing: "));
    // What was written is whole: --verify checks every certificate and key of it.
    EXPECT_EQ(runDumpCerts("--verify " + quote(out)).exitCode, 0);
    // A complete dump with --partial is a plain success.
    EXPECT_EQ(runDumpCerts(dumpArgs(pristineDump(), tmp.path() / "whole") + " --partial").exitCode, 0);
    // Without an otp.bin the CAs, which are not encrypted, are still written.
    auto noOtp = runDumpCerts("--mlc " + quote(root / "mlc") + " --otp " + quote(root / "nothing.bin") + " --out " +
                             quote(tmp.path() / "none") + " --partial");
    EXPECT_EQ(noOtp.exitCode, 3) << noOtp.err;
    EXPECT_THAT(noOtp.err, HasSubstr("partial: 5 loaded, 2 missing, 4 undecryptable, 0 corrupt"));
}

TEST(dump_certs_cli, VerifyReportsACorruptStore)
{
    REQUIRE_DUMP_CERTS();
    TempDir tmp;
    fs::path out = tmp.path() / "store";
    ASSERT_EQ(runDumpCerts(dumpArgs(pristineDump(), out)).exitCode, 0);
    fs::copy_file(out / "6_WIIU_WOOD_1_KEY.der", out / "3_WIIU_ACCOUNT_1_KEY.der", fs::copy_options::overwrite_existing);
    auto r = runDumpCerts("--verify " + quote(out));
    EXPECT_EQ(r.exitCode, 2);
    EXPECT_THAT(r.err, HasSubstr("3_WIIU_ACCOUNT_1_KEY.der: private key does not match"));
    fs::remove(out / "manifest.json");
    EXPECT_THAT(runDumpCerts("--verify " + quote(out)).err, HasSubstr("manifest.json: file is missing"));
}

TEST(dump_certs_cli, UsageErrorsExitWith1)
{
    REQUIRE_DUMP_CERTS();
    EXPECT_EQ(runDumpCerts("").exitCode, 1);
    EXPECT_EQ(runDumpCerts("--bogus").exitCode, 1);
    EXPECT_EQ(runDumpCerts("--mlc /x --out /y").exitCode, 1);  // no --otp
    EXPECT_EQ(runDumpCerts("--verify /x --mlc /y").exitCode, 1);
    EXPECT_EQ(runDumpCerts("--verify /nonexistent-store").exitCode, 2);
}

TEST(dump_certs_cli, HelpExplainsWhereTheFilesAre)
{
    REQUIRE_DUMP_CERTS();
    auto r = runDumpCerts("--help");
    EXPECT_EQ(r.exitCode, 0);
    EXPECT_THAT(r.out, HasSubstr("sys/title/0005001b/10054000/content"));
    EXPECT_THAT(r.out, HasSubstr("otp.bin"));
    EXPECT_THAT(r.out, HasSubstr("0x120"));
    EXPECT_THAT(r.out, HasSubstr("dumpling"));
}
