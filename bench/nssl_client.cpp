#include "nssl_client.h"

#include <cstring>
#include <stdexcept>
#include <string>

namespace wiiu::bench {

namespace {
constexpr const char kHost[] = "localhost";
}

guest::ExportIndex NsslBenchGuest::index(const char* library, const char* name) const
{
    const auto i = table().find(library, name);
    if (!i)
        throw std::runtime_error(std::string("no export ") + name);
    return *i;
}

NsslBenchGuest::NsslBenchGuest(nssl::Config config, std::shared_ptr<guest::EmbeddingHooks> hooks) : GuestEnv([&] {
          ProcessSettings settings;
          settings.nssl = std::move(config);
          settings.sharedHooks = std::move(hooks);
          return settings;
      }())
{
    socketLibInit_ = index("nsysnet", "socket_lib_init");
    socket_ = index("nsysnet", "socket");
    setsockopt_ = index("nsysnet", "setsockopt");
    connect_ = index("nsysnet", "connect");
    socketClose_ = index("nsysnet", "socketclose");
    init_ = index("nsysnet", "NSSLInit");
    createContext_ = index("nsysnet", "NSSLCreateContext");
    addServerPki_ = index("nsysnet", "NSSLAddServerPKIExternal");
    createConnection_ = index("nsysnet", "NSSLCreateConnection");
    setSession_ = index("nsysnet", "NSSLSetSession");
    doHandshake_ = index("nsysnet", "NSSLDoHandshake");
    read_ = index("nsysnet", "NSSLRead");
    write_ = index("nsysnet", "NSSLWrite");
    pending_ = index("nsysnet", "NSSLGetPending");
    destroyConnection_ = index("nsysnet", "NSSLDestroyConnection");
    getSession_ = index("nsysnet", "NSSLGetSession");
    freeSession_ = index("nsysnet", "NSSLFreeSession");

    io_ = alloc(kIoSize);
    word_ = alloc(4);
    one_ = put(guest::be32(1u)).address;
    hostName_ = putString(kHost).address;
    sockaddr_ = alloc(16);
    memory().store(guest::GuestPtr<guest::be16>{sockaddr_}, guest::be16(std::uint16_t{2}));
    memory().store(guest::GuestPtr<guest::be32>{sockaddr_ + 4}, guest::be32(0x7F000001u));
}

std::int32_t NsslBenchGuest::createContext(const std::vector<std::uint8_t>& caDer)
{
    call32(socketLibInit_, {});
    call32(init_, {});
    const std::int32_t ctx = call32(createContext_, {0});
    if (ctx < 0)
        return ctx;
    const auto der = alloc(static_cast<std::uint32_t>(caDer.size()));
    std::memcpy(host(der), caDer.data(), caDer.size());
    const std::int32_t r = call32(addServerPki_, {u(ctx), der, static_cast<std::uint32_t>(caDer.size()), 0});
    return r == 0 ? ctx : r;
}

NsslBenchGuest::Conn NsslBenchGuest::connect(std::int32_t ctx, std::uint16_t port, std::int32_t session, bool noDelay)
{
    Conn c;
    c.fd = call32(socket_, {2, 1, 6});
    if (c.fd < 0)
        return c;
    // TCP_NODELAY (IPPROTO_TCP 6, option 0x2004), as the raw BearSSL and OpenSSL clients set it.
    // Games leave Nagle on: the handshake rows measure that too (each flight is one send, so
    // none waits for the server's delayed ACK).
    if (noDelay)
        call32(setsockopt_, {u(c.fd), 6, 0x2004, one_, 4});
    memory().store(guest::GuestPtr<guest::be16>{sockaddr_ + 2}, guest::be16(port));
    if (call32(connect_, {u(c.fd), sockaddr_, 16}) != 0) {
        call32(socketClose_, {u(c.fd)});
        c.fd = -1;
        return c;
    }
    const std::int32_t conn =
        call32(createConnection_, {u(ctx), hostName_, sizeof kHost - 1, 0x7, u(c.fd), 1});
    if (conn < 0)
        return c;
    if ((session < 0 || call32(setSession_, {u(conn), u(session)}) == 0) && call32(doHandshake_, {u(conn)}) == 0) {
        c.conn = conn;
        return c;
    }
    call32(destroyConnection_, {u(conn)});
    return c;
}

void NsslBenchGuest::close(const Conn& c)
{
    if (c.conn >= 0)
        call32(destroyConnection_, {u(c.conn)});
    if (c.fd >= 0)
        call32(socketClose_, {u(c.fd)});
}

std::uint32_t NsslBenchGuest::readInto(std::int32_t conn, guest::GuestAddress buffer, guest::GuestAddress count,
                                       std::uint32_t max)
{
    if (call32(read_, {u(conn), buffer, max < kIoSize ? max : kIoSize, count}) != 0)
        return 0;
    return readBe32(count);
}

bool NsslBenchGuest::writeFrom(std::int32_t conn, guest::GuestAddress buffer, guest::GuestAddress count,
                               std::uint32_t len)
{
    return call32(write_, {u(conn), buffer, len < kIoSize ? len : kIoSize, count}) == 0;
}

}  // namespace wiiu::bench
