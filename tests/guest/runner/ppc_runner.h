// Runs PowerPC guest programs (RPX files) under Unicorn against the module's import table, the
// way an emulator's CPU core and loader would: the loader reads the RPX (src/rpl/), places its
// code and data sections, binds each import by (library, name) to a `blr` stub of its own, applies
// the relocations, and a UC_HOOK_CODE hook on the stub range turns each call into
// ImportTable::call; the guest's own `blr` returns. The runner serves a few imports itself,
// apart from the module: coreinit's exit and OSReport, and the "host" instrumentation. Several
// guest threads run at once on separate Unicorn instances (one per host thread) sharing one
// guest memory block and one Process.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "hle/guest/call.h"
#include <wiiu_nssl/guest_memory.h>
#include <wiiu_nssl/hooks.h>
#include <wiiu_nssl/import_table.h>
#include <wiiu_nssl/process.h>

struct uc_struct;  // <unicorn/unicorn.h>: uc_engine

namespace wiiu::test::ppc {

/// The guest address map (one block mapped at kMapStart; the page at 0 stays unmapped).
struct Layout {
    static constexpr guest::GuestAddress kMapStart = 0x00001000;   ///< NULL page unmapped
    static constexpr std::uint32_t kMemorySize = 32u << 20;         ///< guest memory 0..32 MiB
    static constexpr guest::GuestAddress kExit = 0x00E00000;        ///< LR at entry: the run ends here
    static constexpr guest::GuestAddress kStubs = 0x00F00000;       ///< one `blr` per import, stride 8
    static constexpr std::uint32_t kStubStride = 8;
    static constexpr std::uint32_t kMaxImports = 0x1000 / kStubStride;
    static constexpr guest::GuestAddress kProgram = 0x01000000;     ///< code, then data (loader's choice)
    static constexpr std::uint32_t kMaxProgram = 0x00100000;
    static constexpr guest::GuestAddress kData = 0x01100000;        ///< test data (alloc)
    static constexpr guest::GuestAddress kStacks = 0x01800000;      ///< guest thread stacks
    static constexpr std::uint32_t kStackSize = 0x40000;
    static constexpr unsigned kMaxThreads = 16;
    static constexpr guest::GuestAddress kHeap = 0x01C00000;        ///< the hooks' guest heap
};

/// A host function a program may import from the pseudo-library "host" (test instrumentation such
/// as a barrier between guest threads, and the benchmark's baseline). It reads and writes the
/// frame like an export. An empty function is a stub whose hook does nothing at all.
using HostImport = std::function<void(guest::CallFrame&)>;

/// How one guest thread ended.
struct RunResult {
    bool ok = false;           ///< reached the exit address
    std::string error;         ///< Unicorn error or dispatch failure, with PC
    std::uint32_t r3 = 0;      ///< guest_main's return value (the verdict), or exit's status
    bool exited = false;       ///< ended through coreinit's exit (else by returning)
    std::uint64_t calls = 0;   ///< import calls dispatched
    std::chrono::nanoseconds elapsed{};  ///< time inside uc_emu_start
};

/// One guest thread to run: its entry arguments and identity.
struct ThreadSpec {
    std::uint32_t r3 = 0;                ///< first argument (the program's parameter block)
    std::uint32_t r4 = 0;
    guest::GuestThreadId thread = 0;     ///< CallFrame::thread (0: derived from the slot)
};

class PpcRunner {
public:
    struct Settings {
        std::shared_ptr<const certstore::CertStore> store;
        nssl::Config nssl;
        const guest::ImportTable* table = nullptr;  ///< default: wiiu::importTable()
    };

    explicit PpcRunner(Settings settings);
    ~PpcRunner();
    PpcRunner(const PpcRunner&) = delete;
    PpcRunner& operator=(const PpcRunner&) = delete;

    /// Registers or replaces a "host" library import (before load()). Defaults: host_nop (empty),
    /// host_echo (returns r3), host_barrier (returns 0 at once).
    void addHostImport(std::string name, HostImport function);

    /// Loads an RPX as a loader does: checks it (rpl::read), places its code and data sections
    /// from kProgram on, zeroes .bss, binds every import to a stub of its own through the import
    /// table (or the runner's own imports) and applies the relocations. False with the reason
    /// (the reader's message, an unresolved import, a relocation it cannot apply).
    bool load(const std::filesystem::path& rpx, std::string* why);
    bool load(std::span<const std::uint8_t> rpx, std::string* why);

    /// Runs guest_main on a fresh Unicorn instance on the calling thread, with stack slot `slot`.
    RunResult run(const ThreadSpec& spec, unsigned slot = 0);
    /// Runs each spec on its own host thread and Unicorn instance at once; results in order.
    std::vector<RunResult> runConcurrently(const std::vector<ThreadSpec>& specs);

    /// Called before every dispatched export, with the export's index and the frame it gets
    /// (an emulator's trace hook). Set it before running; it must be thread-safe.
    void setObserver(std::function<void(guest::ExportIndex, const guest::CallFrame&)> observer)
    {
        observer_ = std::move(observer);
    }

    Process& process() { return *process_; }
    guest::GuestMemory& memory() { return memory_; }
    const guest::ImportTable& table() const { return table_; }

    /// `size` zeroed bytes of test data memory (8-aligned), for parameter blocks and buffers.
    guest::GuestAddress alloc(std::uint32_t size);
    guest::GuestAddress putBytes(std::span<const std::uint8_t> bytes);
    std::byte* host(guest::GuestAddress address) { return ram_.get() + address; }
    std::uint32_t loadBe32(guest::GuestAddress address) const;
    void storeBe32(guest::GuestAddress address, std::uint32_t value);

    /// One bound import: its stub is kStubs + kStubStride * (its position in imports()).
    struct Import {
        std::string library, name;
        std::optional<guest::ExportIndex> index;  ///< an import table export
        HostImport host;                          ///< or one of the runner's own
        bool isHost = false;
        bool isExit = false;                      ///< coreinit's exit: ends the guest thread
    };
    const std::vector<Import>& imports() const { return imports_; }
    guest::GuestAddress entry() const { return entry_; }

    /// What the guest printed with OSReport, one line per call (the format expanded).
    std::vector<std::string> reports() const;

private:
    static constexpr std::uint32_t kBlr = 0x4E800020;  ///< every stub, and the exit address
    struct ThreadContext;
    static void onStub(uc_struct* uc, std::uint64_t address, std::uint32_t size, void* user);

    std::unique_ptr<std::byte[]> ram_;
    guest::FlatGuestMemory memory_;
    guest::DefaultHooks hooks_;
    const guest::ImportTable& table_;
    std::unique_ptr<Process> process_;
    bool bind(std::string_view library, std::string_view name, Import& import, std::string* why);
    void report(const guest::CallFrame& frame);

    std::vector<std::pair<std::string, HostImport>> hostImports_;
    std::vector<Import> imports_;
    mutable std::mutex reportsMutex_;
    std::vector<std::string> reports_;
    guest::GuestAddress entry_ = 0;
    guest::GuestAddress nextData_ = Layout::kData;
    std::function<void(guest::ExportIndex, const guest::CallFrame&)> observer_;
};

/// A guest program built by the test build (tests/guest/programs/NAME.c -> NAME.rpx).
std::filesystem::path programPath(std::string_view name);

}  // namespace wiiu::test::ppc
