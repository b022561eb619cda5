// The TLS engine's byte pipe over a guest socket: the nsysnet host socket the guest's descriptor
// maps to, shared with the socket table. When the guest closes the descriptor, the host socket is
// closed under us and every call here fails cleanly.
#pragma once

#include <memory>

#include <wiiu_nssl/hooks.h>
#include "tls/transport.h"
#include "hle/guest/interrupt.h"

namespace wiiu::nsysnet {
class HostSocket;
}

namespace wiiu::nssl {

class SocketTransport final : public tls::Transport {
public:
    explicit SocketTransport(std::shared_ptr<nsysnet::HostSocket> socket);

    IoResult receive(std::span<std::uint8_t> buffer) override;
    IoResult send(std::span<const std::uint8_t> data) override;

    enum class Link { Connected, Connecting, NotConnected, Failed, Closed };
    /// Where the TCP connection stands; completes a pending non-blocking connect if it can.
    Link link();
    /// The guest made the socket itself non-blocking (SO_NBIO / SO_NONBLOCK).
    bool guestNonBlocking() const;
    /// The transport can no longer carry our close_notify (shut down for writing, or closed).
    bool shutForWriting() const;

    /// What to wait on for readability/writability, and the signal that the guest closed it.
    guest::WaitItem waitItem(bool readable, bool writable) const;
    const guest::Interrupt& closeSignal() const;

private:
    std::shared_ptr<nsysnet::HostSocket> socket_;
};

}  // namespace wiiu::nssl
