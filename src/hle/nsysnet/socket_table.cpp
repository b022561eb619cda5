#include "hle/nsysnet/socket_table.h"

namespace wiiu::nsysnet {

SocketTable::SocketTable(guest::EmbeddingHooks& hooks)
    : hooks_(hooks), io_(std::make_shared<boost::asio::io_context>()), lastErrors_(hooks), guestBlocks_(hooks),
      resolver_(hooks, teardown_)
{
}

SocketTable::~SocketTable()
{
    teardown();
    // Calls woken by the teardown still return through this table: let them leave first. Inside
    // a Process this never waits: each call holds a share of the table (<wiiu_nssl/process.h>), so the
    // table is destroyed only after the last call left. A table used on its own needs that care.
    std::unique_lock lock(callsMutex_);
    callsDone_.wait(lock, [this] { return activeCalls_ == 0; });
}

void SocketTable::teardown()
{
    teardown_.signal();
    for (auto& socket : takeAll()) {
        if (!socket)
            continue;
        // A guest's SO_LINGER would make the host close() block for up to its timeout; at the
        // process's end the kernel finishes the close in the background instead.
        socket->setLinger(false, 0);
        socket->close();
    }
}

void SocketTable::initialize()
{
    std::lock_guard lock(mutex_);
    if (!sessionEnd_ || sessionEnd_->signalled())
        sessionEnd_ = std::make_shared<guest::Interrupt>();  // bad_alloc: the export's SO_ENOMEM
    initialized_.store(true);
}

bool SocketTable::finish()
{
    std::lock_guard lock(mutex_);
    if (!initialized_.exchange(false))
        return false;
    sessionEnd_->signal();
    return true;
}

SocketTable::CallScope::CallScope(SocketTable& table) : table_(table)
{
    std::lock_guard lock(table_.callsMutex_);
    ++table_.activeCalls_;
}

SocketTable::CallScope::~CallScope()
{
    std::lock_guard lock(table_.callsMutex_);
    if (--table_.activeCalls_ == 0)
        table_.callsDone_.notify_all();
}

Expected<std::int32_t, SoError> SocketTable::open(SocketKind kind)
{
    {
        // Check before opening a host socket, so exhaustion does not touch the host at all.
        std::lock_guard lock(mutex_);
        bool full = true;
        for (const auto& slot : slots_)
            full = full && slot != nullptr;
        if (full)
            return fail(SoError::SO_EMFILE);
    }
    auto socket = HostSocket::open(io_, kind);
    if (!socket)
        return fail(socket.error());
    return add(std::move(*socket));
}

Expected<std::int32_t, SoError> SocketTable::add(std::shared_ptr<HostSocket> socket)
{
    std::lock_guard lock(mutex_);
    if (teardown_.signalled()) {
        socket->close();
        return fail(SoError::SO_EABORTED);
    }
    for (std::size_t i = 0; i < slots_.size(); ++i) {
        if (!slots_[i]) {
            slots_[i] = std::move(socket);
            return static_cast<std::int32_t>(i) + kFirstDescriptor;
        }
    }
    socket->close();
    return fail(SoError::SO_EMFILE);
}

std::shared_ptr<HostSocket> SocketTable::find(std::int32_t fd) const
{
    if (fd < kFirstDescriptor || fd > kLastDescriptor)
        return nullptr;
    std::lock_guard lock(mutex_);
    return slots_[static_cast<std::size_t>(fd - kFirstDescriptor)];
}

std::shared_ptr<HostSocket> SocketTable::take(std::int32_t fd)
{
    if (fd < kFirstDescriptor || fd > kLastDescriptor)
        return nullptr;
    std::lock_guard lock(mutex_);
    return std::move(slots_[static_cast<std::size_t>(fd - kFirstDescriptor)]);
}

Expected<void, SoError> SocketTable::close(std::int32_t fd)
{
    auto socket = take(fd);
    if (!socket)
        return fail(SoError::SO_EBADF);
    socket->close();  // outside the table lock: other descriptors stay usable meanwhile
    return {};
}

std::array<std::shared_ptr<HostSocket>, kMaxSockets> SocketTable::takeAll()
{
    std::array<std::shared_ptr<HostSocket>, kMaxSockets> all;
    std::lock_guard lock(mutex_);
    all.swap(slots_);
    return all;
}

void SocketTable::closeAll()
{
    for (auto& socket : takeAll())
        if (socket)
            socket->close();
}

std::vector<std::int32_t> SocketTable::descriptors() const
{
    std::vector<std::int32_t> out;
    std::lock_guard lock(mutex_);
    for (std::size_t i = 0; i < slots_.size(); ++i)
        if (slots_[i])
            out.push_back(static_cast<std::int32_t>(i) + kFirstDescriptor);
    return out;
}

WaitResult SocketTable::waitFor(HostSocket& socket, bool read, bool write, guest::Deadline deadline)
{
    if (socket.closed())
        return WaitResult::Aborted;
    guest::WaitItem target = guest::waitTarget(socket.nativeHandle(), read, write);
    return guest::waitFor(hooks_, {&target, 1}, {&socket.closeSignal(), &teardown_}, deadline);
}

}  // namespace wiiu::nsysnet
