// The module under test, driven as an emulator drives it: a guest process whose every call goes
// through wiiu::importTable().call(index, process, memory, frame), with indices resolved once
// and every argument in guest memory.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <memory>
#include <vector>

#include <wiiu_nssl/nssl_config.h>
#include "support/guest_env.h"

namespace wiiu::bench {

class NsslBenchGuest : public test::GuestEnv {
public:
    /// `hooks`: the emulator's (a fiber scheduler's waiting); null for the default blocking ones.
    explicit NsslBenchGuest(nssl::Config config = {}, std::shared_ptr<guest::EmbeddingHooks> hooks = nullptr);

    /// NSSLInit, socket_lib_init, NSSLCreateContext(0), NSSLAddServerPKIExternal(caDer).
    std::int32_t createContext(const std::vector<std::uint8_t>& caDer);

    struct Conn {
        std::int32_t fd = -1;
        std::int32_t conn = -1;
        explicit operator bool() const { return conn >= 0; }
    };
    /// socket + setsockopt(TCP_NODELAY, as the other clients; not when `noDelay` is false: a
    /// game's default options, Nagle on) + connect + NSSLCreateConnection (verify chain, name and
    /// dates; blocking) [+ NSSLSetSession] + NSSLDoHandshake. conn < 0 on failure.
    Conn connect(std::int32_t ctx, std::uint16_t port, std::int32_t session = -1, bool noDelay = true);
    /// NSSLDestroyConnection (close_notify) + socketclose.
    void close(const Conn& c);

    /// One NSSLRead of at most `max` bytes into the guest I/O buffer; bytes read, 0 on error.
    std::uint32_t read(std::int32_t conn, std::uint32_t max) { return readInto(conn, io_, word_, max); }
    /// The same into a guest buffer of the caller's (kIoSize bytes) and a guest word for the
    /// count, so guest threads reading at once never share memory.
    std::uint32_t readInto(std::int32_t conn, guest::GuestAddress buffer, guest::GuestAddress count, std::uint32_t max);
    /// One blocking NSSLWrite of `len` bytes of the guest I/O buffer; false on error.
    bool write(std::int32_t conn, std::uint32_t len) { return writeFrom(conn, io_, word_, len); }
    bool writeFrom(std::int32_t conn, guest::GuestAddress buffer, guest::GuestAddress count, std::uint32_t len);
    /// The guest I/O buffer (kIoSize bytes) as a host pointer, to fill before write().
    std::byte* ioHost() { return host(io_); }
    static constexpr std::uint32_t kIoSize = 64 * 1024;

    std::int32_t getSession(std::int32_t conn) { return call32(getSession_, {u(conn)}); }
    void freeSession(std::int32_t session) { call32(freeSession_, {u(session)}); }

    /// NSSLGetPending's export index and a guest word for its output (the call-overhead row).
    guest::ExportIndex pendingIndex() const { return pending_; }
    guest::GuestAddress outWord() const { return word_; }

    std::int32_t call32(guest::ExportIndex index, std::initializer_list<std::uint32_t> args)
    {
        return static_cast<std::int32_t>(callIndex(index, args));
    }
    static std::uint32_t u(std::int32_t v) { return static_cast<std::uint32_t>(v); }

private:
    guest::ExportIndex index(const char* library, const char* name) const;

    guest::ExportIndex socketLibInit_, socket_, setsockopt_, connect_, socketClose_, init_, createContext_, addServerPki_,
        createConnection_, setSession_, doHandshake_, read_, write_, pending_, destroyConnection_, getSession_,
        freeSession_;
    guest::GuestAddress io_ = 0, word_ = 0, one_ = 0, sockaddr_ = 0, hostName_ = 0;
};

}  // namespace wiiu::bench
