// Sockets the emulator owns (Process::adoptSocket / detachSocket) with real TCP sockets on
// 127.0.0.1, and the errno hook through which the module publishes socketlasterr.
#include <fcntl.h>

#include <cstring>
#include <string>

#include <gtest/gtest.h>

#include "support/fiber_scheduler.h"
#include "support/loopback_listener.h"
#include "support/nssl_guest.h"

using namespace wiiu;
using namespace wiiu::test;
using nsysnet::SoError;

namespace {

bool isOpen(int fd)
{
    return ::fcntl(fd, F_GETFD) != -1;
}

/// A listener on 127.0.0.1, a host client connected to it and the accepted peer.
struct HostPair {
    HostPair() : client(listener.connectClient()), peer(::accept(listener.fd, nullptr, nullptr)) {}
    ~HostPair()
    {
        for (int fd : {client, peer})
            if (fd >= 0)
                ::close(fd);
    }
    LoopbackListener listener;
    int client = -1, peer = -1;
};

std::int32_t guestSend(NsslGuest& g, std::int32_t fd, std::string_view text)
{
    return g.nssl("send", {u(fd), g.putText(text), u(static_cast<std::int32_t>(text.size())), 0});
}

TEST(SocketHandover, AnAdoptedConnectedSocketCarriesTheGuestsSendAndRecv)
{
    HostPair pair;
    NsslGuest g;
    g.nssl("socket_lib_init");
    auto fd = g.process().adoptSocket(pair.client);
    ASSERT_TRUE(fd) << errorName(fd.error());
    EXPECT_GE(*fd, 1);
    EXPECT_EQ(guestSend(g, *fd, "ping!"), 5);
    char got[8] = {};
    EXPECT_EQ(::recv(pair.peer, got, sizeof got, 0), 5);
    EXPECT_STREQ(got, "ping!");

    ASSERT_EQ(::send(pair.peer, "pong", 4, 0), 4);
    const auto buf = g.alloc(16);
    EXPECT_EQ(g.nssl("recv", {u(*fd), buf, 16, 0}), 4);
    EXPECT_EQ(std::memcmp(g.host(buf), "pong", 4), 0);

    // The module owns it now: the guest's socketclose closes the host socket.
    EXPECT_EQ(g.nssl("socketclose", {u(*fd)}), 0);
    EXPECT_FALSE(isOpen(pair.client));
    pair.client = -1;
}

TEST(SocketHandover, DetachHandsTheHostSocketBackOpenAndTheGuestDescriptorIsGone)
{
    HostPair pair;
    NsslGuest g;
    g.nssl("socket_lib_init");
    auto fd = g.process().adoptSocket(pair.client);
    ASSERT_TRUE(fd);
    auto host = g.process().detachSocket(*fd);
    ASSERT_TRUE(host);
    EXPECT_EQ(*host, pair.client);
    EXPECT_EQ(guestSend(g, *fd, "late"), -1);
    EXPECT_EQ(g.lastSocketError(), static_cast<std::int32_t>(SoError::SO_EBADF));
    EXPECT_FALSE(g.process().detachSocket(*fd));

    g.endProcess();  // the process's end does not touch what was handed back
    ASSERT_TRUE(isOpen(pair.client));
    EXPECT_EQ(::send(pair.client, "mine", 4, MSG_NOSIGNAL), 4);
    char got[8] = {};
    EXPECT_EQ(::recv(pair.peer, got, sizeof got, 0), 4);
    EXPECT_STREQ(got, "mine");
}

TEST(SocketHandover, AnAdoptedListenerAcceptsThroughTheGuest)
{
    HostPair pair;  // its listener still has a queue
    NsslGuest g;
    g.nssl("socket_lib_init");
    auto fd = g.process().adoptSocket(pair.listener.fd);
    ASSERT_TRUE(fd);
    pair.listener.fd = -1;  // the process owns and closes it
    const int other = pair.listener.connectClient();
    ASSERT_GE(other, 0);
    const std::int32_t accepted = g.nssl("accept", {u(*fd), 0, 0});
    EXPECT_GT(accepted, *fd);
    ::close(other);
}

TEST(SocketHandover, WhatTheModuleRefusesStaysTheCallersAndOpen)
{
    HostPair pair;
    int pipeFds[2];
    ASSERT_EQ(::pipe(pipeFds), 0);
    int unixPair[2];
    ASSERT_EQ(::socketpair(AF_UNIX, SOCK_STREAM, 0, unixPair), 0);
    NsslGuest g;
    g.nssl("socket_lib_init");

    EXPECT_EQ(g.process().adoptSocket(-1).error(), SoError::SO_EBADF);
    EXPECT_EQ(g.process().adoptSocket(pipeFds[0]).error(), SoError::SO_ENOTSOCK);
    EXPECT_EQ(g.process().adoptSocket(unixPair[0]).error(), SoError::SO_EAFNOSUPPORT);
    // A full table: 31 descriptors in use.
    for (int i = 0; i < nsysnet::kMaxSockets; ++i)
        ASSERT_GT(g.nssl("socket", {2, 1, 6}), 0);
    EXPECT_EQ(g.process().adoptSocket(pair.client).error(), SoError::SO_EMFILE);
    g.process().shutdown();
    EXPECT_EQ(g.process().adoptSocket(pair.client).error(), SoError::SO_EABORTED);
    g.endProcess();

    for (int fd : {pipeFds[0], unixPair[0], pair.client})
        EXPECT_TRUE(isOpen(fd)) << fd;
    EXPECT_EQ(::send(pair.client, "x", 1, MSG_NOSIGNAL), 1);
    for (int fd : {pipeFds[0], pipeFds[1], unixPair[0], unixPair[1]})
        ::close(fd);
}

TEST(GuestErrno, TheHookSeesEverySocketLastErrChangeOfEachThread)
{
    ErrnoMirroring<guest::DefaultHooks> hooks;
    NsslGuest g({}, testCertStore(), &hooks);
    g.nssl("socket_lib_init", {}, 5);
    EXPECT_EQ(hooks.guestErrno(5), 0);  // a successful call publishes 0, as the console's errno

    const auto buf = g.alloc(8);
    EXPECT_EQ(g.nssl("recv", {27, buf, 8, 0}, 6), -1);  // not open
    EXPECT_EQ(hooks.guestErrno(6), static_cast<std::int32_t>(SoError::SO_EBADF));
    EXPECT_EQ(g.lastSocketError(6), static_cast<std::int32_t>(SoError::SO_EBADF));  // unchanged
    EXPECT_EQ(hooks.guestErrno(5), 0);  // per thread

    const std::int32_t fd = g.nssl("socket", {2, 1, 6}, 6);
    EXPECT_GT(fd, 0);
    EXPECT_EQ(hooks.guestErrno(6), 0);
    EXPECT_EQ(g.nssl("connect", {u(fd), 0, 16}, 6), -1);  // NULL sockaddr
    EXPECT_EQ(hooks.guestErrno(6), g.lastSocketError(6));
    EXPECT_NE(hooks.guestErrno(6), 0);
    EXPECT_FALSE(hooks.guestErrno(7));  // a thread that made no socket call
}

}  // namespace
