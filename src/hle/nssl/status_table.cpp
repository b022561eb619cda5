// The text table of <wiiu_nssl/inspection.h> (nssl::debug::formatStatusTable).
#include <wiiu_nssl/inspection.h>

#include <algorithm>

#include <fmt/format.h>

namespace wiiu::nssl::debug {

std::string versionName(std::uint16_t version)
{
    switch (version) {
    case 0:
        return "-";
    case 0x0300:
        return "SSL 3.0";
    case 0x0301:
        return "TLS 1.0";
    case 0x0302:
        return "TLS 1.1";
    case 0x0303:
        return "TLS 1.2";
    default:
        return fmt::format("{:#06x}", version);
    }
}

std::string formatStatusTable(const ServiceStatus& status)
{
    std::string out = fmt::format("NSSL status: {} context(s) [", status.contexts.size());
    for (std::size_t i = 0; i < status.contexts.size(); ++i)
        out += fmt::format("{}{}", i ? " " : "", status.contexts[i]);
    out += fmt::format("], {} connection(s), {} session(s)\n", status.connections.size(), status.sessions);
    if (status.connections.empty())
        return out;

    // Column widths follow the data so long host names stay readable.
    std::size_t hostWidth = 4, suiteWidth = 5;
    for (const auto& c : status.connections) {
        hostWidth = std::max(hostWidth, c.host.size());
        suiteWidth = std::max(suiteWidth, c.suite.size());
    }
    out += fmt::format("  {:>4}  {:<{}}  {:<11}  {:<7}  {:<{}}  {:<7}  {:>10}  {:>10}  {}\n", "conn", "host",
                       hostWidth, "state", "version", "suite", suiteWidth, "resumed", "read", "written",
                       "last error");
    for (const auto& c : status.connections) {
        out += fmt::format("  {:>4}  {:<{}}  {:<11}  {:<7}  {:<{}}  {:<7}  {:>10}  {:>10}  {}\n", c.handle, c.host,
                           hostWidth, c.state, versionName(c.version), c.suite.empty() ? "-" : c.suite, suiteWidth,
                           c.resumed ? "yes" : "no", c.bytesRead, c.bytesWritten,
                           c.lastError.empty() ? "-" : c.lastError);
    }
    return out;
}

}  // namespace wiiu::nssl::debug
