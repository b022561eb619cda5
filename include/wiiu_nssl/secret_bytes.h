// Bytes that hold key material: wiped when destroyed or moved from, never copied implicitly.
#pragma once

#include <wiiu_nssl/language.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>

namespace wiiu::certstore {

class SecretBytes {
public:
    SecretBytes() = default;
    explicit SecretBytes(std::size_t size);
    explicit SecretBytes(std::span<const std::uint8_t> bytes);
    ~SecretBytes();

    SecretBytes(SecretBytes&& other) noexcept;
    SecretBytes& operator=(SecretBytes&& other) noexcept;
    // Copies of key material must be deliberate: use clone().
    SecretBytes(const SecretBytes&) = delete;
    SecretBytes& operator=(const SecretBytes&) = delete;

    SecretBytes clone() const { return SecretBytes(view()); }

    std::uint8_t* data() { return data_.get(); }
    const std::uint8_t* data() const { return data_.get(); }
    std::size_t size() const { return size_; }
    bool empty() const { return size_ == 0; }
    std::span<const std::uint8_t> view() const { return {data_.get(), size_}; }
    std::span<std::uint8_t> span() { return {data_.get(), size_}; }

    /// Keeps the first `size` bytes and wipes the rest (e.g. the padding after a decrypted key).
    void truncate(std::size_t size);
    void clear();

private:
    std::unique_ptr<std::uint8_t[]> data_;
    std::size_t size_ = 0;
};

}  // namespace wiiu::certstore
