#pragma once
// Statistics of an ellipse or polygon ROI on a loaded volume: area, mean, SD, min, max, and for PET SUVmax and
// SUVpeak.
//
// Which voxels an ROI holds (the "voxel-inclusion rule"):
// - On an acquired slice — the ROI's plane is spanned by the volume's own row and column axes (within 1e-6) — the
//   voxels of the slice nearest to the plane whose centres, projected onto the plane, fall inside the drawn shape.
// - On any other (reformatted, oblique) plane, the plane is sampled on a square grid of the volume's finest voxel
//   spacing, anchored at the plane origin (u, v = multiples of the step); each sample inside the shape takes the
//   voxel whose centre is nearest (what the readout shows); every such voxel counts once.
// Inside the shape: the ellipse equation ≤ 1, or the even-odd rule for a polygon (model/measurement.h). Voxels
// outside the volume are not counted. Area is that of the drawn shape (π·a·b, or the polygon's), not the voxel count
// times the voxel area, so it does not depend on the grid.
//
// SD is the sample standard deviation (n − 1; 0 for a single voxel).
//
// SUVmax is the largest SUV among the ROI's voxels; the hottest voxel is that voxel (on a tie, the first in storage
// order: slice, then row, then column). SUVpeak is the mean SUV of every voxel of the volume — inside the ROI or
// not, on any slice — whose centre lies within 6.2 mm (the radius of a 1 cm³ sphere) of the hottest voxel's centre,
// distances measured in patient space (so anisotropic voxels are right). Note: PERCIST/QIBA define SUVpeak as the
// highest such sphere mean anywhere in the lesion; centring it on the hottest voxel, as here, is the common simpler
// variant and can be lower.
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "imaging/view_plane.h"
#include "imaging/volume.h"
#include "model/measurement.h"
#include "model/suv.h"
#include "store/database.h"

namespace consilium::imaging {

inline constexpr double kSuvPeakRadiusMm = 6.2;

// How the volume's values are shown: HU for CT; SUVbw for PET when the SUV is available (value × factor);
// otherwise the modality's own unit (Bq/mL for BQML PET) with factor 1.
struct ValueScale {
    double factor = 1;
    std::string unit;  // "HU", "SUVbw", "Bq/mL", the PET Units, or "" (MR signal)
    bool suv = false;
};
ValueScale valueScale(const Volume& volume, const model::SuvResult* suv = nullptr);

// The plane a measurement drawn in a view lies on: origin `pointOnPlane` (e.g. the view's centre), row = the
// view's right, column = its down.
model::MeasurementPlane measurementPlane(const ViewPlane& view, const Vec3& pointOnPlane);
// True when the plane is spanned by the volume's own row and column axes (within 1e-6): an acquired slice, whose
// nearest source image (store::MeasurementRepository::nearestSourceImage) the measurement should reference.
bool isAcquiredSlicePlane(const Volume& volume, const model::MeasurementPlane& plane);

struct RoiStatistics {
    double areaMm2 = 0;
    int voxelCount = 0;
    std::optional<double> mean;  // absent when no voxel centre falls inside the ROI
    std::optional<double> standardDeviation;
    std::optional<double> minimum;
    std::optional<double> maximum;
    std::string unit;
    // PET with SUV only.
    std::optional<double> suvMax;
    std::optional<double> suvPeak;
    std::optional<Vec3> hottestVoxelLps;  // centre of the voxel SUVmax and SUVpeak refer to
    int peakVoxelCount = 0;               // voxels averaged for SUVpeak
};

// Throws UsageError when `roi` is not an ellipse or polygon (or not valid).
RoiStatistics roiStatistics(const Volume& volume, const model::Measurement& roi, const ValueScale& scale);

// The main volume of a case's series, loaded from the stored files (shared through the volume cache).
std::shared_ptr<const Volume> loadCaseSeriesVolume(store::Database& db, std::int64_t caseId,
                                                   const std::string& seriesInstanceUid);

// The statistics of stored ROIs with their series' volume and SUV (PET, reviewer's overrides applied), as the
// exports show them. Keeps each series' volume loaded while it lives, so many ROIs on one series load it once.
class CaseRoiStatistics {
public:
    explicit CaseRoiStatistics(store::Database& db) : db_(db) {}
    RoiStatistics operator()(const model::Measurement& roi);

private:
    struct Loaded {
        std::shared_ptr<const Volume> volume;
        ValueScale scale;
    };
    store::Database& db_;
    std::map<std::string, Loaded> loaded_;  // by series UID
};

}  // namespace consilium::imaging
