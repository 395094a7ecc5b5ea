#pragma once
// From DICOM headers to volumes: which images belong together, in which order, and with which geometry
// (clinical-reference.md §1). The stacking itself (stackSlices) is pure logic over SliceRecord values, so tests can
// build any geometry without writing files; readSliceRecords fills the records from a file.
//
// Conventions (DICOM patient coordinates, LPS, millimetres):
// - row = ImageOrientationPatient[0..2] (direction of increasing column index), col = IOP[3..5] (increasing row
//   index), n = row × col. A slice's distance along the stack is d = ImagePositionPatient · n; slices are sorted by
//   d, ascending, never by InstanceNumber or SliceLocation.
// - PixelSpacing is (row spacing, column spacing) = (y, x): spacing[0] (along i, the columns) = PixelSpacing[1].
// - direction is a 3×3 matrix, row-major, whose COLUMNS are the i, j and k axes in LPS — the convention of
//   vtkImageData::SetDirectionMatrix and ITK. Voxel (i, j, k) lies at origin + direction · (i·sx, j·sy, k·sz).
// - k axis: the displacement from one slice to the next per millimetre along n. It equals n for an ordinary stack.
//   For a gantry-tilted (sheared) stack it is n plus an in-plane shear, so it is NOT a unit vector: the volume keeps
//   the shear in its direction matrix rather than resampling, every voxel stays exactly where the scanner put it,
//   and spacing[2] stays the distance between slice planes along n. A viewer that needs an orthogonal grid must
//   resample; the "gantry-tilt" warning tells it so.
// - Non-uniform spacing: when stacking at the mean spacing ((d_last − d_first) / (slices − 1)) misplaces no slice by
//   more than 10 % of the usual spacing (bed overlaps of a PET, rounding), the slices are stacked as they are and the
//   "non-uniform-spacing" warning says where the spacing differs. Beyond that (a missing slice, two runs of
//   different spacing) stacking would put anatomy millimetres away from where it was scanned, so the volume is
//   resampled along the stack at the usual (median) spacing by linear interpolation between the two nearest slices;
//   SliceStack::resampled describes the blend and the warning says so. Slices are never moved silently.
#include <array>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace consilium::imaging {

// What stacking needs from one frame of one file. Single-frame files give one record; an Enhanced multi-frame file
// gives one record per frame, its geometry and rescaling from the per-frame functional groups (falling back to the
// shared groups, then to the top level).
struct SliceRecord {
    std::filesystem::path file;
    int frame = 0;  // 0-based frame within the file
    int frameCount = 1;

    std::string sopInstanceUid;
    std::string sopClassUid;
    std::string seriesInstanceUid;
    std::string studyInstanceUid;
    std::string frameOfReferenceUid;
    std::string modality;
    std::string seriesDescription;
    std::string manufacturer;
    std::string transferSyntaxUid;  // (0002,0010) as text

    int instanceNumber = 0;
    std::optional<int> acquisitionNumber;
    std::vector<std::string> imageType;      // ImageType values, or the frame's FrameType in Enhanced objects
    std::optional<double> temporalPosition;  // TemporalPositionIndex / TemporalPositionIdentifier / TriggerTime
    std::optional<int> echoNumber;           // EchoNumbers
    std::string stackId;                     // FrameContentSequence StackID (Enhanced)

    std::optional<std::array<double, 3>> position;      // ImagePositionPatient, centre of the first voxel
    std::optional<std::array<double, 6>> orientation;   // ImageOrientationPatient
    std::optional<std::array<double, 2>> pixelSpacing;  // (row spacing, column spacing) = (y, x)
    std::optional<double> sliceThickness;
    std::optional<double> spacingBetweenSlices;
    std::optional<double> gantryTilt;  // GantryDetectorTilt, degrees, as stated by the scanner

    int rows = 0;
    int columns = 0;
    int samplesPerPixel = 1;
    int bitsAllocated = 0;
    int bitsStored = 0;
    bool pixelSigned = false;
    std::string photometric;
    double rescaleSlope = 1;
    double rescaleIntercept = 0;
    std::string units;  // PET Units (0054,1001), e.g. BQML, CNTS, GML; empty for other modalities

    bool isLocalizer() const;
};

// Reads the records of one file (header only; pixel data is not loaded). Returns no records for a DICOM object
// without pixels (structured report, PDF, presentation state, DICOMDIR). Throws NotDicomError (pixel_decoder.h)
// for a file that is not DICOM, consilium::Error(file, reason) for a broken one ("truncated or corrupt: …",
// "missing Pixel Data (7FE0,0010)", "missing SeriesInstanceUID", "empty file (0 bytes)").
std::vector<SliceRecord> readSliceRecords(const std::filesystem::path& file);

// A problem the viewer shows next to the volume. `code` is stable (for programs and tests), `text` is for people.
// Codes: missing-position, missing-orientation, missing-pixel-spacing, non-orthonormal-orientation,
// duplicate-position, duplicate-instance, non-uniform-spacing, slice-gap, gantry-tilt, irregular-positions,
// varying-pixel-spacing, varying-matrix-size, split-series.
struct GeometryWarning {
    std::string code;
    std::string text;
};

// One output slice of a resampled stack: (1 − weight) × slices[lower] + weight × slices[lower + 1].
struct SliceBlend {
    std::size_t lower = 0;
    double weight = 0;  // 0 when the output slice coincides with slices[lower]
};

// One volume: slices of one series that stack into a regular grid.
struct SliceStack {
    std::string seriesInstanceUid;
    // Which part of the series this is when the series holds several volumes, e.g. "acquisition=2",
    // "temporal=3", "orientation=sagittal", "localizer", "size=256x256", joined by ';'. Empty when the whole series
    // is one volume. Stable for the same set of files, so (series UID, key) names a volume across sessions.
    std::string key;
    std::vector<SliceRecord> slices;  // sorted by distance along the normal
    int columns = 0;
    int rows = 0;
    std::array<double, 3> spacing{1, 1, 1};  // x (along i), y (along j), distance between slice planes along n
    std::array<double, 3> origin{0, 0, 0};   // centre of voxel (0,0,0), LPS mm
    std::array<double, 9> direction{1, 0, 0, 0, 1, 0, 0, 0, 1};  // row-major, columns = i, j, k axes (see above)
    std::vector<double> sliceDistances;                          // d of every slice (same order as slices)
    double tiltDegrees = 0;  // shear of the stack against its normal (gantry tilt), 0 for a plain stack
    std::vector<GeometryWarning> warnings;
    // Empty: the volume's slices are `slices`. Otherwise the volume has resampled.size() slices, spacing[2] apart
    // from sliceDistances.front(), each blended from two neighbouring slices (see the conventions above).
    std::vector<SliceBlend> resampled;

    std::size_t volumeSlices() const { return resampled.empty() ? slices.size() : resampled.size(); }
    // Distance along the normal of the volume's slice k.
    double volumeDistance(std::size_t k) const;
};

// Splits records into volumes and computes each one's geometry:
// 1. by SeriesInstanceUID;
// 2. localizers (ImageType/FrameType containing LOCALIZER) apart;
// 3. by orientation (cosines equal within 1e-6); images without position or orientation form their own volume,
//    in InstanceNumber order with a warning (there is nothing else to sort by);
// 4. by matrix size (a volume cannot mix sizes; each part gets a "varying-matrix-size" warning);
// 5. only when positions repeat: by StackID, then temporal position, then AcquisitionNumber, then EchoNumber — the
//    first attribute whose parts have no repeated position. AcquisitionNumber alone never splits, because axial
//    (step-and-shoot) CT gives every rotation its own number (the GE gantry-tilt series in ../shared/data does).
//    Positions that still repeat are reported and only the first image at each position is kept.
// The result is ordered by series UID, then key.
std::vector<SliceStack> stackSlices(std::vector<SliceRecord> records);

}  // namespace consilium::imaging
