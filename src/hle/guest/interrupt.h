// The module's own wake-up signal for waits (the emulator only ever sees its WaitItem).
#pragma once

#include <type_traits>

#include <wiiu_nssl/hooks.h>

#include "platform/socket.h"

namespace wiiu::guest {

static_assert(std::is_same_v<NativeHandle, platform::NativeSocket> && kNoHandle == platform::invalidSocket);

/// A one-shot wake-up signal a wait can include (platform::WakeSignal: an eventfd on Linux, a
/// loopback socket pair on Windows). Closing a socket or tearing down a
/// process signals it, which ends every wait that includes it; it stays signalled.
class Interrupt {
public:
    Interrupt() = default;
    Interrupt(const Interrupt&) = delete;
    Interrupt& operator=(const Interrupt&) = delete;

    void signal();
    bool signalled() const;
    /// A WaitItem that becomes readable once signalled.
    WaitItem waitItem() const { return WaitItem{.fd = signal_.handle(), .readable = true}; }

private:
    platform::WakeSignal signal_;
};

}  // namespace wiiu::guest
