// What the module logs while a CapturedLog lives, through the emulator's log sink
// (<wiiu_nssl/log.h>); the sink goes back to stderr afterwards.
#pragma once

#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include <wiiu_nssl/log.h>

namespace wiiu::test {

class CapturedLog {
public:
    struct Line {
        log::Channel channel;
        log::Level level;
        std::string message;
    };

    CapturedLog()
    {
        log::setSink([this](log::Channel c, log::Level l, std::string_view m) {
            std::lock_guard lock(mutex_);
            lines_.push_back({c, l, std::string(m)});
        });
    }
    ~CapturedLog() { log::setSink({}); }
    CapturedLog(const CapturedLog&) = delete;
    CapturedLog& operator=(const CapturedLog&) = delete;

    std::vector<Line> lines()
    {
        std::lock_guard lock(mutex_);
        return lines_;
    }

    /// Lines at `level` whose message contains `text`.
    std::size_t count(log::Level level, std::string_view text)
    {
        std::size_t n = 0;
        for (const Line& line : lines())
            n += line.level == level && line.message.find(text) != std::string::npos ? 1 : 0;
        return n;
    }

private:
    std::mutex mutex_;
    std::vector<Line> lines_;
};

}  // namespace wiiu::test
