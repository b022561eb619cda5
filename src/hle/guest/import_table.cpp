#include <wiiu_nssl/import_table.h>

#if defined(__GLIBCXX__)
#include <cxxabi.h>  // abi::__forced_unwind: libstdc++'s thread cancellation (MSVC has neither)
#endif

#include <map>
#include <new>
#include <stdexcept>

#include <fmt/format.h>

#include "hle/guest/call.h"
#include "hle/guest/export_list.h"
#include "common/log.h"

namespace wiiu::guest {

namespace {

std::string_view withoutRplSuffix(std::string_view library)
{
    constexpr std::string_view suffix = ".rpl";
    if (library.size() > suffix.size() && library.substr(library.size() - suffix.size()) == suffix)
        library.remove_suffix(suffix.size());
    return library;
}

}  // namespace

std::string ImportTable::key(std::string_view library, std::string_view name)
{
    return fmt::format("{}\n{}", withoutRplSuffix(library), name);
}

ExportIndex ImportTable::add(ExportEntry entry)
{
    // Registration happens once at start-up from the module's own code; a duplicate is a bug in
    // that code, not guest input, so it is reported loudly.
    auto [it, inserted] = byName_.emplace(key(entry.library, entry.name), static_cast<ExportIndex>(entries_.size()));
    if (!inserted)
        throw std::logic_error(fmt::format("export {}::{} registered twice", entry.library, entry.name));
    entries_.push_back(std::move(entry));
    return it->second;
}

namespace {

void notImplemented(Call& call)
{
    call.exportEntry().fail(call, {CallFailure::NotImplemented, {}});
}

}  // namespace

void ImportTable::add(const ExportList& list)
{
    for (const ExportDef& e : list.exports)
        add({.library = std::string(list.library),
             .name = std::string(e.name),
             .function = e.function ? e.function : notImplemented,
             .implemented = e.function != nullptr,
             .fail = e.fail ? e.fail : list.fail,
             .channel = list.channel,
             .part = list.part});
}

std::optional<ExportIndex> ImportTable::find(std::string_view library, std::string_view name) const
{
    auto it = byName_.find(key(library, name));
    if (it == byName_.end())
        return std::nullopt;
    return it->second;
}

bool ImportTable::call(ExportIndex index, const ProcessHandle& process, GuestMemory& memory, CallFrame& frame) const
{
    if (index >= entries_.size()) {
        log::guest().error("import table: call of unknown export index {}", index);
        return false;
    }
    const ExportEntry& entry = entries_[index];
    const std::shared_ptr<ProcessState> state = process.state();  // lives as long as the call
    Call call(*state, memory, frame, entry, index);
    // Zero-cost while nothing throws (table-driven unwinding): the happy path pays nothing here.
    try {
        entry.function(call);
#if defined(__GLIBCXX__)
    } catch (const abi::__forced_unwind&) {
        throw;  // thread cancellation must keep unwinding
#endif
    } catch (const std::bad_alloc& e) {
        recover(call, {CallFailure::OutOfMemory, e.what()});
    } catch (const std::exception& e) {
        recover(call, {CallFailure::Exception, e.what()});
    } catch (...) {
        recover(call, {CallFailure::Exception, "an exception of unknown type"});
    }
    return true;
}

bool ImportTable::call(ExportIndex index, const ProcessHandle& process, CallFrame& frame) const
{
    const std::shared_ptr<GuestMemory> memory = process.memory();  // lives as long as the call
    if (!memory) {
        log::guest().error("import table: a call without guest memory for a process that shares none");
        return false;
    }
    return call(index, process, *memory, frame);
}

void ImportTable::recover(Call& call, CallFailure why) noexcept
{
    const ExportEntry& entry = call.exportEntry();
    if (entry.fail)
        return entry.fail(call, why);
    call.frame().setResult(static_cast<std::uint32_t>(-1));
    try {
        log::get(entry.channel).error("{}::{} failed on the host: {}", entry.library, entry.name, why.what);
    } catch (...) {
        // Nothing left to tell it with; the guest has its result.
    }
}

std::string ImportTable::coverageReport() const
{
    std::map<std::string, std::pair<int, int>> counts;  // library -> (implemented, total)
    std::string out;
    for (const ExportEntry& e : entries_) {
        out += fmt::format("{:<10} {:<40} {}\n", e.library, e.name, e.implemented ? "implemented" : "not implemented");
        auto& [done, total] = counts[e.library];
        done += e.implemented ? 1 : 0;
        ++total;
    }
    for (const auto& [library, c] : counts)
        out += fmt::format("{}: {} of {} exports implemented\n", library, c.first, c.second);
    return out;
}

}  // namespace wiiu::guest
