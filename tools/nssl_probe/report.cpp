#include "report.h"

#include <fmt/format.h>

#include <wiiu_nssl/inspection.h>

namespace wiiu::probe {

std::string protocolName(std::uint16_t version)
{
    return nssl::debug::versionName(version);
}

namespace {

void printChain(std::ostream& out, const std::vector<PeerCert>& chain)
{
    if (chain.empty()) {
        out << "  peer chain: none received\n";
        return;
    }
    out << "  peer chain (" << chain.size() << " certificate" << (chain.size() == 1 ? "" : "s") << ", leaf first):\n";
    for (std::size_t i = 0; i < chain.size(); ++i) {
        const auto& c = chain[i];
        out << fmt::format("    [{}] subject: {}\n        issuer:  {}\n        valid:   {} .. {}\n"
                           "        sha256:  {}\n",
                           i, c.subject, c.issuer, c.notBefore, c.notAfter, c.sha256);
    }
}

void printReceived(std::ostream& out, const ConnectionReport& c)
{
    const Received& r = c.received;
    out << fmt::format("  application data: {} bytes sent, {} bytes received\n", c.bytesSent, r.size());
    if (const std::string status = r.statusLine(); !status.empty())
        out << "  reply: " << printable(status) << "\n";
    out << fmt::format("  sha256 of {}: {}\n",
                       r.hashesBody() ? fmt::format("the body ({} bytes)", r.bodySize()) : std::string("all of it"),
                       r.sha256());
    if (r.size() == 0)
        return;
    out << fmt::format("  first {} bytes{}:\n", r.kept().size(),
                       r.kept().size() < r.size() ? " (the rest was counted and hashed, not kept)" : "");
    for (std::string_view text = r.kept(); !text.empty();) {
        const std::size_t newline = text.find('\n');
        std::string_view line = text.substr(0, newline);
        text.remove_prefix(newline == text.npos ? text.size() : newline + 1);
        if (line.ends_with('\r'))
            line.remove_suffix(1);
        out << "    | " << printable(line) << "\n";
    }
}

std::string verifiedAs(const ProbeReport& report)
{
    return report.firmware ? "firmware " + *report.firmware : std::string("--strict (no console quirks)");
}

nlohmann::json quirkArray(std::uint32_t quirks)
{
    auto out = nlohmann::json::array();
    for (std::uint32_t bit : {tls::quirk::ForgedCa, tls::quirk::BareWildcardName, tls::quirk::RootInChainIgnored})
        if (quirks & bit) out.push_back(tls::quirkNames(bit));
    return out;
}

nlohmann::json receivedJson(const Received& r)
{
    using nlohmann::json;
    return {{"bytes", r.size()},
            {"http_status", r.statusLine().empty() ? json(nullptr) : json(printable(r.statusLine()))},
            {"body_bytes", r.hashesBody() ? json(r.bodySize()) : json(nullptr)},
            {"sha256", r.sha256()},
            {"sha256_of", r.hashesBody() ? "body" : "all"},
            {"kept_bytes", r.kept().size()},
            {"kept", printable(r.kept())}};
}

/// One entry of the folded call log: its first call as before, and what the run added up to.
nlohmann::json callJson(const CallEntry& c)
{
    nlohmann::json j{{"call", c.first.text}, {"result", c.first.result}, {"result_name", c.first.resultName},
                     {"count", c.count}, {"results", c.results}};
    if (c.dataCall())
        j["bytes"] = c.bytes;
    return j;
}

}  // namespace

std::string runLine(const CallEntry& run)
{
    std::string results;
    for (const auto& [name, count] : run.results)
        results += fmt::format("{}{} x{}", results.empty() ? "" : ", ", name, count);
    return fmt::format("... this call {} times in a row{}: {}", run.count,
                       run.dataCall() ? fmt::format(", {} bytes in all", run.bytes) : std::string(), results);
}

std::string callLine(const CallRecord& call)
{
    return fmt::format("{} -> {}{}", call.text, call.resultName,
                       call.bytes ? fmt::format(" ({} bytes)", *call.bytes) : std::string());
}

std::string verdictLine(const ProbeReport& report)
{
    if (report.connections.empty() || report.connections.front().result != "OK")
        return fmt::format("verdict on {}: refused ({})", verifiedAs(report),
                           report.failure.empty() ? report.result : report.failure);
    const std::uint32_t quirks = report.connections.front().quirks;
    if (!quirks)
        return fmt::format("verdict on {}: accepted by plain X.509 (no console quirk needed)", verifiedAs(report));
    return fmt::format("verdict on {}: accepted through {}: {}", verifiedAs(report), tls::quirkNames(quirks),
                       tls::quirkExplanation(quirks));
}

void printSummary(std::ostream& out, const ProbeReport& report)
{
    out << "\n";
    for (std::size_t i = 0; i < report.connections.size(); ++i) {
        const auto& c = report.connections[i];
        out << (i == 0 ? std::string("connection") : fmt::format("reconnect {}", i)) << ": ";
        if (c.result == "OK")
            out << fmt::format("handshake OK, {} {}{}\n", protocolName(c.version), c.suite,
                               i > 0 ? (c.resumed ? ", session RESUMED" : ", full handshake (not resumed)") : "");
        else
            out << fmt::format("FAILED {} ({})\n  failure: {}\n  reason: {}\n", c.result, c.code,
                               c.failure.empty() ? "-" : c.failure, c.reason);
        if (i == 0 || c.result != "OK")
            printChain(out, c.peerChain);
        if (i == 0 && c.exchanged)
            printReceived(out, c);
    }
    out << verdictLine(report) << "\n";
    out << (report.ok() ? std::string("result: OK\n")
                        : fmt::format("result: {} ({}): {}\n", report.result, report.code, report.reason));
}

nlohmann::json toJson(const ProbeReport& report)
{
    using nlohmann::json;
    json j;
    j["result"] = report.result;
    j["code"] = report.code;
    j["reason"] = report.reason;
    j["failure"] = report.failure;
    const ConnectionReport first = report.connections.empty() ? ConnectionReport{} : report.connections.front();
    j["version"] = first.version;
    j["version_name"] = first.version ? protocolName(first.version) : "";
    j["suite"] = first.suite;
    json chain = json::array();
    for (const auto& c : first.peerChain)
        chain.push_back({{"subject", c.subject}, {"issuer", c.issuer}, {"not_before", c.notBefore},
                         {"not_after", c.notAfter}, {"sha256", c.sha256}});
    j["peer_chain"] = chain;
    json resumed = json::array();
    for (std::size_t i = 1; i < report.connections.size(); ++i)
        resumed.push_back(report.connections[i].resumed);
    j["resumed"] = resumed;
    j["bytes_sent"] = first.bytesSent;
    j["bytes_read"] = first.received.size();
    j["received"] = first.exchanged ? receivedJson(first.received) : json(nullptr);
    j["firmware"] = report.firmware ? json(*report.firmware) : json(nullptr);
    j["strict"] = !report.firmware;
    j["quirks"] = quirkArray(first.quirks);
    j["quirk_note"] = tls::quirkExplanation(first.quirks);
    j["verdict"] = verdictLine(report);
    json connections = json::array();
    for (const auto& c : report.connections)
        connections.push_back({{"result", c.result}, {"code", c.code}, {"reason", c.reason}, {"failure", c.failure},
                               {"version", c.version}, {"suite", c.suite}, {"resumed", c.resumed},
                               {"bytes_sent", c.bytesSent}, {"bytes_read", c.received.size()},
                               {"quirks", quirkArray(c.quirks)}});
    j["connections"] = connections;
    json calls = json::array();
    for (const auto& c : report.calls)
        calls.push_back(callJson(c));
    j["calls"] = calls;
    return j;
}

}  // namespace wiiu::probe
