// The portable store: what dump_certs writes and an emulator loads at start, without otp.bin.
//
//   <dir>/manifest.json         format version + one object per entry (docs/certstore.md)
//   <dir>/<id>_<name>.der       certificate, DER
//   <dir>/<id>_<name>_KEY.der   client private key, DER PKCS#1 (owner-only permissions)
#pragma once

#include <wiiu_nssl/language.h>

#include <filesystem>
#include <memory>

#include <wiiu_nssl/cert_store.h>

namespace wiiu::certstore {

inline constexpr int kPortableFormatVersion = 1;
inline constexpr const char* kManifestFile = "manifest.json";

struct PortableLoadOptions {
    /// Also parse every certificate and match every key (what `dump_certs --verify` does).
    /// Off by default: dump_certs checked all of that when it wrote the store; the SHA-1 of
    /// every file is still compared with the manifest, so corruption is caught either way.
    bool deepCheck = false;
};

/// Loads `<dir>/manifest.json` and its files. Errors name the manifest field or the file; any
/// problem refuses the whole store.
Expected<std::shared_ptr<const CertStore>, LoadError> loadPortableStore(const std::filesystem::path& dir,
                                                                        PortableLoadOptions options = {});
/// The same, taking what it can: an entry whose files are missing or corrupt (or, with
/// deepCheck, whose key is not its certificate's) is left out and `report` says why; refused
/// only when the manifest itself cannot be read. An emulator loads this way at start and shows
/// the report in its settings.
Expected<std::shared_ptr<const CertStore>, LoadError> loadPortableStore(const std::filesystem::path& dir,
                                                                        LoadReport& report,
                                                                        PortableLoadOptions options = {});

struct PortableWriteOptions {
    bool replace = false;  ///< replace an existing `out` folder (dump_certs --force)
};

/// Writes the store to `out` atomically: everything goes to a temporary sibling folder that is
/// renamed to `out` at the end; on failure nothing is left behind and an old `out` is untouched.
Expected<void, LoadError> writePortableStore(const CertStore& store, const std::filesystem::path& out,
                                             PortableWriteOptions options = {});

/// File names the writer uses for an entry (also what the manifest records).
std::string portableCertFileName(const Entry& e);
std::string portableKeyFileName(const Entry& e);

}  // namespace wiiu::certstore
