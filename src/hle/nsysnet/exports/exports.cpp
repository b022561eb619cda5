// nsysnet's library-level exports, and the registration of every implemented socket export.
#include "hle/nsysnet/exports/exports.h"

#include "hle/export_failures.h"
#include "hle/guest/marshal.h"
#include "hle/nsysnet/exports/export_call.h"

namespace wiiu::nsysnet {

namespace {

using guest::Call;

/// Idempotent; the console opens /dev/socket here, the module has nothing to open.
std::int32_t socket_lib_init(Call& call)
{
    SocketCall net(call);
    if (!call.process().servesSockets())
        return net.fail(SoError::SO_ELIBNOTREADY,
                        "this process's sockets are the emulator's (a Process made with a SocketProvider): "
                        "register only the module's NSSL exports (ExportPart::Nssl)");
    net.table().initialize();
    return net.ok();
}

/// Closes every socket of the process, which wakes calls blocked on them (accept, connect, recv,
/// send, select) with SO_EABORTED, as NSSLFinish wakes its calls; later calls fail with
/// SO_ELIBNOTREADY until the next socket_lib_init (docs/sockets.md: chosen).
std::int32_t socket_lib_finish(Call& call)
{
    SocketCall net(call);
    if (!net.table().finish())
        return net.fail(SoError::SO_ENOLIBRM, "the library was not initialised");
    net.table().closeAll();
    return net.ok();
}

/// Reads the calling thread's error; not a socket call, so it leaves the error as it is.
std::int32_t socketlasterr(Call& call)
{
    return static_cast<std::int32_t>(call.process().sockets().lastErrors().get(call.thread()));
}

}  // namespace

void registerExports(guest::ImportTableBuilder& table)
{
    static constexpr guest::ExportDef kExports[] = {
        WIIU_EXPORT(socket_lib_init),
        WIIU_EXPORT(socket_lib_finish),
        WIIU_EXPORT(socketlasterr),
        WIIU_NOT_IMPLEMENTED("socket_lib_decode_error"),
        WIIU_NOT_IMPLEMENTED("getsocklibopt"),
        WIIU_NOT_IMPLEMENTED("setsocklibopt"),
        WIIU_NOT_IMPLEMENTED("set_multicast_state"),
        WIIU_NOT_IMPLEMENTED("simple_ping"),
        WIIU_NOT_IMPLEMENTED("simple_ping_result"),
        WIIU_NOT_IMPLEMENTED("get_socket_rm_fd"),
        WIIU_NOT_IMPLEMENTED("get_nssl_rm_fd"),
        WIIU_NOT_IMPLEMENTED("SOGetProxyConfig"),
    };
    table.add({guest::ExportPart::Sockets, "nsysnet", log::Channel::nsysnet, failure::minusOne, kExports});
    registerSocketExports(table);
    registerIoExports(table);
    registerInetExports(table);
    registerResolverExports(table);
    registerAddrinfoExports(table);
    registerNetconfExports(table);
}

}  // namespace wiiu::nsysnet
