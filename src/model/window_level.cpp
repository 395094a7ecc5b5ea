#include "model/window_level.h"

#include <algorithm>
#include <cctype>

namespace consilium::model {

const std::vector<WindowPreset>& ctWindowPresets()
{
    static const std::vector<WindowPreset> presets{
        {"Soft tissue", {400, 40}, '1'}, {"Lung", {1500, -600}, '2'}, {"Bone", {1800, 400}, '3'},
        {"Brain", {80, 40}, '4'},        {"Liver", {150, 90}, '5'},   {"Mediastinum", {400, 80}, '6'},
    };
    return presets;
}

std::optional<WindowPreset> ctWindowPreset(const std::string& name)
{
    const auto lower = [](std::string s) {
        std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return char(std::tolower(c)); });
        std::replace(s.begin(), s.end(), '-', ' ');
        std::replace(s.begin(), s.end(), '_', ' ');
        return s;
    };
    for (const WindowPreset& p : ctWindowPresets())
        if (lower(p.name) == lower(name))
            return p;
    return std::nullopt;
}

const std::vector<std::pair<std::string, SuvWindow>>& suvWindowPresets()
{
    static const std::vector<std::pair<std::string, SuvWindow>> presets{{"SUV 0–5", {0, 5}}, {"SUV 0–10", {0, 10}}};
    return presets;
}

double voiLinear(double value, const Window& window)
{
    const double w = std::max(1.0, window.width);
    const double lowEdge = window.level - 0.5 - (w - 1) / 2;
    if (value <= lowEdge)
        return 0;
    if (value > window.level - 0.5 + (w - 1) / 2)
        return 1;
    return (value - (window.level - 0.5)) / (w - 1) + 0.5;
}

double quantile(std::vector<float>& values, double fraction)
{
    if (values.empty())
        return 0;
    const auto n = std::size_t(std::clamp(fraction, 0.0, 1.0) * double(values.size() - 1));
    std::nth_element(values.begin(), values.begin() + std::ptrdiff_t(n), values.end());
    return double(values[n]);
}

Window windowFromQuantiles(std::vector<float> values, double lowFraction, double highFraction)
{
    if (values.empty())
        return {};
    const double low = quantile(values, lowFraction), high = quantile(values, highFraction);
    return {std::max(1.0, high - low), (low + high) / 2};
}

Window windowFromZeroTo(double high)
{
    high = std::max(high, 1e-6);
    return {high, high / 2};
}

}  // namespace consilium::model
