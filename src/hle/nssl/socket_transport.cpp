#include "hle/nssl/socket_transport.h"

#include "hle/nsysnet/host_socket.h"

namespace wiiu::nssl {

SocketTransport::SocketTransport(std::shared_ptr<nsysnet::HostSocket> socket) : socket_(std::move(socket)) {}

// The host socket's results go up unchanged: one result type from nsysnet to the TLS engine.
IoResult SocketTransport::receive(std::span<std::uint8_t> buffer)
{
    return socket_->receiveSome(buffer);
}

IoResult SocketTransport::send(std::span<const std::uint8_t> data)
{
    if (socket_->shutdownState().write)  // the guest shut the pipe: Closed, not SO_ESHUTDOWN
        return IoResult::closed();
    return socket_->sendSome(data);
}

SocketTransport::Link SocketTransport::link()
{
    if (socket_->closed())
        return Link::Closed;
    switch (socket_->pollConnect()) {
    case nsysnet::ConnectState::Connected:
        return Link::Connected;
    case nsysnet::ConnectState::InProgress:
        return Link::Connecting;
    case nsysnet::ConnectState::Failed:
        return Link::Failed;
    case nsysnet::ConnectState::None:
        break;
    }
    // No connect through this table: an accepted socket is connected all the same.
    return socket_->peerEndpoint() ? Link::Connected : Link::NotConnected;
}

bool SocketTransport::guestNonBlocking() const
{
    return socket_->guestNonBlocking();
}

bool SocketTransport::shutForWriting() const
{
    return socket_->closed() || socket_->shutdownState().write;
}

guest::WaitItem SocketTransport::waitItem(bool readable, bool writable) const
{
    return guest::WaitItem{.fd = socket_->nativeHandle(), .readable = readable, .writable = writable};
}

const guest::Interrupt& SocketTransport::closeSignal() const
{
    return socket_->closeSignal();
}

}  // namespace wiiu::nssl
