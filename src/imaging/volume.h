#pragma once
// A DICOM series (or one volume of it) as a vtkImageData in patient coordinates, shared by every view.
//
// Geometry: spacing, origin and direction matrix are LPS millimetres exactly as series_geometry.h computes them
// (direction columns = i, j, k axes; for a gantry-tilted stack the k column carries the shear and is not a unit
// vector; see series_geometry.h). Voxel (i, j, k) is column i, row j of the k-th slice along the normal.
//
// Values: RescaleSlope/RescaleIntercept of each slice (or frame) are applied before storing, so the scalars are
// HU for CT, Bq/mL (or whatever Units says) for PET, the scanner's signal for MR. Storage is int16 when every
// rescaled value is an integer that fits (CT, most MR), float32 otherwise and always for PET (GE writes a different
// RescaleSlope on every slice). MONOCHROME1 images keep their values (a CT in HU must stay in HU); Volume::
// monochrome1 tells the display to invert its grey scale.
//
// Loading: header pass (stacking), then the slices are decoded by two threads (the caller's and one more), each
// with one frame of scratch, straight into the vtkImageData buffer: peak memory is the voxel bytes plus a few
// frames. The process keeps one copy of each loaded volume: a cache keyed by SeriesInstanceUID + sub-volume key
// holds weak pointers, so a second open while any view still holds the volume is instant and returns the same
// object, and the memory goes when the last view lets go.
#include <vtkImageData.h>
#include <vtkSmartPointer.h>

#include <array>
#include <atomic>
#include <cstddef>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "imaging/series_geometry.h"

namespace consilium::imaging {

struct Volume {
    // Never modify through this pointer: every view shares it. Scalars VTK_SHORT or VTK_FLOAT, one component.
    vtkSmartPointer<vtkImageData> image;

    std::string seriesInstanceUid;
    std::string key;  // SliceStack::key: which volume of the series (empty when the series is one volume)
    std::string studyInstanceUid;
    std::string frameOfReferenceUid;
    std::string modality;
    std::string seriesDescription;
    std::string manufacturer;
    std::string units;  // "HU" for CT, PET Units (BQML, CNTS, GML…) for PT, empty otherwise

    int columns = 0;
    int rows = 0;
    int slices = 0;
    std::array<double, 3> spacing{1, 1, 1};
    std::array<double, 3> origin{0, 0, 0};
    std::array<double, 9> direction{1, 0, 0, 0, 1, 0, 0, 0, 1};  // row-major, as vtkImageData::GetDirectionMatrix
    std::vector<double> sliceDistances;                          // true position of every slice along the normal
    double tiltDegrees = 0;

    double minimum = 0;  // of the rescaled values
    double maximum = 0;
    bool monochrome1 = false;
    std::vector<GeometryWarning> warnings;
    std::vector<std::string> transferSyntaxes;  // distinct (0002,0010) UIDs, sorted
    std::vector<std::filesystem::path> files;   // distinct files, in slice order

    bool isFloat() const;
    std::size_t voxelBytes() const;
};

// What to load. `files` may hold other series and non-DICOM files; they are ignored.
struct VolumeRequest {
    std::vector<std::filesystem::path> files;
    // Which series; empty: the files must hold exactly one. Given, a cached volume is returned without touching
    // the disk.
    std::string seriesInstanceUid;
    // Which volume of the series (SliceStack::key); empty: the main one, i.e. the one with most slices that is not
    // a localizer.
    std::string key;
};

using VolumeProgress = std::function<void(double fraction)>;  // 0..1, called on the calling thread

// Loads (or finds in the cache) one volume. Safe to call from any thread, and from several at once: two requests
// for the same volume share one load. `progress` is called on the calling thread after each slice it decodes;
// `cancel` is checked before every slice: when it becomes true the load stops, nothing is cached and nullptr is
// returned. Throws consilium::Error: (file, "transfer syntax <UID> (<name>) cannot be decoded: …") for an
// undecodable slice, (file, reason) for other decoding failures, (series UID or first file, reason) when the files
// hold no such series or volume. Files that cannot be read at all are left out with an "unreadable-file" warning.
std::shared_ptr<const Volume> loadVolume(const VolumeRequest& request, const VolumeProgress& progress,
                                         std::atomic<bool>& cancel);
std::shared_ptr<const Volume> loadVolume(const VolumeRequest& request);

// The same for a stack already computed by stackSlices (no header is read again).
std::shared_ptr<const Volume> loadVolume(const SliceStack& stack, const VolumeProgress& progress,
                                         std::atomic<bool>& cancel);

// The cached volume if some view still holds it, else nullptr. Key empty: the main volume of the series, if it was
// loaded that way.
std::shared_ptr<const Volume> cachedVolume(const std::string& seriesInstanceUid, const std::string& key = "");

// The main volume of a series among `stacks`: most slices, localizers last. nullptr when the series is absent.
const SliceStack* mainStack(const std::vector<SliceStack>& stacks, const std::string& seriesInstanceUid);

}  // namespace consilium::imaging
