// nsysnet as measured on a console (issue 18), through the import table: h_errno's address, select's
// untouched sets on timeout, the socket option table, broadcast without SO_BROADCAST, the export
// families the module only lists, and the resolver calls. Sources are named in docs/sockets.md.
#include <chrono>
#include <string>
#include <thread>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/host_name.hpp>
#include <boost/asio/ip/udp.hpp>
#include <gtest/gtest.h>

#include <wiiu_nssl/nsysnet_errors.h>
#include "platform/socket.h"
#include "support/nsysnet_guest.h"

using namespace wiiu;
using namespace wiiu::test;
using namespace std::chrono_literals;
using nsysnet::SoError;

namespace {

constexpr std::uint32_t kTcp = 6;
constexpr std::int32_t kEaiInProgress = 15;  // EAI_INPROGRESS

/// getsockopt of one int option: the value, or -1000 - socketlasterr() when the call failed.
std::int32_t getInt(NetGuest& g, std::int32_t fd, std::uint32_t level, std::uint32_t name)
{
    const auto value = g.alloc(8);
    const auto len = g.put(guest::bei32(8)).address;
    const std::int32_t r = g.net("getsockopt", {u(fd), level, name, value, len});
    return r == 0 ? static_cast<std::int32_t>(g.readBe32(value)) : -1000 - g.lastError();
}

/// setsockopt of one int option: 0, or -1000 - socketlasterr().
std::int32_t setInt(NetGuest& g, std::int32_t fd, std::uint32_t level, std::uint32_t name, std::int32_t v)
{
    const auto value = g.put(guest::bei32(v)).address;
    const std::int32_t r = g.net("setsockopt", {u(fd), level, name, value, 4});
    return r == 0 ? 0 : -1000 - g.lastError();
}

constexpr std::int32_t refused(SoError e) { return -1000 - err(e); }

}  // namespace

TEST(NsysnetConsole, GetHErrnoReturnsTheAddressOfTheProcessWord)
{
    NetGuest g;
    const auto at = static_cast<std::uint32_t>(g.net("get_h_errno", {}));
    ASSERT_GE(at, GuestEnv::kHeapBase);  // a guest pointer into the emulator's guest heap
    const auto bad = g.putString("no-such-host.invalid");
    EXPECT_EQ(g.net("gethostbyname", {bad.address}), 0);
    EXPECT_EQ(g.readBe32(at), 1u);  // HOST_NOT_FOUND, where the guest dereferences it
    // One word per process: another thread sees the same address and value.
    EXPECT_EQ(static_cast<std::uint32_t>(g.net("get_h_errno", {}, 2)), at);
    const auto good = g.putString("localhost");
    EXPECT_NE(g.net("gethostbyname", {good.address}, 2), 0);
    EXPECT_EQ(g.readBe32(at), 0u);
}

TEST(NsysnetConsole, WithoutAGuestHeapGetHErrnoIsNullAndNothingCrashes)
{
    guest::DefaultHooks noHeap;  // an emulator that gives the module no guest memory
    GuestEnv::ProcessSettings settings;
    settings.hooks = &noHeap;
    GuestEnv g(std::move(settings));
    g.call("nsysnet", "socket_lib_init", {});
    EXPECT_EQ(g.call("nsysnet", "get_h_errno", {}), 0u);
    const auto name = g.putString("localhost");
    EXPECT_EQ(g.call("nsysnet", "gethostbyname", {name.address}), 0u);  // no hostent either
    EXPECT_EQ(static_cast<std::int32_t>(g.call("nsysnet", "socketlasterr", {})), err(SoError::SO_ENOMEM));
}

TEST(NsysnetConsole, SelectTimeoutLeavesTheCallersSetsUntouched)
{
    NetGuest g;
    const std::int32_t fd = g.udp();
    ASSERT_EQ(g.bindLoopback(fd), 0);
    const std::uint32_t bit = 1u << fd;
    const auto rset = g.put(guest::be32(bit)).address;
    const auto eset = g.put(guest::be32(bit)).address;
    const auto zero = g.put(nsysnet::GuestTimeval{}).address;
    const auto brief = g.put(nsysnet::GuestTimeval{guest::bei32(0), guest::bei32(20000)}).address;
    for (auto tv : {zero, brief}) {
        EXPECT_EQ(g.net("select", {32, rset, 0, eset, tv}), 0);
        EXPECT_EQ(g.readBe32(rset), bit);
        EXPECT_EQ(g.readBe32(eset), bit);
        EXPECT_EQ(g.lastError(), 0);
    }
}

TEST(NsysnetConsole, FreshSocketsReport8192AndBufferSizesReadBackAsSet)
{
    NetGuest g;
    const std::int32_t t = g.tcp();
    EXPECT_EQ(getInt(g, t, kSolSocket, 0x1001), 8192);  // SO_SNDBUF
    EXPECT_EQ(getInt(g, t, kSolSocket, 0x1002), 8192);  // SO_RCVBUF
    for (std::uint32_t name : {0x1001u, 0x1002u}) {
        for (std::int32_t v : {-1, 0, 1, 4096, 65535}) {
            EXPECT_EQ(setInt(g, t, kSolSocket, name, v), 0) << v;
            EXPECT_EQ(getInt(g, t, kSolSocket, name), v);  // never the host's doubled figure
        }
        EXPECT_EQ(setInt(g, t, kSolSocket, name, 65536), refused(SoError::SO_EINVAL));
        EXPECT_EQ(getInt(g, t, kSolSocket, name), 65535);
    }
}

TEST(NsysnetConsole, BooleanOptionsReadBackAsTheirBit)
{
    NetGuest g;
    const std::int32_t t = g.tcp();
    for (std::uint32_t bit : {0x4u, 0x8u, 0x10u, 0x20u, 0x100u, 0x200u, 0x400u}) {
        EXPECT_EQ(getInt(g, t, kSolSocket, bit), 0) << bit;
        EXPECT_EQ(setInt(g, t, kSolSocket, bit, 1), 0) << bit;
        EXPECT_EQ(getInt(g, t, kSolSocket, bit), static_cast<std::int32_t>(bit));
        EXPECT_EQ(setInt(g, t, kSolSocket, bit, 0), 0);
        EXPECT_EQ(getInt(g, t, kSolSocket, bit), 0);
    }
}

TEST(NsysnetConsole, LingerReadsBackOnAs0x80AndRefusesANegativeTime)
{
    NetGuest g;
    const std::int32_t t = g.tcp();
    const auto on = g.put(nsysnet::GuestLinger{guest::bei32(1), guest::bei32(2)}).address;
    ASSERT_EQ(g.net("setsockopt", {u(t), kSolSocket, 0x80, on, 8}), 0);
    const auto out = g.alloc(8);
    const auto len = g.put(guest::bei32(8)).address;
    ASSERT_EQ(g.net("getsockopt", {u(t), kSolSocket, 0x80, out, len}), 0);
    EXPECT_EQ(g.readBe32(out), 0x80u);
    EXPECT_EQ(g.readBe32(out + 4), 2u);
    const auto negative = g.put(nsysnet::GuestLinger{guest::bei32(1), guest::bei32(-1)}).address;
    EXPECT_EQ(g.net("setsockopt", {u(t), kSolSocket, 0x80, negative, 8}), -1);
    EXPECT_EQ(g.lastError(), err(SoError::SO_EINVAL));
    ASSERT_EQ(g.net("getsockopt", {u(t), kSolSocket, 0x80, out, len}), 0);
    EXPECT_EQ(g.readBe32(out + 4), 2u);  // the refused set changed nothing
}

TEST(NsysnetConsole, TuningOptionsAreAcceptedAndRecorded)
{
    NetGuest g;
    const std::int32_t t = g.tcp();
    EXPECT_EQ(setInt(g, t, kSolSocket, 0x4000, 1), 0);  // SO_NOSLOWSTART: set only
    EXPECT_EQ(getInt(g, t, kSolSocket, 0x4000), refused(SoError::SO_ENOPROTOOPT));
    EXPECT_EQ(setInt(g, t, kSolSocket, 0x1010, 1400), 0);  // SO_MAXMSG
    EXPECT_EQ(getInt(g, t, kSolSocket, 0x1010), 1400);
    EXPECT_EQ(getInt(g, t, kTcp, 0x2003), 1400);  // the same value as TCP_MAXSEG
    for (std::uint32_t name : {0x2001u, 0x2002u, 0x2005u}) {
        EXPECT_EQ(setInt(g, t, kTcp, name, 7), 0) << name;
        EXPECT_EQ(getInt(g, t, kTcp, name), 7);
    }
    // The getters the console answers with 0, and refuses to set.
    for (std::uint32_t name : {0x1003u, 0x1004u, 0x1009u}) {
        EXPECT_EQ(getInt(g, t, kSolSocket, name), 0) << name;
        EXPECT_EQ(setInt(g, t, kSolSocket, name, 1), refused(SoError::SO_ENOPROTOOPT));
    }
    EXPECT_EQ(getInt(g, t, kSolSocket, 0x1014), refused(SoError::SO_ENOPROTOOPT));  // SO_NBIO: set only
}

TEST(NsysnetConsole, MyAddrIsTheLocalIpv4Address)
{
    NetGuest g;
    const std::int32_t udp = g.udp();
    ASSERT_EQ(g.bindLoopback(udp), 0);
    EXPECT_EQ(static_cast<std::uint32_t>(getInt(g, udp, kSolSocket, 0x1013)), NetGuest::kLoopback);
    EXPECT_EQ(setInt(g, udp, kSolSocket, 0x1013, 1), refused(SoError::SO_ENOPROTOOPT));
    // Unbound: the host's own address (or 0 where it has no route out); never an error.
    const std::int32_t fresh = g.udp();
    const auto value = g.alloc(4);
    const auto len = g.put(guest::bei32(4)).address;
    EXPECT_EQ(g.net("getsockopt", {u(fresh), kSolSocket, 0x1013, value, len}), 0);
}

TEST(NsysnetConsole, UdpBroadcastIsSentWithoutSoBroadcast)
{
    // A real datagram to the loopback broadcast address 127.255.255.255 (Linux's local table has
    // it on lo), received by a host socket bound to INADDR_ANY.
    boost::asio::io_context io;
    boost::asio::ip::udp::socket receiver(io, {boost::asio::ip::address_v4::any(), 0});
    const std::uint16_t port = receiver.local_endpoint().port();

    NetGuest g;
    const std::int32_t udp = g.udp();
    EXPECT_EQ(getInt(g, udp, kSolSocket, 0x20), 0);  // the guest never set SO_BROADCAST
    const auto data = g.putString("whb-log");
    EXPECT_EQ(g.net("sendto", {u(udp), data.address, 7, 0, g.sockaddr(0x7FFFFFFF, port), 16}), 7);
    EXPECT_EQ(g.lastError(), 0);
    platform::PollEntry p{.socket = static_cast<platform::NativeSocket>(receiver.native_handle()), .read = true};
    ASSERT_EQ(platform::poll({&p, 1}, 2000), 1);
    char buf[16] = {};
    EXPECT_EQ(receiver.receive(boost::asio::buffer(buf)), 7u);
    EXPECT_EQ(std::string(buf, 7), "whb-log");
}

TEST(NsysnetConsole, TheConsolesOtherExportFamiliesAreListedAsNotImplemented)
{
    NetGuest g;
    const auto& table = g.table();
    std::size_t netconf = 0, wd = 0, icmp = 0;
    for (const auto& e : table.entries()) {
        if (e.library == "nsysnet" && e.name.starts_with("netconf_"))
            ++netconf;
        if (e.library == "nsysnet" && e.name.starts_with("WD"))
            ++wd;
        if (e.library == "nn_nets2" && e.name.starts_with("icmp_"))
            ++icmp;
    }
    EXPECT_EQ(netconf, 46u);  // wut's cafe/nsysnet.def
    EXPECT_EQ(wd, 43u);
    EXPECT_EQ(icmp, 5u);      // wut's cafe/nn_nets2.def
    ASSERT_TRUE(table.find("nn_nets2", "somemopt"));
    const std::string report = table.coverageReport();
    for (const char* name : {"netconf_get_if_ipv4_info", "WDGetRssi", "icmp_ping", "somemopt"})
        EXPECT_NE(report.find(name), std::string::npos) << name;
    EXPECT_EQ(g.net("netconf_get_ifstate", {0, 0}), -1);
    EXPECT_EQ(g.lastError(), err(SoError::SO_EOPNOTSUPP));
    EXPECT_EQ(static_cast<std::int32_t>(g.call("nn_nets2", "icmp_create_handle", {})), -1);
    EXPECT_EQ(g.lastError(), err(SoError::SO_EOPNOTSUPP));
}

TEST(NsysnetConsole, ResolverControlCallsAnswerZero)
{
    NetGuest g;
    const auto name = g.putString("www.example.com");
    EXPECT_EQ(g.net("dns_abort_by_hname", {name.address}), 0);
    EXPECT_EQ(g.net("dns_abort_by_hname", {0}), 0);  // with nothing pending, as measured
    EXPECT_EQ(g.net("clear_resolver_cache", {}), 0);
    EXPECT_EQ(g.lastError(), 0);
}

TEST(NsysnetConsole, GetaddrinfoRsWaitsAndAsyncAnswersLocalNamesAtOnce)
{
    NetGuest g;
    const auto res = g.alloc(4);
    const auto local = g.putString("localhost");
    ASSERT_EQ(g.net("getaddrinfo_rs", {local.address, 0, 0, res}), 0);
    ASSERT_NE(g.readBe32(res), 0u);
    g.net("freeaddrinfo", {g.readBe32(res)});
    // A dotted address needs no lookup: 0 and a chain on the first call (measured for 127.0.0.1).
    const auto numeric = g.putString("127.0.0.1");
    for (const char* name : {"getaddrinfo_async", "getaddrinfo_async_rs"}) {
        g.memory().store(guest::GuestPtr<guest::be32>{res}, guest::be32(0));
        ASSERT_EQ(g.net(name, {numeric.address, 0, 0, res}), 0) << name;
        const auto ai = g.readValue<nsysnet::GuestAddrinfo>(g.readBe32(res));
        EXPECT_EQ(g.readValue<nsysnet::GuestSockaddrIn>(ai.addr).address, NetGuest::kLoopback);
        g.net("freeaddrinfo", {g.readBe32(res)});
    }
}

TEST(NsysnetConsole, GetaddrinfoAsyncIsInProgressThenAnswersALaterPoll)
{
    // A name the host resolver must be asked for (this machine's own name): whatever it answers,
    // the first call is EAI_INPROGRESS with nothing written, and a later poll answers.
    const std::string host = boost::asio::ip::host_name();
    ASSERT_FALSE(host.empty());
    NetGuest g;
    const auto name = g.putString(host + ".");  // never a name the module answers itself
    const auto res = g.put(guest::be32(0xAAAAAAAA)).address;
    EXPECT_EQ(g.net("getaddrinfo_async", {name.address, 0, 0, res}), kEaiInProgress);
    EXPECT_EQ(g.readBe32(res), 0xAAAAAAAAu);
    std::int32_t rc = kEaiInProgress;
    const auto end = std::chrono::steady_clock::now() + 20s;
    while (rc == kEaiInProgress && std::chrono::steady_clock::now() < end) {
        std::this_thread::sleep_for(5ms);
        rc = g.net("getaddrinfo_async", {name.address, 0, 0, res});
    }
    EXPECT_NE(rc, kEaiInProgress);
    if (rc == 0) {
        EXPECT_NE(g.readBe32(res), 0xAAAAAAAAu);
        // A found name is answered at once for a while, as the console's cache did.
        EXPECT_EQ(g.net("getaddrinfo_async", {name.address, 0, 0, res}), 0);
    }
}

TEST(NsysnetConsole, NewCodesHaveNames)
{
    EXPECT_EQ(nsysnet::resultName(static_cast<nsysnet::Eai>(kEaiInProgress)), "EAI_INPROGRESS");
    EXPECT_EQ(nsysnet::errorName(static_cast<SoError>(46)), "SO_EAPIERROR");
    EXPECT_EQ(nsysnet::errorName(static_cast<SoError>(47)), "SO_EBADERRORCODE");
    for (int code = 100; code <= 104; ++code)
        EXPECT_TRUE(nsysnet::errorName(static_cast<SoError>(code)).starts_with("SO_EICMP")) << code;
    NetGuest g;
    const auto text = static_cast<std::uint32_t>(g.net("gai_strerror", {15}));
    ASSERT_NE(text, 0u);
    EXPECT_NE(std::string(reinterpret_cast<const char*>(g.host(text))), "Unknown error");
}
