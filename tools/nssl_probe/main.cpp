// nssl-probe: sees a TLS server the way a Wii U sees it. A small guest process drives the
// module through its import table — nsysnet sockets, then the NSSL calls a game makes — and
// reports each call, the handshake result with its precise reason, the peer chain and more.
//
// Exit codes: 0 success, 2 an NSSL (or socket) failure, 1 usage or local errors.
#include <iostream>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <wiiu_nssl/log.h>
#include <wiiu_nssl/portable_store.h>
#include <wiiu_nssl/utf8_path.h>
#include "demo.h"
#include "inputs.h"
#include "probe.h"
#include "report.h"
#include "transfer.h"

namespace {

using namespace wiiu;
using namespace wiiu::probe;

constexpr int kExitOk = 0;
constexpr int kExitUsage = 1;
constexpr int kExitFailure = 2;

constexpr const char* kFooter = R"(Examples:
  nssl-probe --demo
  nssl-probe --store ~/wiiu_certs --groups 3 --connect account.example.net:443 --json
  nssl-probe --ca-file my-ca.pem --connect 127.0.0.1:8443 --host account.example.net \
             --http-get / --pcap out.pcap --keylog keys.txt
  nssl-probe --store ~/wiiu_certs --groups 3 --connect example.net:443 --time 2017-06-01
  nssl-probe --ca-file nintendo-ca-g3.der --connect 127.0.0.1:8443 --host account.nintendo.net \
             --firmware 5.5.4        (would a console before 5.5.5 take this chain?)

--http-get and --send stream: the reply is counted and hashed (SHA-256 of the HTTP body, or of
everything received when it is not an HTTP reply); only its first 4 KiB are kept, to show.
The call log folds repeated calls: consecutive calls with the same text (export and arguments)
are one entry, shown as its first call, then "... this call N times in a row, B bytes in all:
RESULT xN" (--json: count, bytes, results). A failing call is never folded into a run.

Exit codes: 0 ok, 2 the handshake (or a call, or the socket) failed, 1 usage or local error.
See docs/server-operators.md for what each failure reason means.)";

struct Cli {
    std::string store, ca, groups, clientKeyFile, clientCertFile, connect, host, sendFile, httpGet, time;
    std::string verify = "7", policy = "compatible", pcap, keylog, dumpChain, firmware;
    std::vector<std::string> caFiles, crlFiles;
    std::int32_t clientId = -1;
    std::int32_t version = 0;
    int resume = 0;
    int timeout = 10;
    bool crlCheck = false, nonBlocking = false, json = false, trace = false, status = false, demo = false;
    bool strict = false;
};

struct UsageError {
    std::string message;
};

template <class T>
T need(Input<T> value)
{
    if (!value)
        throw UsageError{value.error().message};
    return std::move(*value);
}

void warnDebugOutputs(const nssl::Config& c)
{
    if (!c.pcapPath.empty())
        std::cerr << "nssl-probe: writing decrypted traffic (PCAP) to " << c.pcapPath << "\n";
    if (!c.keyLogPath.empty())
        std::cerr << "nssl-probe: WARNING: writing TLS secrets (key log) to " << c.keyLogPath
                  << " — anyone with this file can decrypt the captured traffic\n";
    if (!c.chainDumpDir.empty())
        std::cerr << "nssl-probe: writing peer chains (DER) to " << c.chainDumpDir << "/\n";
}

ProbeSettings buildSettings(const Cli& o)
{
    ProbeSettings s;
    if (!o.store.empty()) {
        auto loaded = certstore::loadPortableStore(platform::pathFromUtf8(o.store));
        if (!loaded)
            throw UsageError{fmt::format("--store {}: {}", o.store, loaded.error().message)};
        s.store = *loaded;
    }
    if (!o.ca.empty())
        s.caIds = need(parseIdList(o.ca));
    if (!o.groups.empty())
        s.groups = need(parseMask(o.groups, "--groups"));
    if ((!s.caIds.empty() || s.groups || o.clientId >= 0) && !s.store)
        throw UsageError{"--ca, --groups and --client-id need --store DIR (the portable store of dump_certs)"};
    for (const auto& f : o.caFiles)
        s.caFiles.push_back(need(readDerFile(f, "CERTIFICATE")));
    for (const auto& f : o.crlFiles)
        s.crls.push_back(need(readDerFile(f, "X509 CRL")));
    s.crlCheck = o.crlCheck;
    if (o.clientId >= 0)
        s.clientId = o.clientId;
    if (o.clientCertFile.empty() != o.clientKeyFile.empty())
        throw UsageError{"--client-cert and --client-key go together"};
    if (!o.clientCertFile.empty()) {
        if (s.clientId)
            throw UsageError{"--client-id and --client-cert exclude each other (one client certificate per context)"};
        s.clientCert = need(readDerFile(o.clientCertFile, "CERTIFICATE"));
        s.clientKey = need(readDerFile(o.clientKeyFile));
    }
    s.verify = need(parseMask(o.verify, "--verify"));
    s.version = o.version;
    s.config.versionPolicy = o.policy == "faithful" ? nssl::VersionPolicy::Faithful : nssl::VersionPolicy::Compatible;
    if (o.strict && !o.firmware.empty())
        throw UsageError{"--firmware and --strict exclude each other (--strict turns every firmware quirk off)"};
    if (!o.firmware.empty()) {
        auto firmware = tls::Firmware::parse(o.firmware);
        if (!firmware)
            throw UsageError{"--firmware: " + firmware.error()};
        s.config.firmware = *firmware;
    }
    s.config.strict = o.strict;
    s.config.blockingTimeout = std::chrono::seconds(o.timeout);
    s.ioTimeout = std::chrono::seconds(o.timeout);
    s.config.pcapPath = o.pcap;
    s.config.keyLogPath = o.keylog;
    s.config.chainDumpDir = o.dumpChain;
    auto [host, port] = need(parseHostPort(o.connect));
    s.connectHost = host;
    s.port = port;
    s.host = o.host.empty() ? host : o.host;
    if (!o.sendFile.empty() && !o.httpGet.empty())
        throw UsageError{"--send and --http-get exclude each other"};
    if (!o.sendFile.empty()) {
        std::string error;
        if (!Outgoing::open(o.sendFile, &error))  // checked now; sent from disk a chunk at a time
            throw UsageError{fmt::format("--send {}: {}", o.sendFile, error)};
        s.sendFile = o.sendFile;
    }
    if (!o.httpGet.empty())
        s.send = fmt::format("GET {} HTTP/1.0\r\nHost: {}\r\nUser-Agent: nssl-probe\r\nConnection: close\r\n\r\n",
                             o.httpGet, s.host);
    s.resume = o.resume;
    s.nonBlocking = o.nonBlocking;
    if (!o.time.empty())
        s.clock = need(parseWhen(o.time));
    return s;
}

int runProbeCommand(const Cli& o)
{
    const ProbeSettings settings = buildSettings(o);
    warnDebugOutputs(settings.config);
    ProbeObserver observer;
    if (!o.json) {
        observer.onCall = [](const CallRecord& c) { std::cout << callLine(c) << std::endl; };
        observer.onRun = [](const CallEntry& run) { std::cout << "  " << runLine(run) << std::endl; };
        observer.onNote = [](const std::string& n) { std::cout << "# " << n << std::endl; };
    }
    const ProbeReport report = runProbe(settings, observer);
    if (o.json) {
        auto j = toJson(report);
        if (o.status)
            j["status"] = report.statusTable;
        std::cout << j.dump(2) << "\n";
    } else {
        printSummary(std::cout, report);
        if (o.status)
            std::cout << "\n" << report.statusTable;
    }
    return report.ok() ? kExitOk : kExitFailure;
}

int run(int argc, char** argv)
{
    CLI::App app{"nssl-probe: test a TLS server the way a Wii U's NSSL sees it", "nssl-probe"};
    app.footer(kFooter);
    Cli o;
    app.add_flag("--demo", o.demo, "self-contained demo: in-memory PKI, local TLS server, the whole flow");
    app.add_option("--connect", o.connect, "server to connect to, HOST:PORT");
    app.add_option("--host", o.host, "name given to NSSLCreateConnection (SNI, name check); default: --connect's host");
    app.add_option("--store", o.store, "portable certificate store written by dump_certs");
    app.add_option("--ca", o.ca, "store CA IDs to add (NSSLAddServerPKI), e.g. 100,1001");
    app.add_option("--groups", o.groups, "NSSLAddServerPKIGroups mask (1 Nintendo, 2 commercial, 4 commercial 4096)");
    app.add_option("--ca-file", o.caFiles, "external CA, DER or PEM (NSSLAddServerPKIExternal); repeatable");
    app.add_option("--crl-file", o.crlFiles, "CRL, DER or PEM (NSSLAddCRLExternal); repeatable");
    app.add_flag("--crl-check", o.crlCheck, "NSSLContextSetFlags(0x1): check CRLs");
    app.add_option("--client-id", o.clientId, "client certificate ID of the store (NSSLSetClientPKI)");
    app.add_option("--client-cert", o.clientCertFile, "client certificate file, DER or PEM (NSSLSetClientPKIExternal)");
    app.add_option("--client-key", o.clientKeyFile, "its private key, DER or PEM (PKCS#1, PKCS#8 or SEC1)");
    app.add_option("--verify", o.verify, "NSSLCreateConnection options: 1 chain, 2 host name, 4 dates")
        ->capture_default_str();
    app.add_option("--version", o.version, "NSSLCreateContext argument: 0 auto, 1 TLS 1.0, 2 SSL 3.0")
        ->capture_default_str();
    app.add_option("--policy", o.policy, "version policy: compatible (TLS 1.0-1.2) or faithful (as the console)")
        ->check(CLI::IsMember({"faithful", "compatible"}))
        ->capture_default_str();
    app.add_option("--firmware", o.firmware,
                   "verify as a console of this firmware X.Y.Z does, quirks included (default 5.5.6)");
    app.add_flag("--strict", o.strict, "verify as plain X.509, without the console's quirks");
    app.add_option("--send", o.sendFile, "send this file after the handshake, then read until the server closes");
    app.add_option("--http-get", o.httpGet, "send 'GET PATH HTTP/1.0' with a Host header, read the reply");
    app.add_option("--resume", o.resume, "reconnect N times offering the session")->check(CLI::Range(0, 16));
    app.add_flag("--nonblocking", o.nonBlocking, "non-blocking socket and NSSL calls, waiting with select()");
    app.add_option("--time", o.time, "the console clock's reading: YYYY-MM-DD[THH:MM:SSZ] or Unix seconds");
    app.add_option("--timeout", o.timeout, "seconds a call may wait for the server")
        ->check(CLI::Range(1, 600))
        ->capture_default_str();
    app.add_flag("--json", o.json, "one JSON object on stdout (logs go to stderr)");
    app.add_flag("--trace", o.trace, "trace every export (nssl/nsysnet loggers at trace level, stderr)");
    app.add_flag("--status", o.status, "print the NSSL status table (before each connection is destroyed)");
    app.add_option("--pcap", o.pcap, "write the decrypted traffic as PCAP (synthetic TCP)");
    app.add_option("--keylog", o.keylog, "append SSLKEYLOGFILE lines (SECRET: decrypts captures)");
    app.add_option("--dump-chain", o.dumpChain, "write each peer chain as DER files into this folder");

    try {
        // UTF-8 on every host (Windows' argv is in the ANSI code page), as every path the probe
        // opens is read: with platform::pathFromUtf8, in the probe and in the library's Config.
        const platform::Utf8Argv args(argc, argv);
        app.parse(args.argc(), args.argv());
    } catch (const CLI::ParseError& e) {
        const int code = app.exit(e);
        return code == 0 ? kExitOk : kExitUsage;
    }
    if (o.trace) {
        log::setLevel(log::Channel::nssl, log::Level::trace);
        log::setLevel(log::Channel::nsysnet, log::Level::trace);
    }
    if (o.demo) {
        if (!o.connect.empty())
            throw UsageError{"--demo runs its own servers; it takes no --connect"};
        nssl::Config debugOutputs;
        debugOutputs.pcapPath = o.pcap;
        debugOutputs.keyLogPath = o.keylog;
        debugOutputs.chainDumpDir = o.dumpChain;
        warnDebugOutputs(debugOutputs);
        return runDemo({.json = o.json, .pcap = o.pcap, .keylog = o.keylog, .dumpChain = o.dumpChain}) ? kExitOk
                                                                                                       : kExitFailure;
    }
    if (o.connect.empty())
        throw UsageError{"--connect HOST:PORT is required (or --demo)"};
    return runProbeCommand(o);
}

}  // namespace

int main(int argc, char** argv)
{
    try {
        return run(argc, argv);
    } catch (const UsageError& e) {
        std::cerr << "nssl-probe: error: " << e.message << "\n";
        return kExitUsage;
    } catch (const std::exception& e) {
        std::cerr << "nssl-probe: error: " << e.what() << "\n";
        return kExitUsage;
    } catch (...) {
        std::cerr << "nssl-probe: error: unknown failure\n";
        return kExitUsage;
    }
}
