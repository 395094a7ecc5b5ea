#include "imaging/roi_statistics.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <set>
#include <tuple>

#include "imaging/case_suv.h"
#include "model/error.h"
#include "store/case_files.h"
#include "store/imaging_index.h"

namespace consilium::imaging {

namespace {

struct VoxelIndex {
    long i = 0, j = 0, k = 0;
};

double valueAt(const Volume& v, const VoxelIndex& x)
{
    const std::size_t at =
        (std::size_t(x.k) * std::size_t(v.rows) + std::size_t(x.j)) * std::size_t(v.columns) + std::size_t(x.i);
    const void* scalars = v.image->GetScalarPointer();
    return v.isFloat() ? double(static_cast<const float*>(scalars)[at])
                       : double(static_cast<const short*>(scalars)[at]);
}

bool inVolume(const Volume& v, const VoxelIndex& x)
{
    return x.i >= 0 && x.j >= 0 && x.k >= 0 && x.i < v.columns && x.j < v.rows && x.k < v.slices;
}

Vec3 voxelCentre(const Volume& v, const VoxelIndex& x)
{
    return Vec3{v.origin[0], v.origin[1], v.origin[2]} +
           multiply(v.direction, {x.i * v.spacing[0], x.j * v.spacing[1], x.k * v.spacing[2]});
}

Vec3 axis(const Volume& v, int column)
{
    return normalized({v.direction[column], v.direction[3 + column], v.direction[6 + column]});
}

bool parallel(const Vec3& a, const Vec3& b) { return std::abs(std::abs(dot(a, b)) - 1.0) < 1e-6; }

// The shape's test in plane coordinates and its bounding box there.
struct Shape {
    std::function<bool(double u, double v)> contains;
    double uMin = 0, uMax = 0, vMin = 0, vMax = 0;
};

Shape shapeOf(const model::Measurement& roi)
{
    Shape s;
    if (roi.kind == model::MeasurementKind::Ellipse) {
        const model::PlaneEllipse e = model::planeEllipse(roi);
        const double r = std::max(e.a, e.b);
        s.uMin = e.centre[0] - r, s.uMax = e.centre[0] + r, s.vMin = e.centre[1] - r, s.vMax = e.centre[1] + r;
        s.contains = [e](double u, double v) { return e.contains(u, v); };
        return s;
    }
    std::vector<std::array<double, 2>> polygon;
    for (const auto& p : roi.points)
        polygon.push_back(model::planeCoordinates(roi.plane, p));
    s.uMin = s.vMin = 1e300;
    s.uMax = s.vMax = -1e300;
    for (const auto& p : polygon) {
        s.uMin = std::min(s.uMin, p[0]), s.uMax = std::max(s.uMax, p[0]);
        s.vMin = std::min(s.vMin, p[1]), s.vMax = std::max(s.vMax, p[1]);
    }
    s.contains = [polygon](double u, double v) { return model::polygonContains(polygon, u, v); };
    return s;
}

// The ROI's voxels as (slice, row, column), so iteration follows storage order and a tie in the maximum always
// resolves to the same voxel; a set counts a voxel reached by several samples once.
using VoxelSet = std::set<std::tuple<long, long, long>>;

VoxelSet voxelsOnAcquiredSlice(const Volume& v, const model::Measurement& roi, const Shape& shape)
{
    VoxelSet out;
    const long k = std::lround(continuousIndex(v, roi.plane.origin)[2]);
    if (k < 0 || k >= v.slices)
        return out;
    double iMin = 1e300, iMax = -1e300, jMin = 1e300, jMax = -1e300;
    for (double u : {shape.uMin, shape.uMax})
        for (double w : {shape.vMin, shape.vMax}) {
            const Vec3 index = continuousIndex(v, model::planePoint(roi.plane, u, w));
            iMin = std::min(iMin, index[0]), iMax = std::max(iMax, index[0]);
            jMin = std::min(jMin, index[1]), jMax = std::max(jMax, index[1]);
        }
    const long i0 = std::max(0L, long(std::floor(iMin))), i1 = std::min(long(v.columns) - 1, long(std::ceil(iMax)));
    const long j0 = std::max(0L, long(std::floor(jMin))), j1 = std::min(long(v.rows) - 1, long(std::ceil(jMax)));
    for (long j = j0; j <= j1; ++j)
        for (long i = i0; i <= i1; ++i) {
            const auto [u, w] = model::planeCoordinates(roi.plane, voxelCentre(v, {i, j, k}));
            if (shape.contains(u, w))
                out.insert({k, j, i});
        }
    return out;
}

VoxelSet voxelsOnReformattedPlane(const Volume& v, const model::Measurement& roi, const Shape& shape)
{
    VoxelSet out;
    const double step = finestSpacing(v);
    for (long m = long(std::ceil(shape.vMin / step)); m <= long(std::floor(shape.vMax / step)); ++m)
        for (long n = long(std::ceil(shape.uMin / step)); n <= long(std::floor(shape.uMax / step)); ++n) {
            const double u = n * step, w = m * step;
            if (!shape.contains(u, w))
                continue;
            const Vec3 index = continuousIndex(v, model::planePoint(roi.plane, u, w));
            const VoxelIndex x{std::lround(index[0]), std::lround(index[1]), std::lround(index[2])};
            if (inVolume(v, x))
                out.insert({x.k, x.j, x.i});
        }
    return out;
}

// Mean SUV over the voxels whose centres lie within kSuvPeakRadiusMm of `centre` (a voxel centre).
std::pair<double, int> sphereMean(const Volume& v, const VoxelIndex& centre, double factor)
{
    const Vec3 c = voxelCentre(v, centre);
    // A box of index offsets generous enough for any direction matrix; the exact test is the distance below.
    const long reach = long(std::ceil(kSuvPeakRadiusMm / finestSpacing(v))) + 1;
    double sum = 0;
    int n = 0;
    for (long k = centre.k - reach; k <= centre.k + reach; ++k)
        for (long j = centre.j - reach; j <= centre.j + reach; ++j)
            for (long i = centre.i - reach; i <= centre.i + reach; ++i) {
                const VoxelIndex x{i, j, k};
                if (!inVolume(v, x) || norm(voxelCentre(v, x) - c) > kSuvPeakRadiusMm)
                    continue;
                sum += valueAt(v, x) * factor;
                ++n;
            }
    return {sum / n, n};
}

}  // namespace

model::MeasurementPlane measurementPlane(const ViewPlane& view, const Vec3& pointOnPlane)
{
    return {pointOnPlane, normalized(view.right), normalized(view.down)};
}

bool isAcquiredSlicePlane(const Volume& volume, const model::MeasurementPlane& plane)
{
    return (parallel(plane.row, axis(volume, 0)) && parallel(plane.column, axis(volume, 1))) ||
           (parallel(plane.row, axis(volume, 1)) && parallel(plane.column, axis(volume, 0)));
}

ValueScale valueScale(const Volume& volume, const model::SuvResult* suv)
{
    if (volume.modality == "CT")
        return {1, "HU", false};
    if (volume.modality == "PT") {
        if (suv && suv->status == model::SuvResult::Status::Ok)
            return {suv->factorBw, "SUVbw", true};
        return {1, volume.units == "BQML" ? "Bq/mL" : volume.units, false};
    }
    return {1, "", false};
}

RoiStatistics roiStatistics(const Volume& volume, const model::Measurement& roi, const ValueScale& scale)
{
    if (roi.kind != model::MeasurementKind::Ellipse && roi.kind != model::MeasurementKind::Polygon)
        throw UsageError("ROI statistics", "need an ellipse or polygon ROI, not a " + model::toString(roi.kind));
    const model::MeasurementValues values = model::measurementValues(roi);  // validates
    RoiStatistics stats;
    stats.areaMm2 = *values.areaMm2;
    stats.unit = scale.unit;

    const Shape shape = shapeOf(roi);
    const VoxelSet voxels = isAcquiredSlicePlane(volume, roi.plane) ? voxelsOnAcquiredSlice(volume, roi, shape)
                                                                    : voxelsOnReformattedPlane(volume, roi, shape);
    stats.voxelCount = int(voxels.size());
    if (voxels.empty())
        return stats;

    // Welford: one pass, no cancellation for large HU offsets.
    double mean = 0, m2 = 0;
    double lo = std::numeric_limits<double>::infinity(), hi = -lo;
    VoxelIndex hottest;
    int n = 0;
    for (const auto& [k, j, i] : voxels) {
        const double x = valueAt(volume, {i, j, k}) * scale.factor;
        ++n;
        const double delta = x - mean;
        mean += delta / n;
        m2 += delta * (x - mean);
        lo = std::min(lo, x);
        if (x > hi) {
            hi = x;
            hottest = {i, j, k};
        }
    }
    stats.mean = mean;
    stats.standardDeviation = n > 1 ? std::sqrt(m2 / (n - 1)) : 0.0;
    stats.minimum = lo;
    stats.maximum = hi;
    if (scale.suv) {
        stats.suvMax = hi;
        stats.hottestVoxelLps = voxelCentre(volume, hottest);
        const auto [peak, count] = sphereMean(volume, hottest, scale.factor);
        stats.suvPeak = peak;
        stats.peakVoxelCount = count;
    }
    return stats;
}

std::shared_ptr<const Volume> loadCaseSeriesVolume(store::Database& db, std::int64_t caseId,
                                                   const std::string& seriesInstanceUid)
{
    store::ImagingIndex index(db);
    store::CaseFiles files(db.libraryRoot());
    VolumeRequest request;
    request.seriesInstanceUid = seriesInstanceUid;
    for (const auto& relative : index.instancePaths(index.seriesIdOf(caseId, seriesInstanceUid)))
        request.files.push_back(files.absolute(relative));
    return loadVolume(request);
}

RoiStatistics CaseRoiStatistics::operator()(const model::Measurement& roi)
{
    auto it = loaded_.find(roi.seriesInstanceUid);
    if (it == loaded_.end()) {
        Loaded l;
        l.volume = loadCaseSeriesVolume(db_, roi.caseId, roi.seriesInstanceUid);
        if (l.volume->modality == "PT") {
            const model::SuvResult suv = caseSeriesSuv(db_, roi.caseId, roi.seriesInstanceUid);
            l.scale = valueScale(*l.volume, &suv);
        } else {
            l.scale = valueScale(*l.volume);
        }
        it = loaded_.emplace(roi.seriesInstanceUid, std::move(l)).first;
    }
    return roiStatistics(*it->second.volume, roi, it->second.scale);
}

}  // namespace consilium::imaging
