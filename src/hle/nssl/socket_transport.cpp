#include "hle/nssl/socket_transport.h"

#include <cerrno>

#include "hle/nsysnet/host_socket.h"

namespace wiiu::nssl {

namespace {

/// The errno-style value kept in IoResult (for logs only; the TLS engine reports IO_ERROR).
int errnoLike(nsysnet::SoError e)
{
    switch (e) {
    case nsysnet::SoError::SO_ECONNRESET:
        return ECONNRESET;
    case nsysnet::SoError::SO_EPIPE:
        return EPIPE;
    case nsysnet::SoError::SO_ENOTCONN:
        return ENOTCONN;
    case nsysnet::SoError::SO_EBADF:
        return EBADF;
    case nsysnet::SoError::SO_ETIMEDOUT:
        return ETIMEDOUT;
    default:
        return EIO;
    }
}

tls::IoResult toIoResult(const nsysnet::IoOutcome& outcome)
{
    switch (outcome.status) {
    case nsysnet::IoStatus::Ok:
        return tls::IoResult::ok(outcome.bytes);
    case nsysnet::IoStatus::WouldBlock:
        return tls::IoResult::wouldBlock();
    case nsysnet::IoStatus::Eof:
        return tls::IoResult::closed();
    case nsysnet::IoStatus::Error:
        break;
    }
    return tls::IoResult::failed(errnoLike(outcome.error));
}

}  // namespace

SocketTransport::SocketTransport(std::shared_ptr<nsysnet::HostSocket> socket) : socket_(std::move(socket)) {}

tls::IoResult SocketTransport::receive(std::span<std::uint8_t> buffer)
{
    return toIoResult(socket_->receiveSome(buffer));
}

tls::IoResult SocketTransport::send(std::span<const std::uint8_t> data)
{
    if (socket_->shutdownState().write)
        return tls::IoResult::closed();
    return toIoResult(socket_->sendSome(data));
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
