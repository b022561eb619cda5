#include "support/nssl_guest.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <stdexcept>

#include "support/pki_fixture.h"

namespace wiiu::test {

namespace {

certstore::Entry entry(std::int32_t id, std::string name, certstore::Kind kind, std::uint32_t groups,
                       const std::string& cert, const std::string& key = {}, bool exportable = true)
{
    certstore::Entry e;
    e.id = id;
    e.name = std::move(name);
    e.kind = kind;
    e.groups = groups;
    e.permissions.type = kind == certstore::Kind::Client ? certstore::kTypeClient : certstore::kTypeServer;
    e.permissions.properties = (exportable ? certstore::kPropExportable : 0) | (key.empty() ? 0 : certstore::kPropHasKey);
    e.certDer = pkiBytes(cert);
    if (!key.empty())
        e.keyDer = certstore::SecretBytes(pkiBytes(key));
    return e;
}

}  // namespace

std::shared_ptr<const certstore::CertStore> testCertStore()
{
    static const auto store = [] {
        std::vector<certstore::Entry> entries;
        entries.push_back(entry(kTestClientId, "TEST_CLIENT", certstore::Kind::Client, 0, "client.der", "client.rsa.der"));
        entries.push_back(entry(kTestRootId, "TEST_ROOT", certstore::Kind::ServerCa, 0x1, "root.der"));
        entries.push_back(entry(kTestPrivateCaId, "TEST_INT", certstore::Kind::ServerCa, 0x1, "int.der", {}, false));
        entries.push_back(entry(kTestEcRootId, "TEST_EC_ROOT", certstore::Kind::ServerCa, 0x2, "ec-root.der"));
        auto created = certstore::CertStore::create(std::move(entries));
        if (!created)
            throw std::runtime_error("test certificate store: " + created.error().message);
        return *created;
    }();
    return store;
}

NsslGuest::NsslGuest(nssl::Config config, std::shared_ptr<const certstore::CertStore> store,
                     guest::EmbeddingHooks* hooks)
    : NsslGuest([&] {
          ProcessSettings settings;
          settings.store = std::move(store);
          settings.nssl = std::move(config);
          settings.hooks = hooks;
          return settings;
      }())
{
}

NsslGuest::NsslGuest(ProcessSettings settings) : GuestEnv(settings), emulatorConnect_(settings.emulatorConnect)
{
    ioBuffer_ = alloc(kIoBufferSize);
    ioWord_ = alloc(4);
}

guest::GuestAddress NsslGuest::sockaddr(std::uint16_t port)
{
    const auto at = alloc(16);
    memory().store(guest::GuestPtr<guest::be16>{at}, guest::be16(std::uint16_t{2}));
    memory().store(guest::GuestPtr<guest::be16>{at + 2}, guest::be16(port));
    memory().store(guest::GuestPtr<guest::be32>{at + 4}, guest::be32(0x7F000001u));
    return at;
}

std::int32_t NsslGuest::tcpConnect(std::uint16_t port, bool nonBlocking)
{
    if (emulatorConnect_)
        return emulatorConnect_(port, nonBlocking);
    nssl("socket_lib_init");
    const std::int32_t fd = nssl("socket", {2, 1, 6});
    if (fd < 0)
        return -1;
    if (nonBlocking) {
        const auto one = put(guest::be32(1u));
        nssl("setsockopt", {static_cast<std::uint32_t>(fd), 0xFFFFFFFF, 0x1016, one.address, 4});
    }
    const std::int32_t r = nssl("connect", {static_cast<std::uint32_t>(fd), sockaddr(port), 16});
    if (r != 0 && !(nonBlocking && lastSocketError() == 22 /* SO_EINPROGRESS */))
        return -1;
    return fd;
}

guest::GuestAddress NsslGuest::putBytes(std::span<const std::uint8_t> bytes)
{
    const auto at = alloc(static_cast<std::uint32_t>(bytes.size()));
    std::memcpy(host(at), bytes.data(), bytes.size());
    return at;
}

std::int32_t NsslGuest::context(std::int32_t version, const std::vector<std::uint8_t>& caDer)
{
    nssl("NSSLInit");
    const std::int32_t ctx = nssl("NSSLCreateContext", {static_cast<std::uint32_t>(version)});
    if (ctx >= 0 && !caDer.empty()) {
        const std::int32_t r = nssl("NSSLAddServerPKIExternal", {static_cast<std::uint32_t>(ctx), putBytes(caDer),
                                                                 static_cast<std::uint32_t>(caDer.size()), 0});
        if (r != 0)
            return r;
    }
    return ctx;
}

std::int32_t NsslGuest::connection(std::int32_t ctx, std::uint16_t port, std::string_view hostName,
                                   std::uint32_t options, bool blocking, std::int32_t* fdOut)
{
    const std::int32_t fd = tcpConnect(port, !blocking);
    if (fdOut)
        *fdOut = fd;
    if (fd < 0)
        return -1;
    const auto name = putText(hostName);
    return nssl("NSSLCreateConnection", {static_cast<std::uint32_t>(ctx), name,
                                         static_cast<std::uint32_t>(hostName.size()), options,
                                         static_cast<std::uint32_t>(fd), blocking ? 1u : 0u});
}

std::int32_t NsslGuest::write(std::int32_t conn, std::string_view text, std::int32_t* written)
{
    const auto buf = text.size() <= kIoBufferSize ? ioBuffer_ : alloc(static_cast<std::uint32_t>(text.size()));
    std::memcpy(host(buf), text.data(), text.size());
    const std::int32_t r = nssl("NSSLWrite", {static_cast<std::uint32_t>(conn), buf,
                                              static_cast<std::uint32_t>(text.size()), ioWord_});
    if (written)
        *written = static_cast<std::int32_t>(readBe32(ioWord_));
    return r;
}

std::int32_t NsslGuest::read(std::int32_t conn, std::string& out, std::uint32_t max)
{
    max = std::min(max, kIoBufferSize);
    const std::int32_t r = nssl("NSSLRead", {static_cast<std::uint32_t>(conn), ioBuffer_, max, ioWord_});
    if (r == 0)
        out.append(reinterpret_cast<const char*>(host(ioBuffer_)), readBe32(ioWord_));
    return r;
}

std::int32_t NsslGuest::readExactly(std::int32_t conn, std::string& out, std::size_t expected)
{
    const std::size_t start = out.size();
    std::int32_t r = 0;
    while (out.size() - start < expected && (r = read(conn, out)) == 0) {
    }
    return r;
}

std::string NsslGuest::echo(std::int32_t conn, std::string_view text)
{
    if (std::int32_t w = write(conn, text); w != 0) return "NSSLWrite " + std::to_string(w);
    std::string back;
    if (std::int32_t r = readExactly(conn, back, text.size()); r != 0) return "NSSLRead " + std::to_string(r);
    return back;
}

std::int32_t echoFlow(NsslGuest& g, std::int32_t ctx, std::uint16_t port, guest::GuestThreadId thread,
                      std::uint32_t size)
{
    auto call = [&](std::string_view name, std::initializer_list<std::uint32_t> args) {
        return g.nssl(name, args, thread);
    };
    const std::int32_t fd = call("socket", {2, 1, 6});
    if (fd < 0 || call("connect", {u(fd), g.sockaddr(port), 16}) != 0)
        return -100;
    const std::int32_t conn = call("NSSLCreateConnection", {u(ctx), g.putText("localhost"), 9, 7, u(fd), 1});
    if (conn < 0)
        return conn;
    std::string sent(size, '\0');
    for (std::uint32_t i = 0; i < size; ++i)
        sent[i] = static_cast<char>('a' + (thread + i * 7) % 26);
    const auto out = g.putText(sent);
    const auto in = g.alloc(size);
    const auto word = g.alloc(4);
    if (std::int32_t r = call("NSSLWrite", {u(conn), out, size, word}); r != 0)
        return r;
    for (std::uint32_t got = 0; got < size; got += g.readBe32(word))
        if (std::int32_t r = call("NSSLRead", {u(conn), in + got, size - got, word}); r != 0)
            return r;
    if (std::memcmp(g.host(in), sent.data(), size) != 0)
        return -200;
    if (std::int32_t r = call("NSSLDestroyConnection", {u(conn)}); r != 0)
        return r;
    return call("socketclose", {u(fd)});
}

std::int32_t selectThatTimesOut(NsslGuest& g, std::uint16_t port, guest::GuestThreadId thread)
{
    const std::int32_t fd = g.nssl("socket", {2, 1, 6}, thread);
    g.nssl("connect", {u(fd), g.sockaddr(port), 16}, thread);
    const auto set = g.put(guest::be32(1u << fd));
    const auto timeout = g.put(std::array{guest::be32(0u), guest::be32(30000u)});
    const std::int32_t result = g.nssl("select", {u(fd + 1), set.address, 0, 0, timeout.address}, thread);
    g.nssl("socketclose", {u(fd)}, thread);
    return result;
}

}  // namespace wiiu::test
