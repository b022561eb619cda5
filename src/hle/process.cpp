#include <wiiu_nssl/process.h>

#include <wiiu_nssl/inspection.h>

#include "hle/process_state.h"

namespace wiiu {

ProcessState::ProcessState(std::shared_ptr<guest::EmbeddingHooks> owned, guest::EmbeddingHooks& hooks,
                           std::shared_ptr<const certstore::CertStore> store, nssl::Config config,
                           std::shared_ptr<SocketProvider> provider)
    : ownedHooks_(std::move(owned)), hooks_(hooks), gate_(hooks), sockets_(gate_),
      borrowed_(provider ? std::make_unique<nssl::BorrowedSockets>(std::move(provider)) : nullptr),
      nssl_(std::move(config), std::move(store),
            borrowed_ ? static_cast<nssl::SocketSource&>(*borrowed_) : tableSockets_, gate_)
{
}

ProcessState::~ProcessState()
{
    shutdown();
}

void ProcessState::shutdown()
{
    if (shutDown_.exchange(true))
        return;
    // TLS first, while the sockets can still carry close_notify (sent only if the socket takes it
    // at once); then end every socket wait and close every host socket.
    nssl_.shutdown();
    if (borrowed_)
        borrowed_->closeAll();  // the emulator's sockets stay open: they were only lent
    sockets_.teardown();
}

void ProcessState::abandon()
{
    gate_.close();
    shutdown();
}

void ProcessState::guestSocketClosing(std::int32_t fd)
{
    if (borrowed_)
        borrowed_->closing(fd);
}

bool ProcessState::firstFailureOf(guest::ExportIndex index)
{
    std::lock_guard lock(reportedMutex_);
    return reported_.insert(index).second;
}

Process::Process(guest::EmbeddingHooks& hooks, std::shared_ptr<const certstore::CertStore> store,
                 nssl::Config config)
    : ProcessHandle(std::make_shared<ProcessState>(nullptr, hooks, std::move(store), std::move(config)))
{
}

Process::Process(std::shared_ptr<guest::EmbeddingHooks> hooks, std::shared_ptr<const certstore::CertStore> store,
                 nssl::Config config)
    : ProcessHandle(std::make_shared<ProcessState>(hooks, *hooks, std::move(store), std::move(config)))
{
}

Process::Process(std::shared_ptr<guest::EmbeddingHooks> hooks, std::shared_ptr<guest::GuestMemory> memory,
                 std::shared_ptr<const certstore::CertStore> store, nssl::Config config)
    : ProcessHandle(std::make_shared<ProcessState>(hooks, *hooks, std::move(store), std::move(config)),
                    std::move(memory))
{
}

Process::Process(std::shared_ptr<guest::EmbeddingHooks> hooks, std::shared_ptr<SocketProvider> sockets,
                 std::shared_ptr<const certstore::CertStore> store, nssl::Config config)
    : ProcessHandle(std::make_shared<ProcessState>(hooks, *hooks, std::move(store), std::move(config),
                                                   std::move(sockets)))
{
}

Process::~Process()
{
    state_->shutdown();
}

void Process::shutdown()
{
    state_->shutdown();
}

bool Process::isShutDown() const
{
    return state_->isShutDown();
}

void Process::abandon()
{
    state_->abandon();
}

bool Process::isAbandoned() const
{
    return state_->isAbandoned();
}

Expected<std::int32_t, nsysnet::SoError> Process::adoptSocket(NativeSocket hostSocket)
{
    return state_->sockets().adopt(hostSocket);
}

Expected<std::int32_t, nsysnet::SoError> Process::shareSocket(NativeSocket hostSocket)
{
    return state_->sockets().share(hostSocket);
}

Expected<NativeSocket, nsysnet::SoError> Process::detachSocket(std::int32_t fd)
{
    return state_->sockets().detach(fd);
}

void Process::guestSocketClosing(std::int32_t fd)
{
    state_->guestSocketClosing(fd);
}

bool Process::servesSockets() const
{
    return state_->servesSockets();
}

guest::EmbeddingHooks& Process::hooks() const
{
    return state_->hooks();
}

ProcessStatus inspect(const Process& process)
{
    ProcessState& state = *process.state();
    if (state.isShutDown())
        return {};
    return {state.nssl().status(), state.sockets().descriptors()};
}

}  // namespace wiiu
