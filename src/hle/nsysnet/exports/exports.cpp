// nsysnet's library-level exports, and the registration of every implemented socket export.
#include "hle/nsysnet/exports/exports.h"

#include "hle/guest/marshal.h"
#include "hle/nsysnet/exports/export_call.h"

namespace wiiu::nsysnet {

namespace {

using guest::Call;

/// Idempotent; the console opens /dev/socket here, the module has nothing to open.
std::int32_t socket_lib_init(Call& call)
{
    SocketCall net(call);
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

void registerExports(guest::ImportTable& table)
{
    auto add = [&](const char* name, guest::HostFunction f) {
        table.add({.library = "nsysnet", .name = name, .function = f, .implemented = true, .logger = &log::nsysnet()});
    };
    add("socket_lib_init", guest::export_fn<socket_lib_init>);
    add("socket_lib_finish", guest::export_fn<socket_lib_finish>);
    add("socketlasterr", guest::export_fn<socketlasterr>);
    registerSocketExports(table);
    registerIoExports(table);
    registerInetExports(table);
    registerResolverExports(table);
}

}  // namespace wiiu::nsysnet
