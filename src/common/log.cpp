#include "common/log.h"

#include <array>
#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include <cstdlib>

#include <spdlog/details/null_mutex.h>
#include <spdlog/sinks/base_sink.h>
#include <spdlog/sinks/stdout_color_sinks.h>

#include "common/fiber_safe_tls.h"
#include "common/module_lock.h"

namespace wiiu::log {

namespace {

constexpr std::array kChannels{Channel::guest, Channel::nsysnet, Channel::nssl, Channel::certstore};

/// The emulator's sink, shared so that a line on its way out keeps the one it was logged under.
using SharedSink = std::shared_ptr<const Sink>;

/// One line for the emulator's sink, kept while the thread that logged it holds a module lock.
struct Line {
    SharedSink sink;
    Channel channel;
    Level level;
    std::string text;
};

// Per host thread, like the lock count (common/module_lock.h) that decides when they go out.
// A pointer, not a vector: MinGW's emulated TLS may free a thread's block before that thread's
// thread_local destructors run, so one with a destructor crashes at thread exit there. The list
// lives only while its thread holds a module lock, so a thread ends with none.
thread_local std::vector<Line>* deferredHere = nullptr;

WIIU_NOINLINE std::vector<Line>*& deferred()
{
    return *opaqueAddress(&deferredHere);
}

void deliver(const Line& line) noexcept
{
    try {
        (*line.sink)(line.channel, line.level, line.text);
    } catch (...) {  // an emulator's sink must not unwind through the module; the line is lost
    }
}

/// One logger per channel with one routing sink each; setSink() swaps the target under the
/// registry's lock, which is never held while a sink runs.
struct Registry {
    std::mutex mutex;  // creation, setSink and reading the target
    std::array<std::atomic<spdlog::logger*>, kChannels.size()> fast{};
    std::array<std::shared_ptr<spdlog::logger>, kChannels.size()> loggers;
    SharedSink sink;  // null: stderr
    spdlog::sink_ptr standardError = std::make_shared<spdlog::sinks::stderr_color_sink_mt>();

    SharedSink target()
    {
        std::lock_guard lock(mutex);
        return sink;
    }
};

Registry& registry();

/// Each channel's sink: hands the line to the emulator's sink with no lock held (no module lock:
/// now, or once the logging thread releases its last; no spdlog lock: this sink has none), or
/// writes it to stderr when the emulator set no sink.
class RoutingSink final : public spdlog::sinks::base_sink<spdlog::details::null_mutex> {
public:
    explicit RoutingSink(Channel channel) : channel_(channel) {}

protected:
    void sink_it_(const spdlog::details::log_msg& msg) override
    {
        SharedSink target = registry().target();
        if (!target) {
            registry().standardError->log(msg);
            return;
        }
        Line line{std::move(target), channel_, static_cast<Level>(msg.level),
                  std::string(msg.payload.data(), msg.payload.size())};
        if (moduleLocksHeld() == 0) {
            deliver(line);
            return;
        }
        std::vector<Line>*& lines = deferred();
        if (!lines)
            lines = new std::vector<Line>;
        lines->push_back(std::move(line));
    }
    void flush_() override {}

private:
    Channel channel_;
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
        r.loggers[n] = std::make_shared<spdlog::logger>(std::string(channelName(channel)),
                                                        std::make_shared<RoutingSink>(channel));
        r.loggers[n]->set_level(levelFromEnvironment(channelName(channel)));
        r.fast[n].store(r.loggers[n].get(), std::memory_order_release);
    }
    return *r.loggers[n];
}

void setSink(Sink sink)
{
    Registry& r = registry();
    SharedSink shared = sink ? std::make_shared<const Sink>(std::move(sink)) : nullptr;
    std::lock_guard lock(r.mutex);
    r.sink = std::move(shared);
}

void deliverDeferred() noexcept
{
    // Taken out first: a sink that logs again starts a fresh list.
    const std::unique_ptr<std::vector<Line>> lines(std::exchange(deferred(), nullptr));
    if (!lines)
        return;
    for (const Line& line : *lines)
        deliver(line);
}

void setLevel(Channel channel, Level level)
{
    get(channel).set_level(static_cast<spdlog::level::level_enum>(level));
}

}  // namespace wiiu::log
