// Handles as the console hands them out: the lowest free non-negative integer, up to a limit.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

namespace wiiu::nssl {

/// Maps small integer handles (an enum Handle, handles.h) to shared objects. Not synchronised:
/// the owner locks.
template <class Handle, class T>
class HandleTable {
public:
    explicit HandleTable(int limit) : limit_(limit) {}

    /// The lowest free handle for `object`, or nothing when `limit` handles are in use.
    std::optional<Handle> insert(std::shared_ptr<T> object)
    {
        for (std::size_t i = 0; i < slots_.size(); ++i) {
            if (!slots_[i]) {
                slots_[i] = std::move(object);
                return static_cast<Handle>(i);
            }
        }
        if (static_cast<int>(slots_.size()) >= limit_)
            return std::nullopt;
        slots_.push_back(std::move(object));
        return static_cast<Handle>(slots_.size() - 1);
    }

    /// The object behind `handle`, or null for a negative, unused or out-of-range handle.
    std::shared_ptr<T> find(Handle handle) const
    {
        const auto i = static_cast<std::int32_t>(handle);
        if (i < 0 || static_cast<std::size_t>(i) >= slots_.size())
            return nullptr;
        return slots_[static_cast<std::size_t>(i)];
    }

    /// Frees `handle` and returns what it held (null if nothing).
    std::shared_ptr<T> erase(Handle handle)
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
                f(static_cast<Handle>(i), slots_[i]);
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
