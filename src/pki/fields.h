// Field readers that certificates and CRLs share: Name and Extensions.
#pragma once

#include <vector>

#include "pki/der.h"

namespace wiiu::pki {

/// Reads a Name (SEQUENCE OF non-empty SET OF {OID, value}) and returns its whole DER.
Expected<ByteView, ParseError> readName(der::Reader& reader);

struct Extension {
    ByteView oid;
    bool critical = false;
    ByteView value;              ///< extnValue content (the extension's own DER)
    std::size_t valueOffset = 0; ///< absolute offset of `value`
};

/// Reads Extensions ::= SEQUENCE SIZE (1..MAX) OF Extension. Refuses duplicates (RFC 5280
/// 4.2) and extension values that are not well-formed DER.
Expected<std::vector<Extension>, ParseError> readExtensions(der::Reader& reader);

}  // namespace wiiu::pki
