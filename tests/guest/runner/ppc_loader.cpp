// The runner's loader, as an emulator's: an RPX read with the strict reader, its sections placed,
// its imports bound by library and name (the module's through the import table, the runner's
// own apart), its relocations applied. And the runner's own coreinit OSReport.
#include "guest/runner/ppc_runner.h"

#include <algorithm>
#include <cstring>

#include <fmt/format.h>

#include "rpl/file.h"
#include "rpl/reader.h"
#include "rpl/relocate.h"

namespace wiiu::test::ppc {

bool PpcRunner::load(const std::filesystem::path& rpx, std::string* why)
{
    auto bytes = rpl::readFile(rpx);
    if (!bytes) {
        if (why)
            *why = bytes.error().message;
        return false;
    }
    return load(*bytes, why);
}

bool PpcRunner::bind(std::string_view library, std::string_view name, Import& import, std::string* why)
{
    import.library = library;
    import.name = name;
    if (library == "host" || library == "coreinit") {
        // The runner's own imports, never the module's.
        if (library == "coreinit" && name == "exit") {
            import.isHost = import.isExit = true;
            return true;
        }
        if (library == "coreinit" && name == "OSReport") {
            import.isHost = true;
            import.host = [this](guest::CallFrame& frame) { report(frame); };
            return true;
        }
        auto it = std::find_if(hostImports_.begin(), hostImports_.end(),
                               [&](const auto& p) { return library == "host" && p.first == name; });
        if (it != hostImports_.end()) {
            import.host = it->second;
            import.isHost = true;
            return true;
        }
    } else if ((import.index = table_.find(library, name))) {
        return true;
    }
    if (why)
        *why = fmt::format("unresolved import {}::{}", library, name);
    return false;
}

bool PpcRunner::load(std::span<const std::uint8_t> file, std::string* why)
{
    auto fail = [&](std::string reason) {
        if (why)
            *why = std::move(reason);
        return false;
    };
    auto read = rpl::read(file);
    if (!read)
        return fail(read.error().message);
    const rpl::Module& m = *read;
    if (!m.isRpx())
        return fail("an RPL library, not an RPX program");

    // Placement: the code sections from kProgram on, the data sections on the next page after
    // them, each group keeping its own layout (the loader's choice; relocations do the rest).
    std::uint64_t codeMin = ~0ull, codeEnd = 0, dataMin = ~0ull, dataEnd = 0;
    const auto loaded = [](const rpl::Section& s) { return s.alloc() && s.addr < rpl::kLoaderBase; };
    for (const auto& s : m.sections) {
        if (!loaded(s))
            continue;
        std::uint64_t& lo = s.exec() ? codeMin : dataMin;
        std::uint64_t& hi = s.exec() ? codeEnd : dataEnd;
        lo = std::min<std::uint64_t>(lo, s.addr);
        hi = std::max<std::uint64_t>(hi, std::uint64_t{s.addr} + s.size);
    }
    if (codeEnd == 0)
        return fail("no code sections");
    const std::uint64_t dataAt = (Layout::kProgram + (codeEnd - codeMin) + 0xFFF) & ~0xFFFull;
    const std::uint64_t end = dataEnd ? dataAt + (dataEnd - dataMin) : dataAt;
    if (end > Layout::kProgram + Layout::kMaxProgram)
        return fail(fmt::format("code and data need {:#x} bytes, the runner has {:#x}", end - Layout::kProgram,
                                Layout::kMaxProgram));
    std::memset(host(Layout::kProgram), 0, Layout::kMaxProgram);  // .bss and the gaps are zero
    std::vector<std::optional<std::uint32_t>> placed(m.sections.size());
    for (const auto& s : m.sections) {
        if (!loaded(s))
            continue;
        placed[s.index] = static_cast<std::uint32_t>(s.exec() ? Layout::kProgram + (s.addr - codeMin)
                                                              : dataAt + (s.addr - dataMin));
        if (!s.data.empty())
            std::memcpy(host(*placed[s.index]), s.data.data(), s.data.size());
    }

    // Imports: each bound by library and name, each to its own stub.
    if (m.imports.size() > Layout::kMaxImports)
        return fail(fmt::format("{} imports, at most {}", m.imports.size(), Layout::kMaxImports));
    std::vector<std::optional<std::uint32_t>> value(m.symbols.size());
    imports_.clear();
    for (const auto& im : m.imports) {
        Import import;
        if (im.data)
            return fail(fmt::format("data import {}::{}: the runner serves none", im.library, im.name));
        if (!bind(im.library, im.name, import, why))
            return false;
        const guest::GuestAddress stub = Layout::kStubs + Layout::kStubStride * static_cast<std::uint32_t>(imports_.size());
        storeBe32(stub, kBlr);
        storeBe32(stub + 4, kBlr);
        value[im.symbol] = stub;
        imports_.push_back(std::move(import));
    }
    for (std::size_t i = 0; i < m.symbols.size(); ++i) {
        const auto& sym = m.symbols[i];
        if (value[i])
            continue;
        if (sym.section == rpl::kShnAbs)
            value[i] = sym.value;
        else if (sym.section < placed.size() && placed[sym.section])
            value[i] = sym.value - m.sections[sym.section].addr + *placed[sym.section];
    }

    for (const auto& rs : m.relocations) {
        const auto& target = m.sections[rs.target];
        if (!placed[rs.target])
            continue;  // a loader-only section
        for (const auto& r : rs.entries) {
            const auto& sym = m.symbols[r.symbol];
            if (!value[r.symbol])
                return fail(fmt::format("relocation at {:#x} in '{}' against '{}', which has no address", r.offset,
                                        target.name, sym.name));
            const std::uint32_t place = r.offset - target.addr + *placed[rs.target];
            const std::uint32_t room = target.addr + target.size - r.offset;
            auto field = std::span(reinterpret_cast<std::uint8_t*>(host(place)), room);
            if (auto applied = rpl::applyRelocation(r.type, field, *value[r.symbol] + static_cast<std::uint32_t>(r.addend), place);
                !applied)
                return fail(fmt::format("'{}' ({}): {}", target.name, sym.name, applied.error().message));
        }
    }
    const auto text = std::find_if(m.sections.begin(), m.sections.end(), [&](const rpl::Section& s) {
        return placed[s.index] && s.exec() && m.entry >= s.addr && m.entry - s.addr < s.size;
    });
    entry_ = m.entry - text->addr + *placed[text->index];  // the reader checked the entry lies in code
    return true;
}

void PpcRunner::report(const guest::CallFrame& frame)
{
    // OSReport(format, ...): %d %i %u %x %X %s %c %p from r4.. (enough for the guest programs).
    const auto format = memory_.string({frame.gpr[3]}, 1024);
    std::string line;
    if (!format) {
        line = fmt::format("<OSReport: unreadable format at {:#x}>", frame.gpr[3]);
    } else {
        unsigned next = 4;
        const auto arg = [&] { return next <= 10 ? frame.gpr[next++] : 0u; };
        for (std::size_t i = 0; i < format->size(); ++i) {
            const char c = (*format)[i];
            if (c != '%' || i + 1 == format->size()) {
                line += c;
                continue;
            }
            switch (const char spec = (*format)[++i]) {
            case 'd': case 'i': line += std::to_string(static_cast<std::int32_t>(arg())); break;
            case 'u': line += std::to_string(arg()); break;
            case 'x': line += fmt::format("{:x}", arg()); break;
            case 'X': line += fmt::format("{:X}", arg()); break;
            case 'p': line += fmt::format("{:#010x}", arg()); break;
            case 'c': line += static_cast<char>(arg()); break;
            case 's': {
                const auto text = memory_.string({arg()}, 1024);
                line += text ? *text : "<bad string>";
                break;
            }
            case '%': line += '%'; break;
            default: line += '%'; line += spec;
            }
        }
    }
    while (!line.empty() && line.back() == '\n')
        line.pop_back();
    std::lock_guard lock(reportsMutex_);
    reports_.push_back(std::move(line));
}

std::vector<std::string> PpcRunner::reports() const
{
    std::lock_guard lock(reportsMutex_);
    return reports_;
}

}  // namespace wiiu::test::ppc
