#pragma once
// `consilium inspect PATH… --json`: what a set of DICOM files holds, without a database — every volume with its
// geometry, warnings, transfer syntaxes, value range (every slice is decoded) and PET SUV factor.
//
// Paths may be files, folders (walked recursively) or DICOMDIR files (their directory records name the files to
// read; a DICOMDIR met while walking a folder is not followed, because the walk reads its files anyway).
//
// JSON (one object, keys in this order):
// {"series":[{"series_uid","modality","description","manufacturer","rows","columns","slices",
//             "spacing":[x,y,z],"origin":[x,y,z],"direction":[9 numbers],"transfer_syntaxes":[…],
//             "warnings":[{"code","text"}…],"suv":{"status","factor","reason"},"min","max"}…],
//  "skipped":N,"errors":[{"file","reason"}…]}
// - One entry per volume (series_geometry.h): a series holding several volumes (localizer, several acquisitions or
//   orientations) gives several entries with the same series_uid, each with a "split-series" (or
//   "varying-matrix-size") warning saying which part it is.
// - rows/columns/slices, spacing, origin, direction describe the volume as Volume/vtkImageData holds it: spacing[2]
//   is the distance between slice planes along the normal; direction is row-major with the i, j, k axes as columns
//   (the k column carries the shear of a gantry-tilted stack and is then not a unit vector); a resampled stack
//   (very uneven spacing) reports the resampled slice count.
// - min/max: of the rescaled values (RescaleSlope/Intercept of each slice) over every decoded slice, all samples of
//   colour images; null when a slice could not be decoded (its file is then in "errors").
// - suv: "not-pet" for other modalities (factor and reason null); "ok" with factor = SUVbw multiplier in g/mL per
//   Bq/mL (reason null); "unavailable" with reason (factor null).
// - skipped: files that are not DICOM images: not DICOM at all, or DICOM without pixels (SR, PDF, DICOMDIR).
// - errors: DICOM files that are broken or cannot be decoded, and paths that do not exist.
#include <array>
#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "imaging/series_geometry.h"
#include "model/suv.h"

namespace consilium::imaging {

struct InspectedVolume {
    std::string seriesInstanceUid;
    std::string key;  // SliceStack::key (not in the JSON; the warnings carry it for people)
    std::string modality;
    std::string description;
    std::string manufacturer;
    int rows = 0;
    int columns = 0;
    int slices = 0;
    std::array<double, 3> spacing{};
    std::array<double, 3> origin{};
    std::array<double, 9> direction{};
    std::vector<std::string> transferSyntaxes;
    std::vector<GeometryWarning> warnings;
    model::SuvResult suv;
    std::optional<double> minimum;
    std::optional<double> maximum;
};

struct InspectReport {
    std::vector<InspectedVolume> series;
    std::size_t skipped = 0;
    std::vector<std::pair<std::string, std::string>> errors;  // file, reason
};

InspectReport inspect(const std::vector<std::filesystem::path>& paths);
std::string toJson(const InspectReport& report);
std::string inspectJson(const std::vector<std::filesystem::path>& paths);  // toJson(inspect(paths))

}  // namespace consilium::imaging
