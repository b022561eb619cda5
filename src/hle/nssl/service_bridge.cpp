// The NSSL service's host-side view of a context for the nlibcurl bridge: reading a context back
// and judging a peer chain by it, through the handshake's own configuration (handshake_config.h).
#include "hle/nssl/service.h"

#include "hle/nssl/handshake_config.h"
#include "tls/chain_verify.h"

namespace wiiu::nssl {

Result<Service::ContextView> Service::describeContext(ContextHandle ctx)
{
    auto context = contextFor(ctx);
    if (!context)
        return fail(context.error());
    Context& c = **context;
    return ContextView{c.cas(), c.overlayCas(), c.snapshot(), c.mode()};
}

Result<tls::ChainVerdict> Service::verifyPeerChain(ContextHandle ctx, std::string host, std::uint32_t options,
                                                 std::span<const pki::Bytes> chain)
{
    auto context = contextFor(ctx);
    if (!context)
        return fail(context.error());
    const tls::ClientConfig engine =
        handshakeConfig((*context)->snapshot(), config_, std::move(host), options, hooks_.now());
    auto policy = tls::verifyPolicyFor(engine);
    if (!policy)
        return tls::ChainVerdict{policy.error()};  // the handshake would not even start (BadConfig)
    return tls::verifyChain(std::move(*policy), chain);
}

}  // namespace wiiu::nssl
