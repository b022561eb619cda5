// The module's named spdlog loggers, one per log::Channel (include/wiiu_nssl/log.h is what an
// emulator sees: channels, levels, a sink). Loggers are created on first use and shared.
#pragma once

#include <spdlog/spdlog.h>

#include <wiiu_nssl/log.h>

namespace wiiu::log {

/// The logger of `channel`, created on first use (sinking to the emulator's sink, else stderr).
spdlog::logger& get(Channel channel);

/// Hands the emulator's sink the lines this host thread logged while it held module locks
/// (common/module_lock.h calls it when the last is released).
void deliverDeferred() noexcept;

inline spdlog::logger& guest() { return get(Channel::guest); }
inline spdlog::logger& nsysnet() { return get(Channel::nsysnet); }
inline spdlog::logger& nssl() { return get(Channel::nssl); }
inline spdlog::logger& certstore() { return get(Channel::certstore); }

}  // namespace wiiu::log
