#include "demo.h"

#include <iostream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <wiiu_nssl/cert_store.h>
#include "demo_pki.h"
#include "demo_server.h"
#include "probe.h"
#include "report.h"

namespace wiiu::probe {

namespace {

constexpr std::int32_t kDemoRootId = 100;   // a group 0x1 ID, as the console's Nintendo CAs
constexpr std::int32_t kDemoClientId = 7;

certstore::Entry storeEntry(std::int32_t id, std::string name, certstore::Kind kind, std::uint32_t groups,
                            Bytes cert, Bytes key = {})
{
    certstore::Entry e;
    e.id = id;
    e.name = std::move(name);
    e.kind = kind;
    e.groups = groups;
    e.permissions.type = kind == certstore::Kind::Client ? certstore::kTypeClient : certstore::kTypeServer;
    e.permissions.properties = certstore::kPropExportable | (key.empty() ? 0 : certstore::kPropHasKey);
    e.certDer = std::move(cert);
    if (!key.empty())
        e.keyDer = certstore::SecretBytes(std::move(key));
    return e;
}

std::shared_ptr<const certstore::CertStore> demoStore(const DemoPki& pki)
{
    std::vector<certstore::Entry> entries;
    entries.push_back(storeEntry(kDemoClientId, "DEMO_CLIENT", certstore::Kind::Client, 0, pki.client.der,
                                 pki.client.key->sec1Der()));
    entries.push_back(storeEntry(kDemoRootId, "DEMO_ROOT_CA", certstore::Kind::ServerCa, 0x1, pki.root.der));
    auto store = certstore::CertStore::create(std::move(entries));
    if (!store)
        throw std::runtime_error("demo store: " + store.error().message);
    return *store;
}

struct Step {
    std::string title;
    ProbeSettings settings;
    std::string expectResult;       ///< "OK" or an NSSL error name
    std::string expectReasonWord;   ///< part of the failure reason
    bool expectResumed = false;
};

}  // namespace

bool runDemo(const DemoOptions& options)
{
    const bool text = !options.json;
    auto say = [&](const std::string& line) {
        if (text)
            std::cout << line << "\n";
    };

    say("== nssl-probe demo: a Wii U game's TLS calls, served by wiiu_nssl ==");
    say("Generating a demo PKI in memory (P-256 keys, ECDSA certificates)...");
    const DemoPki pki = makeDemoPki();
    const auto store = demoStore(pki);
    say(fmt::format("  store: CA {} DEMO_ROOT_CA (group 0x1), client {} DEMO_CLIENT", kDemoRootId, kDemoClientId));

    DemoServer server({.chain = {pki.server.der}, .key = pki.server.key.get(), .clientCa = &pki.root,
                       .name = "the demo server"});
    DemoServer rogue({.chain = {pki.rogueServer.der}, .key = pki.rogueServer.key.get(), .clientCa = nullptr,
                      .name = "a server with someone else's certificate"});
    say(fmt::format("  demo server (requires a client certificate) on 127.0.0.1:{}", server.port()));
    say(fmt::format("  untrusted server (certificate from another CA) on 127.0.0.1:{}", rogue.port()));

    auto base = [&](std::uint16_t port, std::string host) {
        ProbeSettings s;
        s.store = store;
        s.groups = 0x1;
        s.clientId = kDemoClientId;
        s.connectHost = "127.0.0.1";
        s.host = std::move(host);
        s.port = port;
        s.config.pcapPath = options.pcap;
        s.config.keyLogPath = options.keylog;
        s.config.chainDumpDir = options.dumpChain;
        s.ioTimeout = std::chrono::seconds(5);
        s.config.blockingTimeout = std::chrono::seconds(5);
        return s;
    };

    std::vector<Step> steps;
    {
        Step s{"1. HTTPS GET with a client certificate, then a reconnect that resumes the session",
               base(server.port(), "localhost"), "OK", "", true};
        s.settings.send = "GET /demo HTTP/1.0\r\nHost: localhost\r\n\r\n";
        s.settings.resume = 1;
        steps.push_back(std::move(s));
    }
    steps.push_back({"2. A server whose certificate comes from a CA the console does not trust",
                     base(rogue.port(), "localhost"), "NSSL_ERROR_HANDSHAKE_ERROR", "Untrusted"});
    steps.push_back({"3. The right server, but the game asked for another host name",
                     base(server.port(), "account.nintendo.net"), "NSSL_ERROR_HANDSHAKE_ERROR", "NameMismatch"});

    bool allOk = true;
    nlohmann::json out = nlohmann::json::array();
    for (const Step& step : steps) {
        say("\n== " + step.title + " ==");
        ProbeObserver observer;
        if (text) {
            observer.onCall = [](const CallRecord& c) { std::cout << "  " << callLine(c) << std::endl; };
            observer.onRun = [](const CallEntry& run) { std::cout << "    " << runLine(run) << std::endl; };
            observer.onNote = [](const std::string& n) { std::cout << "  # " << n << std::endl; };
        }
        const ProbeReport report = runProbe(step.settings, observer);
        bool ok = report.result == step.expectResult;
        if (!step.expectReasonWord.empty())
            ok = ok && report.reason.find(step.expectReasonWord) != std::string::npos;
        if (step.expectResumed)
            ok = ok && report.connections.size() == 2 && report.connections[1].resumed;
        if (text) {
            printSummary(std::cout, report);
            std::cout << (ok ? "  => as expected\n" : "  => UNEXPECTED (expected " + step.expectResult + ")\n");
        }
        auto j = toJson(report);
        j["step"] = step.title;
        j["expected"] = step.expectResult;
        j["as_expected"] = ok;
        out.push_back(j);
        allOk = allOk && ok;
    }
    if (options.json)
        std::cout << nlohmann::json{{"demo", out}, {"ok", allOk}}.dump(2) << "\n";
    else
        std::cout << "\n" << (allOk ? "demo: every step behaved as expected\n" : "demo: SOME STEPS FAILED\n");
    return allOk;
}

}  // namespace wiiu::probe
