// One host socket used by the emulator and the guest together (Process::shareSocket), as Cemu's
// nlibcurl aliases curl's sockets: the emulator's socket is a plain host socket, like curl's,
// connected to a host peer on 127.0.0.1. Built for Windows too (Winsock duplicate handles under
// Wine). The peer reading end-of-file after the emulator closes its socket shows that the module
// kept no handle of its own open: a duplicate left open would hold the connection up.
#include <cstring>
#include <optional>
#include <string>

#include <gtest/gtest.h>

#include "platform/socket.h"
#include "support/host_listener.h"
#include "support/nsysnet_guest.h"

using namespace wiiu;
using namespace wiiu::test;
using nsysnet::SoError;

namespace {

constexpr int kWaitMs = 5000;

/// The emulator's side: a non-blocking host socket connected to a listener on 127.0.0.1, and the
/// peer the listener accepted. The socket is closed at the end unless a test closed it.
struct EmulatorConnection {
    EmulatorConnection()
    {
        if (platform::openStream(socket) != 0)
            return;
        const int err = platform::connect(socket, {NetGuest::kLoopback, listener.port()});
        if (err != 0 && !platform::connectInProgress(err))
            return;
        peer = listener.accept();
        platform::PollEntry p{.socket = socket, .write = true};
        connected = peer && platform::poll({&p, 1}, kWaitMs) == 1 && p.writeReady;
    }
    ~EmulatorConnection() { close(); }
    void close()
    {
        if (socket != platform::invalidSocket)
            platform::closeSocket(std::exchange(socket, platform::invalidSocket));
    }

    /// One send through the emulator's own handle; true when all of `text` went.
    bool send(std::string_view text)
    {
        std::size_t moved = 0;
        const auto bytes = std::span(reinterpret_cast<const std::uint8_t*>(text.data()), text.size());
        return platform::sendNow(socket, bytes, moved) == 0 && moved == text.size();
    }
    /// What arrives on the emulator's own handle within the wait.
    std::string receive()
    {
        platform::PollEntry p{.socket = socket, .read = true};
        if (platform::poll({&p, 1}, kWaitMs) != 1)
            return {};
        std::uint8_t buf[256];
        std::size_t moved = 0;
        if (platform::receiveNow(socket, buf, moved) != 0)
            return {};
        return {reinterpret_cast<const char*>(buf), moved};
    }
    /// What the peer reads within the wait: "" for end-of-file, nothing for no answer in time.
    std::optional<std::string> peerReads()
    {
        platform::PollEntry p{.socket = static_cast<platform::NativeSocket>(peer->native_handle()), .read = true};
        if (platform::poll({&p, 1}, kWaitMs) != 1)
            return std::nullopt;
        char buf[256];
        boost::system::error_code ec;
        const std::size_t n = peer->read_some(boost::asio::buffer(buf), ec);
        if (ec == boost::asio::error::eof)
            return std::string();
        return std::string(buf, n);
    }

    HostListener listener;
    platform::NativeSocket socket = platform::invalidSocket;
    std::optional<HostPeer> peer;
    bool connected = false;
};

TEST(SharedSocket, GuestAndEmulatorUseOneSocketAndSocketcloseLeavesTheEmulatorsOpen)
{
    EmulatorConnection emu;
    ASSERT_TRUE(emu.connected);
    NetGuest g;
    const auto fd = g.process().shareSocket(emu.socket);
    ASSERT_TRUE(fd) << errorName(fd.error());
    EXPECT_GE(*fd, 1);

    EXPECT_EQ(g.send(*fd, "from the guest"), 14);
    EXPECT_EQ(emu.peerReads(), "from the guest");
    ASSERT_TRUE(emu.send("from the emulator"));
    EXPECT_EQ(emu.peerReads(), "from the emulator");
    ASSERT_EQ(hostSend(*emu.peer, "to the guest"), 12u);
    EXPECT_EQ(g.recvAll(*fd, 12), "to the guest");

    // The guest closes its descriptor: only the module's handle goes.
    EXPECT_EQ(g.net("socketclose", {u(*fd)}), 0);
    EXPECT_EQ(g.send(*fd, "late"), -1);
    EXPECT_EQ(g.lastError(), err(SoError::SO_EBADF));
    ASSERT_TRUE(emu.send("still connected"));
    EXPECT_EQ(emu.peerReads(), "still connected");
    ASSERT_EQ(hostSend(*emu.peer, "to the emulator"), 15u);
    EXPECT_EQ(emu.receive(), "to the emulator");

    emu.close();
    EXPECT_EQ(emu.peerReads(), "") << "the peer sees end-of-file: no handle of the module is left";
}

TEST(SharedSocket, TheProcessEndClosesOnlyTheModulesHandle)
{
    EmulatorConnection emu;
    ASSERT_TRUE(emu.connected);
    {
        NetGuest g;
        const auto fd = g.process().shareSocket(emu.socket);
        ASSERT_TRUE(fd) << errorName(fd.error());
        EXPECT_EQ(g.send(*fd, "guest"), 5);
        EXPECT_EQ(emu.peerReads(), "guest");
    }  // the process ends with the descriptor still open
    ASSERT_TRUE(emu.send("emulator"));
    EXPECT_EQ(emu.peerReads(), "emulator");
    emu.close();
    EXPECT_EQ(emu.peerReads(), "");
}

TEST(SharedSocket, RefusalsLeaveTheEmulatorsSocketAsItWasAndHoldNoHandle)
{
    NetGuest g;
    EXPECT_EQ(g.process().shareSocket(platform::invalidSocket).error(), SoError::SO_EBADF);

    EmulatorConnection emu;
    ASSERT_TRUE(emu.connected);
    while (g.tcp() >= 0) {  // fill the descriptor table
    }
    ASSERT_EQ(g.lastError(), err(SoError::SO_EMFILE));
    const auto full = g.process().shareSocket(emu.socket);
    ASSERT_FALSE(full);
    EXPECT_EQ(full.error(), SoError::SO_EMFILE);
    ASSERT_TRUE(emu.send("unharmed"));
    EXPECT_EQ(emu.peerReads(), "unharmed");
    emu.close();
    EXPECT_EQ(emu.peerReads(), "") << "the refused duplicate was closed";

    g.process().shutdown();
    EmulatorConnection second;
    ASSERT_TRUE(second.connected);
    EXPECT_EQ(g.process().shareSocket(second.socket).error(), SoError::SO_EABORTED);
    second.close();
    EXPECT_EQ(second.peerReads(), "");
}

}  // namespace
