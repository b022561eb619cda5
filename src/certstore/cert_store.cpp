#include <wiiu_nssl/cert_store.h>

#include <algorithm>
#include <string>

#include "certstore/known_certs.h"

namespace wiiu::certstore {

std::string_view kindName(Kind kind) { return kind == Kind::Client ? "client" : "server"; }

std::string_view exportErrorName(ExportError e)
{
    switch (e) {
    case ExportError::UnknownId: return "unknown certificate ID";
    case ExportError::NoAccess: return "the caller may not use this certificate";
    case ExportError::NotExportable: return "certificate not exportable";
    case ExportError::WrongType: return "wrong certificate type";
    case ExportError::WrongEncoding: return "wrong certificate encoding";
    }
    return "?";
}

std::string_view entryStatusName(EntryStatus status)
{
    switch (status) {
    case EntryStatus::Loaded: return "loaded";
    case EntryStatus::Missing: return "missing";
    case EntryStatus::Undecryptable: return "undecryptable";
    case EntryStatus::Corrupt: return "corrupt";
    }
    return "?";
}

std::size_t LoadReport::count(EntryStatus status) const
{
    return static_cast<std::size_t>(
        std::count_if(entries.begin(), entries.end(), [status](const EntryReport& e) { return e.status == status; }));
}

bool LoadReport::complete() const
{
    return notes.empty() && count(EntryStatus::Loaded) == entries.size();
}

std::string LoadReport::summary() const
{
    std::string text;
    for (EntryStatus status : {EntryStatus::Loaded, EntryStatus::Missing, EntryStatus::Undecryptable, EntryStatus::Corrupt}) {
        if (!text.empty())
            text += ", ";
        text += std::to_string(count(status)) + " " + std::string(entryStatusName(status));
    }
    return text;
}

Expected<std::shared_ptr<const CertStore>, LoadError> CertStore::create(std::vector<Entry> entries)
{
    std::sort(entries.begin(), entries.end(), [](const Entry& a, const Entry& b) { return a.id < b.id; });
    for (std::size_t i = 0; i < entries.size(); ++i) {
        const Entry& e = entries[i];
        if (i > 0 && entries[i - 1].id == e.id)
            return fail(LoadError{"certificate ID " + std::to_string(e.id) + " appears twice"});
        if (e.certDer.empty())
            return fail(LoadError{"certificate ID " + std::to_string(e.id) + " has no certificate"});
        if ((e.kind == Kind::Client) != (e.permissions.type == kTypeClient))
            return fail(LoadError{"certificate ID " + std::to_string(e.id) + ": TYPE " +
                                  std::to_string(e.permissions.type) + " does not fit a " +
                                  std::string(kindName(e.kind)) + " certificate"});
        if (e.kind == Kind::Client && !e.hasKey())
            return fail(LoadError{"client certificate ID " + std::to_string(e.id) + " has no private key"});
    }
    // make_shared cannot reach the private constructor.
    return std::shared_ptr<const CertStore>(new CertStore(std::move(entries)));
}

const Entry* CertStore::find(std::int32_t id) const
{
    auto it = std::lower_bound(entries_.begin(), entries_.end(), id,
                               [](const Entry& e, std::int32_t v) { return e.id < v; });
    return it != entries_.end() && it->id == id ? &*it : nullptr;
}

std::vector<const Entry*> CertStore::inGroups(std::uint32_t mask) const
{
    std::vector<const Entry*> out;
    for (const Entry& e : entries_)
        if ((e.groups & mask) != 0) out.push_back(&e);
    return out;
}

int CertStore::missingInGroups(std::uint32_t mask) const
{
    int missing = 0;
    for (const KnownCert& k : knownCerts())
        if ((k.groups & mask) != 0 && find(k.id) == nullptr) ++missing;
    return missing;
}

Expected<const Entry*, ExportError> CertStore::exportable(std::int32_t id, std::int32_t type,
                                                          const Caller* caller) const
{
    const Entry* e = find(id);
    if (!e) return fail(ExportError::UnknownId);
    if (caller && !e->permissions.allows(*caller)) return fail(ExportError::NoAccess);
    if (!e->exportable()) return fail(ExportError::NotExportable);
    if (e->permissions.type != type) return fail(ExportError::WrongType);
    if (e->permissions.encoding != kEncodingDer) return fail(ExportError::WrongEncoding);
    return e;
}

Expected<std::span<const std::uint8_t>, ExportError> CertStore::exportServerCertificate(std::int32_t id,
                                                                                        const Caller* caller) const
{
    auto e = exportable(id, kTypeServer, caller);
    if (!e) return fail(e.error());
    return std::span<const std::uint8_t>((*e)->certDer);
}

Expected<ClientExport, ExportError> CertStore::exportClientCertificate(std::int32_t id, const Caller* caller) const
{
    auto e = exportable(id, kTypeClient, caller);
    if (!e) return fail(e.error());
    return ClientExport{(*e)->certDer, (*e)->keyDer.view()};
}

}  // namespace wiiu::certstore
