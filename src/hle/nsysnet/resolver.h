// Host name resolution for gethostbyname/getaddrinfo/getnameinfo (IPv4 only, as nsysnet).
//
// The host resolver blocks and cannot be cancelled, so each lookup runs on a short-lived worker
// thread while the calling guest thread waits through EmbeddingHooks::wait with a deadline
// (timeout(), default 10 s) and the process's teardown signal: a dead DNS server can delay a guest
// call but never hang it or the process teardown. RFC 6761 special names are answered without
// asking the host: "localhost" and "*.localhost" are 127.0.0.1, "*.invalid" does not exist.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <wiiu_nssl/hooks.h>
#include "hle/guest/interrupt.h"
#include "common/module_lock.h"

namespace wiiu::nsysnet {

/// The resolver's outcome, in the console's h_errno terms.
enum class ResolveError {
    None = 0,
    HostNotFound = 1,  ///< HOST_NOT_FOUND
    TryAgain = 2,      ///< TRY_AGAIN: timeout, no server reachable, teardown
    NoRecovery = 3,    ///< NO_RECOVERY
    NoData = 4,        ///< NO_DATA: the name exists but has no IPv4 address
};

struct HostLookup {
    ResolveError error = ResolveError::None;
    std::string canonicalName;
    std::vector<std::uint32_t> addresses;  ///< host order, e.g. 0x7F000001
};

class Resolver {
public:
    Resolver(guest::EmbeddingHooks& hooks, const guest::Interrupt& teardown) : hooks_(hooks), teardown_(teardown) {}

    void setTimeout(std::chrono::milliseconds timeout) { timeoutMs_.store(timeout.count()); }
    std::chrono::milliseconds timeout() const { return std::chrono::milliseconds(timeoutMs_.load()); }

    /// The IPv4 addresses of `name` (a dotted address resolves to itself).
    HostLookup lookup(std::string_view name);
    /// getaddrinfo_async's lookup, polled by calling again with the same name (as measured on a
    /// console): a name the module answers without the host (dotted, localhost, .invalid) is
    /// answered at once; otherwise the first call starts a host lookup in the background and
    /// answers nothing (EAI_INPROGRESS), and a later call answers its result. A found name stays
    /// answered for kAsyncKeep (the console's cache answered at once too); a failure is answered
    /// once. More than kMaxPendingAsync names at a time are TryAgain.
    std::optional<HostLookup> lookupAsync(std::string_view name);
    static constexpr std::chrono::seconds kAsyncKeep{30};
    static constexpr std::size_t kMaxPendingAsync = 16;
    /// The host name of `address` (reverse lookup); nothing when none is known.
    std::optional<std::string> reverse(std::uint32_t address);

    /// inet_aton's parser (a.b.c.d, a.b.c, a.b, a; decimal, octal, hex parts).
    static std::optional<std::uint32_t> parseAton(std::string_view text);
    /// inet_pton's parser (exactly four decimal parts).
    static std::optional<std::uint32_t> parseDotted(std::string_view text);
    static std::string formatDotted(std::uint32_t address);
    /// A service name or decimal port for TCP or UDP; nothing when unknown.
    static std::optional<std::uint16_t> servicePort(std::string_view service, bool udp);
    /// The service name of a port, or nothing.
    static std::optional<std::string> serviceName(std::uint16_t port, bool udp);

private:
    struct AsyncJob;
    template <class T>
    std::optional<T> runWithDeadline(std::function<T()> work);
    /// The answer for names no host lookup is needed for; nothing for the others.
    static std::optional<HostLookup> answerLocally(std::string_view name);

    guest::EmbeddingHooks& hooks_;
    const guest::Interrupt& teardown_;
    std::atomic<std::int64_t> timeoutMs_{10000};
    ModuleMutex asyncMutex_;
    std::map<std::string, std::shared_ptr<AsyncJob>> async_;  // by lower-case name
};

}  // namespace wiiu::nsysnet
