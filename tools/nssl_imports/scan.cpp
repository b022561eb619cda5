#include "scan.h"

#include <algorithm>
#include <cctype>
#include <map>

namespace wiiu::imports {

Role roleOf(std::string_view library)
{
    if (library.ends_with(".rpl"))
        library.remove_suffix(4);
    if (library == "nsysnet" || library == "nn_nets2")
        return Role::Module;
    // Games reach NSSL through these: nlibcurl's TLS is NSSL's, and nn_olv (Miiverse) hands an
    // NSSL context to nlibcurl (docs/abi.md, the nlibcurl bridge in docs/embedding.md).
    if (library == "nlibcurl" || library == "nn_olv")
        return Role::ReachesNssl;
    return Role::Other;
}

std::string_view roleName(Role role)
{
    switch (role) {
    case Role::Module: return "module";
    case Role::ReachesNssl: return "reaches-nssl";
    case Role::Other: return "other";
    }
    return "other";
}

std::string_view statusName(Status status)
{
    switch (status) {
    case Status::Implemented: return "implemented";
    case Status::NotImplemented: return "not-implemented";
    case Status::Unknown: return "unknown";
    case Status::NotApplicable: return "";
    }
    return "";
}

FileReport classify(const std::filesystem::path& path, const rpl::Module& module, const guest::ImportTable& table)
{
    FileReport report;
    report.path = path;
    report.rpx = module.isRpx();
    std::map<std::string, LibraryImports> byName;
    for (const auto& im : module.imports) {
        auto& lib = byName[im.library];
        lib.name = im.library;
        lib.role = roleOf(im.library);
        ImportedSymbol symbol{im.name, im.data, Status::NotApplicable};
        if (lib.role == Role::Module) {
            const auto index = table.find(im.library, im.name);
            symbol.status = !index                           ? Status::Unknown
                            : table.entry(*index).implemented ? Status::Implemented
                                                              : Status::NotImplemented;
        }
        lib.symbols.push_back(std::move(symbol));
    }
    for (auto& [name, lib] : byName)
        report.libraries.push_back(std::move(lib));
    std::stable_sort(report.libraries.begin(), report.libraries.end(),
                     [](const LibraryImports& a, const LibraryImports& b) { return a.role < b.role; });
    return report;
}

std::vector<std::filesystem::path> filesToScan(const std::filesystem::path& path, std::string& error)
{
    namespace fs = std::filesystem;
    std::error_code ec;
    if (!fs::exists(path, ec)) {
        error = path.string() + ": no such file or folder";
        return {};
    }
    if (!fs::is_directory(path, ec))
        return {path};
    const auto modules = [&](const fs::path& folder) {
        std::vector<fs::path> found;
        for (const auto& entry : fs::directory_iterator(folder, ec)) {
            std::string ext = entry.path().extension().string();
            std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
            if (entry.is_regular_file(ec) && (ext == ".rpx" || ext == ".rpl"))
                found.push_back(entry.path());
        }
        std::sort(found.begin(), found.end());
        return found;
    };
    auto found = modules(path);
    if (found.empty() && fs::is_directory(path / "code", ec))
        found = modules(path / "code");
    if (found.empty())
        error = path.string() + ": no .rpx or .rpl files (give a title's folder, its code/ folder, or a file)";
    return found;
}

}  // namespace wiiu::imports
