// A store without a console: many of the console's commercial CAs are public roots that ship
// byte-identical in a host's CA bundle. Only a certificate whose SHA-1 equals a known console
// fingerprint (known_certs) is taken, so nothing that differs from the console's is ever added.
#pragma once

#include <filesystem>
#include <memory>
#include <vector>

#include <wiiu_nssl/cert_store.h>

namespace wiiu::certstore {

/// The default bundle: Debian's ca-certificates (also Ubuntu's).
inline constexpr const char* kSystemCaBundle = "/etc/ssl/certs/ca-certificates.crt";

/// The known server CAs found in `bundle` (PEM "CERTIFICATE" blocks), one entry per ID, in ID
/// order, with unrestricted permissions. Errors name the file; no match is not an error.
Expected<std::vector<Entry>, LoadError> publicCasFromBundle(const std::filesystem::path& bundle);

/// `base`'s entries plus each of `extra` whose ID `base` does not hold (the console's own wins).
Expected<std::shared_ptr<const CertStore>, LoadError> addEntries(const CertStore& base, std::vector<Entry> extra);

}  // namespace wiiu::certstore
