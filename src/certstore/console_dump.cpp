#include <wiiu_nssl/console_dump.h>

#include <algorithm>
#include <string>

#include "certstore/entry_check.h"
#include "certstore/file_io.h"
#include "certstore/key_decrypt.h"
#include "certstore/known_certs.h"
#include "certstore/metadata.h"
#include "common/log.h"
#include "platform/file.h"

namespace wiiu::certstore {
namespace {

namespace fs = std::filesystem;

constexpr const char* kContentUnderMlc = "sys/title/0005001b/10054000/content";
constexpr const char* kMetadataFile = "certstore_metadata.txt";

/// otp.bin's SSL key, or why otp.bin cannot give it.
using OtpKey = Expected<SecretBytes, LoadError>;

bool looksLikeContent(const fs::path& dir)
{
    std::error_code ec;
    return fs::is_regular_file(dir / kMetadataFile, ec) || fs::is_directory(dir / "scerts", ec) ||
           fs::is_directory(dir / "ccerts", ec);
}

bool endsWith(std::string_view s, std::string_view suffix)
{
    return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

std::string nameFor(std::int32_t id, const std::string& certPath)
{
    if (const KnownCert* k = findKnown(id)) return std::string(k->name);
    return platform::utf8(platform::pathFromUtf8(certPath).stem());
}

MetadataRecord recordFromKnown(const KnownCert& k)
{
    MetadataRecord r;
    r.id = k.id;
    r.groups = k.groups;
    r.certPath = k.certPath;
    r.keyPath = k.keyPath;
    r.permissions = unrestrictedPermissions(k);
    return r;
}

// Without the metadata file, every known ID whose files exist is loaded with the permissions
// of an unrestricted, exportable entry (chosen; docs/certstore.md). With a report, the known
// IDs without files are in it as missing: nothing says whether this console has them.
std::vector<MetadataRecord> recordsFromKnownTable(const fs::path& content, LoadReport* report)
{
    std::vector<MetadataRecord> records;
    for (const KnownCert& k : knownCerts()) {
        std::error_code ec;
        if (!fs::exists(content / k.certPath, ec)) {
            log::certstore().debug("no {} for ID {}, skipped", k.certPath, k.id);
            if (report)
                report->entries.push_back({k.id, std::string(k.name), EntryStatus::Missing,
                                           platform::utf8(content / k.certPath) + ": file is missing"});
            continue;
        }
        records.push_back(recordFromKnown(k));
    }
    return records;
}

// A metadata file with lines that could not be read: the known IDs it no longer names are taken
// from the known table as if it were missing, when their files are there.
void addKnownRecordsNotIn(std::vector<MetadataRecord>& records, const fs::path& content, LoadReport& report)
{
    for (const KnownCert& k : knownCerts()) {
        std::error_code ec;
        const bool named = std::any_of(records.begin(), records.end(), [&](const MetadataRecord& r) { return r.id == k.id; });
        if (named || !fs::exists(content / k.certPath, ec))
            continue;
        report.notes.push_back("ID " + std::to_string(k.id) + " (" + std::string(k.name) +
                               ") taken from the known table: the metadata does not name it");
        records.push_back(recordFromKnown(k));
    }
}

OtpKey readOtpKey(const fs::path& otpBin)
{
    auto otp = readSecretFile(otpBin);
    if (!otp) return fail(otp.error());
    return sslKeyFromOtp(otp->view(), platform::utf8(otpBin));
}

/// The records the dump names: its metadata, else the known table. With a report, a metadata
/// line that cannot be read is noted and skipped instead of refusing the dump.
Expected<std::vector<MetadataRecord>, LoadError> dumpRecords(const fs::path& content, LoadReport* report)
{
    const fs::path metadataPath = content / kMetadataFile;
    std::error_code ec;
    if (!fs::exists(metadataPath, ec)) {
        log::certstore().warn("{} is missing; loading the known certificate files instead", platform::utf8(metadataPath));
        if (report)
            report->notes.push_back(platform::utf8(metadataPath) +
                                    ": file is missing; the known certificate files were loaded with unrestricted permissions");
        return recordsFromKnownTable(content, report);
    }
    auto text = readFileBytes(metadataPath);
    if (!text) return fail(text.error());
    std::vector<std::string> skipped;
    auto records = parseMetadata(std::string_view(reinterpret_cast<const char*>(text->data()), text->size()),
                                 platform::utf8(metadataPath), report ? &skipped : nullptr);
    if (!records || skipped.empty()) return records;
    report->notes.insert(report->notes.end(), skipped.begin(), skipped.end());
    addKnownRecordsNotIn(*records, content, *report);
    return records;
}

/// The key an encrypted file needs; without one the file is undecryptable, for the reason
/// otp.bin was refused.
Expected<std::span<const std::uint8_t>, LoadError> keyFor(const OtpKey& otpKey)
{
    if (!otpKey) return fail(LoadError{otpKey.error().message, EntryStatus::Undecryptable});
    return otpKey->view();
}

Expected<Entry, LoadError> loadEntry(const fs::path& content, const MetadataRecord& r, const OtpKey& otpKey)
{
    Entry e;
    e.id = r.id;
    e.name = nameFor(r.id, r.certPath);
    e.kind = r.permissions.type == kTypeClient ? Kind::Client : Kind::ServerCa;
    e.groups = r.groups;
    e.permissions = r.permissions;

    // A ".aes" entity is encrypted under the OTP key whatever PROPERTIES says: that is how the
    // console's files are named, and it keeps a plain ".der" readable as is.
    const fs::path certPath = content / r.certPath;
    if (endsWith(r.certPath, ".aes")) {
        auto enc = readFileBytes(certPath);
        if (!enc) return fail(enc.error());
        auto key = keyFor(otpKey);
        if (!key) return fail(key.error());
        auto plain = aesCbcDecryptZeroIv(*key, *enc, platform::utf8(certPath));
        if (!plain) return fail(plain.error());
        auto len = r.rawE0Size ? std::optional<std::size_t>(*r.rawE0Size) : derTlvLength(plain->view());
        if (!len || *len > plain->size())
            return fail(LoadError{platform::utf8(certPath) + ": decrypted certificate is not DER (wrong otp.bin?)",
                                  EntryStatus::Undecryptable});
        e.certDer.assign(plain->data(), plain->data() + *len);
    } else {
        auto der = readFileBytes(certPath);
        if (!der) return fail(der.error());
        e.certDer = std::move(*der);
    }

    const fs::path keyPath = r.keyPath.empty() ? fs::path() : content / r.keyPath;
    if (!r.keyPath.empty()) {
        auto raw = readSecretFile(keyPath);
        if (!raw) return fail(raw.error());
        if (endsWith(r.keyPath, ".aes")) {
            auto aesKey = keyFor(otpKey);
            if (!aesKey) return fail(aesKey.error());
            auto key = decryptPrivateKey(*aesKey, raw->view(), r.rawE1Size, platform::utf8(keyPath));
            if (!key) return fail(key.error());
            e.keyDer = std::move(*key);
        } else {
            e.keyDer = std::move(*raw);
        }
    }

    if (auto ok = checkEntry(e, platform::utf8(certPath), platform::utf8(keyPath)); !ok) return fail(ok.error());
    return e;
}

}  // namespace

Expected<fs::path, LoadError> findContentFolder(const fs::path& dir)
{
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) return fail(LoadError{platform::utf8(dir) + ": no such folder"});
    if (looksLikeContent(dir)) return dir;
    fs::path nested = dir / kContentUnderMlc;
    if (fs::is_directory(nested, ec)) return nested;
    return fail(LoadError{platform::utf8(dir) + ": neither an MLC folder (no " + kContentUnderMlc +
                          ") nor the certificate title's content/ folder"});
}

namespace {

/// The dump's store. Without a report every problem refuses the dump; with one, each entry that
/// cannot be loaded is reported and left out, and only a folder that is no dump is refused.
Expected<std::shared_ptr<const CertStore>, LoadError> load(const fs::path& mlcOrContent, const fs::path& otpBin,
                                                           LoadReport* report)
{
    auto content = findContentFolder(mlcOrContent);
    if (!content) return fail(content.error());
    auto otpKey = readOtpKey(otpBin);
    if (!otpKey && !report) return fail(otpKey.error());

    auto records = dumpRecords(*content, report);
    if (!records) return fail(records.error());
    if (records->empty() && !report) return fail(LoadError{platform::utf8(*content) + ": no certificates found"});

    std::vector<Entry> entries;
    for (const MetadataRecord& r : *records) {
        auto e = loadEntry(*content, r, otpKey);
        if (!e && !report) return fail(e.error());
        if (report)
            report->entries.push_back({r.id, nameFor(r.id, r.certPath), e ? EntryStatus::Loaded : e.error().status,
                                       e ? std::string() : e.error().message});
        if (e) entries.push_back(std::move(*e));
    }
    auto store = CertStore::create(std::move(entries));
    if (store) log::certstore().info("read {} certificates from {}", (*store)->size(), platform::utf8(*content));
    return store;
}

}  // namespace

Expected<std::shared_ptr<const CertStore>, LoadError> readConsoleDump(const fs::path& mlcOrContent,
                                                                      const fs::path& otpBin)
{
    return load(mlcOrContent, otpBin, nullptr);
}

Expected<std::shared_ptr<const CertStore>, LoadError> readConsoleDump(const fs::path& mlcOrContent,
                                                                      const fs::path& otpBin, LoadReport& report)
{
    report = {};
    return load(mlcOrContent, otpBin, &report);
}

}  // namespace wiiu::certstore
