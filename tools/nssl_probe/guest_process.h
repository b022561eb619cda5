// The probe's own small "guest process": flat guest memory, embedding hooks with a settable
// console clock, a wiiu::Process, and calls made exactly as an emulator makes them — argument
// words in r3..r10 through wiiu::importTable(). Every call goes to the (folded) call log.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <wiiu_nssl/cert_store.h>
#include <wiiu_nssl/guest_memory.h>
#include <wiiu_nssl/hooks.h>
#include <wiiu_nssl/nssl_config.h>
#include <wiiu_nssl/process.h>
#include "call_log.h"

namespace wiiu::probe {

/// Default hooks plus an optional fixed console clock ("what if the console's clock said WHEN").
class ProbeHooks final : public guest::DefaultHooks {
public:
    ProbeHooks(std::uint32_t heapStart, std::uint32_t heapSize,
               std::optional<std::chrono::system_clock::time_point> clock)
        : DefaultHooks(heapStart, heapSize), clock_(clock)
    {
    }
    std::chrono::system_clock::time_point now() override
    {
        return clock_ ? *clock_ : guest::EmbeddingHooks::now();
    }

private:
    std::optional<std::chrono::system_clock::time_point> clock_;
};

class GuestProcess {
public:
    static constexpr guest::GuestAddress kBase = 0x10000000;
    static constexpr std::uint32_t kSize = 8u << 20;
    static constexpr guest::GuestAddress kStackTop = kBase + 0x10000;
    static constexpr guest::GuestAddress kDataBase = kBase + 0x10000;
    static constexpr guest::GuestAddress kHeapBase = kBase + 0x400000;

    GuestProcess(std::shared_ptr<const certstore::CertStore> store, nssl::Config config,
                 std::optional<std::chrono::system_clock::time_point> clock);
    ~GuestProcess();

    Process& process() { return *process_; }

    /// Calls library::name with the raw argument words `args` and records the call as the module's
    /// own trace describes it, "name(arguments) -> result". `note` adds what the trace cannot see
    /// behind a pointer (a host name, a socket address, an fd set). `movedAt` is where a data call
    /// stores how many bytes it moved (NSSLRead's, NSSLWrite's last argument), read back when it
    /// succeeds.
    std::int32_t call(std::string_view library, std::string_view name, std::initializer_list<std::uint32_t> args,
                      std::string_view note = {}, std::optional<guest::GuestAddress> movedAt = std::nullopt);

    /// Reserves `size` zeroed guest bytes (bump allocation; reset() frees them all).
    guest::GuestAddress alloc(std::uint32_t size);
    guest::GuestAddress putBytes(std::span<const std::uint8_t> bytes);
    guest::GuestAddress putString(std::string_view text);  ///< NUL-terminated
    std::span<std::uint8_t> bytes(guest::GuestAddress at, std::uint32_t size);
    /// A guest structure of the module's ABI (GuestCipherInfo, GuestAddrinfo, ...) placed in or
    /// read from guest memory.
    template <class T>
    guest::GuestAddress put(const T& value)
    {
        const auto at = alloc(sizeof(T));
        memory_.store(guest::GuestPtr<T>{at}, value);
        return at;
    }
    template <class T>
    T load(guest::GuestAddress at) const
    {
        return memory_.load(guest::GuestPtr<const T>{at}).value_or(T{});
    }
    std::uint32_t loadBe32(guest::GuestAddress at);
    void storeBe32(guest::GuestAddress at, std::uint32_t value);

    CallLog& log() { return log_; }
    const CallRecord& lastCall() const { return log_.last(); }

private:
    std::vector<std::byte> ram_;
    guest::FlatGuestMemory memory_;
    ProbeHooks hooks_;
    std::unique_ptr<Process> process_;
    guest::GuestAddress next_ = kDataBase;
    CallLog log_;
};

}  // namespace wiiu::probe
