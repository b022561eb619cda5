// Loading the portable store. Kept lean because an emulator does it at every start.
#include <wiiu_nssl/portable_store.h>

#include <climits>
#include <cstdint>
#include <limits>
#include <type_traits>

#include <nlohmann/json.hpp>

#include "certstore/entry_check.h"
#include "certstore/file_io.h"
#include "certstore/known_certs.h"
#include "common/log.h"
#include "pki/encoding.h"
#include "platform/file.h"

namespace wiiu::certstore {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;

// Every manifest problem becomes "manifest.json: <field path>: <why>".
class ManifestReader {
public:
    explicit ManifestReader(fs::path dir) : dir_(std::move(dir)) {}

    LoadError error(const std::string& field, const std::string& why) const
    {
        return {platform::utf8(dir_ / kManifestFile) + ": " + field + ": " + why};
    }

    template <class T>
    Expected<T, LoadError> get(const json& obj, const std::string& where, const char* key) const
    {
        const std::string field = where + "." + key;
        auto it = obj.find(key);
        if (it == obj.end()) return fail(error(field, "missing"));
        if constexpr (std::is_same_v<T, bool>) {
            if (!it->is_boolean()) return fail(error(field, "expected true or false"));
        } else if constexpr (std::is_same_v<T, std::string>) {
            if (!it->is_string()) return fail(error(field, "expected a string"));
        } else if constexpr (std::is_unsigned_v<T>) {
            if (!it->is_number_unsigned() || it->template get<std::uint64_t>() > std::numeric_limits<T>::max())
                return fail(error(field, "expected an unsigned integer"));
        } else {
            if (!it->is_number_integer() || it->template get<std::int64_t>() < std::numeric_limits<T>::min() ||
                it->template get<std::int64_t>() > std::numeric_limits<T>::max())
                return fail(error(field, "expected a 32-bit integer"));
        }
        return it->template get<T>();
    }

    /// 64-bit values are hex strings: JSON numbers beyond 2^53 do not survive every reader.
    Expected<std::uint64_t, LoadError> hex64(const json& value, const std::string& field) const
    {
        if (!value.is_string()) return fail(error(field, "expected a hex string such as \"0x0005001010040000\""));
        const auto& s = value.get_ref<const std::string&>();
        if (s.size() < 3 || s.size() > 18 || s[0] != '0' || (s[1] != 'x' && s[1] != 'X'))
            return fail(error(field, "expected a hex string such as \"0x0005001010040000\""));
        std::uint64_t v = 0;
        for (std::size_t i = 2; i < s.size(); ++i) {
            char c = s[i];
            int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
            if (d < 0) return fail(error(field, "bad hex digit in \"" + s + "\""));
            v = (v << 4) | static_cast<unsigned>(d);
        }
        return v;
    }

    Expected<fs::path, LoadError> fileName(const json& obj, const std::string& where, const char* key) const
    {
        auto name = get<std::string>(obj, where, key);
        if (!name) return fail(name.error());
        // Plain names only: a manifest must not make the loader read outside its folder.
        if (name->empty() || name->find('/') != std::string::npos || name->find('\\') != std::string::npos ||
            *name == "." || *name == "..")
            return fail(error(where + "." + key, "\"" + *name + "\" is not a plain file name"));
        return dir_ / *name;
    }

    /// `certName` / `keyName` receive the file paths, for later error messages.
    Expected<Entry, LoadError> entry(const json& obj, const std::string& where, std::string& certName,
                                     std::string& keyName) const;

private:
    fs::path dir_;
};

#define WIIU_TRY(var, expr)                      \
    auto var = (expr);                           \
    if (!var) return fail(std::move(var).error())

Expected<Entry, LoadError> ManifestReader::entry(const json& obj, const std::string& where, std::string& certName,
                                                 std::string& keyName) const
{
    if (!obj.is_object()) return fail(error(where, "expected an object"));
    Entry e;
    WIIU_TRY(id, get<std::int32_t>(obj, where, "id"));
    WIIU_TRY(name, get<std::string>(obj, where, "name"));
    WIIU_TRY(kind, get<std::string>(obj, where, "kind"));
    WIIU_TRY(groups, get<std::uint32_t>(obj, where, "groups"));
    WIIU_TRY(exportable, get<bool>(obj, where, "exportable"));
    WIIU_TRY(type, get<std::int32_t>(obj, where, "type"));
    WIIU_TRY(encoding, get<std::int32_t>(obj, where, "encoding"));
    WIIU_TRY(properties, get<std::uint32_t>(obj, where, "properties"));
    e.id = *id;
    e.name = std::move(*name);
    if (*kind != "server" && *kind != "client") return fail(error(where + ".kind", "expected \"server\" or \"client\""));
    e.kind = *kind == "client" ? Kind::Client : Kind::ServerCa;
    e.groups = *groups;
    e.permissions.type = *type;
    e.permissions.encoding = *encoding;
    e.permissions.properties = *properties;
    if (*exportable != e.exportable()) return fail(error(where + ".exportable", "disagrees with properties bit 0x2"));

    auto caps = obj.find("capability_mask");
    if (caps == obj.end()) return fail(error(where + ".capability_mask", "missing"));
    WIIU_TRY(mask, hex64(*caps, where + ".capability_mask"));
    e.permissions.capabilityMask = *mask;
    for (const char* key : {"pid", "tid"}) {
        auto list = obj.find(key);
        const std::string field = where + "." + key;
        if (list == obj.end() || !list->is_array()) return fail(error(field, "expected an array"));
        for (std::size_t i = 0; i < list->size(); ++i) {
            const json& v = (*list)[i];
            const std::string item = field + "[" + std::to_string(i) + "]";
            if (key[0] == 't') {
                WIIU_TRY(tid, hex64(v, item));
                e.permissions.titleIds.push_back(*tid);
            } else {
                if (!v.is_number_integer() || v.get<std::int64_t>() < INT32_MIN || v.get<std::int64_t>() > INT32_MAX)
                    return fail(error(item, "expected a 32-bit integer"));
                e.permissions.processIds.push_back(v.get<std::int32_t>());
            }
        }
    }

    WIIU_TRY(certPath, fileName(obj, where, "cert"));
    WIIU_TRY(sha1, get<std::string>(obj, where, "sha1"));
    certName = platform::utf8(*certPath);
    WIIU_TRY(der, readFileBytes(*certPath));
    if (pki::toHex(pki::sha1(*der)) != *sha1)
        return fail(LoadError{platform::utf8(*certPath) + ": SHA-1 differs from " + where + ".sha1 (file corrupt or replaced)",
                              EntryStatus::Corrupt});
    e.certDer = std::move(*der);

    auto key = obj.find("key");
    if (key != obj.end() && !key->is_null()) {
        WIIU_TRY(keyPath, fileName(obj, where, "key"));
        keyName = platform::utf8(*keyPath);
        WIIU_TRY(keyDer, readSecretFile(*keyPath));
        if (keyDer->empty()) return fail(LoadError{platform::utf8(*keyPath) + ": key file is empty"});
        e.keyDer = std::move(*keyDer);
    }
    return e;
}

/// The report's line for manifest entry `obj`: its ID and name as far as the manifest gives them.
EntryReport reportLine(const json& obj, const Expected<Entry, LoadError>& e)
{
    if (e) return {e->id, e->name, EntryStatus::Loaded, {}};
    EntryReport line{0, {}, e.error().status, e.error().message};
    if (obj.is_object()) {
        if (auto id = obj.find("id"); id != obj.end() && id->is_number_integer()) line.id = id->get<std::int32_t>();
        if (auto name = obj.find("name"); name != obj.end() && name->is_string()) line.name = name->get<std::string>();
    }
    return line;
}

/// The store. Without a report every problem refuses it; with one, each entry that cannot be
/// loaded is reported and left out, and only a manifest that cannot be read is refused.
Expected<std::shared_ptr<const CertStore>, LoadError> load(const fs::path& dir, PortableLoadOptions options,
                                                           LoadReport* report)
{
    ManifestReader reader(dir);
    WIIU_TRY(bytes, readFileBytes(dir / kManifestFile));
    json doc = json::parse(bytes->begin(), bytes->end(), nullptr, /*allow_exceptions=*/false);
    if (doc.is_discarded()) return fail(reader.error("(document)", "not valid JSON"));
    if (!doc.is_object()) return fail(reader.error("(document)", "expected an object"));
    WIIU_TRY(version, reader.get<std::int32_t>(doc, "$", "version"));
    if (*version != kPortableFormatVersion)
        return fail(reader.error("$.version", std::to_string(*version) + " is not supported (this build reads " +
                                                  std::to_string(kPortableFormatVersion) + ")"));
    auto list = doc.find("entries");
    if (list == doc.end() || !list->is_array()) return fail(reader.error("$.entries", "expected an array"));

    std::vector<Entry> entries;
    entries.reserve(list->size());
    for (std::size_t i = 0; i < list->size(); ++i) {
        const std::string where = "$.entries[" + std::to_string(i) + "]";
        std::string certName, keyName;
        auto e = reader.entry((*list)[i], where, certName, keyName);
        if (e && options.deepCheck) {
            if (auto ok = checkEntry(*e, certName, keyName); !ok) e = fail(ok.error());
        }
        if (!e && !report) return fail(e.error());
        if (report) report->entries.push_back(reportLine((*list)[i], e));
        if (e) entries.push_back(std::move(*e));
    }
    auto store = CertStore::create(std::move(entries));
    if (!store) return fail(LoadError{platform::utf8(dir / kManifestFile) + ": " + store.error().message});
    log::certstore().debug("loaded {} certificates from {}", (*store)->size(), platform::utf8(dir));
    return store;
}

}  // namespace

Expected<std::shared_ptr<const CertStore>, LoadError> loadPortableStore(const fs::path& dir,
                                                                        PortableLoadOptions options)
{
    return load(dir, options, nullptr);
}

Expected<std::shared_ptr<const CertStore>, LoadError> loadPortableStore(const fs::path& dir, LoadReport& report,
                                                                        PortableLoadOptions options)
{
    report = {};
    return load(dir, options, &report);
}

}  // namespace wiiu::certstore
