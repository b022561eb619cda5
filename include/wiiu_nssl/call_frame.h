// One guest call as the emulator hands it over: the PowerPC registers (CallFrame), the calling
// thread, an optional description of the call (CallTrace) for hosts that want one, and the
// handle through which a call reaches its process (ProcessHandle; wiiu::Process is one).
#pragma once

#include <wiiu_nssl/language.h>

#include <array>
#include <cstdint>
#include <memory>
#include <span>
#include <string>

#include <wiiu_nssl/guest_memory.h>

namespace wiiu {
class ProcessState;  // the module's state of one guest process (src/hle/process_state.h)
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
/// while the call is still inside (<wiiu_nssl/process.h>, the teardown contract).
class ProcessHandle {
public:
    const std::shared_ptr<ProcessState>& state() const { return state_; }
    /// The guest memory the process shares, for calls that do not pass their own; null when the
    /// emulator passes it with every call. Each call holds a share of it too.
    const std::shared_ptr<GuestMemory>& memory() const { return memory_; }

protected:
    explicit ProcessHandle(std::shared_ptr<ProcessState> state, std::shared_ptr<GuestMemory> memory = nullptr)
        : state_(std::move(state)), memory_(std::move(memory))
    {
    }
    ~ProcessHandle() = default;

    std::shared_ptr<ProcessState> state_;
    std::shared_ptr<GuestMemory> memory_;
};

/// An export's stable position in the import table (ImportTable::find).
using ExportIndex = std::uint32_t;

}  // namespace wiiu::guest
