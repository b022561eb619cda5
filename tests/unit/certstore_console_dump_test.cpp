// readConsoleDump against the synthetic dump from tests/fixtures/make_console_dump.sh.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <wiiu_nssl/console_dump.h>
#include "certstore/known_certs.h"
#include "unit/certstore_fixture.h"

using namespace wiiu::certstore;
using namespace certstore_test;
using ::testing::HasSubstr;

namespace {

std::string loadError(const fs::path& root, const fs::path& otp = {})
{
    auto r = readConsoleDump(root / "mlc", otp.empty() ? root / "otp.bin" : otp);
    EXPECT_FALSE(r) << "expected the dump to be refused";
    return r ? std::string() : r.error().message;
}

}  // namespace

TEST(certstore_console_dump, ReadsEveryEntryWithDecryptedKeys)
{
    const fs::path& root = pristineDump();
    auto store = readConsoleDump(root / "mlc", root / "otp.bin");
    ASSERT_TRUE(store) << store.error().message;
    std::vector<std::int32_t> ids;
    for (const Entry& e : (*store)->entries()) ids.push_back(e.id);
    EXPECT_EQ(ids, (std::vector<std::int32_t>{1, 3, 4, 6, 7, 100, 101, 102, 105, 1001, 1004}));

    const fs::path content = contentOf(root);
    const Entry* ca = (*store)->find(102);
    ASSERT_NE(ca, nullptr);
    EXPECT_EQ(ca->name, "NINTENDO_CA_G3");
    EXPECT_EQ(ca->kind, Kind::ServerCa);
    EXPECT_EQ(ca->groups, kGroupNintendo);
    EXPECT_EQ(ca->certDer, readBytes(content / "scerts/CACERT_NINTENDO_CA_G3.der"));

    for (auto [id, base] : {std::pair{1, "WIIU_COMMON_1"}, {3, "WIIU_ACCOUNT_1"}, {4, "WIIU_OLIVE_1"},
                            {6, "WIIU_WOOD_1"}, {7, "WIIU_OLIVE_1"}}) {
        const Entry* e = (*store)->find(id);
        ASSERT_NE(e, nullptr) << id;
        EXPECT_EQ(e->kind, Kind::Client);
        auto key = readBytes(root / "work" / (std::string(base) + ".key.der"));
        EXPECT_TRUE(std::equal(key.begin(), key.end(), e->keyDer.view().begin(), e->keyDer.view().end())) << id;
        EXPECT_EQ(e->certDer, readBytes(content / "ccerts" / (std::string(base) + "_CERT.der")));
    }
    const Entry* common = (*store)->find(1);
    EXPECT_EQ(common->permissions.capabilityMask, 0x10u);
    EXPECT_EQ(common->permissions.titleIds.size(), 2u);
    EXPECT_EQ((*store)->find(7)->permissions.titleIds, std::vector<std::uint64_t>{0x0005000010100000ull});

    // The export rules follow the metadata: 1004 and 6 are not exportable there.
    EXPECT_TRUE((*store)->exportServerCertificate(102));
    EXPECT_EQ((*store)->exportServerCertificate(1004).error(), ExportError::NotExportable);
    EXPECT_TRUE((*store)->exportClientCertificate(1));
    EXPECT_EQ((*store)->exportClientCertificate(6).error(), ExportError::NotExportable);
    EXPECT_EQ((*store)->missingInGroups(kGroupNintendo), 2);
}

TEST(certstore_console_dump, AcceptsTheContentFolderItself)
{
    const fs::path& root = pristineDump();
    auto store = readConsoleDump(contentOf(root), root / "otp.bin");
    ASSERT_TRUE(store) << store.error().message;
    EXPECT_EQ((*store)->size(), 11u);
    auto bad = readConsoleDump(root / "work", root / "otp.bin");
    ASSERT_FALSE(bad);
    EXPECT_THAT(bad.error().message, HasSubstr("neither an MLC folder"));
}

TEST(certstore_console_dump, FallsBackToTheKnownTableWithoutMetadata)
{
    TempDir tmp;
    fs::path root = copyDump(tmp);
    fs::remove(contentOf(root) / "certstore_metadata.txt");
    auto store = readConsoleDump(root / "mlc", root / "otp.bin");
    ASSERT_TRUE(store) << store.error().message;
    // 8 shares WOOD's files with 6, so it appears although the metadata never listed it.
    EXPECT_EQ((*store)->size(), 12u);
    ASSERT_NE((*store)->find(8), nullptr);
    EXPECT_TRUE((*store)->exportServerCertificate(1004));
}

TEST(certstore_console_dump, WrongOtpSize)
{
    TempDir tmp;
    fs::path root = copyDump(tmp);
    auto otp = readBytes(root / "otp.bin");
    otp.resize(1000);
    writeBytes(root / "otp.bin", otp);
    EXPECT_THAT(loadError(root), HasSubstr("otp.bin must be exactly 1024 bytes, this one has 1000"));
    EXPECT_THAT(loadError(root, root / "nonexistent.bin"), HasSubstr("nonexistent.bin: file is missing"));
}

TEST(certstore_console_dump, WrongOtpKeyGivesGarbage)
{
    TempDir tmp;
    fs::path root = copyDump(tmp);
    auto otp = readBytes(root / "otp.bin");
    for (std::size_t i = 0x120; i < 0x130; ++i) otp[i] ^= 0x5A;
    writeBytes(root / "otp.bin", otp);
    EXPECT_THAT(loadError(root), HasSubstr("ccerts/WIIU_COMMON_1_RSA_KEY.aes: decrypted key is not DER (wrong otp.bin?)"));
}

TEST(certstore_console_dump, TruncatedCertificate)
{
    TempDir tmp;
    fs::path root = copyDump(tmp);
    fs::path file = contentOf(root) / "scerts/CACERT_NINTENDO_CA_G2.der";
    auto der = readBytes(file);
    der.resize(der.size() / 2);
    writeBytes(file, der);
    EXPECT_THAT(loadError(root), HasSubstr("scerts/CACERT_NINTENDO_CA_G2.der: not a DER X.509 certificate"));
}

TEST(certstore_console_dump, TruncatedEncryptedKey)
{
    TempDir tmp;
    fs::path root = copyDump(tmp);
    fs::path file = contentOf(root) / "ccerts/WIIU_ACCOUNT_1_RSA_KEY.aes";
    auto enc = readBytes(file);
    enc.resize(enc.size() - 5);
    writeBytes(file, enc);
    EXPECT_THAT(loadError(root), HasSubstr("WIIU_ACCOUNT_1_RSA_KEY.aes: encrypted size"));
    enc.resize(enc.size() - 11);  // a whole block shorter: the DER now runs past the data
    writeBytes(file, enc);
    EXPECT_THAT(loadError(root), HasSubstr("WIIU_ACCOUNT_1_RSA_KEY.aes: decrypted key is not DER"));
}

TEST(certstore_console_dump, KeyThatDoesNotMatchItsCertificate)
{
    TempDir tmp;
    fs::path root = copyDump(tmp);
    fs::path ccerts = contentOf(root) / "ccerts";
    fs::copy_file(ccerts / "WIIU_WOOD_1_RSA_KEY.aes", ccerts / "WIIU_OLIVE_1_RSA_KEY.aes",
                  fs::copy_options::overwrite_existing);
    EXPECT_THAT(loadError(root), HasSubstr("WIIU_OLIVE_1_RSA_KEY.aes: private key does not match the certificate"));
}

TEST(certstore_console_dump, RawE1SizeMustAgreeWithTheKey)
{
    TempDir tmp;
    fs::path root = copyDump(tmp);
    fs::path meta = contentOf(root) / "certstore_metadata.txt";
    std::string text = readText(meta);
    auto pos = text.find("RAW_E1_SIZE=");
    ASSERT_NE(pos, std::string::npos);
    text.replace(pos, text.find('\n', pos) - pos, "RAW_E1_SIZE=100");
    writeText(meta, text);
    EXPECT_THAT(loadError(root), HasSubstr("WIIU_COMMON_1_RSA_KEY.aes: RAW_E1_SIZE says 100 bytes"));
}

TEST(certstore_console_dump, MissingFiles)
{
    TempDir tmp;
    fs::path root = copyDump(tmp);
    fs::remove(contentOf(root) / "ccerts/WIIU_WOOD_1_RSA_KEY.aes");
    EXPECT_THAT(loadError(root), HasSubstr("ccerts/WIIU_WOOD_1_RSA_KEY.aes: file is missing"));
    fs::remove(contentOf(root) / "scerts/CACERT_NINTENDO_CA.der");
    EXPECT_THAT(loadError(root), HasSubstr("scerts/CACERT_NINTENDO_CA.der: file is missing"));
}

TEST(certstore_console_dump, MetadataErrorsNameFileAndLine)
{
    TempDir tmp;
    fs::path root = copyDump(tmp);
    fs::path meta = contentOf(root) / "certstore_metadata.txt";
    writeText(meta, "# header\nID=100;TYPE=1;PATHS=scerts/CACERT_NINTENDO_CA.der\nID=101;TYPE=one;PATHS=x.der\n");
    EXPECT_THAT(loadError(root), HasSubstr("certstore_metadata.txt:3: TYPE is not a 32-bit integer in 'TYPE=one'"));
}

TEST(certstore_console_dump, PathTraversalIsRefused)
{
    TempDir tmp;
    fs::path root = copyDump(tmp);
    fs::path meta = contentOf(root) / "certstore_metadata.txt";
    writeText(meta, "ID=100;TYPE=1;PATHS=../../../../../../otp.bin\n");
    EXPECT_THAT(loadError(root), HasSubstr("certstore_metadata.txt:1: PATHS leaves the content folder"));
    writeText(meta, "ID=100;TYPE=1;PATHS=" + (root / "otp.bin").string() + "\n");
    EXPECT_THAT(loadError(root), HasSubstr("PATHS leaves the content folder"));
}

// --- a dump that is not complete: take what loads, report the rest ------------------------

namespace {

struct Partial {
    std::shared_ptr<const CertStore> store;
    LoadReport report;
};

Partial loadPartly(const fs::path& root, const fs::path& otp = {})
{
    Partial p;
    auto r = readConsoleDump(root / "mlc", otp.empty() ? root / "otp.bin" : otp, p.report);
    EXPECT_TRUE(r) << r.error().message;
    if (r)
        p.store = *r;
    return p;
}

const EntryReport* line(const LoadReport& report, std::int32_t id)
{
    for (const EntryReport& e : report.entries)
        if (e.id == id)
            return &e;
    return nullptr;
}

std::vector<std::int32_t> idsOf(const CertStore& store)
{
    std::vector<std::int32_t> ids;
    for (const Entry& e : store.entries())
        ids.push_back(e.id);
    return ids;
}

}  // namespace

TEST(certstore_console_dump_partial, ACompleteDumpReportsEveryEntryLoaded)
{
    const fs::path& root = pristineDump();
    Partial p = loadPartly(root);
    ASSERT_TRUE(p.store);
    EXPECT_EQ(p.store->size(), 11u);
    EXPECT_TRUE(p.report.complete()) << p.report.summary();
    EXPECT_EQ(p.report.summary(), "11 loaded, 0 missing, 0 undecryptable, 0 corrupt");
    ASSERT_NE(line(p.report, 102), nullptr);
    EXPECT_EQ(line(p.report, 102)->name, "NINTENDO_CA_G3");
    EXPECT_EQ(line(p.report, 102)->status, EntryStatus::Loaded);
    EXPECT_EQ(line(p.report, 102)->reason, "");
}

TEST(certstore_console_dump_partial, MissingFilesLeaveTheirEntriesOutAndTheRestLoads)
{
    TempDir tmp;
    fs::path root = copyDump(tmp);
    fs::remove(contentOf(root) / "ccerts/WIIU_WOOD_1_RSA_KEY.aes");
    fs::remove(contentOf(root) / "scerts/CACERT_NINTENDO_CA.der");
    Partial p = loadPartly(root);
    ASSERT_TRUE(p.store);
    EXPECT_EQ(idsOf(*p.store), (std::vector<std::int32_t>{1, 3, 4, 7, 101, 102, 105, 1001, 1004}));
    EXPECT_FALSE(p.report.complete());
    EXPECT_EQ(p.report.summary(), "9 loaded, 2 missing, 0 undecryptable, 0 corrupt");
    ASSERT_NE(line(p.report, 6), nullptr);
    EXPECT_EQ(line(p.report, 6)->status, EntryStatus::Missing);
    EXPECT_THAT(line(p.report, 6)->reason, HasSubstr("ccerts/WIIU_WOOD_1_RSA_KEY.aes: file is missing"));
    EXPECT_EQ(line(p.report, 100)->status, EntryStatus::Missing);
    EXPECT_EQ(line(p.report, 100)->name, "NINTENDO_CA");
    // The loaded entries are whole: a client key decrypted and matching its certificate.
    EXPECT_TRUE(p.store->exportClientCertificate(1));
    // The strict load still refuses the same dump.
    EXPECT_THAT(loadError(root), HasSubstr("file is missing"));
}

TEST(certstore_console_dump_partial, AWrongOtpLeavesTheClientKeysUndecryptableAndTheCasLoaded)
{
    TempDir tmp;
    fs::path root = copyDump(tmp);
    auto otp = readBytes(root / "otp.bin");
    for (std::size_t i = 0x120; i < 0x130; ++i) otp[i] ^= 0x5A;
    writeBytes(root / "otp.bin", otp);
    Partial p = loadPartly(root);
    ASSERT_TRUE(p.store);
    EXPECT_EQ(idsOf(*p.store), (std::vector<std::int32_t>{100, 101, 102, 105, 1001, 1004}));
    EXPECT_EQ(p.report.summary(), "6 loaded, 0 missing, 5 undecryptable, 0 corrupt");
    for (std::int32_t id : {1, 3, 4, 6, 7}) {
        ASSERT_NE(line(p.report, id), nullptr) << id;
        EXPECT_EQ(line(p.report, id)->status, EntryStatus::Undecryptable) << id;
        EXPECT_THAT(line(p.report, id)->reason, HasSubstr("wrong otp.bin?")) << id;
    }
    EXPECT_THAT(loadError(root), HasSubstr("decrypted key is not DER (wrong otp.bin?)"));
}

TEST(certstore_console_dump_partial, WithoutAnOtpTheCertificatesThatAreNotEncryptedStillLoad)
{
    const fs::path& root = pristineDump();
    for (const fs::path& otp : {root / "nonexistent.bin", root / "mlc"}) {
        Partial p = loadPartly(root, otp);
        ASSERT_TRUE(p.store);
        EXPECT_EQ(p.report.summary(), "6 loaded, 0 missing, 5 undecryptable, 0 corrupt") << otp;
        ASSERT_NE(line(p.report, 3), nullptr);
        EXPECT_THAT(line(p.report, 3)->reason, HasSubstr(otp.filename().string())) << otp;
    }
}

TEST(certstore_console_dump_partial, ATruncatedMetadataFileLosesOnlyItsCutLine)
{
    TempDir tmp;
    fs::path root = copyDump(tmp);
    fs::path meta = contentOf(root) / "certstore_metadata.txt";
    std::string text = readText(meta);
    // Cut in the middle of the last line (ID 7's): "ID=7;TYPE=2;ENC".
    const auto last = text.rfind("ID=7;");
    ASSERT_NE(last, std::string::npos);
    text.resize(last + 15);
    writeText(meta, text);
    Partial p = loadPartly(root);
    ASSERT_TRUE(p.store);
    // The cut line is noted; 7, which it named, and 8, which the metadata never named, come
    // from the known table as they would without any metadata (their files are OLIVE's and
    // WOOD's), and say so.
    ASSERT_EQ(p.report.notes.size(), 3u);
    EXPECT_THAT(p.report.notes[0], HasSubstr("certstore_metadata.txt:"));
    EXPECT_THAT(p.report.notes[1], HasSubstr("ID 7 ("));
    EXPECT_THAT(p.report.notes[2], HasSubstr("ID 8 ("));
    ASSERT_NE(line(p.report, 7), nullptr);
    EXPECT_EQ(line(p.report, 7)->status, EntryStatus::Loaded);
    EXPECT_TRUE(p.store->find(7)->permissions.titleIds.empty());  // the known table's unrestricted permissions
    EXPECT_FALSE(p.report.complete());
    EXPECT_EQ(idsOf(*p.store), (std::vector<std::int32_t>{1, 3, 4, 6, 7, 8, 100, 101, 102, 105, 1001, 1004}));
    EXPECT_EQ(p.report.count(EntryStatus::Loaded), p.store->size());
    EXPECT_THAT(loadError(root), HasSubstr("certstore_metadata.txt:"));
}

TEST(certstore_console_dump_partial, ACorruptCertificateIsReportedAsCorrupt)
{
    TempDir tmp;
    fs::path root = copyDump(tmp);
    fs::path file = contentOf(root) / "scerts/CACERT_NINTENDO_CA_G2.der";
    auto der = readBytes(file);
    der.resize(der.size() / 2);
    writeBytes(file, der);
    Partial p = loadPartly(root);
    ASSERT_TRUE(p.store);
    EXPECT_EQ(p.report.summary(), "10 loaded, 0 missing, 0 undecryptable, 1 corrupt");
    EXPECT_EQ(line(p.report, 101)->status, EntryStatus::Corrupt);
    EXPECT_THAT(line(p.report, 101)->reason, HasSubstr("CACERT_NINTENDO_CA_G2.der: not a DER X.509 certificate"));
}

TEST(certstore_console_dump_partial, AFolderThatIsNoDumpIsStillRefused)
{
    const fs::path& root = pristineDump();
    LoadReport report;
    auto r = readConsoleDump(root / "work", root / "otp.bin", report);
    ASSERT_FALSE(r);
    EXPECT_THAT(r.error().message, HasSubstr("neither an MLC folder"));
}
