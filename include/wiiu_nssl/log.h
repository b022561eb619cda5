// The module's log, as an emulator sees it: four channels (one per emulated library and support
// layer), levels, and a sink that hands every line to the emulator's own logging. Without a sink
// the lines go to stderr; the SPDLOG_LEVEL variable (e.g. SPDLOG_LEVEL=nssl=trace) sets levels.
#pragma once

#include <wiiu_nssl/language.h>

#include <cstdint>
#include <functional>
#include <string_view>

namespace wiiu::log {

enum class Channel : std::uint8_t { guest, nsysnet, nssl, certstore };
enum class Level : std::uint8_t { trace, debug, info, warn, error, critical, off };

/// "guest", "nsysnet", "nssl", "certstore".
std::string_view channelName(Channel channel);

/// Receives each line the module logs at or above its channel's level, from whichever guest or
/// host thread logged it (calls may be concurrent: the sink must be thread-safe). The message has
/// no time stamp, level or channel prefix and no newline.
using Sink = std::function<void(Channel channel, Level level, std::string_view message)>;

/// Routes every channel to `sink`; an empty sink restores the default (stderr).
void setSink(Sink sink);

/// The least severe level a channel logs; `trace` shows every guest call with its arguments.
void setLevel(Channel channel, Level level);

}  // namespace wiiu::log
