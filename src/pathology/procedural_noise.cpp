#include "pathology/procedural_noise.h"

#include <algorithm>

namespace consilium::pathology::detail {
namespace {

// Value noise that repeats every `period` lattice cells, so the texture wraps without a seam.
float periodicNoise(float x, float y, int period, std::uint32_t salt)
{
    const int ix = static_cast<int>(std::floor(x)), iy = static_cast<int>(std::floor(y));
    const float tx = smooth01(x - ix), ty = smooth01(y - iy);
    auto at = [&](int i, int j) {
        return unit(hash2(((i % period) + period) % period, ((j % period) + period) % period, salt));
    };
    return lerp(lerp(at(ix, iy), at(ix + 1, iy), tx), lerp(at(ix, iy + 1), at(ix + 1, iy + 1), tx), ty);
}

// Octaves with cell sizes from `largestCell` down to `smallestCell` texels, then a contrast stretch to about
// [0,1]: a plain fractal sum clusters around 0.5, and thresholds on it would then select almost nothing.
void fillChannel(std::vector<float>& texels, int channel, int largestCell, int smallestCell, std::uint32_t salt)
{
    constexpr int n = NoiseTexture::kSize;
    double sum = 0, sumSq = 0;
    for (int y = 0; y < n; ++y) {
        for (int x = 0; x < n; ++x) {
            float value = 0, amplitude = 1, norm = 0;
            int octave = 0;
            for (int cell = largestCell; cell >= smallestCell; cell /= 2, ++octave) {
                value += amplitude * periodicNoise(float(x) / cell, float(y) / cell, n / cell, salt + 7919u * octave);
                norm += amplitude;
                amplitude *= 0.6f;
            }
            value /= norm;
            texels[2 * (y * n + x) + channel] = value;
            sum += value;
            sumSq += double(value) * value;
        }
    }
    const double count = double(n) * n;
    const double mean = sum / count;
    const double sd = std::sqrt(std::max(1e-12, sumSq / count - mean * mean));
    for (int i = 0; i < n * n; ++i) {
        float& v = texels[2 * i + channel];
        v = clamp01(static_cast<float>((v - mean) / (4.0 * sd) + 0.5));
    }
}

}  // namespace

NoiseTexture::NoiseTexture(std::uint32_t seed) : texels_(2 * kSize * kSize)
{
    fillChannel(texels_, 0, 8, 4, mix32(seed ^ 0x51ed270bu));
    fillChannel(texels_, 1, 64, 16, mix32(seed ^ 0x2545f491u));
}

}  // namespace consilium::pathology::detail
