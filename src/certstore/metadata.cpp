#include "certstore/metadata.h"

#include <algorithm>
#include <cctype>
#include <limits>
#include <set>

#include "common/log.h"

namespace wiiu::certstore {
namespace {

std::string_view trim(std::string_view s)
{
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
    return s;
}

std::string upper(std::string_view s)
{
    std::string out(s);
    for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return out;
}

std::vector<std::string_view> split(std::string_view s, char sep)
{
    std::vector<std::string_view> parts;
    for (;;) {
        auto pos = s.find(sep);
        parts.push_back(s.substr(0, pos));
        if (pos == std::string_view::npos) return parts;
        s.remove_prefix(pos + 1);
    }
}

// strtol/strtoull base 0 rules (0x hex, leading 0 octal, else decimal, optional sign), but the
// whole text must be the number: trailing junk is an error here, not silently ignored.
struct ParsedInt {
    bool negative = false;
    std::uint64_t magnitude = 0;
};

std::optional<ParsedInt> parseBase0(std::string_view s)
{
    ParsedInt r;
    if (!s.empty() && (s.front() == '+' || s.front() == '-')) {
        r.negative = s.front() == '-';
        s.remove_prefix(1);
    }
    unsigned base = 10;
    if (s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        base = 16;
        s.remove_prefix(2);
    } else if (s.size() > 1 && s[0] == '0') {
        base = 8;
        s.remove_prefix(1);
    }
    if (s.empty()) return std::nullopt;
    for (char c : s) {
        unsigned digit;
        if (c >= '0' && c <= '9') digit = static_cast<unsigned>(c - '0');
        else if (c >= 'a' && c <= 'f') digit = static_cast<unsigned>(c - 'a' + 10);
        else if (c >= 'A' && c <= 'F') digit = static_cast<unsigned>(c - 'A' + 10);
        else return std::nullopt;
        if (digit >= base) return std::nullopt;
        if (r.magnitude > (std::numeric_limits<std::uint64_t>::max() - digit) / base) return std::nullopt;
        r.magnitude = r.magnitude * base + digit;
    }
    return r;
}

std::optional<std::int32_t> toInt32(std::string_view s)
{
    auto p = parseBase0(s);
    if (!p) return std::nullopt;
    if (p->negative) {
        if (p->magnitude > 0x80000000ull) return std::nullopt;
        return static_cast<std::int32_t>(-static_cast<std::int64_t>(p->magnitude));
    }
    if (p->magnitude > 0x7FFFFFFFull) return std::nullopt;
    return static_cast<std::int32_t>(p->magnitude);
}

std::optional<std::uint32_t> toUInt32(std::string_view s)
{
    auto p = parseBase0(s);
    if (!p || p->negative || p->magnitude > 0xFFFFFFFFull) return std::nullopt;
    return static_cast<std::uint32_t>(p->magnitude);
}

// Like strtoull: a leading '-' wraps around, so "-1" is the all-ones terminator value.
std::optional<std::uint64_t> toUInt64(std::string_view s)
{
    auto p = parseBase0(s);
    if (!p) return std::nullopt;
    return p->negative ? std::uint64_t{0} - p->magnitude : p->magnitude;
}

template <class T, class F>
std::optional<std::vector<T>> toList(std::string_view s, F convert)
{
    std::vector<T> out;
    for (std::string_view part : split(s, ',')) {
        auto v = convert(trim(part));
        if (!v) return std::nullopt;
        out.push_back(*v);
    }
    return out;
}

class LineParser {
public:
    LineParser(std::string_view file, int line) : file_(file), line_(line) {}

    LoadError error(std::string_view item, std::string_view why) const
    {
        return {std::string(file_) + ":" + std::to_string(line_) + ": " + std::string(why) + " in '" +
                std::string(item) + "'"};
    }
    LoadError error(std::string_view why) const
    {
        return {std::string(file_) + ":" + std::to_string(line_) + ": " + std::string(why)};
    }

    Expected<MetadataRecord, LoadError> parse(std::string_view text);

private:
    Expected<void, LoadError> apply(MetadataRecord& r, const std::string& key, std::string_view value,
                                    std::string_view item);

    std::string_view file_;
    int line_;
    std::set<std::string> seen_;
};

Expected<void, LoadError> LineParser::apply(MetadataRecord& r, const std::string& key,
                                            std::string_view value, std::string_view item)
{
    auto bad = [&](std::string_view what) { return fail(error(item, what)); };
    Permissions& p = r.permissions;
    if (key == "ID") {
        auto v = toInt32(value);
        if (!v) return bad("ID is not a 32-bit integer");
        r.id = *v;
    } else if (key == "TYPE" || key == "ENCODING") {
        auto v = toInt32(value);
        if (!v) return bad(key + " is not a 32-bit integer");
        (key == "TYPE" ? p.type : p.encoding) = *v;
    } else if (key == "PROPERTIES" || key == "GROUPS") {
        auto v = toUInt32(value);
        if (!v) return bad(key + " is not an unsigned 32-bit integer");
        (key == "GROUPS" ? r.groups : p.properties) = *v;
    } else if (key == "CAPABILITY_MASK") {
        auto v = toUInt64(value);
        if (!v) return bad("CAPABILITY_MASK is not a 64-bit integer");
        p.capabilityMask = *v;
    } else if (key == "PID") {
        auto v = toList<std::int32_t>(value, toInt32);
        if (!v) return bad("PID is not a comma list of 32-bit integers");
        p.processIds = std::move(*v);
    } else if (key == "TID") {
        auto v = toList<std::uint64_t>(value, toUInt64);
        if (!v) return bad("TID is not a comma list of 64-bit integers");
        p.titleIds = std::move(*v);
    } else if (key == "PATHS") {
        auto parts = split(value, ',');
        if (parts.size() > 2) return bad("PATHS has more than two files");
        for (auto& part : parts) {
            part = trim(part);
            if (part.empty()) return bad("PATHS has an empty file name");
            if (!isContainedRelativePath(part)) return bad("PATHS leaves the content folder");
        }
        r.certPath = parts[0];
        if (parts.size() == 2) r.keyPath = parts[1];
    } else if (key == "RAW_E0_SIZE" || key == "RAW_SIZE" || key == "RAW_E1_SIZE" || key == "KEYSIZEDER") {
        auto v = toUInt32(value);
        if (!v) return bad(key + " is not an unsigned 32-bit integer");
        (key == "RAW_E0_SIZE" || key == "RAW_SIZE" ? r.rawE0Size : r.rawE1Size) = *v;
    } else {
        // Later firmware may add keys; an unknown key must not make the whole store unusable.
        log::certstore().warn("{}:{}: ignoring unknown key '{}'", file_, line_, key);
    }
    return {};
}

// Aliases name the same field, so a line may not set both.
std::string canonicalKey(const std::string& key)
{
    if (key == "RAW_SIZE") return "RAW_E0_SIZE";
    if (key == "KEYSIZEDER") return "RAW_E1_SIZE";
    return key;
}

Expected<MetadataRecord, LoadError> LineParser::parse(std::string_view text)
{
    MetadataRecord r;
    r.line = line_;
    for (std::string_view rawItem : split(text, ';')) {
        std::string_view item = trim(rawItem);
        if (item.empty()) continue;  // "a=1;;b=2" and a trailing ';' are harmless
        auto eq = item.find('=');
        if (eq == std::string_view::npos) return fail(error(item, "item has no '='"));
        std::string key = upper(trim(item.substr(0, eq)));
        std::string_view value = trim(item.substr(eq + 1));
        if (key.empty()) return fail(error(item, "item has no key"));
        if (value.empty()) return fail(error(item, "item has no value"));
        if (!seen_.insert(canonicalKey(key)).second) return fail(error(item, "key given twice"));
        if (auto ok = apply(r, key, value, item); !ok) return fail(ok.error());
    }
    for (const char* required : {"ID", "TYPE", "PATHS"})
        if (!seen_.count(required)) return fail(error(std::string("missing required key ") + required));

    Permissions& p = r.permissions;
    if (p.type != kTypeServer && p.type != kTypeClient)
        return fail(error("TYPE " + std::to_string(p.type) + " is neither 1 (server) nor 2 (client)"));
    // Defaults for optional keys (chosen, docs/certstore.md): PROPERTIES says "has key" when
    // PATHS names one; everything else starts at zero / DER.
    if (!seen_.count("PROPERTIES") && !r.keyPath.empty()) p.properties = kPropHasKey;
    bool hasKeyBit = (p.properties & kPropHasKey) != 0;
    if (hasKeyBit && r.keyPath.empty()) return fail(error("PROPERTIES has 0x1 (key file) but PATHS names one file"));
    if (!hasKeyBit && !r.keyPath.empty()) return fail(error("PATHS names a key file but PROPERTIES lacks 0x1"));
    if (p.type == kTypeClient && r.keyPath.empty()) return fail(error("client certificate (TYPE=2) without a key file"));
    return r;
}

}  // namespace

bool isContainedRelativePath(std::string_view path)
{
    if (path.empty() || path.front() == '/' || path.find('\\') != std::string_view::npos) return false;
    if (path.size() >= 2 && path[1] == ':') return false;  // "C:..." on a Windows host
    for (std::string_view part : split(path, '/'))
        if (part == "..") return false;
    return true;
}

Expected<std::vector<MetadataRecord>, LoadError> parseMetadata(std::string_view text, std::string_view fileName,
                                                               std::vector<std::string>* skipped)
{
    std::vector<MetadataRecord> records;
    int lineNo = 0;
    for (std::string_view raw : split(text, '\n')) {
        ++lineNo;
        std::string_view line = trim(raw);  // also drops a '\r' of CRLF files
        if (line.empty() || line.front() == '#') continue;
        auto rec = LineParser(fileName, lineNo).parse(line);
        if (rec) {
            auto dup = std::find_if(records.begin(), records.end(), [&](const MetadataRecord& o) { return o.id == rec->id; });
            if (dup != records.end())
                rec = fail(LoadError{std::string(fileName) + ":" + std::to_string(lineNo) + ": ID " +
                                     std::to_string(rec->id) + " already defined on line " + std::to_string(dup->line)});
        }
        if (!rec) {
            if (!skipped) return fail(rec.error());
            skipped->push_back(rec.error().message);
            continue;
        }
        records.push_back(std::move(*rec));
    }
    return records;
}

}  // namespace wiiu::certstore
