// The emulator's log sink (include/wiiu_nssl/log.h): every line the module logs reaches it with
// its channel and level, traces follow the channel's level, and an empty sink restores stderr.
#include <mutex>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include <wiiu_nssl/log.h>

#include "support/captured_log.h"
#include "support/guest_env.h"

using namespace wiiu;

namespace {

using test::CapturedLog;

TEST(LogSink, ReceivesTheModulesLinesWithChannelAndLevel)
{
    test::GuestEnv env;
    env.call("nsysnet", "socket_lib_init", {});  // creates the loggers before the sink, as in an emulator
    CapturedLog captured;
    env.call("nsysnet", "NSSLNSECEncrypt", {1, 2, 3});  // not implemented: one warning on "nssl"
    const auto lines = captured.lines();
    ASSERT_EQ(lines.size(), 1u);
    EXPECT_EQ(lines[0].channel, log::Channel::nssl);
    EXPECT_EQ(lines[0].level, log::Level::warn);
    EXPECT_NE(lines[0].message.find("NSSLNSECEncrypt is not implemented"), std::string::npos) << lines[0].message;
    EXPECT_EQ(lines[0].message.find('\n'), std::string::npos);
}

TEST(LogSink, TracesEveryCallWhenTheChannelLevelAsks)
{
    test::GuestEnv env;
    CapturedLog captured;
    env.call("nsysnet", "socket_lib_init", {});
    EXPECT_TRUE(captured.lines().empty()) << "traces are off at the default level";

    log::setLevel(log::Channel::nsysnet, log::Level::trace);
    env.call("nsysnet", "socket", {2, 1, 6});
    log::setLevel(log::Channel::nsysnet, log::Level::info);
    env.call("nsysnet", "socketclose_all", {});
    const auto lines = captured.lines();
    ASSERT_EQ(lines.size(), 1u);
    EXPECT_EQ(lines[0].channel, log::Channel::nsysnet);
    EXPECT_EQ(lines[0].level, log::Level::trace);
    EXPECT_EQ(lines[0].message.rfind("socket(2, 1, 6) -> 1", 0), 0u) << lines[0].message;
}

TEST(LogSink, ChannelsHaveTheirLibrariesNames)
{
    EXPECT_EQ(log::channelName(log::Channel::guest), "guest");
    EXPECT_EQ(log::channelName(log::Channel::nsysnet), "nsysnet");
    EXPECT_EQ(log::channelName(log::Channel::nssl), "nssl");
    EXPECT_EQ(log::channelName(log::Channel::certstore), "certstore");
}

}  // namespace
