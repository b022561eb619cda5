// The loaded certificate store: immutable after construction, shared by every emulated process.
#pragma once

#include <wiiu_nssl/language.h>

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include <wiiu_nssl/cert_entry.h>
#include <wiiu_nssl/expected.h>

namespace wiiu::certstore {

/// Why an export was refused; the NSSL layer maps these to console codes.
enum class ExportError {
    UnknownId,      ///< no such ID in the store        (NSSL_ERROR_INVALID_CERT_ID2)
    NoAccess,       ///< the caller is not on its lists   (NSSL_ERROR_CERT_NO_ACCESS)
    NotExportable,  ///< PROPERTIES lacks 0x2             (NSSL_ERROR_CERT_NOT_EXPORTABLE)
    WrongType,      ///< TYPE is not the one asked for    (NSSL_ERROR_INVALID_CERT_TYPE)
    WrongEncoding,  ///< ENCODING is not 1 (DER)          (NSSL_ERROR_INVALID_CERT_ENCODING)
};

std::string_view exportErrorName(ExportError e);

/// Views into the store; valid as long as the store lives.
struct ClientExport {
    std::span<const std::uint8_t> certDer;
    std::span<const std::uint8_t> keyDer;
};

/// What became of one certificate a console dump or a portable store names.
enum class EntryStatus {
    Loaded,
    Missing,        ///< its certificate or key file is not there
    Undecryptable,  ///< encrypted, and otp.bin is missing, unusable, or not this console's
    Corrupt,        ///< there, but not what it should be (truncated, not DER, key not its certificate's)
};
/// "loaded", "missing", "undecryptable", "corrupt".
std::string_view entryStatusName(EntryStatus status);

/// A load or parse failure, with the file (and line, field) it concerns in `message`.
struct LoadError {
    std::string message;
    EntryStatus status = EntryStatus::Corrupt;  ///< what it makes of the entry it concerns
};

/// One certificate's line in a LoadReport.
struct EntryReport {
    std::int32_t id = 0;
    std::string name;  ///< the console's name where known, else the file's
    EntryStatus status = EntryStatus::Loaded;
    std::string reason;  ///< empty when loaded; else the file (and line) and what is wrong
};

/// What a load that takes what it can found: one line per certificate the source names, in
/// its order, and the problems of the source itself (a metadata line that cannot be read, a
/// missing metadata file). What an emulator shows in its settings next to "certificates".
struct LoadReport {
    std::vector<EntryReport> entries;
    std::vector<std::string> notes;

    std::size_t count(EntryStatus status) const;
    /// Every certificate loaded and nothing to note.
    bool complete() const;
    /// "11 loaded, 1 missing, 5 undecryptable, 0 corrupt".
    std::string summary() const;
};

class CertStore {
public:
    /// Takes the entries as they are; refuses duplicate IDs and client entries without a key.
    static Expected<std::shared_ptr<const CertStore>, LoadError> create(std::vector<Entry> entries);

    const Entry* find(std::int32_t id) const;
    /// Entries with any of `mask`'s group bits, in ascending ID order.
    std::vector<const Entry*> inGroups(std::uint32_t mask) const;
    /// IDs the known table puts in `mask`'s groups that this store does not hold
    /// (NSSLAddServerPKIGroups' invalid count).
    int missingInGroups(std::uint32_t mask) const;

    /// DER of an internal CA for NSSLExportInternalServerCertificate. With a `caller`, its
    /// permission list is checked right after the ID, as IOS-NSEC does.
    Expected<std::span<const std::uint8_t>, ExportError> exportServerCertificate(std::int32_t id,
                                                                                 const Caller* caller = nullptr) const;
    /// DER certificate and PKCS#1 key for NSSLExportInternalClientCertificate (same checks).
    Expected<ClientExport, ExportError> exportClientCertificate(std::int32_t id, const Caller* caller = nullptr) const;

    /// All entries, ascending by ID.
    std::span<const Entry> entries() const { return entries_; }
    std::size_t size() const { return entries_.size(); }

private:
    explicit CertStore(std::vector<Entry> entries) : entries_(std::move(entries)) {}
    Expected<const Entry*, ExportError> exportable(std::int32_t id, std::int32_t type, const Caller* caller) const;

    std::vector<Entry> entries_;  // sorted by id
};

}  // namespace wiiu::certstore
