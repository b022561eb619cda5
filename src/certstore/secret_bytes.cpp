#include <wiiu_nssl/secret_bytes.h>

#include <algorithm>

#include "common/secure_wipe.h"

namespace wiiu::certstore {

SecretBytes::SecretBytes(std::size_t size)
    : data_(size ? std::make_unique<std::uint8_t[]>(size) : nullptr), size_(size)
{
}

SecretBytes::SecretBytes(std::span<const std::uint8_t> bytes) : SecretBytes(bytes.size())
{
    std::copy(bytes.begin(), bytes.end(), data_.get());
}

SecretBytes::~SecretBytes() { clear(); }

SecretBytes::SecretBytes(SecretBytes&& other) noexcept
    : data_(std::move(other.data_)), size_(other.size_)
{
    // The buffer itself moved, so nothing is left behind to wipe in `other`.
    other.size_ = 0;
}

SecretBytes& SecretBytes::operator=(SecretBytes&& other) noexcept
{
    if (this != &other) {
        clear();
        data_ = std::move(other.data_);
        size_ = other.size_;
        other.size_ = 0;
    }
    return *this;
}

void SecretBytes::truncate(std::size_t size)
{
    if (size >= size_) return;
    secureWipe(data_.get() + size, size_ - size);
    size_ = size;
}

void SecretBytes::clear()
{
    if (data_) secureWipe(data_.get(), size_);
    data_.reset();
    size_ = 0;
}

}  // namespace wiiu::certstore
