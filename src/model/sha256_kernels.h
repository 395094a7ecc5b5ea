#pragma once
// The SHA-256 block functions behind Sha256: a portable one and one using the x86 SHA extensions, chosen once at
// run time. Declared here so that tests can check both against each other on this machine.
#include <cstddef>
#include <cstdint>

namespace consilium::model::sha256_kernels {

void compressPortable(std::uint32_t state[8], const std::uint8_t* blocks, std::size_t count);
void compressShaExtensions(std::uint32_t state[8], const std::uint8_t* blocks, std::size_t count);
bool cpuHasShaExtensions();

}  // namespace consilium::model::sha256_kernels
