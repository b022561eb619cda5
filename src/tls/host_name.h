// What kind of name a connection's host name is. An IP literal is matched against the leaf's
// iPAddress entries, not its dNSName ones (RFC 6125), and never sent as SNI (RFC 6066, 3).
#pragma once

#include <optional>
#include <string>

#include "pki/types.h"

namespace wiiu::tls {

/// The address bytes (network order: 4 for IPv4, 16 for IPv6) when `host` is an IP literal.
std::optional<pki::Bytes> ipLiteral(const std::string& host);

}  // namespace wiiu::tls
