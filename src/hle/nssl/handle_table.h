// Handles as the console hands them out: the lowest free non-negative integer, up to a limit.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

namespace wiiu::nssl {

/// Maps small integer handles to shared objects. Not synchronised: the owner locks.
template <class T>
class HandleTable {
public:
    explicit HandleTable(int limit) : limit_(limit) {}

    /// The lowest free handle for `object`, or nothing when `limit` handles are in use.
    std::optional<std::int32_t> insert(std::shared_ptr<T> object)
    {
        for (std::size_t i = 0; i < slots_.size(); ++i) {
            if (!slots_[i]) {
                slots_[i] = std::move(object);
                return static_cast<std::int32_t>(i);
            }
        }
        if (static_cast<int>(slots_.size()) >= limit_)
            return std::nullopt;
        slots_.push_back(std::move(object));
        return static_cast<std::int32_t>(slots_.size() - 1);
    }

    /// The object behind `handle`, or null for a negative, unused or out-of-range handle.
    std::shared_ptr<T> find(std::int32_t handle) const
    {
        if (handle < 0 || static_cast<std::size_t>(handle) >= slots_.size())
            return nullptr;
        return slots_[static_cast<std::size_t>(handle)];
    }

    /// Frees `handle` and returns what it held (null if nothing).
    std::shared_ptr<T> erase(std::int32_t handle)
    {
        auto object = find(handle);
        if (object)
            slots_[static_cast<std::size_t>(handle)].reset();
        return object;
    }

    template <class F>
    void forEach(F&& f) const
    {
        for (std::size_t i = 0; i < slots_.size(); ++i)
            if (slots_[i])
                f(static_cast<std::int32_t>(i), slots_[i]);
    }

    /// Removes every handle; returns the objects so they can be torn down outside the lock.
    std::vector<std::shared_ptr<T>> clear()
    {
        std::vector<std::shared_ptr<T>> out;
        for (auto& slot : slots_)
            if (slot)
                out.push_back(std::move(slot));
        slots_.clear();
        return out;
    }

    std::size_t size() const
    {
        std::size_t n = 0;
        for (const auto& slot : slots_)
            n += slot ? 1 : 0;
        return n;
    }

private:
    int limit_;
    std::vector<std::shared_ptr<T>> slots_;
};

}  // namespace wiiu::nssl
