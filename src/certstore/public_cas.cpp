#include "certstore/public_cas.h"

#include <algorithm>

#include <fmt/format.h>

#include "certstore/entry_check.h"
#include "certstore/file_io.h"
#include "certstore/known_certs.h"
#include "pki/encoding.h"
#include "platform/file.h"

namespace wiiu::certstore {

Expected<std::vector<Entry>, LoadError> publicCasFromBundle(const std::filesystem::path& bundle)
{
    auto text = readFileBytes(bundle);
    if (!text) return fail(text.error());
    auto blocks = pki::decodePem(std::string_view(reinterpret_cast<const char*>(text->data()), text->size()),
                                 "CERTIFICATE");
    if (!blocks)
        return fail(LoadError{fmt::format("{}: not a PEM certificate bundle ({})", platform::utf8(bundle),
                                          blocks.error().what)});
    std::vector<Entry> out;
    for (const auto& der : *blocks) {
        const std::string sha1 = pki::toHex(pki::sha1(der));
        for (const KnownCert& k : knownCerts()) {
            if (k.kind != Kind::ServerCa || k.sha1 != sha1) continue;
            if (std::any_of(out.begin(), out.end(), [&](const Entry& e) { return e.id == k.id; })) continue;
            Entry e;
            e.id = k.id;
            e.name = std::string(k.name);
            e.kind = Kind::ServerCa;
            e.groups = k.groups;
            e.permissions = unrestrictedPermissions(k);
            e.certDer = der;
            if (auto ok = checkEntry(e, fmt::format("{} (ID {})", platform::utf8(bundle), k.id), ""); !ok)
                return fail(ok.error());
            out.push_back(std::move(e));
        }
    }
    std::sort(out.begin(), out.end(), [](const Entry& a, const Entry& b) { return a.id < b.id; });
    return out;
}

Expected<std::shared_ptr<const CertStore>, LoadError> addEntries(const CertStore& base, std::vector<Entry> extra)
{
    std::vector<Entry> all;
    for (const Entry& e : base.entries()) {
        Entry copy;
        copy.id = e.id;
        copy.name = e.name;
        copy.kind = e.kind;
        copy.groups = e.groups;
        copy.permissions = e.permissions;
        copy.certDer = e.certDer;
        copy.keyDer = e.keyDer.clone();
        all.push_back(std::move(copy));
    }
    for (Entry& e : extra)
        if (!base.find(e.id)) all.push_back(std::move(e));
    return CertStore::create(std::move(all));
}

}  // namespace wiiu::certstore
