#include "hle/nssl/debug/pcap_writer.h"

#include <algorithm>
#include <chrono>
#include <cstring>
#include <map>
#include <vector>

#include "common/log.h"
#include "common/module_lock.h"
#include "platform/file.h"

namespace wiiu::nssl::debug {

namespace {

constexpr std::uint32_t kLinkTypeRaw = 101;
constexpr std::size_t kMaxSegment = 16384;  // payload per packet; keeps IPv4 lengths small

void put16(std::vector<std::uint8_t>& b, std::size_t at, std::uint16_t v)
{
    b[at] = static_cast<std::uint8_t>(v >> 8);
    b[at + 1] = static_cast<std::uint8_t>(v);
}
void put32(std::vector<std::uint8_t>& b, std::size_t at, std::uint32_t v)
{
    put16(b, at, static_cast<std::uint16_t>(v >> 16));
    put16(b, at + 2, static_cast<std::uint16_t>(v));
}

/// The Internet checksum (RFC 1071) over `data`, starting from `sum`.
std::uint16_t checksum(const std::uint8_t* data, std::size_t size, std::uint32_t sum = 0)
{
    for (std::size_t i = 0; i + 1 < size; i += 2)
        sum += static_cast<std::uint32_t>(data[i] << 8 | data[i + 1]);
    if (size & 1)
        sum += static_cast<std::uint32_t>(data[size - 1] << 8);
    while (sum >> 16)
        sum = (sum & 0xffff) + (sum >> 16);
    return static_cast<std::uint16_t>(~sum);
}

// Writers by path: connections of several processes that name one file share one writer
// (two writers on one file would interleave garbage). A writer stays open until the host
// process ends: reopening would truncate what earlier connections wrote.
ModuleMutex registryMutex;
std::map<std::string, std::shared_ptr<PcapWriter>> registry;

}  // namespace

std::shared_ptr<PcapWriter> PcapWriter::forPath(const std::string& path)
{
    std::lock_guard lock(registryMutex);
    if (auto existing = registry[path])
        return existing;
    std::FILE* file = platform::openFile(platform::pathFromUtf8(path), "wb");
    if (!file) {
        log::nssl().error("debug: cannot open PCAP file {}: {}", path, std::strerror(errno));
        return nullptr;
    }
    // Global header, native byte order (readers detect it from the magic).
    const std::uint32_t magic = 0xa1b2c3d4, snaplen = 262144, linktype = kLinkTypeRaw;
    const std::uint16_t major = 2, minor = 4;
    const std::int32_t zone = 0;
    const std::uint32_t sigfigs = 0;
    std::fwrite(&magic, 4, 1, file);
    std::fwrite(&major, 2, 1, file);
    std::fwrite(&minor, 2, 1, file);
    std::fwrite(&zone, 4, 1, file);
    std::fwrite(&sigfigs, 4, 1, file);
    std::fwrite(&snaplen, 4, 1, file);
    std::fwrite(&linktype, 4, 1, file);
    std::fflush(file);
    log::nssl().warn("debug: writing decrypted TLS traffic as PCAP to {}", path);
    std::shared_ptr<PcapWriter> writer(new PcapWriter(file));
    registry[path] = writer;
    return writer;
}

PcapWriter::~PcapWriter()
{
    std::fclose(file_);
}

void PcapWriter::packet(Endpoint from, Endpoint to, std::uint32_t seq, std::uint32_t ack, std::uint8_t flags,
                        std::span<const std::uint8_t> payload)
{
    const std::size_t total = 40 + payload.size();
    std::vector<std::uint8_t> p(total);
    std::lock_guard lock(mutex_);
    // IPv4 header
    p[0] = 0x45;
    put16(p, 2, static_cast<std::uint16_t>(total));
    put16(p, 4, ipId_++);
    put16(p, 6, 0x4000);  // don't fragment
    p[8] = 64;
    p[9] = 6;  // TCP
    put32(p, 12, from.address);
    put32(p, 16, to.address);
    put16(p, 10, checksum(p.data(), 20));
    // TCP header
    put16(p, 20, from.port);
    put16(p, 22, to.port);
    put32(p, 24, seq);
    put32(p, 28, ack);
    p[32] = 5 << 4;
    p[33] = flags;
    put16(p, 34, 65535);
    if (!payload.empty())
        std::memcpy(p.data() + 40, payload.data(), payload.size());
    // Pseudo-header: addresses, protocol, TCP length.
    const std::uint32_t tcpLength = static_cast<std::uint32_t>(total - 20);
    std::uint32_t pseudo = (from.address >> 16) + (from.address & 0xffff) + (to.address >> 16) +
                           (to.address & 0xffff) + 6 + tcpLength;
    put16(p, 36, checksum(p.data() + 20, tcpLength, pseudo));

    const auto now = std::chrono::system_clock::now().time_since_epoch();
    const auto us = std::chrono::duration_cast<std::chrono::microseconds>(now).count();
    const std::uint32_t record[4] = {static_cast<std::uint32_t>(us / 1000000), static_cast<std::uint32_t>(us % 1000000),
                                     static_cast<std::uint32_t>(total), static_cast<std::uint32_t>(total)};
    std::fwrite(record, sizeof record, 1, file_);
    std::fwrite(p.data(), 1, p.size(), file_);
    std::fflush(file_);  // a reader (or a crash) sees every packet so far
}

PcapStream::PcapStream(std::shared_ptr<PcapWriter> writer, Endpoint client, Endpoint server)
    : writer_(std::move(writer)), client_(client), server_(server)
{
    openIfNeeded();  // every established connection shows up, even one that sends nothing
}

PcapStream::~PcapStream()
{
    if (!opened_)
        return;
    writer_->packet(client_, server_, clientSeq_, serverSeq_, PcapWriter::kFin | PcapWriter::kAck, {});
    ++clientSeq_;
    writer_->packet(server_, client_, serverSeq_, clientSeq_, PcapWriter::kFin | PcapWriter::kAck, {});
    ++serverSeq_;
    writer_->packet(client_, server_, clientSeq_, serverSeq_, PcapWriter::kAck, {});
}

void PcapStream::openIfNeeded()
{
    if (opened_)
        return;
    opened_ = true;
    writer_->packet(client_, server_, clientSeq_, 0, PcapWriter::kSyn, {});
    ++clientSeq_;
    writer_->packet(server_, client_, serverSeq_, clientSeq_, PcapWriter::kSyn | PcapWriter::kAck, {});
    ++serverSeq_;
    writer_->packet(client_, server_, clientSeq_, serverSeq_, PcapWriter::kAck, {});
}

void PcapStream::send(bool fromClient, std::span<const std::uint8_t> data)
{
    openIfNeeded();
    while (!data.empty()) {
        const auto segment = data.first(std::min(data.size(), kMaxSegment));
        auto& seq = fromClient ? clientSeq_ : serverSeq_;
        const auto ack = fromClient ? serverSeq_ : clientSeq_;
        writer_->packet(fromClient ? client_ : server_, fromClient ? server_ : client_, seq, ack,
                        PcapWriter::kPsh | PcapWriter::kAck, segment);
        seq += static_cast<std::uint32_t>(segment.size());
        data = data.subspan(segment.size());
    }
}

void PcapStream::clientToServer(std::span<const std::uint8_t> data) { send(true, data); }
void PcapStream::serverToClient(std::span<const std::uint8_t> data) { send(false, data); }

}  // namespace wiiu::nssl::debug
