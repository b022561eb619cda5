// One guest call into an export: what the export sees of the registers the emulator handed over
// (<wiiu_nssl/call_frame.h>), the process's shared state and its memory.
#pragma once

#include <cstdint>

#include <wiiu_nssl/call_frame.h>

namespace wiiu::guest {

struct ExportEntry;  // <wiiu_nssl/import_table.h>

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
