// What dump_certs prints about a store: a table for people, JSON for scripts.
#pragma once

#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

#include <wiiu_nssl/cert_store.h>

namespace wiiu::dump_certs {

struct Row {
    std::int32_t id = 0;
    std::string name;
    std::string kind;
    std::string subject;
    std::string notAfter;   ///< ISO 8601
    std::string sha1;
    std::string knownSha1;  ///< "yes", "no" or "unknown" (no fingerprint known for this ID)
};

struct Report {
    std::string mode;   ///< "dump" or "verify"
    std::string store;  ///< folder written or verified
    std::vector<Row> rows;
    std::vector<std::int32_t> missingKnown;  ///< known IDs the store lacks
    std::vector<std::string> warnings;
};

/// One row per entry (the certificates are parsed again for subject and dates).
Report buildReport(const certstore::CertStore& store, std::string mode, std::string folder);

void printTable(std::ostream& out, const Report& report);
void printJson(std::ostream& out, const Report& report);
void printJsonError(std::ostream& out, const std::string& mode, const std::string& message);

}  // namespace wiiu::dump_certs
