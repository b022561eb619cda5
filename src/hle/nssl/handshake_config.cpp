#include "hle/nssl/handshake_config.h"

#include "hle/nssl/crl_check.h"

namespace wiiu::nssl {

tls::ClientConfig handshakeConfig(const ContextSnapshot& context, const Config& config, std::string host,
                                  std::uint32_t options, std::chrono::system_clock::time_point now)
{
    const pki::UnixTime seconds = std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
    tls::ClientConfig c;
    c.minVersion = context.minVersion;
    c.maxVersion = context.maxVersion;
    c.trust = context.trust;
    c.identity = context.identity;
    c.hostName = std::move(host);  // the engine checks an IP literal against iPAddress entries
    c.sendSni = config.sendSni;
    c.verifyFlags = config.verifyProfile == VerifyProfile::AcceptAny ? 0 : (options & tls::verify::All);
    c.now = seconds;
    c.extraCheck = makeCrlCheck(context, seconds);
    // The console's quirks follow the firmware, inside the verifier, only for the checks asked for.
    c.console = config.strict ? std::nullopt : std::optional<tls::Firmware>(config.firmware);
    return c;
}

}  // namespace wiiu::nssl
