// PEM/DER input and digests shared by the certificate store, the NSSL layer and the tools.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <wiiu_nssl/certificate.h>
#include "pki/x509.h"

namespace wiiu::pki {

/// Every "-----BEGIN <label>-----" block of a PEM text, base64-decoded. An empty `label`
/// accepts any label. Malformed base64 or an unterminated block is an error; text without
/// any matching block gives an empty list. Text between blocks is ignored (as OpenSSL does).
Expected<std::vector<Bytes>, ParseError> decodePem(std::string_view text, std::string_view label = {});

// derFromDerOrPem: public, <wiiu_nssl/certificate.h>.

/// PEM text of one block: "-----BEGIN <label>-----", base64 in 64-column lines, END line.
std::string encodePem(std::string_view label, ByteView der);

std::array<std::uint8_t, 20> sha1(ByteView data);
std::array<std::uint8_t, 32> sha256(ByteView data);
std::string toHex(ByteView data);  ///< lower-case, no separators

}  // namespace wiiu::pki
