// Embedding hooks: what the module needs from the emulator that hosts it. Every hook has a
// working default (DefaultHooks); an emulator overrides the ones its design needs, typically
// wait() so that a blocking guest call yields to its scheduler instead of freezing a host thread.
//
// Rules the module keeps for every hook here and for the log sink (<wiiu_nssl/log.h>):
// - No hook under a lock: the module calls each one with none of its locks held. A hook may
//   switch fibers, and the fiber that runs next on the same host thread may call into the module
//   (even into the same socket or connection) without deadlocking on a lock the first one holds.
// - A call may resume on another host thread than it started on (fibers that migrate between
//   an emulator's cores): the module keeps nothing per host thread across a hook.
#pragma once

#include <wiiu_nssl/language.h>

#include <chrono>
#include <cstdint>
#include <optional>
#include <memory>
#include <span>

#include <wiiu_nssl/call_frame.h>
#include <wiiu_nssl/guest_heap.h>

namespace wiiu::guest {

using Deadline = std::optional<std::chrono::steady_clock::time_point>;  ///< nullopt = no deadline

/// The host's socket handle: a file descriptor on POSIX, a SOCKET on Windows; -1 is none.
using NativeHandle = std::intptr_t;
inline constexpr NativeHandle kNoHandle = -1;

/// One host descriptor a wait watches, and what became of it.
struct WaitItem {
    NativeHandle fd = kNoHandle;
    bool readable = false;  ///< wait for readability
    bool writable = false;  ///< wait for writability
    // Results, filled by wait():
    bool readReady = false;
    bool writeReady = false;
    bool failed = false;  ///< error or hang-up on the descriptor (counts as ready)

    bool ready() const { return readReady || writeReady || failed; }
};

class EmbeddingHooks {
public:
    virtual ~EmbeddingHooks() = default;

    /// Suspends the calling guest thread until at least one item is ready or the deadline passes,
    /// and fills in the items' results. Returns the number of ready items (0 on timeout).
    /// The default polls on the host thread (blocking it). An emulator whose guest threads are
    /// fibers overrides it in one of two styles (docs/embedding.md, "Waiting"):
    /// - poll, then sleep: pollItems(items, 0); if nothing is ready, sleep the guest thread
    ///   (OSSleepTicks) and return 0. PollingHooks / pollThenSleep do exactly this.
    /// - park: register the items' descriptors with the emulator's event loop, switch away, and
    ///   return when the loop resumes the thread (results filled, or 0).
    /// Early returns with 0 are always allowed: the module re-checks, looks at its abort signals
    /// (which include the process's teardown) and calls again. So a thread resumed for any reason,
    /// even after its process was destroyed, just returns; nothing else is required of the hook.
    virtual int wait(std::span<WaitItem> items, Deadline deadline);

    /// The emulated console's clock as UTC (what NSSL's date checks and the resolver's caches
    /// see); the default is the host's. A console clock kept in local time (OSGetTime counts
    /// ticks since 2000-01-01 00:00 in the console's time zone) must lose the zone's offset
    /// first: docs/embedding.md, "The clock". May be called on a host thread (the nlibcurl bridge).
    virtual std::chrono::system_clock::time_point now();

    /// Allocates guest memory for structures the module returns to the guest (resolver results).
    /// Returns 0 when no memory is left. The default has no guest heap and always returns 0.
    virtual std::uint32_t guestAlloc(std::uint32_t size, std::uint32_t alignment);
    virtual void guestFree(std::uint32_t address);

    /// The module has just set guest thread `thread`'s socketlasterr() to `error` (an SO_E* code;
    /// 0 after a successful socket call). The console keeps it in coreinit's per-thread errno, so
    /// an emulator can mirror it there (gh_set_errno). Called on the calling guest thread, inside
    /// the call; must not block. The default does nothing: socketlasterr() works without it.
    virtual void socketErrorChanged(GuestThreadId thread, std::int32_t error);

    /// Runs guest code for the module: the guest function at `function`, on guest thread `thread`
    /// (the one whose call is in progress), with `args` in r3.., and returns its r3. The module
    /// uses it for the allocator a guest installs with set_resolver_allocator. The guest code
    /// may block and may call into the module. Nothing (the default) means the emulator runs no
    /// guest code for the module: resolver results then come from guestAlloc, which the module
    /// logs once per process.
    virtual std::optional<std::uint32_t> callGuest(GuestThreadId thread, std::uint32_t function,
                                                   std::span<const std::uint32_t> args);
};

/// Who is inside the module on the calling host thread: a guest thread (an export called through
/// the import table, from a fiber or not) or a host thread of the emulator (the nlibcurl bridge's
/// calls, which run on curl's workers). A hook asks it when the two need different handling, e.g.
/// a wait() that parks fibers must not try to park a host thread.
enum class Caller : std::uint8_t { GuestThread, HostThread };
Caller currentCaller();

/// One non-blocking look at the items: fills in their results and returns how many are ready,
/// waiting at most `timeoutMs` (0: not at all; -1: no limit). What the default wait() and the
/// polling adapter (polling_wait.h) use; an emulator's own wait() may use it too.
int pollItems(std::span<WaitItem> items, int timeoutMs);

/// The defaults, optionally with a guest heap region the module may allocate results in.
class DefaultHooks : public EmbeddingHooks {
public:
    DefaultHooks() = default;
    /// Resolver results are built in guest memory [heapStart, heapStart + heapSize).
    DefaultHooks(std::uint32_t heapStart, std::uint32_t heapSize)
        : heap_(std::make_unique<GuestHeap>(heapStart, heapSize))
    {
    }

    std::uint32_t guestAlloc(std::uint32_t size, std::uint32_t alignment) override
    {
        return heap_ ? heap_->allocate(size, alignment) : 0;
    }
    void guestFree(std::uint32_t address) override
    {
        if (heap_)
            heap_->free(address);
    }
    const GuestHeap* heap() const { return heap_.get(); }

private:
    std::unique_ptr<GuestHeap> heap_;
};

}  // namespace wiiu::guest
