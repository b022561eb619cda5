// What a title imports, per library, and whether the module serves it: the import scanner's model.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include <wiiu_nssl/import_table.h>

#include "rpl/module.h"

namespace wiiu::imports {

/// How a library relates to the module.
enum class Role {
    Module,      ///< nsysnet, nn_nets2: the module serves their exports
    ReachesNssl, ///< nlibcurl, nn_olv: libraries that make TLS connections through NSSL
    Other,
};

/// For a Role::Module library's import: what the module does with it.
enum class Status { Implemented, NotImplemented, Unknown, NotApplicable };

struct ImportedSymbol {
    std::string name;
    bool data = false;
    Status status = Status::NotApplicable;
};

struct LibraryImports {
    std::string name;
    Role role = Role::Other;
    std::vector<ImportedSymbol> symbols;
};

struct FileReport {
    std::filesystem::path path;
    bool rpx = false;
    std::vector<LibraryImports> libraries;  ///< the module's first, then those reaching NSSL, then the rest
    std::string error;                      ///< non-empty: the file was refused (and why)
};

Role roleOf(std::string_view library);
std::string_view roleName(Role role);
std::string_view statusName(Status status);

/// Classifies the imports of a module the reader accepted.
FileReport classify(const std::filesystem::path& path, const rpl::Module& module, const guest::ImportTable& table);

/// The files to scan for `path`: the file itself, or a folder's .rpx/.rpl files (a title's
/// folder: its code/ subfolder). Sorted by name. Empty with `error` set when there are none.
std::vector<std::filesystem::path> filesToScan(const std::filesystem::path& path, std::string& error);

}  // namespace wiiu::imports
