// Writing the portable store atomically (temporary sibling folder, renamed at the end).
#include <wiiu_nssl/portable_store.h>

#include <cinttypes>
#include <cstdio>
#include <random>

#include <nlohmann/json.hpp>

#include "certstore/file_io.h"
#include "common/log.h"
#include "pki/encoding.h"
#include "platform/file.h"

namespace wiiu::certstore {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::ordered_json;  // keep the field order readable for people

std::string hex64(std::uint64_t v)
{
    char buf[19];
    std::snprintf(buf, sizeof buf, "0x%016" PRIx64, v);
    return buf;
}

// File names come from entry names; keep them portable whatever the metadata said.
std::string safeName(const Entry& e)
{
    std::string s = std::to_string(e.id) + "_";
    for (char c : e.name) {
        bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
        s += ok ? c : '_';
    }
    return s;
}

json manifestEntry(const Entry& e)
{
    json titleIds = json::array();
    for (auto tid : e.permissions.titleIds) titleIds.push_back(hex64(tid));
    return {
        {"id", e.id},
        {"name", e.name},
        {"kind", kindName(e.kind)},
        {"groups", e.groups},
        {"exportable", e.exportable()},
        {"type", e.permissions.type},
        {"encoding", e.permissions.encoding},
        {"properties", e.permissions.properties},
        {"capability_mask", hex64(e.permissions.capabilityMask)},
        {"pid", e.permissions.processIds},
        {"tid", titleIds},
        {"cert", portableCertFileName(e)},
        {"key", e.hasKey() ? json(portableKeyFileName(e)) : json(nullptr)},
        {"sha1", pki::toHex(pki::sha1(e.certDer))},
    };
}

Expected<void, LoadError> writeAll(const CertStore& store, const fs::path& dir)
{
    json entries = json::array();
    for (const Entry& e : store.entries()) {
        if (auto ok = writeFileBytes(dir / portableCertFileName(e), e.certDer); !ok) return ok;
        if (e.hasKey())
            if (auto ok = writeFileBytes(dir / portableKeyFileName(e), e.keyDer.view(), /*privateFile=*/true); !ok)
                return ok;
        entries.push_back(manifestEntry(e));
    }
    json doc = {
        {"format", "wiiu_nssl portable certificate store"},
        {"version", kPortableFormatVersion},
        {"entries", std::move(entries)},
    };
    std::string text = doc.dump(2) + "\n";
    return writeFileBytes(dir / kManifestFile,
                          std::span(reinterpret_cast<const std::uint8_t*>(text.data()), text.size()));
}

fs::path siblingName(const fs::path& out, std::string_view tag)
{
    std::random_device rd;
    char suffix[16];
    std::snprintf(suffix, sizeof suffix, "%08x", static_cast<unsigned>(rd()));
    fs::path name = ".";  // path arithmetic, so a name the ANSI code page cannot spell survives on Windows
    name += out.filename();
    // Appended piece by piece: GCC 12 at -O3 misreads "." + std::string(...) as an overlapping
    // copy (-Wrestrict, GCC bug 105329), which a Release build with WIIU_NSSL_WERROR would stop on.
    std::string tail = ".";
    tail.append(tag).append("-").append(suffix);
    name += tail;
    return out.parent_path() / name;
}

}  // namespace

std::string portableCertFileName(const Entry& e) { return safeName(e) + ".der"; }
std::string portableKeyFileName(const Entry& e) { return safeName(e) + "_KEY.der"; }

Expected<void, LoadError> writePortableStore(const CertStore& store, const fs::path& outArg,
                                             PortableWriteOptions options)
{
    // "out/" would have an empty filename(); normalise so the sibling lands next to it.
    fs::path out = outArg.has_filename() ? outArg : outArg.parent_path();
    if (out.empty()) return fail(LoadError{"output folder name is empty"});
    std::error_code ec;
    const bool exists = fs::exists(out, ec);
    if (exists && !options.replace)
        return fail(LoadError{platform::utf8(out) + ": already exists (use --force to replace it)"});
    if (exists && !fs::is_directory(out, ec)) return fail(LoadError{platform::utf8(out) + ": exists and is not a folder"});
    if (!out.parent_path().empty() && !fs::is_directory(out.parent_path(), ec))
        return fail(LoadError{platform::utf8(out.parent_path()) + ": parent folder does not exist"});

    const fs::path tmp = siblingName(out, "tmp");
    if (!fs::create_directory(tmp, ec))
        return fail(LoadError{platform::utf8(tmp) + ": cannot create: " + (ec ? ec.message() : "already exists")});
    fs::permissions(tmp, fs::perms::owner_all, fs::perm_options::replace, ec);  // it holds private keys

    auto cleanup = [&] { std::error_code ignored; fs::remove_all(tmp, ignored); };
    if (auto ok = writeAll(store, tmp); !ok) {
        cleanup();
        return ok;
    }

    // Replacing: move the old folder aside first, so a failed rename can put it back.
    fs::path old;
    if (exists) {
        old = siblingName(out, "old");
        fs::rename(out, old, ec);
        if (ec) {
            cleanup();
            return fail(LoadError{platform::utf8(out) + ": cannot move the old folder aside: " + ec.message()});
        }
    }
    fs::rename(tmp, out, ec);
    if (ec) {
        std::error_code ignored;
        if (!old.empty()) fs::rename(old, out, ignored);
        cleanup();
        return fail(LoadError{platform::utf8(out) + ": cannot rename the finished store into place: " + ec.message()});
    }
    if (!old.empty()) fs::remove_all(old, ec);
    log::certstore().info("wrote {} certificates to {}", store.size(), platform::utf8(out));
    return {};
}

}  // namespace wiiu::certstore
