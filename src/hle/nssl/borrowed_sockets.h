// NSSL over the emulator's own sockets (<wiiu_nssl/socket_provider.h>): transports over host
// sockets the module borrows. Borrowed means: never closed, never switched to another blocking
// mode or given an option, read and written only with calls that do not block. When the guest
// closes a descriptor (Process::guestSocketClosing), every transport over it is cut off before
// the emulator closes the host socket, so a reused descriptor is never touched.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <vector>

#include <wiiu_nssl/socket_provider.h>
#include "common/module_lock.h"
#include "hle/nssl/socket_transport.h"

namespace wiiu::nssl {

class BorrowedTransport;

class BorrowedSockets final : public SocketSource {
public:
    explicit BorrowedSockets(std::shared_ptr<SocketProvider> provider);

    std::shared_ptr<SocketTransport> open(std::int32_t fd) override;
    /// The guest closed `fd`: every transport over it fails from now on and its waits end.
    void closing(std::int32_t fd);
    /// The process ends: the same for every transport (nothing is closed: nothing is ours).
    void closeAll();

private:
    std::shared_ptr<SocketProvider> provider_;
    ModuleMutex mutex_;  // open_
    std::multimap<std::int32_t, std::weak_ptr<BorrowedTransport>> open_;

    /// Cuts off the transports over `fd`, or every transport when there is none.
    void cut(std::optional<std::int32_t> fd);
};

}  // namespace wiiu::nssl
