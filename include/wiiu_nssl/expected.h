// A small expected<T, E> (C++23's std::expected is not in GCC 12's library).
#pragma once

#include <wiiu_nssl/language.h>

#include <type_traits>
#include <utility>
#include <variant>

namespace wiiu {

template <class E>
struct Unexpected {
    E error;
};
template <class E>
Unexpected(E) -> Unexpected<E>;

template <class E>
Unexpected<std::decay_t<E>> fail(E&& error)
{
    return {std::forward<E>(error)};
}

template <class T, class E>
class Expected {
public:
    Expected(T value) : state_(std::in_place_index<0>, std::move(value)) {}
    template <class F>
    Expected(Unexpected<F> u) : state_(std::in_place_index<1>, std::move(u.error))
    {
    }

    bool has_value() const { return state_.index() == 0; }
    explicit operator bool() const { return has_value(); }

    T& value() & { return std::get<0>(state_); }
    const T& value() const& { return std::get<0>(state_); }
    T&& value() && { return std::get<0>(std::move(state_)); }
    T& operator*() & { return value(); }
    const T& operator*() const& { return value(); }
    T&& operator*() && { return std::move(*this).value(); }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }

    const E& error() const { return std::get<1>(state_); }

private:
    std::variant<T, E> state_;
};

/// Expected<void, E>: success carries no value.
template <class E>
class Expected<void, E> {
public:
    Expected() = default;
    template <class F>
    Expected(Unexpected<F> u) : error_(std::move(u.error)), failed_(true)
    {
    }

    bool has_value() const { return !failed_; }
    explicit operator bool() const { return has_value(); }
    const E& error() const { return error_; }

private:
    E error_{};
    bool failed_ = false;
};

}  // namespace wiiu
