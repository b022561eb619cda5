#include "hle/nsysnet/select.h"

#include <memory>
#include <vector>

#include "common/log.h"
#include "hle/nsysnet/socket_table.h"

namespace wiiu::nsysnet {

Expected<int, SoError> selectSockets(SocketTable& table, std::span<SelectEntry> entries, guest::Deadline deadline)
{
    std::vector<std::shared_ptr<HostSocket>> sockets;
    sockets.reserve(entries.size());
    for (SelectEntry& e : entries) {
        auto socket = table.find(e.fd);
        if (!socket)
            return fail(SoError::SO_EBADF);
        sockets.push_back(std::move(socket));
        e.readReady = e.writeReady = e.exceptReady = false;
    }
    std::vector<guest::WaitItem> items;
    for (;;) {
        // Layout: one item per entry, then each entry's close signal, then the teardown signal.
        items.clear();
        for (std::size_t i = 0; i < entries.size(); ++i) {
            const int fd = sockets[i]->nativeHandle();
            if (fd < 0)
                return fail(SoError::SO_EABORTED);
            items.push_back({.fd = fd, .readable = entries[i].read, .writable = entries[i].write});
        }
        for (const auto& socket : sockets)
            items.push_back(socket->closeSignal().waitItem());
        items.push_back(table.teardownSignal().waitItem());

        try {
            table.hooks().wait(items, deadline);
        } catch (const std::exception& e) {
            log::nsysnet().error("embedding hook wait() threw: {}", e.what());
            return fail(SoError::SO_EABORTED);
        }
        for (std::size_t i = entries.size(); i < items.size(); ++i)
            if (items[i].ready())
                return fail(SoError::SO_EABORTED);

        int ready = 0;
        for (std::size_t i = 0; i < entries.size(); ++i) {
            SelectEntry& e = entries[i];
            e.readReady = e.read && (items[i].readReady || items[i].failed);
            e.writeReady = e.write && (items[i].writeReady || items[i].failed);
            ready += (e.readReady ? 1 : 0) + (e.writeReady ? 1 : 0);
        }
        if (ready > 0)
            return ready;
        if (deadline && std::chrono::steady_clock::now() >= *deadline)
            return 0;
    }
}

}  // namespace wiiu::nsysnet
