#pragma once
// Display windows: the presets of the reading room and the DICOM linear VOI function (PS3.3 C.11.2.1.2).
#include <optional>
#include <string>
#include <vector>

namespace consilium::model {

struct Window {
    double width = 400;
    double level = 40;  // the centre
};

struct WindowPreset {
    std::string name;
    Window window;
    char key;  // the number key that selects it in a CT view
};

// Soft tissue 400/40, lung 1500/−600, bone 1800/400, brain 80/40, liver 150/90, mediastinum 400/80 (HU), on keys
// 1–6: the common values of the clinical reference, section 4.
const std::vector<WindowPreset>& ctWindowPresets();
std::optional<WindowPreset> ctWindowPreset(const std::string& name);  // by name, case-insensitive

// PET shown in SUV: 0–5 and 0–10 (keys 1 and 2), as low/high bounds.
struct SuvWindow {
    double low = 0;
    double high = 5;
};
const std::vector<std::pair<std::string, SuvWindow>>& suvWindowPresets();

// DICOM linear VOI: 0 below c − 0.5 − (w − 1)/2, 1 above c − 0.5 + (w − 1)/2, linear between. Width below 1 is
// treated as 1 (the standard requires w ≥ 1).
double voiLinear(double value, const Window& window);

// The `fraction` quantile of the values (0: the minimum, 1: the maximum); 0 for none.
double quantile(std::vector<float>& values, double fraction);

// Window over the bulk of a histogram: from the `lowFraction` to the `highFraction` quantile of the values.
Window windowFromQuantiles(std::vector<float> values, double lowFraction = 0.005, double highFraction = 0.995);

// 0 to `high`: how PET is always read (cold is zero), in whatever unit `high` is.
Window windowFromZeroTo(double high);

}  // namespace consilium::model
