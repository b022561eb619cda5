#include "guest_process.h"

#include <cstring>
#include <stdexcept>

#include <fmt/format.h>

#include <wiiu_nssl/endian.h>
#include <wiiu_nssl/import_table.h>
#include <wiiu_nssl/log.h>
#include <wiiu_nssl/nsysnet_errors.h>

namespace wiiu::probe {

GuestProcess::GuestProcess(std::shared_ptr<const certstore::CertStore> store, nssl::Config config,
                           std::optional<std::chrono::system_clock::time_point> clock)
    : ram_(kSize), memory_(ram_.data(), kBase, kSize), hooks_(kHeapBase, kBase + kSize - kHeapBase, clock),
      process_(std::make_unique<Process>(hooks_, std::move(store), std::move(config)))
{
}

GuestProcess::~GuestProcess() = default;

std::int32_t GuestProcess::call(std::string_view library, std::string_view name,
                                std::initializer_list<std::uint32_t> args, std::string_view note,
                                std::optional<guest::GuestAddress> movedAt)
{
    const auto index = importTable().find(library, name);
    if (!index)
        throw std::logic_error(fmt::format("no export {}::{}", library, name));
    guest::CallTrace trace;
    guest::CallFrame frame;
    frame.thread = 1;
    frame.gpr[1] = kStackTop - 0x100;
    frame.setArguments(std::span(args.begin(), args.size()), memory_);
    frame.trace = &trace;  // the module describes the call, as its own trace log would
    importTable().call(*index, *process_, memory_, frame);
    const auto result = static_cast<std::int32_t>(frame.result());

    std::string text = fmt::format("{}({})", name, trace.arguments);
    if (!note.empty())
        text += fmt::format(" [{}]", note);
    CallRecord record{std::move(text), result, std::move(trace.result), std::nullopt};
    if (movedAt)
        record.bytes = result == 0 ? loadBe32(*movedAt) : 0;
    if (result == -1 && importTable().entry(*index).channel == log::Channel::nsysnet) {
        // A socket call's -1 means "see socketlasterr"; reading it is part of this call's answer.
        guest::CallFrame errFrame;
        errFrame.thread = 1;
        errFrame.gpr[1] = frame.gpr[1];
        importTable().call(*importTable().find("nsysnet", "socketlasterr"), *process_, memory_, errFrame);
        const auto err = static_cast<nsysnet::SoError>(static_cast<std::int32_t>(errFrame.result()));
        record.resultName += fmt::format(" ({})", nsysnet::errorName(err));
    }
    log_.add(std::move(record));
    return result;
}

guest::GuestAddress GuestProcess::alloc(std::uint32_t size)
{
    if (static_cast<std::uint64_t>(next_) + size > kHeapBase)
        throw std::runtime_error("guest data memory exhausted");
    const guest::GuestAddress at = next_;
    next_ += (size + 7) & ~7u;
    std::memset(ram_.data() + (at - kBase), 0, size);
    return at;
}

guest::GuestAddress GuestProcess::putBytes(std::span<const std::uint8_t> data)
{
    const auto at = alloc(static_cast<std::uint32_t>(data.size()));
    if (!data.empty())
        std::memcpy(ram_.data() + (at - kBase), data.data(), data.size());
    return at;
}

guest::GuestAddress GuestProcess::putString(std::string_view text)
{
    const auto at = alloc(static_cast<std::uint32_t>(text.size() + 1));
    std::memcpy(ram_.data() + (at - kBase), text.data(), text.size());
    return at;
}

std::span<std::uint8_t> GuestProcess::bytes(guest::GuestAddress at, std::uint32_t size)
{
    auto view = memory_.translate(at, size);
    if (!view)
        throw std::logic_error("probe: guest range outside memory");
    return {reinterpret_cast<std::uint8_t*>(view->data()), view->size()};
}

std::uint32_t GuestProcess::loadBe32(guest::GuestAddress at)
{
    return memory_.load(guest::GuestPtr<const guest::be32>{at}).value_or(guest::be32(0u));
}

void GuestProcess::storeBe32(guest::GuestAddress at, std::uint32_t value)
{
    memory_.store(guest::GuestPtr<guest::be32>{at}, guest::be32(value));
}

}  // namespace wiiu::probe
