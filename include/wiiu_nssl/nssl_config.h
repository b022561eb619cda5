// NSSL configuration: a plain struct with documented defaults. Tools fill it from flags,
// emulators from their own settings. It is fixed for the life of a Process.
#pragma once

#include <wiiu_nssl/language.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <wiiu_nssl/cert_entry.h>
#include <wiiu_nssl/firmware.h>

namespace wiiu::nssl {

/// Which TLS versions a context offers (docs/abi.md, NSSLCreateContext).
enum class VersionPolicy {
    /// TLS 1.0 to 1.2 whatever the guest asked for: reaches today's servers.
    Compatible,
    /// What the console offered: TLS 1.0 for "auto" and for TLS 1.0; SSL 3.0 requests are
    /// clamped to TLS 1.0 (BearSSL cannot speak SSL 3.0).
    Faithful,
};

/// How the guest's verification options are honoured.
enum class VerifyProfile {
    AsGuestAsks,  ///< exactly the options of NSSLCreateConnection (the console's behaviour)
    AcceptAny,    ///< verify nothing (debugging only; what "NoSSL" patches do on hardware)
};

struct Config {
    VersionPolicy versionPolicy = VersionPolicy::Compatible;
    VerifyProfile verifyProfile = VerifyProfile::AsGuestAsks;
    /// The console firmware whose certificate verification is emulated, quirks included
    /// (docs/abi.md "Console verification quirks"): a bare "*" leaf name matches any host (every
    /// firmware); from 5.5.5 a forged copy of a trusted CA passes; a root-looking CA in the
    /// presented chain is ignored. Each applies only when the guest's options ask for the check.
    tls::Firmware firmware = tls::Firmware::latest();
    /// Turn every quirk off: plain X.509 verification of what the guest asked, for users who
    /// want real security rather than a console's behaviour (servers relying on a quirk fail).
    bool strict = false;
    /// DER CA certificates trusted by every context in addition to the guest's own (a private
    /// or revival server's CA): verification stays on, and that CA also passes.
    std::vector<std::vector<std::uint8_t>> extraTrustedCas;
    /// Send the connection's host name as SNI. Whether the console does is unconfirmed; today's
    /// servers behind shared addresses need it.
    bool sendSni = true;
    /// How long a blocking NSSL call waits for the peer before failing with IO_ERROR
    /// (0 = forever). A stalled server must not hang a guest thread for good.
    std::chrono::milliseconds blockingTimeout{std::chrono::seconds(60)};
    /// The guest process as IOS-NSEC would know it. Set, every use of an internal certificate
    /// (NSSLSetClientPKI, NSSLAddServerPKI, NSSLAddServerPKIGroups, the exports) passes the
    /// entry's permission list first, as on a console. Unset (the default), nothing is checked:
    /// the module cannot know the running title unless the emulator says.
    std::optional<certstore::Caller> caller;

    // Per-process limits (docs/abi.md).
    int maxContexts = 32;
    int maxConnections = 32;
    int maxExternalCerts = 64;  ///< NSSLAddServerPKIExternal + NSSLAddCRLExternal
    int maxSessions = 64;
    std::size_t maxCertSize = 8 * 1024;
    std::size_t maxKeySize = 8 * 1024;

    // Debugging toolkit (docs/server-operators.md). All off by default; each says where it
    // writes in a warning when a Process starts using it. Paths are UTF-8 on every host (on
    // Windows too, where a std::string path would otherwise be read in the ANSI code page).
    /// Plaintext of every connection's reads and writes as a PCAP (LINKTYPE_RAW, synthetic
    /// IPv4/TCP, one stream per connection). Appended as data flows; "" = off.
    std::string pcapPath;
    /// SSLKEYLOGFILE lines ("CLIENT_RANDOM <random> <master secret>"), one per completed
    /// handshake, appended. A SECRET: anyone with it decrypts the captured traffic. "" = off.
    std::string keyLogPath;
    /// The peer chain of every handshake as <dir>/conn<N>-<host>-<i>.der (leaf i = 0), also when
    /// verification failed; N is a host-wide connection number. Created if missing; "" = off.
    std::string chainDumpDir;
};

}  // namespace wiiu::nssl
