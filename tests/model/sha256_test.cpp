#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "model/sha256.h"
#include "model/sha256_kernels.h"

using consilium::model::Sha256;
using consilium::model::sha256Hex;

// FIPS 180-4 / NIST CSRC example vectors.
TEST(Sha256, KnownVectors)
{
    EXPECT_EQ(sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    EXPECT_EQ(sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    EXPECT_EQ(sha256Hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
              "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    EXPECT_EQ(sha256Hex(std::string(1000000, 'a')), "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST(Sha256, IncrementalUpdatesEqualOneShot)
{
    std::string data;
    for (int i = 0; i < 1000; ++i)
        data += char(i * 7 + 3);
    for (std::size_t cut : {0u, 1u, 55u, 56u, 63u, 64u, 65u, 127u, 999u}) {
        Sha256 h;
        h.update(data.data(), cut);
        h.update(data.data() + cut, data.size() - cut);
        EXPECT_EQ(h.hexDigest(), sha256Hex(data)) << "cut at " << cut;
    }
}

TEST(Sha256, HardwareAndPortableKernelsAgree)
{
    namespace k = consilium::model::sha256_kernels;
    if (!k::cpuHasShaExtensions())
        GTEST_SKIP() << "this processor has no SHA extensions; only the portable kernel runs here";
    std::string data(64 * 37, '\0');
    std::uint32_t seed = 12345;
    for (auto& c : data)
        c = char((seed = seed * 1103515245 + 12345) >> 16);
    for (std::size_t blocks : {1u, 2u, 5u, 37u}) {
        std::uint32_t portable[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                                     0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
        std::uint32_t hardware[8];
        std::copy(portable, portable + 8, hardware);
        k::compressPortable(portable, reinterpret_cast<const std::uint8_t*>(data.data()), blocks);
        k::compressShaExtensions(hardware, reinterpret_cast<const std::uint8_t*>(data.data()), blocks);
        EXPECT_TRUE(std::equal(portable, portable + 8, hardware)) << blocks << " blocks";
    }
}
