// How the module fills its import table: each exports file lists its library's exports once
// (ExportDef, written with the WIIU_EXPORT* macros) and registers the list through an
// ImportTableBuilder. Private: an emulator only reads the table (<wiiu_nssl/import_table.h>).
#pragma once

#include <span>
#include <string_view>

#include <wiiu_nssl/import_table.h>

namespace wiiu::guest {

/// One export as its library lists it: the symbol's name, written once (the macros below take
/// it from the function's own name), and the typed function; no function = not implemented.
struct ExportDef {
    std::string_view name;
    HostFunction function = nullptr;
    FailFunction fail = nullptr;  ///< null: the list's default failure
};

/// An exports file's list, registered as a whole: every export of it is known to the import
/// table, implemented or not, so the coverage report needs no second list of names.
struct ExportList {
    ExportPart part;
    std::string_view library;         ///< "nsysnet", "nn_nets2"
    log::Channel channel;             ///< where its traces go
    FailFunction fail;                ///< failure result of its exports (not implemented, host failure)
    std::span<const ExportDef> exports;
};

/// The only way to add to an ImportTable: the module's registerExports functions, and tests.
class ImportTableBuilder {
public:
    explicit ImportTableBuilder(ImportTable& table) : table_(table) {}

    /// Registers an export; names are unique per library. Returns its stable index.
    ExportIndex add(ExportEntry entry) { return table_.add(std::move(entry)); }
    /// Registers every export of `list`; one without a function answers its failure result
    /// (CallFailure::NotImplemented) on every call.
    void add(const ExportList& list) { table_.add(list); }

private:
    ImportTable& table_;
};

}  // namespace wiiu::guest

// The macros below expand to export_fn, the typed marshaling of hle/guest/marshal.h.
/// An implemented export, named by its function: WIIU_EXPORT(NSSLRead).
#define WIIU_EXPORT(function) ::wiiu::guest::ExportDef{#function, &::wiiu::guest::export_fn<function>}
/// An implemented export whose failure result differs from its list's.
#define WIIU_EXPORT_FAILING(function, fail) \
    ::wiiu::guest::ExportDef{#function, &::wiiu::guest::export_fn<function>, fail}
/// An export whose C++ name cannot be the symbol's (htonl is a host macro).
#define WIIU_EXPORT_AS(symbol, function) ::wiiu::guest::ExportDef{symbol, &::wiiu::guest::export_fn<function>}
#define WIIU_EXPORT_AS_FAILING(symbol, function, fail) \
    ::wiiu::guest::ExportDef{symbol, &::wiiu::guest::export_fn<function>, fail}
/// An export the console has and the module does not implement (yet).
#define WIIU_NOT_IMPLEMENTED(symbol) ::wiiu::guest::ExportDef{symbol, nullptr}
#define WIIU_NOT_IMPLEMENTED_FAILING(symbol, fail) ::wiiu::guest::ExportDef{symbol, nullptr, fail}
