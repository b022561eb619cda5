// The hooks a process's libraries call: the emulator's, until the process is abandoned
// (Process::abandon, "after the scheduler"). From then on every hook answers as if the emulator
// gave none, without reaching it: no guest heap (nothing is allocated or freed in guest memory),
// no guest code, no errno mirror, the host clock, and a wait that only looks at the descriptors.
// Whatever still runs in the process afterwards (its destruction, a call resumed later, a host
// thread of the nlibcurl bridge) then touches nothing of a guest OS that is gone.
#pragma once

#include <atomic>

#include <wiiu_nssl/hooks.h>

namespace wiiu {

class HookGate final : public guest::EmbeddingHooks {
public:
    explicit HookGate(guest::EmbeddingHooks& emulator) : emulator_(emulator) {}

    /// From now on no hook reaches the emulator. A hook call already inside the emulator's code
    /// finishes there.
    void close() { closed_.store(true, std::memory_order_release); }
    bool closed() const { return closed_.load(std::memory_order_acquire); }

    int wait(std::span<guest::WaitItem> items, guest::Deadline deadline) override;
    std::chrono::system_clock::time_point now() override;
    std::uint32_t guestAlloc(std::uint32_t size, std::uint32_t alignment) override;
    void guestFree(std::uint32_t address) override;
    void socketErrorChanged(guest::GuestThreadId thread, std::int32_t error) override;
    std::optional<std::uint32_t> callGuest(guest::GuestThreadId thread, std::uint32_t function,
                                           std::span<const std::uint32_t> args) override;

private:
    guest::EmbeddingHooks& emulator_;
    std::atomic<bool> closed_{false};
};

}  // namespace wiiu
