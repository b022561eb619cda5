#include "hle/nssl/socket_transport.h"

#include "hle/nsysnet/host_socket.h"
#include "hle/nsysnet/socket_table.h"

namespace wiiu::nssl {
namespace {

class TableTransport final : public SocketTransport {
public:
    explicit TableTransport(std::shared_ptr<nsysnet::HostSocket> socket) : socket_(std::move(socket)) {}

    IoResult receive(std::span<std::uint8_t> buffer) override;
    IoResult send(std::span<const std::uint8_t> data) override;
    Link link() override;
    bool guestNonBlocking() const override;
    bool shutForWriting() const override;
    guest::WaitItem waitItem(bool readable, bool writable) const override;
    const guest::Interrupt& closeSignal() const override;

private:
    std::shared_ptr<nsysnet::HostSocket> socket_;
};

// The host socket's results go up unchanged: one result type from nsysnet to the TLS engine.
IoResult TableTransport::receive(std::span<std::uint8_t> buffer)
{
    return socket_->receiveSome(buffer);
}

IoResult TableTransport::send(std::span<const std::uint8_t> data)
{
    if (socket_->shutdownState().write)  // the guest shut the pipe: Closed, not SO_ESHUTDOWN
        return IoResult::closed();
    return socket_->sendSome(data);
}

SocketTransport::Link TableTransport::link()
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

bool TableTransport::guestNonBlocking() const
{
    return socket_->guestNonBlocking();
}

bool TableTransport::shutForWriting() const
{
    return socket_->closed() || socket_->shutdownState().write;
}

guest::WaitItem TableTransport::waitItem(bool readable, bool writable) const
{
    return guest::WaitItem{.fd = socket_->nativeHandle(), .readable = readable, .writable = writable};
}

const guest::Interrupt& TableTransport::closeSignal() const
{
    return socket_->closeSignal();
}

}  // namespace

std::shared_ptr<SocketTransport> TableSockets::open(std::int32_t fd)
{
    auto socket = table_.find(fd);
    if (!socket || !socket->isStream())
        return nullptr;
    return std::make_shared<TableTransport>(std::move(socket));
}

}  // namespace wiiu::nssl
