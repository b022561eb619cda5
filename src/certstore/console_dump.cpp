#include <wiiu_nssl/console_dump.h>

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

// Without the metadata file, every known ID whose files exist is loaded with the permissions
// of an unrestricted, exportable entry (chosen; docs/certstore.md).
std::vector<MetadataRecord> recordsFromKnownTable(const fs::path& content)
{
    std::vector<MetadataRecord> records;
    for (const KnownCert& k : knownCerts()) {
        std::error_code ec;
        if (!fs::exists(content / k.certPath, ec)) {
            log::certstore().debug("no {} for ID {}, skipped", k.certPath, k.id);
            continue;
        }
        MetadataRecord r;
        r.id = k.id;
        r.groups = k.groups;
        r.certPath = k.certPath;
        r.keyPath = k.keyPath;
        r.permissions = unrestrictedPermissions(k);
        records.push_back(std::move(r));
    }
    return records;
}

Expected<Entry, LoadError> loadEntry(const fs::path& content, const MetadataRecord& r,
                                     std::span<const std::uint8_t> otpKey)
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
        auto plain = aesCbcDecryptZeroIv(otpKey, *enc, platform::utf8(certPath));
        if (!plain) return fail(plain.error());
        auto len = r.rawE0Size ? std::optional<std::size_t>(*r.rawE0Size) : derTlvLength(plain->view());
        if (!len || *len > plain->size())
            return fail(LoadError{platform::utf8(certPath) + ": decrypted certificate is not DER (wrong otp.bin?)"});
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
            auto key = decryptPrivateKey(otpKey, raw->view(), r.rawE1Size, platform::utf8(keyPath));
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

Expected<std::shared_ptr<const CertStore>, LoadError> readConsoleDump(const fs::path& mlcOrContent,
                                                                      const fs::path& otpBin)
{
    auto content = findContentFolder(mlcOrContent);
    if (!content) return fail(content.error());

    SecretBytes otpKey;
    {
        auto otp = readSecretFile(otpBin);
        if (!otp) return fail(otp.error());
        auto key = sslKeyFromOtp(otp->view(), platform::utf8(otpBin));
        if (!key) return fail(key.error());
        otpKey = std::move(*key);
    }

    std::vector<MetadataRecord> records;
    const fs::path metadataPath = *content / kMetadataFile;
    std::error_code ec;
    if (fs::exists(metadataPath, ec)) {
        auto text = readFileBytes(metadataPath);
        if (!text) return fail(text.error());
        auto parsed = parseMetadata(std::string_view(reinterpret_cast<const char*>(text->data()), text->size()),
                                    platform::utf8(metadataPath));
        if (!parsed) return fail(parsed.error());
        records = std::move(*parsed);
    } else {
        log::certstore().warn("{} is missing; loading the known certificate files instead", platform::utf8(metadataPath));
        records = recordsFromKnownTable(*content);
    }
    if (records.empty()) return fail(LoadError{platform::utf8(*content) + ": no certificates found"});

    std::vector<Entry> entries;
    for (const MetadataRecord& r : records) {
        auto e = loadEntry(*content, r, otpKey.view());
        if (!e) return fail(e.error());
        entries.push_back(std::move(*e));
    }
    auto store = CertStore::create(std::move(entries));
    if (store) log::certstore().info("read {} certificates from {}", (*store)->size(), platform::utf8(*content));
    return store;
}

}  // namespace wiiu::certstore
