// Named spdlog loggers: one per library the module emulates ("nsysnet", "nssl") and one per
// support layer ("certstore", "guest"). Loggers are created on first use and shared. Levels
// follow spdlog's SPDLOG_LEVEL variable (e.g. SPDLOG_LEVEL=nssl=trace) or the emulator's calls.
#pragma once

#include <memory>
#include <string_view>

#include <spdlog/spdlog.h>

namespace wiiu::log {

/// The logger called `name`, created (sinking to stderr) on first use.
std::shared_ptr<spdlog::logger> get(std::string_view name);

inline spdlog::logger& guest() { static auto l = get("guest"); return *l; }
inline spdlog::logger& nsysnet() { static auto l = get("nsysnet"); return *l; }
inline spdlog::logger& nssl() { static auto l = get("nssl"); return *l; }
inline spdlog::logger& certstore() { static auto l = get("certstore"); return *l; }

}  // namespace wiiu::log
