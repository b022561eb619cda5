// The TLS engine's byte pipe over a guest socket, and where NSSL finds guest sockets: the
// module's own nsysnet table, or the emulator's sockets through its SocketProvider (borrowed,
// hle/nssl/borrowed_sockets.h). When the guest closes the descriptor every call here fails
// cleanly and closeSignal() ends the waits on it.
#pragma once

#include <cstdint>
#include <memory>

#include <wiiu_nssl/hooks.h>
#include "tls/transport.h"
#include "hle/guest/interrupt.h"

namespace wiiu::nsysnet {
class SocketTable;
}

namespace wiiu::nssl {

class SocketTransport : public tls::Transport {
public:
    enum class Link { Connected, Connecting, NotConnected, Failed, Closed };
    /// Where the TCP connection stands; completes a pending non-blocking connect if it can.
    virtual Link link() = 0;
    /// The guest made the socket itself non-blocking (SO_NBIO / SO_NONBLOCK).
    virtual bool guestNonBlocking() const = 0;
    /// The transport can no longer carry our close_notify (shut down for writing, or closed).
    virtual bool shutForWriting() const = 0;

    /// What to wait on for readability/writability, and the signal that the guest closed it.
    virtual guest::WaitItem waitItem(bool readable, bool writable) const = 0;
    virtual const guest::Interrupt& closeSignal() const = 0;
};

/// Where NSSLCreateConnection finds the guest socket it names.
class SocketSource {
public:
    virtual ~SocketSource() = default;
    /// A transport over guest TCP socket `fd`; null when `fd` is not an open stream socket.
    virtual std::shared_ptr<SocketTransport> open(std::int32_t fd) = 0;
};

/// The module's own nsysnet: the host socket the descriptor maps to, shared with the table.
class TableSockets final : public SocketSource {
public:
    explicit TableSockets(nsysnet::SocketTable& table) : table_(table) {}
    std::shared_ptr<SocketTransport> open(std::int32_t fd) override;

private:
    nsysnet::SocketTable& table_;
};

}  // namespace wiiu::nssl
