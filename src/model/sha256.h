#pragma once
// SHA-256 (FIPS 180-4). Used for content-addressed case files and, later, the audit chain.
#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace consilium::model {

class Sha256 {
public:
    Sha256();
    void update(const void* data, std::size_t size);
    void update(std::string_view text) { update(text.data(), text.size()); }
    std::array<std::uint8_t, 32> digest();  // finishes; the object must be reset before reuse
    std::string hexDigest();

private:
    void compress(const std::uint8_t* blocks, std::size_t count);
    std::array<std::uint32_t, 8> state_;
    std::array<std::uint8_t, 64> buffer_{};
    std::size_t buffered_ = 0;
    std::uint64_t totalBytes_ = 0;
};

std::string sha256Hex(std::string_view data);

}  // namespace consilium::model
