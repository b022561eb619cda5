#include "common/log.h"

#include <array>
#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <cstdlib>

#include <spdlog/sinks/base_sink.h>
#include <spdlog/sinks/dist_sink.h>
#include <spdlog/sinks/stdout_color_sinks.h>

namespace wiiu::log {

namespace {

constexpr std::array kChannels{Channel::guest, Channel::nsysnet, Channel::nssl, Channel::certstore};

/// Hands each formatted line to the emulator's Sink. spdlog's base_sink serialises calls.
class EmulatorSink final : public spdlog::sinks::base_sink<std::mutex> {
public:
    EmulatorSink(Channel channel, Sink target) : channel_(channel), sink_(std::move(target)) {}

protected:
    void sink_it_(const spdlog::details::log_msg& msg) override
    {
        sink_(channel_, static_cast<Level>(msg.level), std::string_view(msg.payload.data(), msg.payload.size()));
    }
    void flush_() override {}

private:
    Channel channel_;
    Sink sink_;
};

/// One logger per channel, each writing through a dist_sink whose target setSink() swaps under
/// the dist_sink's own lock, so lines logged meanwhile from other threads are never torn.
struct Registry {
    std::mutex mutex;  // creation and setSink
    std::array<std::atomic<spdlog::logger*>, kChannels.size()> fast{};
    std::array<std::shared_ptr<spdlog::logger>, kChannels.size()> loggers;
    std::array<std::shared_ptr<spdlog::sinks::dist_sink_mt>, kChannels.size()> targets;
    Sink sink;  // empty: stderr

    spdlog::sink_ptr makeSink(Channel channel) const
    {
        if (sink)
            return std::make_shared<EmulatorSink>(channel, sink);
        return std::make_shared<spdlog::sinks::stderr_color_sink_mt>();
    }
};

/// The level SPDLOG_LEVEL gives `name` (spdlog's syntax: "warn", "nssl=trace,nsysnet=debug",
/// a bare level applying to every logger not named); info when it says nothing.
spdlog::level::level_enum levelFromEnvironment(std::string_view name)
{
    auto level = spdlog::level::info;
    const char* env = std::getenv("SPDLOG_LEVEL");
    std::string_view rest = env ? env : "";
    bool named = false;
    while (!rest.empty()) {
        const auto comma = rest.find(',');
        const std::string_view item = rest.substr(0, comma);
        rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
        const auto eq = item.find('=');
        if (eq == std::string_view::npos) {
            if (!named)
                level = spdlog::level::from_str(std::string(item));
        } else if (item.substr(0, eq) == name) {
            level = spdlog::level::from_str(std::string(item.substr(eq + 1)));
            named = true;
        }
    }
    return level;
}

Registry& registry()
{
    static Registry r;
    return r;
}

static_assert(static_cast<int>(Level::trace) == spdlog::level::trace &&
              static_cast<int>(Level::critical) == spdlog::level::critical &&
              static_cast<int>(Level::off) == spdlog::level::off);

}  // namespace

std::string_view channelName(Channel channel)
{
    switch (channel) {
    case Channel::guest: return "guest";
    case Channel::nsysnet: return "nsysnet";
    case Channel::nssl: return "nssl";
    case Channel::certstore: return "certstore";
    }
    return "?";
}

spdlog::logger& get(Channel channel)
{
    Registry& r = registry();
    const auto n = static_cast<std::size_t>(channel);
    if (spdlog::logger* known = r.fast[n].load(std::memory_order_acquire))
        return *known;  // every traced export call comes here: no lock once created
    std::lock_guard lock(r.mutex);
    if (!r.loggers[n]) {
        // Not in spdlog's global registry: an emulator that uses spdlog itself keeps its own
        // logger names (spdlog refuses a second "nssl"), and its set_level calls don't reach ours.
        r.targets[n] = std::make_shared<spdlog::sinks::dist_sink_mt>(std::vector{r.makeSink(channel)});
        r.loggers[n] = std::make_shared<spdlog::logger>(std::string(channelName(channel)), r.targets[n]);
        r.loggers[n]->set_level(levelFromEnvironment(channelName(channel)));
        r.fast[n].store(r.loggers[n].get(), std::memory_order_release);
    }
    return *r.loggers[n];
}

void setSink(Sink sink)
{
    Registry& r = registry();
    std::lock_guard lock(r.mutex);
    r.sink = std::move(sink);
    for (Channel channel : kChannels)
        if (auto& target = r.targets[static_cast<std::size_t>(channel)])
            target->set_sinks({r.makeSink(channel)});
}

void setLevel(Channel channel, Level level)
{
    get(channel).set_level(static_cast<spdlog::level::level_enum>(level));
}

}  // namespace wiiu::log
