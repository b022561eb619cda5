// A guest process for tests: flat guest memory, default hooks with a guest heap, a Process, and
// a call() that passes arguments exactly as an emulator would (r3..r10, then the stack at r1+8).
#pragma once

#include <atomic>
#include <cstdint>
#include <cstring>
#include <functional>
#include <initializer_list>
#include <memory>
#include <span>
#include <stdexcept>
#include <string_view>
#include <utility>
#include <vector>

#include "hle/exports.h"
#include <wiiu_nssl/guest_memory.h>
#include <wiiu_nssl/hooks.h>
#include <wiiu_nssl/process.h>
#include "hle/process_state.h"  // tests look inside: the socket table, the NSSL service

namespace wiiu::test {

/// A signed value as the 32-bit argument word it travels in (handles, descriptors, lengths).
inline std::uint32_t u(std::int32_t v)
{
    return static_cast<std::uint32_t>(v);
}

class GuestEnv {
public:
    static constexpr guest::GuestAddress kBase = 0x10000000;
    static constexpr std::uint32_t kSize = 16u << 20;
    static constexpr guest::GuestAddress kStackTop = kBase + 0x100000;  ///< stack grows down from here
    static constexpr guest::GuestAddress kDataBase = kBase + 0x100000;  ///< test data (bump allocated)
    static constexpr guest::GuestAddress kHeapBase = kBase + 0x800000;  ///< hooks' guest heap

    /// What the emulator hands a new Process.
    struct ProcessSettings {
        std::shared_ptr<const certstore::CertStore> store = nullptr;
        nssl::Config nssl = {};
        guest::EmbeddingHooks* hooks = nullptr;  ///< null: the env's DefaultHooks (must outlive the env)
        /// Hooks the first process shares, and only it (the env keeps no reference); before `hooks`.
        std::shared_ptr<guest::EmbeddingHooks> sharedHooks = nullptr;
        /// The emulator's sockets: every process is NSSL-only over them (the env's hooks, shared
        /// without ownership, unless `sharedHooks` is set).
        std::shared_ptr<SocketProvider> emulatorSockets = nullptr;
        /// With emulatorSockets: the emulator's socket + connect to 127.0.0.1:port (guest
        /// descriptor or -1), which NsslGuest uses instead of the module's socket exports.
        std::function<std::int32_t(std::uint16_t port, bool nonBlocking)> emulatorConnect = nullptr;
    };
    static ProcessSettings withHooks(guest::EmbeddingHooks& hooks)
    {
        ProcessSettings settings;
        settings.hooks = &hooks;
        return settings;
    }

    explicit GuestEnv(const guest::ImportTable& table = importTable()) : GuestEnv(ProcessSettings{}, table) {}
    explicit GuestEnv(ProcessSettings settings, const guest::ImportTable& table = importTable())
        : ram_(kSize), memory_(ram_.data(), kBase, kSize), hooks_(kHeapBase, kBase + kSize - kHeapBase),
          table_(table), settings_(std::move(settings)), process_(makeProcess())
    {
    }

    guest::FlatGuestMemory& memory() { return memory_; }
    guest::DefaultHooks& hooks() { return hooks_; }
    Process& process() { return *current_.load(std::memory_order_acquire); }
    const guest::ImportTable& table() const { return table_; }
    /// Destroys the process (as an emulator does when the title ends) and starts a fresh one.
    /// Other threads may still be blocked in calls on the old one, as on an emulator's cores:
    /// they took their share of its state before the restart and finish on it.
    void restartProcess()
    {
        process_.reset();
        process_ = makeProcess();
        current_.store(process_.get(), std::memory_order_release);
    }
    /// Destroys the process without a successor ("close game"); no call may be made afterwards.
    void endProcess()
    {
        current_.store(nullptr, std::memory_order_release);
        process_.reset();
    }

    /// Reserves `size` zeroed bytes of guest data memory (8-aligned) and returns their address.
    /// Thread-safe: guest threads on several host threads allocate at once.
    guest::GuestAddress alloc(std::uint32_t size)
    {
        const std::uint32_t step = (size + 7) & ~7u;
        guest::GuestAddress at = next_.load();
        do {
            if (static_cast<std::uint64_t>(at) + size > kHeapBase)
                throw std::runtime_error("GuestEnv: test data region exhausted");
        } while (!next_.compare_exchange_weak(at, at + step));
        std::memset(host(at), 0, size);
        return at;
    }
    template <class T>
    guest::GuestPtr<T> put(const T& value)
    {
        const auto at = alloc(sizeof(T));
        std::memcpy(host(at), &value, sizeof(T));
        return {at};
    }
    guest::GuestPtr<const char> putString(std::string_view s)
    {
        const auto at = alloc(static_cast<std::uint32_t>(s.size() + 1));
        std::memcpy(host(at), s.data(), s.size());
        return {at};
    }
    std::byte* host(guest::GuestAddress at) { return ram_.data() + (at - kBase); }
    template <class T>
    T readValue(guest::GuestAddress at)
    {
        T v;
        std::memcpy(&v, host(at), sizeof(T));
        return v;
    }
    std::uint32_t readBe32(guest::GuestAddress at) { return readValue<guest::be32>(at); }

    /// Calls library::name with the given argument words from guest thread `thread`.
    std::uint32_t call(std::string_view library, std::string_view name, std::initializer_list<std::uint32_t> args,
                       guest::GuestThreadId thread = 1)
    {
        auto index = table_.find(library, name);
        if (!index)
            throw std::runtime_error("no such export");
        return callIndex(*index, args, thread);
    }
    std::uint32_t callIndex(guest::ExportIndex index, std::initializer_list<std::uint32_t> args,
                            guest::GuestThreadId thread = 1)
    {
        return callIndex(index, std::span<const std::uint32_t>(args.begin(), args.size()), thread);
    }
    /// The same with the argument words in a container (for tables of test cases).
    std::uint32_t call(std::string_view library, std::string_view name, std::span<const std::uint32_t> args,
                       guest::GuestThreadId thread = 1)
    {
        auto index = table_.find(library, name);
        if (!index)
            throw std::runtime_error("no such export");
        return callIndex(*index, args, thread);
    }
    std::uint32_t callIndex(guest::ExportIndex index, std::span<const std::uint32_t> args,
                            guest::GuestThreadId thread = 1)
    {
        guest::CallFrame frame;
        frame.thread = thread;
        // Each guest thread gets its own 64 KiB of stack so concurrent calls do not share slots.
        frame.gpr[1] = kStackTop - static_cast<std::uint32_t>(thread % 15) * 0x10000 - 0x100;
        frame.setArguments(args, memory_);
        table_.call(index, process(), memory_, frame);
        return frame.result();
    }

private:
    std::vector<std::byte> ram_;
    guest::FlatGuestMemory memory_;
    guest::DefaultHooks hooks_;
    const guest::ImportTable& table_;
    std::unique_ptr<Process> makeProcess()
    {
        if (settings_.emulatorSockets) {
            std::shared_ptr<guest::EmbeddingHooks> hooks = std::exchange(settings_.sharedHooks, nullptr);
            if (!hooks)
                hooks = std::shared_ptr<guest::EmbeddingHooks>(std::shared_ptr<void>(),
                                                               settings_.hooks ? settings_.hooks : &hooks_);
            return std::make_unique<Process>(std::move(hooks), settings_.emulatorSockets, settings_.store,
                                             settings_.nssl);
        }
        if (settings_.sharedHooks)
            return std::make_unique<Process>(std::exchange(settings_.sharedHooks, nullptr), settings_.store,
                                             settings_.nssl);
        return std::make_unique<Process>(settings_.hooks ? *settings_.hooks : hooks_, settings_.store, settings_.nssl);
    }

    ProcessSettings settings_;
    std::unique_ptr<Process> process_;
    // What calls use: a call in flight never reads process_ while restartProcess rewrites it.
    std::atomic<Process*> current_{process_.get()};
    std::atomic<guest::GuestAddress> next_{kDataBase};
};

}  // namespace wiiu::test
