// A TLS session kept for resumption (NSSLGetSession / SetSession / FreeSession / RemoveSession).
#pragma once

#include <atomic>
#include <memory>
#include <vector>

#include "tls/client.h"

namespace wiiu::nssl {

class Context;

struct Session {
    std::weak_ptr<Context> context;   ///< resumption is only offered within this context
    tls::SessionParameters parameters;     ///< BearSSL's session: ID, suite, version, master secret
    std::vector<pki::Bytes> peerChain;  ///< the chain seen at the full handshake (resumed ones get none)
    int references = 0;               ///< guest references (GetSession +1, FreeSession -1); service-locked
    std::atomic<bool> removed{false};  ///< NSSLRemoveSession: the handle lives on but cannot resume
};

}  // namespace wiiu::nssl
