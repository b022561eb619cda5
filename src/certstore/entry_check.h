// The checks every loaded entry passes, wherever it came from: the certificate parses strictly
// and a client key is the private half of its certificate.
#pragma once

#include <string_view>

#include <wiiu_nssl/cert_store.h>
#include "pki/x509.h"

namespace wiiu::certstore {

/// `certName` / `keyName` name the files in error messages. Returns the parsed certificate.
Expected<pki::Certificate, LoadError> checkEntry(const Entry& entry, std::string_view certName,
                                                 std::string_view keyName);

}  // namespace wiiu::certstore
