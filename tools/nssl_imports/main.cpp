// nssl-imports: what a Wii U title imports from nsysnet and nn_nets2 (and the libraries that reach
// NSSL), and whether this module serves each import. Give it a title's folder, its code/ folder
// or any .rpx/.rpl.
//
// Exit codes: 0 every file read and every nsysnet/nn_nets2 import is implemented; 1 every file
// read, but some nsysnet/nn_nets2 import is not implemented or unknown to the module; 2 a file
// could not be read or was refused (truncated, or its contents lie); 64 nothing to scan.
// CLI11's own codes (100+) for bad arguments.
#include <cstdio>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <wiiu_nssl/import_table.h>

#include "rpl/file.h"
#include "rpl/reader.h"
#include "scan.h"

namespace {

using namespace wiiu::imports;

void printTable(const FileReport& r, bool all)
{
    if (!r.error.empty()) {
        fmt::print("{}: REFUSED: {}\n", r.path.string(), r.error);
        return;
    }
    std::size_t count = 0;
    for (const auto& lib : r.libraries)
        count += lib.symbols.size();
    fmt::print("{} ({}, {} imports from {} libraries)\n", r.path.string(), r.rpx ? "RPX" : "RPL", count,
               r.libraries.size());
    std::vector<std::string> others;
    for (const auto& lib : r.libraries) {
        if (lib.role == Role::Other && !all) {
            others.push_back(fmt::format("{} ({})", lib.name, lib.symbols.size()));
            continue;
        }
        for (const auto& s : lib.symbols)
            fmt::print("  {:<10} {:<36} {:<8} {}\n", lib.name, s.name, s.data ? "data" : "function",
                       lib.role == Role::Module ? statusName(s.status) : roleName(lib.role));
    }
    if (!others.empty())
        fmt::print("  other libraries: {}\n", fmt::join(others, ", "));
}

nlohmann::json toJson(const FileReport& r)
{
    nlohmann::json file{{"path", r.path.string()}};
    if (!r.error.empty()) {
        file["error"] = r.error;
        return file;
    }
    file["kind"] = r.rpx ? "rpx" : "rpl";
    file["libraries"] = nlohmann::json::array();
    for (const auto& lib : r.libraries) {
        nlohmann::json l{{"name", lib.name}, {"role", roleName(lib.role)}, {"imports", nlohmann::json::array()}};
        for (const auto& s : lib.symbols) {
            nlohmann::json sym{{"name", s.name}, {"kind", s.data ? "data" : "function"}};
            if (lib.role == Role::Module)
                sym["status"] = statusName(s.status);
            l["imports"].push_back(std::move(sym));
        }
        file["libraries"].push_back(std::move(l));
    }
    return file;
}

}  // namespace

int main(int argc, char** argv)
{
    CLI::App app{"Lists a Wii U title's imports and whether the wiiu_nssl module serves its nsysnet/nn_nets2 calls"};
    std::vector<std::string> paths;
    bool json = false, all = false;
    app.add_option("paths", paths, "a title's folder, its code/ folder, or .rpx/.rpl files")->required();
    app.add_flag("--json", json, "JSON on standard output");
    app.add_flag("--all", all, "list the imports of every library in the table, not only the NSSL-related ones");
    CLI11_PARSE(app, argc, argv);

    std::vector<FileReport> reports;
    for (const auto& p : paths) {
        std::string error;
        const auto files = filesToScan(p, error);
        if (files.empty()) {
            fmt::print(stderr, "nssl-imports: {}\n", error);
            return 64;
        }
        for (const auto& file : files) {
            FileReport refused;
            refused.path = file;
            if (auto bytes = wiiu::rpl::readFile(file); !bytes) {
                refused.error = bytes.error().message;
            } else if (auto module = wiiu::rpl::read(*bytes); !module) {
                refused.error = module.error().message;
            } else {
                reports.push_back(classify(file, *module, wiiu::importTable()));
                continue;
            }
            reports.push_back(std::move(refused));
        }
    }

    bool refused = false, unserved = false;
    for (const auto& r : reports) {
        refused |= !r.error.empty();
        for (const auto& lib : r.libraries)
            for (const auto& s : lib.symbols)
                unserved |= lib.role == Role::Module && s.status != Status::Implemented;
    }
    if (json) {
        nlohmann::json out{{"files", nlohmann::json::array()}};
        for (const auto& r : reports)
            out["files"].push_back(toJson(r));
        fmt::print("{}\n", out.dump(2));
    } else {
        for (const auto& r : reports)
            printTable(r, all);
    }
    for (const auto& r : reports)
        if (!r.error.empty())
            fmt::print(stderr, "nssl-imports: {}: {}\n", r.path.string(), r.error);
    return refused ? 2 : unserved ? 1 : 0;
}
