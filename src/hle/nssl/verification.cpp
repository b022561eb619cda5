#include "hle/nssl/verification.h"

#include "hle/nssl/crl_check.h"

namespace wiiu::nssl {

void configureVerification(tls::ClientConfig& client, const Config& config, const ContextSnapshot& context,
                           const std::string& host, std::uint32_t options, pki::UnixTime now)
{
    client.trust = context.trust;
    client.hostName = host;  // the engine checks an IP literal against iPAddress entries
    client.verifyFlags = config.verifyProfile == VerifyProfile::AcceptAny ? 0 : (options & tls::verify::All);
    client.now = now;
    client.extraCheck = makeCrlCheck(context, now);
    // The quirks follow the firmware, inside the verifier, only for the checks the bits ask for.
    client.console = config.strict ? std::nullopt : std::optional<tls::Firmware>(config.firmware);
}

}  // namespace wiiu::nssl
