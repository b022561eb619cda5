// The import table: every export the module knows, by library and name. An emulator resolves a
// guest module's imports once (find), then dispatches each guest call by index (call).
#pragma once

#include <wiiu_nssl/language.h>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <wiiu_nssl/log.h>

#include <wiiu_nssl/call_frame.h>

namespace wiiu::guest {

class Call;  // what an export function receives (the module's own hle/guest/call.h)

/// The host side of one export. Reads its arguments from the call and writes the result to r3.
using HostFunction = void (*)(Call&);

/// Why an export gives its failure result instead of doing its work.
struct CallFailure {
    enum Kind { NotImplemented, OutOfMemory, Exception } kind;
    std::string_view what;  ///< the exception's message (empty for NotImplemented)
};

/// Writes the export's documented failure result for `why` (r3, and the library's per-thread
/// error) and reports it. Must not throw: it runs where an exception already stopped the export.
using FailFunction = void (*)(Call&, CallFailure) noexcept;

/// Which part of the module serves an export. An emulator that keeps its own nsysnet (a Process
/// made with a SocketProvider, <wiiu_nssl/socket_provider.h>) registers the Nssl part only, and
/// its own socket exports stay as they are.
enum class ExportPart {
    Nssl,     ///< NSSL* of nsysnet.rpl and nn_nets2.rpl
    Sockets,  ///< every other export: sockets, the resolver, byte order, network configuration
};

struct ExportEntry {
    std::string library;  ///< "nsysnet", "nn_nets2" (without ".rpl")
    std::string name;     ///< the export's symbol name, e.g. "NSSLRead"
    HostFunction function = nullptr;
    bool implemented = false;  ///< false: the function logs once per process and returns a documented error
    FailFunction fail = nullptr;  ///< the documented failure; null: r3 = -1, logged on every failure
    log::Channel channel = log::Channel::guest;  ///< where traces and failures of this export are logged
    ExportPart part = ExportPart::Sockets;
};

struct ExportList;  // the module's registration (src/hle/guest/export_list.h)

class ImportTable {
public:
    /// The export's index; `library` may carry the ".rpl" suffix. Nothing when unknown.
    std::optional<ExportIndex> find(std::string_view library, std::string_view name) const;

    /// Runs export `index` for `process` with the registers in `frame`; the result is in r3.
    /// The call holds a share of the process's state until it returns, so destroying the Process
    /// meanwhile (from another thread or fiber) never frees what the call still uses.
    /// An index the table never returned is refused (false) and logged: that is an emulator bug.
    /// No exception leaves: one thrown by the export (out of memory, a hook, Asio) becomes the
    /// export's failure result through its entry's `fail`, and the call still counts as made.
    bool call(ExportIndex index, const ProcessHandle& process, GuestMemory& memory, CallFrame& frame) const;
    /// The same in the guest memory the process shares (ProcessHandle::memory()), of which the
    /// call holds a share too. Refused (false) and logged when the process shares none.
    bool call(ExportIndex index, const ProcessHandle& process, CallFrame& frame) const;

    const ExportEntry& entry(ExportIndex index) const { return entries_.at(index); }
    /// Every export, in index order: entries()[i] is the export whose ExportIndex is i, so a
    /// host can register one handler per element without calling find() again.
    std::span<const ExportEntry> entries() const { return entries_; }

    /// "library name implemented|not implemented" lines plus a count per library.
    std::string coverageReport() const;

private:
    friend class ImportTableBuilder;  // the module's own registration, at start-up only
    /// Registers an export; names are unique per library. Returns its stable index.
    ExportIndex add(ExportEntry entry);
    /// Registers every export of `list`; one without a function answers its failure result
    /// (CallFailure::NotImplemented) on every call.
    void add(const ExportList& list);

    static std::string key(std::string_view library, std::string_view name);
    static void recover(Call& call, CallFailure why) noexcept;

    std::vector<ExportEntry> entries_;
    std::unordered_map<std::string, ExportIndex> byName_;
};

}  // namespace wiiu::guest

namespace wiiu {

/// The module's import table: every export of nsysnet.rpl and nn_nets2.rpl, implemented or not.
/// Built on first use (thread-safe) and immutable afterwards.
const guest::ImportTable& importTable();

/// How many exports importTable() holds, implemented or not: a size known at compile time for an
/// emulator's own table of one handler per ExportIndex (importTable().entries().size() is this).
/// It grows when an export is added (a minor version); indices are stable within one build only.
inline constexpr std::size_t kExportCount = 182;

}  // namespace wiiu
