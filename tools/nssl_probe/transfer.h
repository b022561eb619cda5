// A transfer's data as the probe streams it: what it sends comes from memory (a --http-get
// request) or from a file read a chunk at a time (--send); what it receives is counted, hashed
// with SHA-256 and dropped, except the first few KiB kept for display. No body is ever held
// whole, so a 256 MiB download costs the probe a fixed amount of memory.
#pragma once

#include <cstdint>
#include <fstream>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "sha256.h"

namespace wiiu::probe {

/// What a transfer sends, a chunk at a time.
class Outgoing {
public:
    explicit Outgoing(std::string text);
    /// The file at `path`, read as it is sent; nullopt (and `error`) when it cannot be opened.
    static std::optional<Outgoing> open(const std::string& path, std::string* error);

    std::uint64_t size() const { return size_; }
    /// Fills the front of `into` with the next bytes; returns how many (0 at the end). Throws
    /// std::runtime_error when the file cannot be read any further.
    std::size_t read(std::span<std::uint8_t> into);

private:
    Outgoing() = default;

    std::string text_;
    std::ifstream file_;
    std::string path_;
    std::uint64_t size_ = 0, done_ = 0;
};

/// What a transfer received. The SHA-256 covers the HTTP body when the data is an HTTP reply
/// whose headers end within the kept bytes ("body"), else every byte received ("all").
class Received {
public:
    static constexpr std::size_t kKept = 4096;

    void append(std::span<const std::uint8_t> bytes);

    std::uint64_t size() const { return size_; }
    std::string_view kept() const { return kept_; }  ///< the first kKept bytes
    bool hashesBody() const { return headerEnd_ != 0; }
    std::uint64_t bodySize() const { return size_ - headerEnd_; }  ///< when hashesBody()
    std::string sha256() const;  ///< hex, of what hashesBody() says
    std::string statusLine() const;  ///< "HTTP/1.0 200 OK", "" when not an HTTP reply

private:
    enum class Scope { Undecided, Body, All };
    void decide();

    Sha256 sha_;
    std::string kept_;
    std::uint64_t size_ = 0;
    std::uint64_t headerEnd_ = 0;  ///< where the HTTP body starts; 0 = not (yet) known
    Scope scope_ = Scope::Undecided;
};

/// "2097190 bytes received, body complete (2097152 bytes by Content-Length)",
/// "1048614 bytes received, body incomplete (1048576 of 2097152 bytes by Content-Length)", ...
std::string describeReceived(const Received& received);

/// `bytes` for a terminal or a JSON string: printable ASCII, CR, LF and tab as they are, any
/// other byte as \xNN.
std::string printable(std::string_view bytes);

}  // namespace wiiu::probe
