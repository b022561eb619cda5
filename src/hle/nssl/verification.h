// How a connection verifies its peer: the one place that turns a context, the guest's options
// and the Config into the TLS client's verification settings, so that every path verifying a
// chain "as NSSLDoHandshake does" gets the same verdict, console quirks included.
#pragma once

#include <cstdint>
#include <string>

#include "hle/nssl/config.h"
#include "hle/nssl/context.h"
#include "tls/client.h"

namespace wiiu::nssl {

/// Fills the verification part of `client` (trust, host name, verify bits, clock, CRL check and
/// the emulated firmware) for a connection to `host` with NSSLCreateConnection's `options`, at
/// the emulated time `now`. The other fields of `client` are left as they are.
void configureVerification(tls::ClientConfig& client, const Config& config, const ContextSnapshot& context,
                           const std::string& host, std::uint32_t options, pki::UnixTime now);

}  // namespace wiiu::nssl
