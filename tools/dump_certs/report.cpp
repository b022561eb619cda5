#include "report.h"

#include <algorithm>
#include <iomanip>

#include <nlohmann/json.hpp>

#include "certstore/known_certs.h"
#include "pki/encoding.h"
#include "pki/x509.h"

namespace wiiu::dump_certs {

Report buildReport(const certstore::CertStore& store, std::string mode, std::string folder)
{
    Report r{std::move(mode), std::move(folder), {}, {}, {}};
    for (const certstore::Entry& e : store.entries()) {
        Row row;
        row.id = e.id;
        row.name = e.name;
        row.kind = std::string(certstore::kindName(e.kind));
        row.sha1 = pki::toHex(pki::sha1(e.certDer));
        if (auto cert = pki::parseCertificate(e.certDer)) {
            row.subject = cert->subjectText();
            row.notAfter = pki::formatTime(cert->notAfter);
        } else {
            row.subject = "(unparsable)";
        }
        const certstore::KnownCert* known = certstore::findKnown(e.id);
        row.knownSha1 = !known || known->sha1.empty() ? "unknown" : known->sha1 == row.sha1 ? "yes" : "no";
        if (row.knownSha1 == "no")
            r.warnings.push_back("ID " + std::to_string(e.id) + " (" + e.name +
                                 "): SHA-1 differs from the console's known fingerprint");
        r.rows.push_back(std::move(row));
    }
    for (const certstore::KnownCert& k : certstore::knownCerts())
        if (!store.find(k.id)) r.missingKnown.push_back(k.id);
    return r;
}

void printTable(std::ostream& out, const Report& report)
{
    std::size_t nameWidth = 4, subjectWidth = 7;
    for (const Row& row : report.rows) {
        nameWidth = std::max(nameWidth, row.name.size());
        subjectWidth = std::max(subjectWidth, std::min<std::size_t>(row.subject.size(), 60));
    }
    auto cell = [&](const std::string& s, std::size_t w) {
        out << std::left << std::setw(static_cast<int>(w)) << (s.size() > w ? s.substr(0, w - 3) + "..." : s) << "  ";
    };
    out << std::left << std::setw(6) << "ID" << "  ";
    cell("NAME", nameWidth);
    cell("KIND", 6);
    cell("SUBJECT", subjectWidth);
    cell("VALID UNTIL", 20);
    out << "KNOWN SHA-1\n";
    for (const Row& row : report.rows) {
        out << std::left << std::setw(6) << row.id << "  ";
        cell(row.name, nameWidth);
        cell(row.kind, 6);
        cell(row.subject, subjectWidth);
        cell(row.notAfter, 20);
        out << row.knownSha1 << "\n";
    }
    out << "\n" << report.rows.size() << " certificates " << (report.mode == "dump" ? "written to " : "verified in ")
        << report.store << "\n";
    if (!report.missingKnown.empty()) {
        out << "Known IDs not in this store:";
        for (auto id : report.missingKnown) out << " " << id;
        out << "\n";
    }
    for (const std::string& w : report.warnings) out << "warning: " << w << "\n";
}

void printJson(std::ostream& out, const Report& report)
{
    nlohmann::ordered_json rows = nlohmann::ordered_json::array();
    for (const Row& row : report.rows)
        rows.push_back({{"id", row.id},
                        {"name", row.name},
                        {"kind", row.kind},
                        {"subject", row.subject},
                        {"not_after", row.notAfter},
                        {"sha1", row.sha1},
                        {"known_sha1", row.knownSha1}});
    nlohmann::ordered_json doc = {{"ok", true},
                                  {"mode", report.mode},
                                  {"store", report.store},
                                  {"entries", rows},
                                  {"missing_known_ids", report.missingKnown},
                                  {"warnings", report.warnings}};
    out << doc.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) << "\n";
}

void printJsonError(std::ostream& out, const std::string& mode, const std::string& message)
{
    nlohmann::ordered_json doc = {{"ok", false}, {"mode", mode}, {"error", message}};
    out << doc.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) << "\n";
}

}  // namespace wiiu::dump_certs
