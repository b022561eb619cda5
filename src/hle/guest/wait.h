// The one waiting strategy every blocking guest call uses (socket calls, select, the resolver,
// NSSL reads, writes and handshakes): wait through EmbeddingHooks::wait until a target descriptor
// is ready, an abort signal fires, or the deadline passes.
//
// Items are built on the stack (no allocation per wait), so the NSSL record path can call it
// once per would-block without cost beyond the hook's own poll.
#pragma once

#include <cstddef>
#include <initializer_list>
#include <span>

#include <wiiu_nssl/hooks.h>
#include "hle/guest/interrupt.h"

namespace wiiu::guest {

enum class WaitResult {
    Ready,     ///< at least one target may be ready (spurious readiness allowed): retry the step
    TimedOut,  ///< the deadline passed first
    Aborted,   ///< an abort signal fired, a target has no descriptor, or the hook threw
};

/// Most items one wait watches: select's 32 descriptors, each with its close signal, plus a few.
inline constexpr std::size_t kMaxWaitItems = 72;

/// A target: the descriptor and which readiness to wait for.
inline WaitItem waitTarget(NativeHandle fd, bool read, bool write)
{
    return WaitItem{.fd = fd, .readable = read, .writable = write};
}

/// Waits (looping over spurious wake-ups) until a target is ready, an abort signal is (or already
/// was) signalled, or `deadline` passes. The targets' readReady/writeReady/failed say which were
/// ready (select reads them). An exception from the emulator's hook is logged and reported as
/// Aborted: it never unwinds into guest code.
WaitResult waitFor(EmbeddingHooks& hooks, std::span<WaitItem> targets, std::span<const Interrupt* const> aborts,
                   Deadline deadline);

inline WaitResult waitFor(EmbeddingHooks& hooks, std::span<WaitItem> targets,
                          std::initializer_list<const Interrupt*> aborts, Deadline deadline)
{
    return waitFor(hooks, targets, std::span<const Interrupt* const>(aborts.begin(), aborts.size()), deadline);
}

}  // namespace wiiu::guest
