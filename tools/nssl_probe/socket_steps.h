// The nsysnet half of a probe run, as a game makes those calls: resolve the server, open and
// connect a TCP socket, wait on it with select(). Every wait is bounded by the run's timeout and
// says why it gave up, so no failure is left without a reason.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "guest_process.h"

namespace wiiu::probe {

struct ProbeSettings;

class SocketSteps {
public:
    SocketSteps(GuestProcess& guest, const ProbeSettings& settings);

    /// The server's IPv4 address (host order): inet_aton for literals, getaddrinfo for names.
    std::optional<std::uint32_t> resolve();
    /// socket(AF_INET, SOCK_STREAM, IPPROTO_TCP): the descriptor, or < 0.
    std::int32_t open();
    /// connect() bounded by the timeout in either mode (a blocking connect would wait out the
    /// kernel's SYN retries, minutes): "" once connected, else why not. `peer` is for the text.
    std::string connect(std::int32_t fd, std::uint32_t address, const std::string& peer);
    /// select() on one descriptor; false on timeout or error (waitFailed() says which).
    bool wait(std::int32_t fd, bool forWrite);
    const std::string& waitFailed() const { return waitFailed_; }

private:
    void setNonBlocking(std::int32_t fd, bool on);
    std::int32_t lastError(std::int32_t fd);

    GuestProcess& guest_;
    const ProbeSettings& s_;
    guest::GuestAddress word_ = 0;
    guest::GuestAddress fdSet_ = 0, timeout_ = 0;  ///< select's arguments, reused: a long transfer waits often
    std::optional<std::uint32_t> address_;
    std::string waitFailed_;
};

}  // namespace wiiu::probe
