// One probe run: a guest process that sets up an NSSL context the way a game would, connects,
// handshakes, optionally exchanges data and reconnects offering the session, all through the
// import table. Host-side service calls are used only to READ diagnostics.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <wiiu_nssl/cert_store.h>
#include <wiiu_nssl/certificate.h>
#include <wiiu_nssl/nssl_config.h>
#include "guest_process.h"
#include "inputs.h"
#include "transfer.h"

namespace wiiu::probe {

/// Everything a run needs; files are already read and converted to DER.
struct ProbeSettings {
    std::shared_ptr<const certstore::CertStore> store;
    std::vector<std::int32_t> caIds;
    std::uint32_t groups = 0;
    std::vector<Bytes> caFiles;
    std::vector<Bytes> crls;
    bool crlCheck = false;
    std::optional<std::int32_t> clientId;
    Bytes clientCert, clientKey;
    std::uint32_t verify = 7;
    std::int32_t version = 0;
    nssl::Config config;
    std::string host;          ///< the name given to NSSLCreateConnection
    std::string connectHost;   ///< resolved through inet_aton, then getaddrinfo
    std::uint16_t port = 0;
    std::optional<std::string> send;  ///< bytes to send after the handshake, then read until close
    std::string sendFile;  ///< or a file to send, read a chunk at a time (--send)
    int resume = 0;
    bool nonBlocking = false;
    std::optional<std::chrono::system_clock::time_point> clock;
    std::chrono::seconds ioTimeout{10};  ///< select / blocking-call bound
};

/// A peer certificate as reports show it; an unparsable one has the subject
/// "(unparsable certificate)".
using PeerCert = pki::CertificateSummary;

/// What one connection did.
struct ConnectionReport {
    std::string result = "OK";  ///< "OK", an NSSL error name, or SOCKET_ERROR
    std::int32_t code = 0;
    std::string reason;
    std::string failure;  ///< the precise reason's name ("Untrusted", "Expired", ...), "" if none
    std::uint16_t version = 0;
    std::string suite;
    bool resumed = false;
    std::vector<PeerCert> peerChain;
    std::uint64_t bytesSent = 0;
    bool exchanged = false;  ///< whether this connection sent and read application data
    Received received;  ///< counted, hashed, its first KiB kept (first connection)
    std::uint32_t quirks = 0;  ///< tls::quirk bits the accepted chain relied on
};

struct ProbeReport {
    std::string result = "OK";
    std::int32_t code = 0;
    std::string reason;
    std::string failure;  ///< as ConnectionReport::failure
    std::vector<ConnectionReport> connections;  ///< the first one, then each reconnect
    std::vector<CallEntry> calls;  ///< the folded call log (call_log.h)
    std::string statusTable;  ///< nssl::Service status before each connection was destroyed
    std::optional<std::string> firmware;  ///< the emulated firmware ("5.5.6"); nullopt = --strict

    bool ok() const { return result == "OK"; }
};

/// Hooks a run calls back into (all optional).
struct ProbeObserver {
    std::function<void(const CallRecord&)> onCall;  ///< each call that opens a log entry
    std::function<void(const CallEntry&)> onRun;    ///< a run of repeated calls, once it ended
    std::function<void(const std::string&)> onNote;  ///< a step of the flow, for text output
};

ProbeReport runProbe(const ProbeSettings& settings, const ProbeObserver& observer = {});

PeerCert describeCertificate(const Bytes& der);

}  // namespace wiiu::probe
