#include <wiiu_nssl/process.h>

#include "hle/nssl/service.h"
#include "hle/nsysnet/socket_table.h"

namespace wiiu {

Process::Process(guest::EmbeddingHooks& hooks, std::shared_ptr<const certstore::CertStore> store,
                 nssl::Config config)
    : hooks_(hooks), sockets_(std::make_unique<nsysnet::SocketTable>(hooks)),
      nssl_(std::make_unique<nssl::Service>(std::move(config), std::move(store), *sockets_, hooks))
{
}

Process::~Process()
{
    // TLS first, while the sockets can still carry close_notify; then wake every guest thread
    // blocked in a socket call before any library state goes away.
    nssl_->finish();
    sockets_->teardown();
}

bool Process::firstFailureOf(guest::ExportIndex index)
{
    std::lock_guard lock(reportedMutex_);
    return reported_.insert(index).second;
}

}  // namespace wiiu
