// How a context becomes a TLS client: the one place the engine's configuration, and so its
// X.509 verifier, is built from an NSSL context. NSSLDoHandshake (Connection) and the nlibcurl
// bridge (Service::verifyPeerChain) both start here, so they judge a peer alike.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include <wiiu_nssl/nssl_config.h>
#include "hle/nssl/context.h"
#include "tls/client.h"

namespace wiiu::nssl {

/// The engine configuration of a handshake with `context` to `host`, with the guest's verify
/// `options` (NSSLCreateConnection's bits) as `config`'s verify profile honours them, checking
/// dates and CRLs at `now` (the emulated clock), as `config.firmware` does (its quirks) unless
/// `config.strict`. No session to resume: the caller adds one.
tls::ClientConfig handshakeConfig(const ContextSnapshot& context, const Config& config, std::string host,
                                  std::uint32_t options, std::chrono::system_clock::time_point now);

}  // namespace wiiu::nssl
