// nsysnet descriptors, library state, socketlasterr and argument checks, through the import table.
#include <thread>

#include <gtest/gtest.h>

#include <wiiu_nssl/nsysnet_errors.h>
#include "hle/nsysnet/socket_info.h"
#include "hle/nsysnet/socket_table.h"
#include "support/nsysnet_guest.h"

using namespace wiiu;
using namespace wiiu::test;
using nsysnet::SoError;

namespace {

constexpr std::uint32_t kOutside = 0x0F000000;  // below guest memory
constexpr std::uint32_t kHuge = 0x7FFFFFFF;

TEST(NsysnetSocket, CallsBeforeInitFailWithLibNotReady)
{
    GuestEnv env;
    auto net = [&](std::string_view n, std::initializer_list<std::uint32_t> a) {
        return static_cast<std::int32_t>(env.call("nsysnet", n, a));
    };
    EXPECT_EQ(net("socket", {2, 1, 0}), -1);
    EXPECT_EQ(net("socketlasterr", {}), err(SoError::SO_ELIBNOTREADY));
    EXPECT_EQ(net("recv", {1, 0, 0, 0}), -1);
    EXPECT_EQ(net("select", {0, 0, 0, 0, 0}), -1);
    EXPECT_EQ(net("socketlasterr", {}), err(SoError::SO_ELIBNOTREADY));
    EXPECT_EQ(net("socket_lib_finish", {}), -1);
    EXPECT_EQ(net("socketlasterr", {}), err(SoError::SO_ENOLIBRM));
    EXPECT_EQ(net("socket_lib_init", {}), 0);
    EXPECT_EQ(net("socket_lib_init", {}), 0);  // idempotent
    EXPECT_EQ(net("socketlasterr", {}), 0);
    const std::int32_t fd = net("socket", {2, 1, 0});
    EXPECT_GE(fd, 1);
    EXPECT_EQ(net("socket_lib_finish", {}), 0);
    EXPECT_EQ(net("socketclose", {static_cast<std::uint32_t>(fd)}), -1);
    EXPECT_EQ(net("socketlasterr", {}), err(SoError::SO_ELIBNOTREADY));
}

TEST(NsysnetSocket, SocketArgumentsAreChecked)
{
    NetGuest g;
    EXPECT_EQ(g.net("socket", {23, 1, 0}), -1);
    EXPECT_EQ(g.lastError(), err(SoError::SO_EAFNOSUPPORT));
    EXPECT_EQ(g.net("socket", {2, 3, 0}), -1);
    EXPECT_EQ(g.lastError(), err(SoError::SO_EPROTOTYPE));
    EXPECT_EQ(g.net("socket", {2, 1, 17}), -1);
    EXPECT_EQ(g.lastError(), err(SoError::SO_EPROTONOSUPPORT));
    EXPECT_GE(g.net("socket", {2, 1 | 0x40, 6}), 1);  // extra bits in type are masked off
    EXPECT_GE(g.net("socket", {2, 2, 17}), 1);
    EXPECT_GE(g.net("mw_socket", {2, 2, 0}), 1);
    EXPECT_EQ(g.lastError(), 0);
}

TEST(NsysnetSocket, DescriptorsRunFromOneToThirtyOneThenEmfileAndAreReused)
{
    NetGuest g;
    std::vector<std::int32_t> fds;
    for (int i = 0; i < nsysnet::kMaxSockets; ++i)
        fds.push_back(i % 2 ? g.udp() : g.tcp());
    for (int i = 0; i < nsysnet::kMaxSockets; ++i)
        EXPECT_EQ(fds[static_cast<std::size_t>(i)], i + 1);
    EXPECT_EQ(g.tcp(), -1);
    EXPECT_EQ(g.lastError(), err(SoError::SO_EMFILE));
    EXPECT_EQ(g.net("socketclose", {7}), 0);
    EXPECT_EQ(g.net("socketclose", {3}), 0);
    EXPECT_EQ(g.tcp(), 3);  // the lowest free descriptor
    EXPECT_EQ(g.udp(), 7);
    EXPECT_EQ(g.net("socketclose_all", {}), 0);
    EXPECT_TRUE(g.process().state()->sockets().descriptors().empty());
    EXPECT_EQ(g.tcp(), 1);
}

TEST(NsysnetSocket, BadDescriptorsAreEbadfEverywhere)
{
    NetGuest g;
    const auto buf = g.alloc(64);
    const auto sa = g.sockaddr(NetGuest::kLoopback, 80);
    const auto len = g.put(guest::bei32(16)).address;
    for (std::uint32_t fd : {0u, 5u, 32u, 0xFFFFFFFFu, 1000u}) {
        const std::vector<std::pair<std::string_view, std::vector<std::uint32_t>>> calls = {
            {"socketclose", {fd}},
            {"shutdown", {fd, 2}},
            {"connect", {fd, sa, 16}},
            {"bind", {fd, sa, 16}},
            {"listen", {fd, 1}},
            {"accept", {fd, 0, 0}},
            {"send", {fd, buf, 4, 0}},
            {"recv", {fd, buf, 4, 0}},
            {"sendto", {fd, buf, 4, 0, sa, 16}},
            {"recvfrom", {fd, buf, 4, 0, 0, 0}},
            {"setsockopt", {fd, kSolSocket, 0x1014, 0, 0}},
            {"getsockopt", {fd, kSolSocket, 0x1008, buf, len}},
            {"getpeername", {fd, sa, len}},
            {"getsockname", {fd, sa, len}},
        };
        for (const auto& [name, args] : calls) {
            EXPECT_EQ(g.net(name, args), -1) << name << " fd " << fd;
            EXPECT_EQ(g.lastError(), err(SoError::SO_EBADF)) << name << " fd " << fd;
        }
    }
    // select on a descriptor that is not open
    const auto set = g.put(guest::be32(1u << 4)).address;
    const auto zero = g.put(nsysnet::GuestTimeval{}).address;
    EXPECT_EQ(g.net("select", {8, set, 0, 0, zero}), -1);
    EXPECT_EQ(g.lastError(), err(SoError::SO_EBADF));
}

TEST(NsysnetSocket, BadPointersAndLengthsNeverCrash)
{
    NetGuest g;
    const std::int32_t tcp = g.tcp();
    const std::int32_t udp = g.udp();
    const auto t = u(tcp);
    const auto d = u(udp);
    const auto buf = g.alloc(64);
    const auto sa = g.sockaddr(NetGuest::kLoopback, 1);
    const auto len16 = g.put(guest::bei32(16)).address;
    const auto len4 = g.put(guest::bei32(4)).address;
    const auto len2 = g.put(guest::bei32(2)).address;
    nsysnet::GuestSockaddrIn wrongFamily{};
    wrongFamily.family = static_cast<std::uint16_t>(23);
    const auto badFamily = g.put(wrongFamily).address;
    const auto endOfMemory = GuestEnv::kBase + GuestEnv::kSize - 8;
    struct Case {
        std::string_view name;
        std::vector<std::uint32_t> args;
        SoError expected;
    };
    const std::vector<Case> cases = {
        {"connect", {t, 0, 16}, SoError::SO_EINVAL},
        {"connect", {t, sa, 8}, SoError::SO_EINVAL},
        {"connect", {t, badFamily, 16}, SoError::SO_EINVAL},
        {"connect", {t, kOutside, 16}, SoError::SO_EFAULT},
        {"connect", {t, endOfMemory, 16}, SoError::SO_EFAULT},
        {"bind", {t, 0, 16}, SoError::SO_EINVAL},
        {"bind", {t, sa, 0xFFFFFFFF}, SoError::SO_EINVAL},
        {"bind", {t, kOutside, 16}, SoError::SO_EFAULT},
        {"accept", {t, sa, 0}, SoError::SO_EINVAL},
        {"accept", {t, sa, kOutside}, SoError::SO_EFAULT},
        {"accept", {t, sa, len4}, SoError::SO_EINVAL},
        {"send", {d, 0, 4, 0}, SoError::SO_EINVAL},
        {"send", {d, buf, 0xFFFFFFFF, 0}, SoError::SO_EINVAL},
        {"send", {d, buf, kHuge, 0}, SoError::SO_EFAULT},
        {"send", {d, kOutside, 4, 0}, SoError::SO_EFAULT},
        {"recv", {d, 0, 4, 0}, SoError::SO_EINVAL},
        {"recv", {d, buf, 0x80000000, 0}, SoError::SO_EINVAL},
        {"recv", {d, buf, kHuge, 0}, SoError::SO_EFAULT},
        {"recv", {d, endOfMemory, 64, 0}, SoError::SO_EFAULT},
        {"sendto", {d, buf, 4, 0, kOutside, 16}, SoError::SO_EFAULT},
        {"sendto", {d, buf, 4, 0, sa, 15}, SoError::SO_EINVAL},
        {"sendto", {d, buf, kHuge, 0, sa, 16}, SoError::SO_EFAULT},
        {"recvfrom", {d, buf, 4, 0, sa, 0}, SoError::SO_EINVAL},
        {"recvfrom", {d, buf, 4, 0, sa, len2}, SoError::SO_EINVAL},
        {"recvfrom", {d, buf, 4, 0, kOutside, len16}, SoError::SO_EFAULT},
        {"recvfrom", {d, kOutside, 4, 0, 0, 0}, SoError::SO_EFAULT},
        {"setsockopt", {t, kSolSocket, 0x4, 0, 4}, SoError::SO_EINVAL},
        {"setsockopt", {t, kSolSocket, 0x4, kOutside, 4}, SoError::SO_EFAULT},
        {"setsockopt", {t, kSolSocket, 0x4, buf, 2}, SoError::SO_EINVAL},
        {"setsockopt", {t, kSolSocket, 0x4, buf, 0x41}, SoError::SO_EINVAL},
        {"setsockopt", {t, kSolSocket, 0x4, buf, 0xFFFFFFFF}, SoError::SO_EINVAL},
        {"setsockopt", {t, 7, 0x4, buf, 4}, SoError::SO_EINVAL},
        {"setsockopt", {t, kSolSocket, 0x80, buf, 4}, SoError::SO_EINVAL},
        {"getsockopt", {t, kSolSocket, 0x1008, buf, 0}, SoError::SO_EINVAL},
        {"getsockopt", {t, kSolSocket, 0x1008, buf, kOutside}, SoError::SO_EFAULT},
        {"getsockopt", {t, kSolSocket, 0x1008, 0, len4}, SoError::SO_EINVAL},
        {"getsockopt", {t, kSolSocket, 0x1008, kOutside, len4}, SoError::SO_EFAULT},
        {"getsockopt", {t, kSolSocket, 0x1008, buf, len2}, SoError::SO_EINVAL},
        {"getsockopt", {t, kSolSocket, 0x80, buf, len4}, SoError::SO_EINVAL},
        {"getsockname", {t, 0, len16}, SoError::SO_EINVAL},
        {"getsockname", {t, sa, 0}, SoError::SO_EINVAL},
        {"getsockname", {t, kOutside, len16}, SoError::SO_EFAULT},
        {"getsockname", {t, sa, len4}, SoError::SO_EINVAL},
        {"getpeername", {t, kOutside, len16}, SoError::SO_EFAULT},
        {"shutdown", {t, 3}, SoError::SO_EINVAL},
        {"select", {33, 0, 0, 0, 0}, SoError::SO_EINVAL},
        {"select", {0xFFFFFFFF, 0, 0, 0, 0}, SoError::SO_EINVAL},
        {"select", {4, kOutside, 0, 0, 0}, SoError::SO_EFAULT},
        {"select", {4, 0, 0, 0, kOutside}, SoError::SO_EFAULT},
    };
    for (const Case& c : cases) {
        EXPECT_EQ(g.net(c.name, c.args), -1) << c.name;
        EXPECT_EQ(g.lastError(), err(c.expected)) << c.name << " got " << g.lastError();
    }
    // Nothing above may have written outside its buffers or closed the sockets.
    EXPECT_EQ(g.net("getsockopt", {t, kSolSocket, 0x1008, buf, len4}), 0);
    EXPECT_EQ(g.readBe32(buf), 1u);
}

TEST(NsysnetSocket, OptionsRoundTripAndUnknownOnesAreRefused)
{
    NetGuest g;
    const auto t = u(g.tcp());
    const auto d = u(g.udp());
    const auto one = g.put(guest::bei32(1)).address;
    const auto value = g.alloc(8);
    const auto len = g.alloc(4);
    auto get = [&](std::uint32_t fd, std::uint32_t level, std::uint32_t name) {
        g.memory().store(guest::GuestPtr<guest::bei32>{len}, guest::bei32(8));
        const std::int32_t r = g.net("getsockopt", {fd, level, name, value, len});
        return r == 0 ? static_cast<std::int32_t>(g.readBe32(value)) : -1000 - g.lastError();
    };
    for (std::uint32_t name : {0x4u, 0x8u}) {  // booleans read back as their bit
        EXPECT_EQ(g.net("setsockopt", {t, kSolSocket, name, one, 4}), 0);
        EXPECT_EQ(get(t, kSolSocket, name), static_cast<std::int32_t>(name));
    }
    EXPECT_EQ(g.net("setsockopt", {t, 6, 0x2004, one, 4}), 0);  // TCP_NODELAY
    EXPECT_EQ(get(t, 6, 0x2004), 1);
    EXPECT_EQ(g.net("setsockopt", {t, kSolSocket, 0x200, one, 4}), 0);  // SO_TCPSACK: stored
    EXPECT_EQ(get(t, kSolSocket, 0x200), 0x200);
    const auto size = g.put(guest::bei32(32768)).address;
    EXPECT_EQ(g.net("setsockopt", {t, kSolSocket, 0x1001, size, 4}), 0);
    EXPECT_EQ(g.net("setsockopt", {t, kSolSocket, 0x1002, size, 4}), 0);
    EXPECT_EQ(get(t, kSolSocket, 0x1001), 32768);
    EXPECT_EQ(get(t, kSolSocket, 0x1002), 32768);
    EXPECT_EQ(get(t, kSolSocket, 0x1008), 1);  // SO_TYPE
    EXPECT_EQ(get(d, kSolSocket, 0x1008), 2);
    EXPECT_EQ(get(t, kSolSocket, 0x1007), 0);  // SO_LASTERROR
    EXPECT_EQ(get(t, kSolSocket, 0x1011), 0);  // SO_RXDATA
    EXPECT_EQ(get(t, kSolSocket, 0x1012), 0);  // SO_TXDATA
    // Blocking mode: SO_NBIO / SO_BIO ignore the value, SO_NONBLOCK takes 1/0.
    EXPECT_EQ(get(t, kSolSocket, 0x1016), 0);
    EXPECT_EQ(g.net("setsockopt", {t, kSolSocket, 0x1014, 0, 0}), 0);
    EXPECT_EQ(get(t, kSolSocket, 0x1016), 1);
    EXPECT_EQ(g.net("setsockopt", {t, kSolSocket, 0x1015, 0, 0}), 0);
    EXPECT_EQ(get(t, kSolSocket, 0x1016), 0);
    EXPECT_EQ(g.net("setsockopt", {t, kSolSocket, 0x1016, one, 4}), 0);
    EXPECT_TRUE(g.process().state()->sockets().find(static_cast<std::int32_t>(t))->guestNonBlocking());
    // SO_LINGER with struct linger
    const auto lingerOn = g.put(nsysnet::GuestLinger{guest::bei32(1), guest::bei32(3)}).address;
    EXPECT_EQ(g.net("setsockopt", {t, kSolSocket, 0x80, lingerOn, 8}), 0);
    g.memory().store(guest::GuestPtr<guest::bei32>{len}, guest::bei32(8));
    EXPECT_EQ(g.net("getsockopt", {t, kSolSocket, 0x80, value, len}), 0);
    EXPECT_EQ(g.readBe32(value), 0x80u);
    EXPECT_EQ(g.readBe32(value + 4), 3u);
    EXPECT_EQ(g.readBe32(len), 8u);
    // Unknown options
    EXPECT_EQ(g.net("setsockopt", {t, kSolSocket, 0x8000, one, 4}), -1);
    EXPECT_EQ(g.lastError(), err(SoError::SO_ENOPROTOOPT));
    EXPECT_EQ(get(t, 6, 0x2006), -1000 - err(SoError::SO_ENOPROTOOPT));
    EXPECT_EQ(g.net("setsockopt", {d, 6, 0x2004, one, 4}), -1);  // TCP option on UDP
    EXPECT_EQ(g.lastError(), err(SoError::SO_ENOPROTOOPT));
}

TEST(NsysnetSocket, LastErrorIsPerThreadAndClearedBySuccess)
{
    NetGuest g;
    EXPECT_EQ(g.net("socketclose", {9}, 1), -1);
    EXPECT_EQ(g.lastError(1), err(SoError::SO_EBADF));
    EXPECT_EQ(g.lastError(2), 0);  // another thread's error is untouched
    std::thread other([&] { EXPECT_EQ(g.net("listen", {9, 1}, 2), -1); });
    other.join();
    EXPECT_EQ(g.lastError(2), err(SoError::SO_EBADF));
    EXPECT_EQ(g.lastError(1), err(SoError::SO_EBADF));  // reading does not clear it
    const std::int32_t fd = g.tcp();
    EXPECT_GE(fd, 1);
    EXPECT_EQ(g.lastError(1), 0);  // success clears
    EXPECT_EQ(g.lastError(2), err(SoError::SO_EBADF));
    // A not-implemented socket export reports SO_EOPNOTSUPP for the calling thread.
    EXPECT_EQ(g.net("getsocklibopt", {}, 3), -1);
    EXPECT_EQ(g.lastError(3), err(SoError::SO_EOPNOTSUPP));
}

TEST(NsysnetSocket, DebugViewListsSockets)
{
    NetGuest g;
    const std::int32_t t = g.tcp();
    const std::int32_t d = g.udp();
    ASSERT_EQ(g.bindLoopback(d), 0);
    g.setNonBlocking(t, true);
    auto infos = nsysnet::describeSockets(g.process().state()->sockets());
    ASSERT_EQ(infos.size(), 2u);
    EXPECT_EQ(infos[0].fd, t);
    EXPECT_TRUE(infos[0].nonBlocking);
    EXPECT_EQ(infos[1].kind, nsysnet::SocketKind::Datagram);
    ASSERT_TRUE(infos[1].local);
    EXPECT_EQ(infos[1].local->address, NetGuest::kLoopback);
    const std::string table = nsysnet::formatSocketTable(infos);
    EXPECT_NE(table.find("udp"), std::string::npos);
    EXPECT_NE(table.find("127.0.0.1:"), std::string::npos);
    EXPECT_NE(table.find("nbio"), std::string::npos);
}

}  // namespace
