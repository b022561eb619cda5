#include "common/log.h"

#include <mutex>
#include <string>

#include <spdlog/cfg/env.h>
#include <spdlog/sinks/stdout_color_sinks.h>

namespace wiiu::log {

std::shared_ptr<spdlog::logger> get(std::string_view name)
{
    static std::mutex mutex;
    std::lock_guard lock(mutex);
    const std::string key(name);
    if (auto existing = spdlog::get(key))
        return existing;
    auto created = spdlog::stderr_color_mt(key);
    created->set_level(spdlog::get_level());
    // spdlog's own convention: SPDLOG_LEVEL=nssl=trace,nsysnet=debug sets levels per logger.
    spdlog::cfg::load_env_levels();
    return created;
}

}  // namespace wiiu::log
