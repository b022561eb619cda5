// Fuzz target: a guest calling the import table. The input is a script of export calls: which
// export (by index into wiiu::importTable()), and for each argument word whether it is a small
// integer, an earlier result (live handles and descriptors), a pointer into guest memory (inside,
// at the very end, or just outside), or a raw word. Guest memory starts with bytes from the input.
//
// Oracle beyond the sanitizers: a call the export refuses (NSSL_ERROR_INVALID_ARG, or -1 with
// SO_EFAULT / SO_EINVAL from a socket call) must leave guest memory exactly as it was.
//
// Safety of the harness itself: sockets only ever reach 127.0.0.1 (every sockaddr is rewritten
// to loopback, towards a local listener that never answers, a closed port, or an in-process
// BearSSL server that completes handshakes and hands out sessions), the resolver exports that
// take a host name are called only with names the module answers itself (the getaddrinfo family's
// node is rewritten to a dotted address, localhost or a .invalid name) and the others never (they
// would ask a real DNS server), and every blocking wait is capped
// by the hooks: after a few short waits per input the hooks report every watched descriptor as
// failed, which aborts the blocked call the way a socket close would.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <cstdlib>
#include <tuple>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>
#include <vector>

#include <spdlog/spdlog.h>

#include "hle/export_failures.h"
#include "hle/exports.h"
#include <wiiu_nssl/guest_memory.h>
#include <wiiu_nssl/hooks.h>
#include "hle/nssl/errors.h"
#include "hle/process_state.h"
#include <wiiu_nssl/nsysnet_errors.h>
#include <wiiu_nssl/process.h>
#include "support/bearssl_server.h"
#include "support/nssl_guest.h"
#include "support/pki_fixture.h"

namespace {

using namespace wiiu;

constexpr guest::GuestAddress kBase = 0x10000000;
constexpr std::uint32_t kSize = 256 * 1024;
constexpr guest::GuestAddress kStack = kBase + 0x8000;       ///< r1
constexpr guest::GuestAddress kData = kBase + 0x10000;       ///< input bytes land here
constexpr guest::GuestAddress kHeap = kBase + 0x20000;       ///< hooks' guest heap
constexpr std::uint32_t kHeapSize = kSize - 0x20000;
constexpr guest::GuestAddress kNames = kBase + 0x100;        ///< confined host names (below the stack)

/// Host names the module answers without the host resolver (so no DNS query leaves the machine).
constexpr std::array<std::string_view, 4> kLocalNames{"127.0.0.1", "localhost", "no-such.invalid", "10.1.2.3"};

/// Waits at most 2 ms each. A wait that ends with nothing ready spends one unit of the input's
/// budget (a wait the TLS server answers costs nothing); once it is spent every item reports
/// failure, which ends any blocked call as if its socket had been closed.
class FuzzHooks final : public guest::DefaultHooks {
public:
    FuzzHooks() : DefaultHooks(kHeap, kHeapSize) {}
    int budget = 0;

    int wait(std::span<guest::WaitItem> items, guest::Deadline deadline) override
    {
        if (budget <= 0) {
            for (auto& item : items)
                item.failed = true;
            return static_cast<int>(items.size());
        }
        const auto cap = std::chrono::steady_clock::now() + std::chrono::milliseconds(2);
        if (!deadline || *deadline > cap)
            deadline = cap;
        const int ready = DefaultHooks::wait(items, deadline);
        if (ready == 0)
            --budget;
        return ready;
    }
};

struct Reader {
    const std::uint8_t* p;
    std::size_t n;
    bool empty() const { return n == 0; }
    std::uint8_t byte()
    {
        if (n == 0)
            return 0;
        --n;
        return *p++;
    }
    std::uint16_t u16() { return static_cast<std::uint16_t>(byte() | (byte() << 8)); }
    std::uint32_t u32() { return u16() | (static_cast<std::uint32_t>(u16()) << 16); }
};

/// A local TCP listener that never accepts: connections to it complete and then hear nothing.
struct Listener {
    int fd = -1;
    std::uint16_t port = 0;
    std::uint16_t closedPort = 0;
    Listener()
    {
        fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t len = sizeof a;
        ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
        ::listen(fd, 512);
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
        port = ntohs(a.sin_port);
        // A port that was free a moment ago: connections to it are refused.
        int tmp = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        a.sin_port = 0;
        ::bind(tmp, reinterpret_cast<sockaddr*>(&a), sizeof a);
        ::getsockname(tmp, reinterpret_cast<sockaddr*>(&a), &len);
        closedPort = ntohs(a.sin_port);
        ::close(tmp);
    }
    /// Drops whatever connected, so the backlog never fills.
    void drain()
    {
        int c;
        while ((c = ::accept4(fd, nullptr, nullptr, SOCK_CLOEXEC)) >= 0)
            ::close(c);
    }
};

/// Serves each connection a few bytes and a FIN (no close_notify to wait for, so it moves on to
/// the next connection at once): handshakes complete, sessions exist.
std::unique_ptr<test::BearSslServer> startTlsServer()
{
    test::BearSslServer::Options o;
    // An EC key: its handshakes cost a fraction of RSA's, which keeps the fuzzer fast.
    o.chain = {test::pkiBytes("ec-server.der")};
    o.key = test::pkiBytes("ec-server.key.der");
    o.behavior = test::BearSslServer::Behavior::SendThenFin;
    o.payload = "fuzz";
    std::string why;
    auto server = test::BearSslServer::start(std::move(o), &why);
    if (!server) {
        std::fprintf(stderr, "import_table fuzz: cannot start the TLS server: %s\n", why.c_str());
        std::abort();
    }
    return server;
}

struct Setup {
    const guest::ImportTable& table = importTable();
    std::vector<guest::ExportIndex> allowed;
    Listener listener;
    std::unique_ptr<test::BearSslServer> tls = startTlsServer();
    bool isAddressCall(guest::ExportIndex i) const
    {
        const auto& n = table.entry(i).name;
        return n == "connect" || n == "bind" || n == "sendto";
    }
    /// getaddrinfo(_rs, _async, _async_rs): node, service, hints, res.
    bool isNodeCall(guest::ExportIndex i) const { return table.entry(i).name.starts_with("getaddrinfo"); }
    Setup()
    {
        // WIIU_FUZZ_TRACE=1 shows every call the harness makes (to replay one input by hand).
        spdlog::set_level(std::getenv("WIIU_FUZZ_TRACE") ? spdlog::level::trace : spdlog::level::off);
        for (guest::ExportIndex i = 0; i < table.entries().size(); ++i) {
            const std::string_view name = table.entry(i).name;
            // Resolver exports would send DNS queries off this machine.
            // (The getaddrinfo family stays: its node is confined, see confineNode.)
            if (name == "gethostbyname" || name == "getnameinfo" || name == "gethostbyaddr")
                continue;
            allowed.push_back(i);
        }
        // By name, so committed seeds keep meaning the same exports when registration changes.
        std::sort(allowed.begin(), allowed.end(), [&](guest::ExportIndex a, guest::ExportIndex b) {
            const auto& x = table.entry(a);
            const auto& y = table.entry(b);
            return std::tie(x.library, x.name) < std::tie(y.library, y.name);
        });
        if (std::getenv("WIIU_FUZZ_PRINT_EXPORTS"))
            for (std::size_t i = 0; i < allowed.size(); ++i)
                std::printf("%zu %s %s\n", i, table.entry(allowed[i]).library.c_str(), table.entry(allowed[i]).name.c_str());
    }
};

Setup& setup()
{
    static Setup s;
    return s;
}

/// Points an AF_INET sockaddr the guest passes at 127.0.0.1: by the low bits of the port the
/// guest chose, the silent listener (odd), a closed port (0 mod 4) or the TLS server (2 mod 4).
void confine(guest::FlatGuestMemory& memory, std::uint32_t address, std::uint32_t length, const Setup& s)
{
    if (length < 8)
        return;
    auto bytes = memory.translate(address, 8);
    if (!bytes)
        return;
    std::byte* p = bytes->data();
    const std::uint16_t was = static_cast<std::uint16_t>(static_cast<std::uint8_t>(p[2]) << 8 | static_cast<std::uint8_t>(p[3]));
    const unsigned choice = was & 3;
    std::uint16_t port = choice & 1 ? s.listener.port : choice == 0 ? s.listener.closedPort : s.tls->port();
    if (was == s.listener.port || was == s.listener.closedPort || was == s.tls->port())
        port = was;  // rewritten by an earlier call of this input: keep its destination
    p[2] = static_cast<std::byte>(port >> 8);
    p[3] = static_cast<std::byte>(port & 0xff);
    p[4] = std::byte{127}, p[5] = std::byte{0}, p[6] = std::byte{0}, p[7] = std::byte{1};
}

/// Points a getaddrinfo node at one of the names the module answers itself (or NULL), chosen by
/// the low bits of what the guest passed.
std::uint32_t confineNode(guest::FlatGuestMemory& memory, std::uint32_t node)
{
    if (node == 0 || (node & 7) == 7)
        return 0;
    const std::string_view name = kLocalNames[node % kLocalNames.size()];
    auto bytes = memory.translate(kNames, static_cast<std::uint32_t>(name.size() + 1));
    std::memcpy(bytes->data(), name.data(), name.size());
    (*bytes)[name.size()] = std::byte{0};
    return kNames;
}

/// Whether the call was refused for its arguments, which promises that nothing was written.
bool refused(const guest::ExportEntry& e, std::uint32_t result, Process& process, guest::GuestThreadId thread)
{
    if (e.fail == failure::nssl)
        return static_cast<std::int32_t>(result) == nssl::code(nssl::NsslError::INVALID_ARG);
    if (e.fail != failure::minusOne || static_cast<std::int32_t>(result) != -1)
        return false;
    const auto error = process.state()->sockets().lastErrors().get(thread);
    return error == nsysnet::SoError::SO_EFAULT || error == nsysnet::SoError::SO_EINVAL;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    Setup& s = setup();
    Reader in{data, size};
    static std::vector<std::byte> ram(kSize);
    static std::vector<std::byte> before(kSize);
    std::memset(ram.data(), 0, ram.size());
    guest::FlatGuestMemory memory(ram.data(), kBase, kSize);

    // Guest data: up to 4 KiB from the input, placed at kData.
    const std::size_t dataLen = std::min<std::size_t>(in.u16() & 0x0fff, in.n);
    std::memcpy(ram.data() + (kData - kBase), in.p, dataLen);
    in.p += dataLen, in.n -= dataLen;

    FuzzHooks hooks;
    hooks.budget = 48;  // idle waits: enough for two handshakes with the in-process server under ASan
    nssl::Config config;
    config.blockingTimeout = std::chrono::milliseconds(250);
    {
        // The tests' store: exportable server (100) and client (7) certificates to copy out.
        static const auto store = test::testCertStore();
        Process process(hooks, store, config);
        std::array<std::uint32_t, 16> results{};
        unsigned resultCount = 0;
        auto call = [&](guest::ExportIndex index, const std::array<std::uint32_t, 8>& args,
                        guest::GuestThreadId thread) {
            guest::CallFrame frame;
            frame.thread = thread;
            frame.gpr[1] = kStack;
            for (unsigned i = 0; i < 8; ++i)
                frame.gpr[3 + i] = args[i];
            std::memcpy(before.data(), ram.data(), ram.size());
            s.table.call(index, process, memory, frame);
            results[resultCount++ % results.size()] = frame.result();
            if (refused(s.table.entry(index), frame.result(), process, thread) &&
                std::memcmp(before.data(), ram.data(), ram.size()) != 0) {
                std::fprintf(stderr, "import_table fuzz: %s refused the call but wrote guest memory\n",
                             s.table.entry(index).name.c_str());
                std::abort();
            }
        };
        auto byName = [&](std::string_view name) { return *s.table.find("nsysnet", name); };
        // Most scripts want the libraries up; a flag bit leaves them down.
        const std::uint8_t flags = in.byte();
        if (!(flags & 1))
            call(byName("NSSLInit"), {}, 1);
        if (!(flags & 2))
            call(byName("socket_lib_init"), {}, 1);

        for (int step = 0; step < 48 && !in.empty(); ++step) {
            const guest::ExportIndex index = s.allowed[in.u16() % s.allowed.size()];
            std::array<std::uint32_t, 8> args{};
            const unsigned argc = 1 + in.byte() % 8;
            for (unsigned a = 0; a < argc; ++a) {
                const std::uint8_t kind = in.byte();
                switch (kind % 8) {
                case 0: args[a] = static_cast<std::uint32_t>(static_cast<std::int32_t>(kind >> 3) - 4); break;
                case 1: args[a] = results[(kind >> 3) % results.size()]; break;
                case 2: args[a] = kData + (in.u16() & 0x0fff); break;
                case 3: args[a] = kBase + kSize - (kind >> 3); break;  // the last bytes of memory
                case 4: args[a] = in.u32(); break;
                case 5: args[a] = in.u16(); break;
                case 6: args[a] = kHeap + (in.u16() % kHeapSize); break;
                case 7: args[a] = kBase - 1 - (kind >> 3); break;  // just below memory
                }
            }
            // Stack words (arguments 9+) come from the input too.
            for (unsigned w = 0; w < 4; ++w)
                memory.store(guest::GuestPtr<guest::be32>{kStack + 8 + 4 * w}, guest::be32(in.u32()));
            if (s.isAddressCall(index)) {
                // connect/bind(fd, addr, len); sendto(fd, buf, len, flags, addr, addrlen)
                const bool isSendTo = s.table.entry(index).name == "sendto";
                if (isSendTo)
                    confine(memory, args[4], args[5], s);
                else
                    confine(memory, args[1], args[2], s);
            }
            if (s.isNodeCall(index))
                args[0] = confineNode(memory, args[0]);
            call(index, args, 1 + (step & 1));
        }
    }  // Process teardown with whatever the script left open
    s.listener.drain();
    return 0;
}
