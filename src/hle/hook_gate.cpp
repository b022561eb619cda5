#include "hle/hook_gate.h"

namespace wiiu {

int HookGate::wait(std::span<guest::WaitItem> items, guest::Deadline deadline)
{
    // Closed: one look, no waiting. Every wait of the process includes its teardown signal,
    // raised right after the gate closes, so the caller ends its wait on this answer.
    return closed() ? guest::pollItems(items, 0) : emulator_.wait(items, deadline);
}

std::chrono::system_clock::time_point HookGate::now()
{
    return closed() ? EmbeddingHooks::now() : emulator_.now();
}

std::uint32_t HookGate::guestAlloc(std::uint32_t size, std::uint32_t alignment)
{
    return closed() ? 0 : emulator_.guestAlloc(size, alignment);
}

void HookGate::guestFree(std::uint32_t address)
{
    if (!closed())
        emulator_.guestFree(address);  // closed: the block goes with the title's guest heap
}

void HookGate::socketErrorChanged(guest::GuestThreadId thread, std::int32_t error)
{
    if (!closed())
        emulator_.socketErrorChanged(thread, error);
}

std::optional<std::uint32_t> HookGate::callGuest(guest::GuestThreadId thread, std::uint32_t function,
                                                 std::span<const std::uint32_t> args)
{
    if (closed())
        return std::nullopt;
    return emulator_.callGuest(thread, function, args);
}

}  // namespace wiiu
