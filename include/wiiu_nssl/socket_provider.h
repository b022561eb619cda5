// NSSL over the emulator's own sockets: the first piece an emulator can adopt (docs/embedding.md,
// "Adopting in pieces"). The emulator keeps its nsysnet as it is and gives a Process made with a
// SocketProvider the host socket behind a guest descriptor when NSSLCreateConnection names one.
//
// The module only borrows such a socket: it never closes it, never changes its blocking mode or
// any option, and reads and writes it with calls that do not block whatever its mode (POSIX:
// MSG_DONTWAIT; Windows: a poll that finds it ready first). Waiting goes through the process's
// wait hook, as for the module's own sockets.
//
// This header includes no third-party header: it is part of the embedding API.
#pragma once

#include <wiiu_nssl/language.h>

#include <cstdint>
#include <optional>

#include <wiiu_nssl/hooks.h>

namespace wiiu {

class SocketProvider {
public:
    virtual ~SocketProvider() = default;

    /// The host socket behind guest descriptor `fd`, when `fd` is an open TCP socket of the
    /// guest's; nothing otherwise (NSSLCreateConnection then answers NSSL_ERROR_INVALID_FD).
    /// Asked once, when a connection is created over `fd`.
    virtual std::optional<guest::NativeHandle> hostSocket(std::int32_t fd) = 0;

    /// Whether the guest made `fd` non-blocking (SO_NBIO, SO_NONBLOCK): a connection created
    /// blocking then answers WANT_READ / WANT_WRITE instead of waiting, as on the console.
    /// Asked at every call that could wait, so a change the guest makes later counts.
    virtual bool guestNonBlocking(std::int32_t fd) = 0;
};

}  // namespace wiiu
