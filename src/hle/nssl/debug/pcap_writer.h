// Plaintext as a PCAP file (libpcap format, LINKTYPE_RAW: bare IPv4 packets) with synthetic TCP
// so Wireshark and tshark dissect and follow each connection: one TCP stream per connection,
// a SYN / SYN-ACK / ACK to open it, sequence numbers that advance with the data, FIN to end it.
//
// One writer per file, shared by every connection (and Process) that names the same path;
// thread-safe; each packet is written and flushed as the data flows, so a crash loses nothing
// already seen. The file is a stream, not an atomic output: it is truncated when first opened
// in the host process and stays open until the host process ends.
#pragma once

#include <cstdint>
#include <cstdio>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include "common/module_lock.h"

namespace wiiu::nssl::debug {

/// An IPv4 endpoint, host byte order.
struct Endpoint {
    std::uint32_t address = 0;
    std::uint16_t port = 0;
};

class PcapWriter {
public:
    /// The writer for `path`, opened (and truncated) on first use; nullptr (logged) on error.
    static std::shared_ptr<PcapWriter> forPath(const std::string& path);
    ~PcapWriter();
    PcapWriter(const PcapWriter&) = delete;
    PcapWriter& operator=(const PcapWriter&) = delete;

    static constexpr std::uint8_t kSyn = 0x02, kAck = 0x10, kPsh = 0x08, kFin = 0x01;

    /// One IPv4/TCP packet from `from` to `to`; `payload` may be empty.
    void packet(Endpoint from, Endpoint to, std::uint32_t seq, std::uint32_t ack, std::uint8_t flags,
                std::span<const std::uint8_t> payload);

private:
    explicit PcapWriter(std::FILE* file) : file_(file) {}

    ModuleMutex mutex_;
    std::FILE* file_;
    std::uint16_t ipId_ = 0;
};

/// The synthetic TCP stream of one connection. Not thread-safe by itself: the connection calls
/// it under its own lock.
class PcapStream {
public:
    /// Writes the SYN / SYN-ACK / ACK at once.
    PcapStream(std::shared_ptr<PcapWriter> writer, Endpoint client, Endpoint server);
    ~PcapStream();  ///< FIN both ways
    PcapStream(const PcapStream&) = delete;
    PcapStream& operator=(const PcapStream&) = delete;

    void clientToServer(std::span<const std::uint8_t> data);  ///< what the guest wrote
    void serverToClient(std::span<const std::uint8_t> data);  ///< what the guest read

private:
    void openIfNeeded();
    void send(bool fromClient, std::span<const std::uint8_t> data);

    std::shared_ptr<PcapWriter> writer_;
    Endpoint client_, server_;
    std::uint32_t clientSeq_ = 1000, serverSeq_ = 5000;  // initial sequence numbers
    bool opened_ = false;
};

}  // namespace wiiu::nssl::debug
