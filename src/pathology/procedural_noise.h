#pragma once
// Deterministic building blocks for the synthetic slide: integer hashes, value noise and a tileable noise texture.
// Everything is a pure function of its coordinates and a seed, so any tile renders identically in any order or thread.
#include <cmath>
#include <cstdint>
#include <vector>

namespace consilium::pathology::detail {

// "lowbias32" integer finaliser (Chris Wellons): cheap, and good enough that neighbouring cells look unrelated.
inline std::uint32_t mix32(std::uint32_t h)
{
    h ^= h >> 16;
    h *= 0x7feb352du;
    h ^= h >> 15;
    h *= 0x846ca68bu;
    h ^= h >> 16;
    return h;
}

inline std::uint32_t hash2(std::int64_t x, std::int64_t y, std::uint32_t salt)
{
    return mix32(static_cast<std::uint32_t>(x) * 0x9e3779b1u ^
                 mix32(static_cast<std::uint32_t>(y) * 0x85ebca77u + salt));
}

// A stream of independent uniform numbers for one object (one gland, one nucleus) identified by a hash.
class CellRandom {
public:
    explicit CellRandom(std::uint32_t state) : state_(state) {}
    float uniform() { return (mix32(state_ += 0x9e3779b9u) >> 8) * (1.0f / 16777216.0f); }
    float range(float lo, float hi) { return lo + (hi - lo) * uniform(); }
    bool chance(float p) { return uniform() < p; }

private:
    std::uint32_t state_;
};

inline float unit(std::uint32_t h) { return (h >> 8) * (1.0f / 16777216.0f); }
inline float smooth01(float t) { return t * t * (3.0f - 2.0f * t); }
inline float smoothstep(float e0, float e1, float x)
{
    const float t = (x - e0) / (e1 - e0);
    return t <= 0.0f ? 0.0f : t >= 1.0f ? 1.0f : smooth01(t);
}
inline float lerp(float a, float b, float t) { return a + (b - a) * t; }
inline float clamp01(float x) { return x < 0.0f ? 0.0f : x > 1.0f ? 1.0f : x; }

// Value noise in [0,1] with lattice spacing 1: smooth, non-repeating; used for the large-scale layout fields.
inline float valueNoise(double x, double y, std::uint32_t salt)
{
    const double fx = std::floor(x), fy = std::floor(y);
    const auto ix = static_cast<std::int64_t>(fx), iy = static_cast<std::int64_t>(fy);
    const float tx = smooth01(static_cast<float>(x - fx)), ty = smooth01(static_cast<float>(y - fy));
    const float a = unit(hash2(ix, iy, salt)), b = unit(hash2(ix + 1, iy, salt));
    const float c = unit(hash2(ix, iy + 1, salt)), d = unit(hash2(ix + 1, iy + 1, salt));
    return lerp(lerp(a, b, tx), lerp(c, d, tx), ty);
}

// Fractal sum of `octaves` value-noise layers, each twice as fine and half as strong; result in [0,1].
inline float fbm(double x, double y, int octaves, std::uint32_t salt)
{
    float sum = 0.0f, norm = 0.0f, amplitude = 1.0f;
    for (int i = 0; i < octaves; ++i) {
        sum += amplitude * valueNoise(x, y, salt + 1013u * static_cast<std::uint32_t>(i));
        norm += amplitude;
        amplitude *= 0.5f;
        x *= 2.0;
        y *= 2.0;
    }
    return sum / norm;
}

// A 1024×1024 tileable two-channel noise texture. Per-pixel fine detail (collagen fibres, chromatin, cytoplasm
// grain) is one bilinear lookup here instead of several hashed noise evaluations: the writer renders ~400 MP, so
// per-pixel cost decides whether it takes seconds or minutes. Channel 0 is fine (4–8 texel features), channel 1
// coarse (16–64 texels). Callers sample it at incommensurate scales so the 1024-texel period does not show.
class NoiseTexture {
public:
    static constexpr int kSize = 1024;
    explicit NoiseTexture(std::uint32_t seed);

    // Bilinear, wrapping; u, v in texels. Returns channel 0 in fine, channel 1 in coarse.
    void sample(float u, float v, float& fine, float& coarse) const
    {
        const float fu = std::floor(u), fv = std::floor(v);
        const int iu = static_cast<int>(fu), iv = static_cast<int>(fv);
        const float tu = u - fu, tv = v - fv;
        const int u0 = iu & (kSize - 1), u1 = (iu + 1) & (kSize - 1);
        const int v0 = (iv & (kSize - 1)) * kSize, v1 = ((iv + 1) & (kSize - 1)) * kSize;
        const float* a = &texels_[2 * (v0 + u0)];
        const float* b = &texels_[2 * (v0 + u1)];
        const float* c = &texels_[2 * (v1 + u0)];
        const float* d = &texels_[2 * (v1 + u1)];
        fine = lerp(lerp(a[0], b[0], tu), lerp(c[0], d[0], tu), tv);
        coarse = lerp(lerp(a[1], b[1], tu), lerp(c[1], d[1], tu), tv);
    }
    float fine(float u, float v) const
    {
        float f, c;
        sample(u, v, f, c);
        return f;
    }

private:
    std::vector<float> texels_;  // interleaved fine, coarse
};

}  // namespace consilium::pathology::detail
