// SocketTable::select over guest descriptors, on the host sockets behind them.
#include <array>
#include <memory>

#include "hle/guest/wait.h"
#include "hle/nsysnet/socket_table.h"

namespace wiiu::nsysnet {

Expected<int, SoError> SocketTable::select(std::span<SelectEntry> entries, guest::Deadline deadline)
{
    // Descriptors are 1..31, so a select names at most kMaxSockets of them (the export's fd_sets
    // are one word); an entry beyond cannot name an open socket.
    if (entries.size() > static_cast<std::size_t>(kMaxSockets))
        return fail(SoError::SO_EBADF);
    std::array<std::shared_ptr<HostSocket>, kMaxSockets> sockets;
    std::array<guest::WaitItem, kMaxSockets> targets;
    // Each close signal, then the library session's end and the process's.
    std::array<const guest::Interrupt*, kMaxSockets + 2> aborts{};
    std::size_t signalCount = entries.size();
    for (std::size_t i = 0; i < entries.size(); ++i) {
        SelectEntry& e = entries[i];
        sockets[i] = find(e.fd);
        if (!sockets[i])
            return fail(SoError::SO_EBADF);
        e.readReady = e.writeReady = e.exceptReady = false;
        aborts[i] = &sockets[i]->closeSignal();
    }
    std::shared_ptr<const guest::Interrupt> sessionEnd;
    {
        std::lock_guard lock(mutex_);
        sessionEnd = sessionEnd_;
    }
    if (sessionEnd)  // none for a table the library never initialised (tests of the table alone)
        aborts[signalCount++] = sessionEnd.get();
    aborts[signalCount++] = &teardown_;
    for (std::size_t i = 0; i < entries.size(); ++i)
        targets[i] = guest::waitTarget(sockets[i]->nativeHandle(), entries[i].read, entries[i].write);

    const std::span<guest::WaitItem> watched(targets.data(), entries.size());
    const std::span<const guest::Interrupt* const> signals(aborts.data(), signalCount);
    for (;;) {
        if (guest::waitFor(hooks_, watched, signals, deadline) == guest::WaitResult::Aborted)
            return fail(SoError::SO_EABORTED);
        int ready = 0;
        for (std::size_t i = 0; i < entries.size(); ++i) {
            SelectEntry& e = entries[i];
            e.readReady = e.read && (targets[i].readReady || targets[i].failed);
            e.writeReady = e.write && (targets[i].writeReady || targets[i].failed);
            ready += (e.readReady ? 1 : 0) + (e.writeReady ? 1 : 0);
        }
        if (ready > 0)
            return ready;
        // Only an except-set descriptor hung up, or the deadline passed.
        if (deadline && std::chrono::steady_clock::now() >= *deadline)
            return 0;
    }
}

}  // namespace wiiu::nsysnet
