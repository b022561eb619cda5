// nsysnet resolver and address conversions: results are walked as the guest sees them
// (big-endian structures in guest memory), and every lookup is bounded in time.
#include <chrono>
#include <cstring>

#include <gtest/gtest.h>

#include "hle/nsysnet/socket_table.h"
#include "hle/guest/marshal.h"
#include <wiiu_nssl/nsysnet_errors.h>
#include "support/nsysnet_guest.h"

using namespace wiiu;
using namespace wiiu::test;
using namespace std::chrono_literals;
using nsysnet::SoError;

namespace {

constexpr std::uint32_t kOutside = 0x0F000000;

std::string guestString(NetGuest& g, std::uint32_t at)
{
    return std::string(reinterpret_cast<const char*>(g.host(at)));
}

TEST(NsysnetResolver, GethostbynameLocalhost)
{
    NetGuest g;
    const auto name = g.putString("localhost");
    const std::uint32_t h = static_cast<std::uint32_t>(g.net("gethostbyname", {name.address}));
    ASSERT_NE(h, 0u);
    EXPECT_EQ(g.readBe32(static_cast<std::uint32_t>(g.net("get_h_errno", {}))), 0u);
    const auto he = g.readValue<nsysnet::GuestHostent>(h);
    EXPECT_EQ(guestString(g, he.name), "localhost");
    EXPECT_EQ(he.addrtype, 2);
    EXPECT_EQ(he.length, 4);
    EXPECT_EQ(g.readBe32(he.aliases), 0u);
    const std::uint32_t first = g.readBe32(he.addrList);
    ASSERT_NE(first, 0u);
    EXPECT_EQ(g.readBe32(first), NetGuest::kLoopback);
    EXPECT_EQ(g.readBe32(he.addrList + 4), 0u);
    // Numeric names resolve to themselves.
    const auto numeric = g.putString("10.1.2.3");
    const std::uint32_t h2 = static_cast<std::uint32_t>(g.net("gethostbyname", {numeric.address}));
    ASSERT_EQ(h2, h);  // the same per-process hostent, rewritten
    EXPECT_EQ(g.readBe32(g.readBe32(g.readValue<nsysnet::GuestHostent>(h2).addrList)), 0x0A010203u);
}

TEST(NsysnetResolver, NonexistentNameFailsFast)
{
    NetGuest g;
    const auto name = g.putString("no-such-host.invalid");
    const auto start = std::chrono::steady_clock::now();
    EXPECT_EQ(g.net("gethostbyname", {name.address}), 0);
    EXPECT_EQ(g.readBe32(static_cast<std::uint32_t>(g.net("get_h_errno", {}))), 1u);  // HOST_NOT_FOUND
    const auto res = g.alloc(4);
    EXPECT_EQ(g.net("getaddrinfo", {name.address, 0, 0, res}), 8);  // EAI_NONAME
    EXPECT_LT(std::chrono::steady_clock::now() - start, 1s);
    EXPECT_EQ(g.hooks().heap()->blocksInUse(), 1u);  // only the process's h_errno word
}

TEST(NsysnetResolver, HostLookupIsBoundedByTheResolverTimeout)
{
    // A name the host must ask DNS for. Without network the answer is an error; with network it
    // may resolve. Either way the call returns within the configured timeout.
    NetGuest g;
    g.process().state()->sockets().resolver().setTimeout(1500ms);
    const auto name = g.putString("wiiu-nssl-test.example");
    const auto start = std::chrono::steady_clock::now();
    g.net("gethostbyname", {name.address});
    EXPECT_LT(std::chrono::steady_clock::now() - start, 3s);
}

TEST(NsysnetResolver, GetaddrinfoLocalhostChainAndFree)
{
    NetGuest g;
    const auto node = g.putString("localhost");
    const auto service = g.putString("8080");
    nsysnet::GuestAddrinfo hints{};
    hints.flags = 2;  // AI_CANONNAME
    hints.family = 2;
    const auto hintsAt = g.put(hints).address;
    const auto res = g.alloc(4);
    ASSERT_EQ(g.net("getaddrinfo", {node.address, service.address, hintsAt, res}), 0);
    const std::uint32_t head = g.readBe32(res);
    ASSERT_NE(head, 0u);
    EXPECT_EQ(g.hooks().heap()->blocksInUse(), 1u);
    int count = 0;
    bool sawStream = false, sawDgram = false;
    for (std::uint32_t at = head; at != 0; at = g.readValue<nsysnet::GuestAddrinfo>(at).next) {
        const auto ai = g.readValue<nsysnet::GuestAddrinfo>(at);
        // canonname sits at 0x14, before addr at 0x18 (BSD order)
        EXPECT_EQ(g.readBe32(at + 0x18), static_cast<std::uint32_t>(ai.addr));
        EXPECT_EQ(ai.family, 2);
        EXPECT_EQ(ai.addrlen, 16u);
        if (count == 0) {
            ASSERT_NE(static_cast<std::uint32_t>(ai.canonname), 0u);
            EXPECT_EQ(guestString(g, ai.canonname), "localhost");
        } else {
            EXPECT_EQ(static_cast<std::uint32_t>(ai.canonname), 0u);
        }
        const auto sa = g.readValue<nsysnet::GuestSockaddrIn>(ai.addr);
        EXPECT_EQ(sa.family, 2);
        EXPECT_EQ(sa.port, 8080);
        EXPECT_EQ(sa.address, NetGuest::kLoopback);
        sawStream = sawStream || (ai.socktype == 1 && ai.protocol == 6);
        sawDgram = sawDgram || (ai.socktype == 2 && ai.protocol == 17);
        ASSERT_LT(++count, 64);
    }
    EXPECT_TRUE(sawStream && sawDgram);
    g.net("freeaddrinfo", {head});
    EXPECT_EQ(g.hooks().heap()->blocksInUse(), 0u);
    // Freeing again, or freeing garbage, is ignored.
    g.net("freeaddrinfo", {head});
    g.net("freeaddrinfo", {0x12345678});
    g.net("freeaddrinfo", {kOutside});
    EXPECT_EQ(g.hooks().heap()->blocksInUse(), 0u);
}

TEST(NsysnetResolver, GetaddrinfoFlagsHintsAndErrors)
{
    NetGuest g;
    const auto res = g.alloc(4);
    auto hintsWith = [&](std::int32_t flags, std::int32_t family, std::int32_t socktype, std::int32_t protocol) {
        nsysnet::GuestAddrinfo h{};
        h.flags = flags;
        h.family = family;
        h.socktype = socktype;
        h.protocol = protocol;
        return g.put(h).address;
    };
    const auto numeric = g.putString("192.168.0.1");
    const auto name = g.putString("localhost");
    const auto http = g.putString("80");
    const auto badService = g.putString("no-such-service-name");
    // AI_PASSIVE with no node: INADDR_ANY; without: loopback.
    ASSERT_EQ(g.net("getaddrinfo", {0, http.address, hintsWith(1, 2, 1, 0), res}), 0);
    auto ai = g.readValue<nsysnet::GuestAddrinfo>(g.readBe32(res));
    EXPECT_EQ(g.readValue<nsysnet::GuestSockaddrIn>(ai.addr).address, 0u);
    EXPECT_EQ(ai.next, 0u);  // SOCK_STREAM only
    g.net("freeaddrinfo", {g.readBe32(res)});
    ASSERT_EQ(g.net("getaddrinfo", {0, http.address, hintsWith(0, 0, 2, 0), res}), 0);
    ai = g.readValue<nsysnet::GuestAddrinfo>(g.readBe32(res));
    EXPECT_EQ(g.readValue<nsysnet::GuestSockaddrIn>(ai.addr).address, NetGuest::kLoopback);
    EXPECT_EQ(ai.protocol, 17);
    g.net("freeaddrinfo", {g.readBe32(res)});
    // AI_NUMERICHOST
    ASSERT_EQ(g.net("getaddrinfo", {numeric.address, 0, hintsWith(4, 0, 1, 0), res}), 0);
    ai = g.readValue<nsysnet::GuestAddrinfo>(g.readBe32(res));
    EXPECT_EQ(g.readValue<nsysnet::GuestSockaddrIn>(ai.addr).address, 0xC0A80001u);
    g.net("freeaddrinfo", {g.readBe32(res)});
    EXPECT_EQ(g.net("getaddrinfo", {name.address, 0, hintsWith(4, 0, 0, 0), res}), 8);  // EAI_NONAME
    // Errors
    EXPECT_EQ(g.net("getaddrinfo", {0, 0, 0, res}), 8);                              // EAI_NONAME
    EXPECT_EQ(g.net("getaddrinfo", {name.address, 0, hintsWith(0x20, 0, 0, 0), res}), 3);  // EAI_BADFLAGS
    EXPECT_EQ(g.net("getaddrinfo", {0, http.address, hintsWith(2, 0, 0, 0), res}), 3);     // CANONNAME w/o node
    EXPECT_EQ(g.net("getaddrinfo", {name.address, 0, hintsWith(0, 23, 0, 0), res}), 5);    // EAI_FAMILY
    EXPECT_EQ(g.net("getaddrinfo", {name.address, 0, hintsWith(0, 0, 3, 0), res}), 10);    // EAI_SOCKTYPE
    EXPECT_EQ(g.net("getaddrinfo", {name.address, 0, hintsWith(0, 0, 0, 99), res}), 13);   // EAI_PROTOCOL
    EXPECT_EQ(g.net("getaddrinfo", {name.address, 0, hintsWith(0, 0, 1, 17), res}), 12);  // EAI_BADHINTS
    EXPECT_EQ(g.net("getaddrinfo", {name.address, badService.address, 0, res}), 9);       // EAI_SERVICE
    EXPECT_EQ(g.net("getaddrinfo", {name.address, 0, kOutside, res}), 12);
    EXPECT_EQ(g.net("getaddrinfo", {name.address, 0, 0, 0}), 4);         // EAI_FAIL: no result pointer
    EXPECT_EQ(g.net("getaddrinfo", {name.address, 0, 0, kOutside}), 4);
    EXPECT_EQ(g.net("getaddrinfo", {kOutside, 0, 0, res}), 8);
    EXPECT_EQ(g.hooks().heap()->blocksInUse(), 0u);
    // Strings for the codes, in guest memory.
    const auto text = static_cast<std::uint32_t>(g.net("gai_strerror", {8}));
    ASSERT_NE(text, 0u);
    EXPECT_EQ(guestString(g, text), "Name or service not known");
    EXPECT_EQ(guestString(g, static_cast<std::uint32_t>(g.net("gai_strerror", {999}))), "Unknown error");
}

TEST(NsysnetResolver, ResultsLiveUntilTheProcessEnds)
{
    NetGuest g;
    const auto node = g.putString("localhost");
    const auto res = g.alloc(4);
    ASSERT_EQ(g.net("getaddrinfo", {node.address, 0, 0, res}), 0);
    ASSERT_NE(g.net("gethostbyname", {node.address}), 0);
    ASSERT_NE(g.net("inet_ntoa", {NetGuest::kLoopback}), 0);
    EXPECT_EQ(g.hooks().heap()->blocksInUse(), 4u);  // the chain, hostent, h_errno, inet_ntoa's buffer
    g.restartProcess();  // a leaked chain and the static buffers go back to the guest heap
    EXPECT_EQ(g.hooks().heap()->blocksInUse(), 0u);
}

TEST(NsysnetResolver, Getnameinfo)
{
    NetGuest g;
    const auto sa = g.sockaddr(NetGuest::kLoopback, 80);
    const auto host = g.alloc(64);
    const auto serv = g.alloc(32);
    ASSERT_EQ(g.net("getnameinfo", {sa, 16, host, 64, serv, 32, 2 | 8}), 0);  // NUMERICHOST|NUMERICSERV
    EXPECT_EQ(guestString(g, host), "127.0.0.1");
    EXPECT_EQ(guestString(g, serv), "80");
    ASSERT_EQ(g.net("getnameinfo", {sa, 16, host, 64, 0, 0, 1}), 0);  // NOFQDN
    EXPECT_EQ(guestString(g, host), "localhost");
    EXPECT_EQ(g.net("getnameinfo", {sa, 16, host, 4, 0, 0, 2}), 14);  // EAI_OVERFLOW
    EXPECT_EQ(g.net("getnameinfo", {sa, 8, host, 64, 0, 0, 2}), 4);   // bad length
    EXPECT_EQ(g.net("getnameinfo", {sa, 16, 0, 0, 0, 0, 2}), 8);      // nothing requested
    EXPECT_EQ(g.net("getnameinfo", {sa, 16, kOutside, 64, 0, 0, 2}), 4);
    EXPECT_EQ(g.net("getnameinfo", {kOutside, 16, host, 64, 0, 0, 2}), 4);
}

TEST(NsysnetInet, TextConversionsAndByteOrder)
{
    NetGuest g;
    const auto out = g.alloc(4);
    EXPECT_EQ(g.net("inet_aton", {g.putString("1.2.3.4").address, out}), 1);
    EXPECT_EQ(g.readBe32(out), 0x01020304u);
    EXPECT_EQ(g.net("inet_aton", {g.putString("0x7f.1").address, out}), 1);  // BSD short forms
    EXPECT_EQ(g.readBe32(out), 0x7F000001u);
    EXPECT_EQ(g.net("inet_aton", {g.putString("1.2.3.256").address, out}), 0);
    EXPECT_EQ(g.net("inet_aton", {0, out}), 0);
    EXPECT_EQ(g.net("inet_aton", {kOutside, out}), 0);
    EXPECT_EQ(g.net("inet_aton", {g.putString("1.2.3.4").address, kOutside}), 0);

    const auto text = static_cast<std::uint32_t>(g.net("inet_ntoa", {0xC0A80101}));
    ASSERT_NE(text, 0u);
    EXPECT_EQ(guestString(g, text), "192.168.1.1");
    EXPECT_EQ(static_cast<std::uint32_t>(g.net("inet_ntoa", {0x01020304})), text);  // static buffer
    EXPECT_EQ(guestString(g, text), "1.2.3.4");

    const auto buf = g.alloc(16);
    EXPECT_EQ(static_cast<std::uint32_t>(g.net("inet_ntoa_r", {0x0A000001, buf})), buf);
    EXPECT_EQ(guestString(g, buf), "10.0.0.1");
    EXPECT_EQ(g.net("inet_ntoa_r", {0x0A000001, kOutside}), 0);

    const auto src = g.put(guest::be32(0x08080404u)).address;
    EXPECT_EQ(static_cast<std::uint32_t>(g.net("inet_ntop", {2, src, buf, 16})), buf);
    EXPECT_EQ(guestString(g, buf), "8.8.4.4");
    EXPECT_EQ(g.lastError(), 0);
    EXPECT_EQ(g.net("inet_ntop", {10, src, buf, 16}), 0);
    EXPECT_EQ(g.lastError(), err(SoError::SO_EAFNOSUPPORT));
    EXPECT_EQ(g.net("inet_ntop", {2, src, buf, 4}), 0);
    EXPECT_EQ(g.lastError(), err(SoError::SO_EINVAL));
    EXPECT_EQ(g.net("inet_ntop", {2, src, kOutside, 16}), 0);
    EXPECT_EQ(g.lastError(), err(SoError::SO_EFAULT));
    EXPECT_EQ(g.net("inet_ntop", {2, 0, buf, 16}), 0);
    EXPECT_EQ(g.lastError(), err(SoError::SO_EINVAL));

    EXPECT_EQ(g.net("inet_pton", {2, g.putString("172.16.0.9").address, out}), 1);
    EXPECT_EQ(g.readBe32(out), 0xAC100009u);
    EXPECT_EQ(g.lastError(), 0);
    EXPECT_EQ(g.net("inet_pton", {2, g.putString("0x7f.1").address, out}), 0);  // strict form only
    EXPECT_EQ(g.net("inet_pton", {10, g.putString("::1").address, out}), -1);
    EXPECT_EQ(g.lastError(), err(SoError::SO_EAFNOSUPPORT));
    EXPECT_EQ(g.net("inet_pton", {2, 0, out}), -1);
    EXPECT_EQ(g.lastError(), err(SoError::SO_EINVAL));
    EXPECT_EQ(g.net("inet_pton", {2, kOutside, out}), -1);
    EXPECT_EQ(g.lastError(), err(SoError::SO_EFAULT));
    EXPECT_EQ(g.net("inet_pton", {2, g.putString("1.2.3.4").address, kOutside}), -1);
    EXPECT_EQ(g.lastError(), err(SoError::SO_EFAULT));

    EXPECT_EQ(static_cast<std::uint32_t>(g.net("htonl", {0x11223344})), 0x11223344u);
    EXPECT_EQ(static_cast<std::uint32_t>(g.net("ntohl", {0x11223344})), 0x11223344u);
    EXPECT_EQ(static_cast<std::uint32_t>(g.net("htons", {0xAABB1122})), 0x1122u);
    EXPECT_EQ(static_cast<std::uint32_t>(g.net("ntohs", {0x3344})), 0x3344u);
}

TEST(NsysnetResolver, CallsBeforeInit)
{
    GuestEnv env;
    const auto name = env.putString("localhost");
    const auto res = env.alloc(4);
    EXPECT_EQ(env.call("nsysnet", "gethostbyname", {name.address}), 0u);
    EXPECT_EQ(env.call("nsysnet", "socketlasterr", {}), static_cast<std::uint32_t>(err(SoError::SO_ELIBNOTREADY)));
    EXPECT_EQ(env.call("nsysnet", "getaddrinfo", {name.address, 0, 0, res}), 11u);  // EAI_SYSTEM
}

TEST(NsysnetResolver, EaiCodesHaveTheirNames)
{
    // What the import table's trace prints for getaddrinfo/getnameinfo results (found by ADL).
    static_assert(guest::detail::NamedResult<nsysnet::Eai>);
    EXPECT_EQ(resultName(nsysnet::EAI_NONAME_), "EAI_NONAME");
    EXPECT_EQ(resultName(nsysnet::EAI_OVERFLOW_), "EAI_OVERFLOW");
    EXPECT_EQ(resultName(static_cast<nsysnet::Eai>(99)), "EAI_?");
}

}  // namespace
