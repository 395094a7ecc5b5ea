#pragma once
// The demo case's review as the board writes it: the pathologist's and the radiologist's findings (ready), the
// chair's recommendation with two trial options (one open only in China), four key images from the case's own
// anatomy and slide. The chair's video-consultation section is left a draft, so that finalizing is refused until
// it is marked ready: the whole workflow can be shown on the demo.
#include <filesystem>

#include "model/case.h"
#include "store/database.h"

namespace consilium::demo {

inline constexpr const char* kDemoChair = "Dr Amelia Rossi";
inline constexpr const char* kDemoRadiologist = "Dr Jonas Berg";
inline constexpr const char* kDemoPathologist = "Dr Priya Raman";

// `slide` is the demo's whole-slide image (a key image is cut from it).
void addDemoReview(store::Database& db, const model::Case& demoCase, const std::filesystem::path& slide);

}  // namespace consilium::demo
