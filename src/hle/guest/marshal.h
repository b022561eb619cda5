// Typed exports: an export is a plain C++ function whose parameters say how to read the guest's
// registers. export_fn<F> adapts it to the import table's HostFunction:
//
//     NsslError NSSLRead(Call&, int32_t conn, GuestPtr<uint8_t> buf, int32_t len, GuestPtr<bei32> out);
//     table.add({"nsysnet", "NSSLRead", export_fn<NSSLRead>, true});
//
// Parameter n (after Call&) is argument word n: r3..r10, then the stack. Integers and enums are
// taken from the 32-bit word; GuestPtr<T> is the word as a guest address (translated later, with
// bounds checks, by GuestMemory). The return value goes to r3. Every call is traced at trace level
// with its arguments and the result's name.
#pragma once

#include <cstdint>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>

#include <fmt/format.h>
#include <spdlog/logger.h>

#include "common/log.h"

#include "hle/guest/call.h"
#include <wiiu_nssl/import_table.h>
#include "hle/guest/export_list.h"

namespace wiiu::guest {

namespace detail {

template <class T>
struct IsGuestPtr : std::false_type {};
template <class T>
struct IsGuestPtr<GuestPtr<T>> : std::true_type {};

template <class T>
concept WordArgument = ((std::is_integral_v<T> || std::is_enum_v<T>) && sizeof(T) <= 4) || IsGuestPtr<T>::value;

template <WordArgument T>
T fromWord(std::uint32_t word)
{
    if constexpr (IsGuestPtr<T>::value)
        return T{word};
    else
        return static_cast<T>(word);
}

template <WordArgument T>
std::uint32_t toWord(T value)
{
    if constexpr (IsGuestPtr<T>::value)
        return value.address;
    else if constexpr (std::is_enum_v<T>)
        return static_cast<std::uint32_t>(static_cast<std::underlying_type_t<T>>(value));
    else
        return static_cast<std::uint32_t>(value);
}

/// Result types with a name (error enums) provide `std::string_view resultName(T)` found by ADL.
template <class T>
concept NamedResult = requires(T v) { { resultName(v) } -> std::convertible_to<std::string_view>; };

/// Argument types that say what they are (handles) provide `std::string_view traceLabel(T)` found
/// by ADL: the trace shows "conn=3" rather than a bare 3.
template <class T>
concept LabelledArgument = requires(T v) { { traceLabel(v) } -> std::convertible_to<std::string_view>; };

template <class T>
std::string describe(const T& value)
{
    if constexpr (LabelledArgument<T>)
        return fmt::format("{}={}", traceLabel(value), static_cast<std::underlying_type_t<T>>(value));
    else if constexpr (IsGuestPtr<T>::value)
        return fmt::format("{:#010x}", value.address);
    else if constexpr (NamedResult<T>)
        return std::string(resultName(value));
    else if constexpr (std::is_enum_v<T>)
        return fmt::format("{}", static_cast<std::underlying_type_t<T>>(value));
    else
        return fmt::format("{}", value);
}

template <class F>
struct Signature;
template <class R, class... Args>
struct Signature<R (*)(Call&, Args...)> {
    using Result = R;
    using Arguments = std::tuple<Args...>;
};

template <auto Function, class R, class... Args, std::size_t... I>
void invoke(Call& call, std::index_sequence<I...>)
{
    static_assert((WordArgument<Args> && ...), "export parameters must be 32-bit integers, enums or GuestPtr");
    std::tuple<Args...> args{fromWord<Args>(call.argument(static_cast<unsigned>(I)))...};
    spdlog::logger& logger = log::get(call.exportEntry().channel);
    CallTrace* const record = call.frame().trace;
    const bool trace = record || logger.should_log(spdlog::level::trace);
    auto traceCall = [&](std::string result) {
        std::string list;
        ((list += (I ? ", " : "") + describe(std::get<I>(args))), ...);
        logger.trace("{}({}) -> {} [thread {:#x}]", call.exportEntry().name, list, result, call.thread());
        if (record)
            *record = {std::move(list), std::move(result)};
    };
    if constexpr (std::is_void_v<R>) {
        Function(call, std::get<I>(args)...);
        if (trace)
            traceCall("void");
    } else {
        static_assert(WordArgument<R>, "export results must be 32-bit integers, enums or GuestPtr");
        const R result = Function(call, std::get<I>(args)...);
        call.frame().setResult(toWord(result));
        if (trace)
            traceCall(describe(result));
    }
}

template <auto Function, class R, class... Args>
void dispatch(Call& call, R (*)(Call&, Args...))
{
    invoke<Function, R, Args...>(call, std::index_sequence_for<Args...>{});
}

}  // namespace detail

/// The HostFunction for a typed export.
template <auto Function>
void export_fn(Call& call)
{
    detail::dispatch<Function>(call, Function);
}

}  // namespace wiiu::guest
