// One guest call into an export: the registers the emulator hands over, and what the export sees.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <span>
#include <string>

#include "hle/guest/guest_memory.h"

namespace wiiu {
class ProcessState;  // hle/process_state.h: every library's state for one guest process
}

namespace wiiu::guest {

/// Identifies the calling guest thread (e.g. the address of its OSThread). Per-thread state such
/// as socketlasterr() is keyed by it.
using GuestThreadId = std::uint64_t;

/// A call as the import table's trace shows it, for hosts that want it without reading logs
/// (tools, tests): filled by the export marshaling when CallFrame::trace points at one.
struct CallTrace {
    std::string arguments;  ///< "3, 0x10001000, 64, 0x10002000"
    std::string result;     ///< the result's name where it has one ("NSSL_ERROR_WANT_READ"), else its value
};

/// The PowerPC EABI registers an export call uses. The emulator copies r1 and r3..r10 in, calls
/// the import table, and copies r3 (the result) back.
struct CallFrame {
    std::array<std::uint32_t, 11> gpr{};  ///< r0..r10; r1 is the stack pointer, r3..r10 the arguments
    GuestThreadId thread = 0;             ///< the calling guest thread
    CallTrace* trace = nullptr;           ///< optional: where to describe this call

    std::uint32_t result() const { return gpr[3]; }
    void setResult(std::uint32_t value) { gpr[3] = value; }

    /// Places argument words as the EABI passes them: the first eight in r3..r10, the rest in the
    /// caller's parameter area at r1 + 8 (set r1 first). For hosts that make guest calls
    /// themselves; false when a stack word is outside guest memory.
    bool setArguments(std::span<const std::uint32_t> words, const GuestMemory& memory)
    {
        for (std::size_t n = 0; n < words.size(); ++n) {
            if (n < 8)
                gpr[3 + n] = words[n];
            else if (!memory.store(GuestPtr<be32>{static_cast<GuestAddress>(gpr[1] + 8 + 4 * (n - 8))}, be32(words[n])))
                return false;
        }
        return true;
    }
};

/// What the import table takes as the calling process (wiiu::Process is one): a handle to the
/// state its calls share. Each call copies the share, so the state outlives a Process destroyed
/// while the call is still inside (hle/process.h, the teardown contract).
class ProcessHandle {
public:
    const std::shared_ptr<ProcessState>& state() const { return state_; }

protected:
    explicit ProcessHandle(std::shared_ptr<ProcessState> state) : state_(std::move(state)) {}
    ~ProcessHandle() = default;

    std::shared_ptr<ProcessState> state_;
};

using ExportIndex = std::uint32_t;
struct ExportEntry;  // hle/guest/import_table.h

/// What an export function receives: the calling process, its memory and the raw frame.
class Call {
public:
    Call(ProcessState& process, GuestMemory& memory, CallFrame& frame, const ExportEntry& entry, ExportIndex index)
        : process_(process), memory_(memory), frame_(frame), entry_(entry), index_(index)
    {
    }

    ProcessState& process() const { return process_; }
    GuestMemory& memory() const { return memory_; }
    CallFrame& frame() const { return frame_; }
    GuestThreadId thread() const { return frame_.thread; }
    ExportIndex exportIndex() const { return index_; }
    const ExportEntry& exportEntry() const { return entry_; }

    /// The n-th 32-bit argument word: r3..r10, then the caller's parameter area at r1 + 8.
    /// A stack word outside guest memory reads as 0 (a null pointer / zero), which every export
    /// already refuses; it can only come from a broken stack pointer.
    std::uint32_t argument(unsigned n) const
    {
        if (n < 8)
            return frame_.gpr[3 + n];
        const GuestAddress slot = frame_.gpr[1] + 8 + 4 * (n - 8);
        return memory_.load(GuestPtr<const be32>{slot}).value_or(be32(0u));
    }

private:
    ProcessState& process_;
    GuestMemory& memory_;
    CallFrame& frame_;
    const ExportEntry& entry_;
    ExportIndex index_;
};

}  // namespace wiiu::guest
