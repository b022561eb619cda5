// The per-process object: every emulated library's state for one guest process. The emulator
// creates one per guest process (title) and destroys it when the process ends; destruction tears
// down every socket, context, connection and session deterministically and wakes every waiter.
#pragma once

#include <memory>
#include <mutex>
#include <unordered_set>

#include <wiiu_nssl/call_frame.h>
#include <wiiu_nssl/cert_store.h>
#include <wiiu_nssl/hooks.h>
#include <wiiu_nssl/nssl_config.h>

namespace wiiu {

// The libraries' state, defined inside the module (their headers reach Boost.Asio and BearSSL).
namespace nsysnet {
class SocketTable;
}
namespace nssl {
class Service;
}

class Process {
public:
    /// `store`: the console's certificates (shared by every process; empty when null).
    /// `config`: NSSL's settings for this process (version policy, verification, limits).
    explicit Process(guest::EmbeddingHooks& hooks, std::shared_ptr<const certstore::CertStore> store = nullptr,
                     nssl::Config config = {});
    ~Process();
    Process(const Process&) = delete;
    Process& operator=(const Process&) = delete;

    guest::EmbeddingHooks& hooks() const { return hooks_; }

    /// nsysnet: the process's socket descriptors, socketlasterr and resolver state.
    nsysnet::SocketTable& sockets() { return *sockets_; }
    /// NSSL: the process's contexts, connections and sessions.
    nssl::Service& nssl() { return *nssl_; }

    /// True the first time this process reports export `index` failing (not implemented, or the
    /// host failed under it): such failures are logged once per process, not on every call.
    bool firstFailureOf(guest::ExportIndex index);

private:
    guest::EmbeddingHooks& hooks_;

    // Library state. The socket table is the FIRST library member so it is destroyed LAST: the
    // NSSL service (declared after it) holds handles to its sockets.
    std::unique_ptr<nsysnet::SocketTable> sockets_;
    std::unique_ptr<nssl::Service> nssl_;

    std::mutex reportedMutex_;
    std::unordered_set<guest::ExportIndex> reported_;
};

}  // namespace wiiu
