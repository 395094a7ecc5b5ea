#include "imaging/series_geometry.h"

#include "imaging/dicom_attributes.h"

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmdata/dcmetinf.h>
#include <dcmtk/dcmdata/dcuid.h>
#include <dcmtk/dcmdata/dcxfer.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <numbers>
#include <set>
#include <tuple>
#include <utility>

#include "imaging/pixel_decoder.h"
#include "model/error.h"

namespace consilium::imaging {
namespace fs = std::filesystem;

namespace {

using dicom::decimals;
using dicom::text;

constexpr double kOrientationTolerance = 1e-6;  // cosines: same plane (clinical-reference §1)
constexpr double kPositionTolerance = 0.01;     // mm: same position, uniform spacing (clinical-reference §1)
constexpr double kOrthonormalTolerance = 1e-4;  // DS text keeps ~6-8 digits; real files are off by ~1e-7
constexpr double kTiltToleranceDegrees = 0.01;
// Resample a non-uniform stack when stacking it would misplace a slice by more than this fraction of the usual
// spacing (PET bed overlaps misplace by ~1 %; a missing slice by ~50 %).
constexpr double kResampleFraction = 0.1;
// Interpolate across at most this many usual steps (two missing slices); a wider gap splits the volume.
constexpr double kSplitGapFactor = 3.0;

// ---------------------------------------------------------------------------------------------------------------
// Header values

// Any numeric VR (DS, IS, FD, FL, US, UL, SS, SL) as a double.
std::optional<double> number(DcmItem& item, const DcmTagKey& tag, unsigned long index = 0)
{
    Float64 f = 0;
    if (item.findAndGetFloat64(tag, f, index).good() && std::isfinite(f))
        return f;
    Sint32 s = 0;
    if (item.findAndGetSint32(tag, s, index).good())
        return s;
    Uint32 u = 0;
    if (item.findAndGetUint32(tag, u, index).good())
        return u;
    Uint16 us = 0;
    if (item.findAndGetUint16(tag, us, index).good())
        return us;
    Sint16 ss = 0;
    if (item.findAndGetSint16(tag, ss, index).good())
        return ss;
    return std::nullopt;
}

std::optional<int> integer(DcmItem& item, const DcmTagKey& tag)
{
    if (auto v = number(item, tag))
        return int(std::lround(*v));
    return std::nullopt;
}

std::vector<std::string> multiValued(DcmItem& item, const DcmTagKey& tag)
{
    std::vector<std::string> values;
    const std::string all = text(item, tag);
    std::size_t start = 0;
    while (start <= all.size() && !all.empty()) {
        const std::size_t end = all.find('\\', start);
        values.push_back(all.substr(start, end == std::string::npos ? std::string::npos : end - start));
        if (end == std::string::npos)
            break;
        start = end + 1;
    }
    return values;
}

DcmItem* firstItem(DcmItem& item, const DcmTagKey& sequence)
{
    DcmItem* found = nullptr;
    if (item.findAndGetSequenceItem(sequence, found, 0).good())
        return found;
    return nullptr;
}

// Reads the attributes a functional group macro can override, from `group` (a shared or per-frame item).
void applyFunctionalGroup(DcmItem& group, SliceRecord& r)
{
    if (DcmItem* m = firstItem(group, DCM_PlanePositionSequence))
        if (auto p = decimals<3>(*m, DCM_ImagePositionPatient))
            r.position = p;
    if (DcmItem* m = firstItem(group, DCM_PlaneOrientationSequence))
        if (auto o = decimals<6>(*m, DCM_ImageOrientationPatient))
            r.orientation = o;
    if (DcmItem* m = firstItem(group, DCM_PixelMeasuresSequence)) {
        if (auto s = decimals<2>(*m, DCM_PixelSpacing))
            r.pixelSpacing = s;
        if (auto t = number(*m, DCM_SliceThickness))
            r.sliceThickness = t;
        if (auto b = number(*m, DCM_SpacingBetweenSlices))
            r.spacingBetweenSlices = b;
    }
    if (DcmItem* m = firstItem(group, DCM_PixelValueTransformationSequence)) {
        if (auto slope = number(*m, DCM_RescaleSlope))
            r.rescaleSlope = *slope;
        if (auto intercept = number(*m, DCM_RescaleIntercept))
            r.rescaleIntercept = *intercept;
    }
    if (DcmItem* m = firstItem(group, DCM_FrameContentSequence)) {
        if (auto t = number(*m, DCM_TemporalPositionIndex))
            r.temporalPosition = t;
        if (const std::string stack = text(*m, DCM_StackID); !stack.empty())
            r.stackId = stack;
    }
    for (const DcmTagKey& frameType :
         {DCM_MRImageFrameTypeSequence, DCM_CTImageFrameTypeSequence, DCM_PETFrameTypeSequence})
        if (DcmItem* m = firstItem(group, frameType))
            if (auto type = multiValued(*m, DCM_FrameType); !type.empty())
                r.imageType = type;
}

// ---------------------------------------------------------------------------------------------------------------
// Vectors

using Vec3 = std::array<double, 3>;

double dot(const Vec3& a, const Vec3& b) { return a[0] * b[0] + a[1] * b[1] + a[2] * b[2]; }
Vec3 cross(const Vec3& a, const Vec3& b)
{
    return {a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]};
}
Vec3 minus(const Vec3& a, const Vec3& b) { return {a[0] - b[0], a[1] - b[1], a[2] - b[2]}; }
Vec3 plus(const Vec3& a, const Vec3& b) { return {a[0] + b[0], a[1] + b[1], a[2] + b[2]}; }
Vec3 times(const Vec3& a, double s) { return {a[0] * s, a[1] * s, a[2] * s}; }
double length(const Vec3& a) { return std::sqrt(dot(a, a)); }
Vec3 normalized(const Vec3& a)
{
    const double l = length(a);
    return l > 0 ? times(a, 1.0 / l) : a;
}
Vec3 rowOf(const std::array<double, 6>& iop) { return {iop[0], iop[1], iop[2]}; }
Vec3 colOf(const std::array<double, 6>& iop) { return {iop[3], iop[4], iop[5]}; }
Vec3 normalOf(const std::array<double, 6>& iop) { return normalized(cross(rowOf(iop), colOf(iop))); }

// ---------------------------------------------------------------------------------------------------------------
// Text for people

// "3.27", "5.197", "4" — millimetres with at most three decimals.
std::string mm(double v)
{
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.3f", v);
    std::string s = buf;
    while (!s.empty() && s.back() == '0')
        s.pop_back();
    if (!s.empty() && s.back() == '.')
        s.pop_back();
    return s == "-0" ? "0" : s;
}

std::string degrees(double v)
{
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f", v);
    return buf;
}

std::string plural(std::size_t n, const char* word) { return std::to_string(n) + " " + word + (n == 1 ? "" : "s"); }

const char* planeName(const std::array<double, 6>& iop)
{
    const Vec3 n = normalOf(iop);
    const double x = std::abs(n[0]), y = std::abs(n[1]), z = std::abs(n[2]);
    if (z >= 0.9)
        return "axial";
    if (y >= 0.9)
        return "coronal";
    if (x >= 0.9)
        return "sagittal";
    return "oblique";
}

// ---------------------------------------------------------------------------------------------------------------
// Splitting

struct Part {
    std::string key;
    std::vector<SliceRecord> records;
    std::vector<GeometryWarning> warnings;
};

std::string joinKey(const std::string& a, const std::string& b) { return a.empty() ? b : a + ";" + b; }

bool hasGeometry(const SliceRecord& r) { return r.position && r.orientation; }

bool sameOrientation(const std::array<double, 6>& a, const std::array<double, 6>& b)
{
    for (std::size_t i = 0; i < 6; ++i)
        if (std::abs(a[i] - b[i]) > kOrientationTolerance)
            return false;
    return true;
}

// Splits every part by a function of the record; parts with one group keep their key.
template <typename Classify>
std::vector<Part> splitBy(std::vector<Part> parts, Classify classify)
{
    std::vector<Part> out;
    for (Part& part : parts) {
        std::vector<std::pair<std::string, std::vector<SliceRecord>>> groups;  // in order of first appearance
        for (SliceRecord& r : part.records) {
            const std::string label = classify(r);
            auto it = std::find_if(groups.begin(), groups.end(), [&](const auto& g) { return g.first == label; });
            if (it == groups.end())
                groups.push_back({label, {std::move(r)}});
            else
                it->second.push_back(std::move(r));
        }
        if (groups.size() <= 1) {
            part.records = groups.empty() ? std::vector<SliceRecord>{} : std::move(groups.front().second);
            out.push_back(std::move(part));
            continue;
        }
        for (auto& [label, records] : groups)
            out.push_back(Part{joinKey(part.key, label), std::move(records), part.warnings});
    }
    return out;
}

std::vector<Part> splitByOrientation(std::vector<Part> parts)
{
    std::vector<Part> out;
    for (Part& part : parts) {
        std::vector<std::array<double, 6>> seen;
        std::vector<std::string> labels;
        std::map<std::string, int> labelUses;
        auto result = splitBy(std::vector<Part>{std::move(part)}, [&](const SliceRecord& r) -> std::string {
            if (!hasGeometry(r))
                return "no-position";
            for (std::size_t i = 0; i < seen.size(); ++i)
                if (sameOrientation(seen[i], *r.orientation))
                    return labels[i];
            const std::string base = planeName(*r.orientation);
            const int use = ++labelUses[base];
            seen.push_back(*r.orientation);
            labels.push_back("orientation=" + base + (use > 1 ? "-" + std::to_string(use) : ""));
            return labels.back();
        });
        for (Part& p : result)
            out.push_back(std::move(p));
    }
    return out;
}

std::vector<Part> splitByMatrixSize(std::vector<Part> parts)
{
    std::vector<Part> out;
    for (Part& part : parts) {
        std::map<std::pair<int, int>, std::size_t> sizes;
        for (const SliceRecord& r : part.records)
            ++sizes[{r.columns, r.rows}];
        auto result = splitBy(std::vector<Part>{std::move(part)}, [](const SliceRecord& r) {
            return "size=" + std::to_string(r.columns) + "x" + std::to_string(r.rows);
        });
        if (sizes.size() > 1) {
            std::string list;
            for (const auto& [size, count] : sizes)
                list += (list.empty() ? "" : ", ") + std::to_string(size.first) + "×" + std::to_string(size.second) +
                        " (" + plural(count, "image") + ")";
            for (Part& p : result)
                p.warnings.push_back({"varying-matrix-size", "the series mixes image sizes: " + list +
                                                                 "; each size is shown as a separate volume"});
        }
        for (Part& p : result)
            out.push_back(std::move(p));
    }
    return out;
}

// The attributes that may separate volumes sharing positions, in the order they are tried.
struct SplitAttribute {
    const char* key;
    const char* description;
    std::optional<std::string> (*value)(const SliceRecord&);
};

std::optional<std::string> numberText(const std::optional<double>& v)
{
    if (!v)
        return std::nullopt;
    return mm(*v);
}

const SplitAttribute kSplitAttributes[] = {
    {"stack", "StackID",
     [](const SliceRecord& r) { return r.stackId.empty() ? std::nullopt : std::optional<std::string>(r.stackId); }},
    {"temporal", "temporal position", [](const SliceRecord& r) { return numberText(r.temporalPosition); }},
    {"acquisition", "AcquisitionNumber",
     [](const SliceRecord& r) {
         return r.acquisitionNumber ? std::optional<std::string>(std::to_string(*r.acquisitionNumber)) : std::nullopt;
     }},
    {"echo", "EchoNumbers",
     [](const SliceRecord& r) {
         return r.echoNumber ? std::optional<std::string>(std::to_string(*r.echoNumber)) : std::nullopt;
     }},
};

double distanceAlong(const SliceRecord& r, const Vec3& n)
{
    return dot(Vec3{(*r.position)[0], (*r.position)[1], (*r.position)[2]}, n);
}

// True when two groups of slices occupy overlapping ranges along n (interleaved or repeated positions).
bool groupsOverlap(const std::vector<std::vector<const SliceRecord*>>& groups, const Vec3& n)
{
    std::vector<std::pair<double, double>> ranges;
    for (const auto& g : groups) {
        double lo = 1e300, hi = -1e300;
        for (const SliceRecord* r : g) {
            const double d = distanceAlong(*r, n);
            lo = std::min(lo, d);
            hi = std::max(hi, d);
        }
        ranges.push_back({lo, hi});
    }
    std::sort(ranges.begin(), ranges.end());
    for (std::size_t i = 1; i < ranges.size(); ++i)
        if (ranges[i].first <= ranges[i - 1].second + kPositionTolerance)
            return true;
    return false;
}

// Splits a part whose sub-groups (by one of kSplitAttributes) overlap in space: several volumes in one series.
// Sub-groups that follow each other along n (sequential CT rotations) stay one volume.
std::vector<Part> splitOverlappingVolumes(Part part, std::size_t firstAttribute = 0)
{
    if (part.records.empty() || !hasGeometry(part.records.front()))
        return {std::move(part)};
    const Vec3 n = normalOf(*part.records.front().orientation);
    for (std::size_t a = firstAttribute; a < std::size(kSplitAttributes); ++a) {
        const SplitAttribute& attribute = kSplitAttributes[a];
        std::map<std::string, std::vector<const SliceRecord*>> groups;
        for (const SliceRecord& r : part.records)
            groups[attribute.value(r).value_or("none")].push_back(&r);
        if (groups.size() < 2)
            continue;
        std::vector<std::vector<const SliceRecord*>> lists;
        for (auto& [label, list] : groups)
            lists.push_back(list);
        if (!groupsOverlap(lists, n))
            continue;
        std::vector<Part> out;
        const std::size_t count = groups.size();
        for (auto& [label, list] : groups) {
            Part sub{joinKey(part.key, std::string(attribute.key) + "=" + label), {}, part.warnings};
            for (const SliceRecord* r : list)
                sub.records.push_back(*r);
            sub.warnings.push_back({"split-series", "the series holds " + std::to_string(count) +
                                                        " overlapping volumes that differ in " + attribute.description +
                                                        "; this one is " + attribute.description + " " + label});
            for (Part& p : splitOverlappingVolumes(std::move(sub), a + 1))
                out.push_back(std::move(p));
        }
        return out;
    }
    return {std::move(part)};
}

// ---------------------------------------------------------------------------------------------------------------
// Geometry of one part

void checkOrthonormal(const std::array<double, 6>& iop, std::vector<GeometryWarning>& warnings)
{
    const Vec3 row = rowOf(iop), col = colOf(iop);
    const double lr = length(row), lc = length(col), d = dot(row, col);
    if (std::abs(lr - 1) > kOrthonormalTolerance || std::abs(lc - 1) > kOrthonormalTolerance ||
        std::abs(d) > kOrthonormalTolerance) {
        char buf[160];
        std::snprintf(buf, sizeof buf, "|row| = %.6f, |column| = %.6f, row·column = %.6f", lr, lc, d);
        warnings.push_back(
            {"non-orthonormal-orientation", std::string("ImageOrientationPatient is not orthonormal (") + buf +
                                                "); the cosines were normalised, in-plane positions may be off"});
    }
}

void checkPixelSpacing(const std::vector<SliceRecord>& slices, SliceStack& stack)
{
    const SliceRecord& first = slices.front();
    if (!first.pixelSpacing) {
        stack.warnings.push_back(
            {"missing-pixel-spacing", "no PixelSpacing: 1 mm is assumed, so lengths are in pixels, not millimetres"});
        return;
    }
    stack.spacing[0] = (*first.pixelSpacing)[1];
    stack.spacing[1] = (*first.pixelSpacing)[0];
    double lo = 1e300, hi = -1e300;
    for (const SliceRecord& r : slices) {
        if (!r.pixelSpacing)
            continue;
        for (double v : *r.pixelSpacing) {
            lo = std::min(lo, v);
            hi = std::max(hi, v);
        }
    }
    const bool varies = std::any_of(slices.begin(), slices.end(), [&](const SliceRecord& r) {
        return !r.pixelSpacing || std::abs((*r.pixelSpacing)[0] - (*first.pixelSpacing)[0]) > 1e-6 ||
               std::abs((*r.pixelSpacing)[1] - (*first.pixelSpacing)[1]) > 1e-6;
    });
    if (varies)
        stack.warnings.push_back({"varying-pixel-spacing", "pixel spacing varies within the volume (" + mm(lo) +
                                                               " to " + mm(hi) + " mm); the first slice's " +
                                                               mm((*first.pixelSpacing)[1]) + " × " +
                                                               mm((*first.pixelSpacing)[0]) + " mm is used"});
}

void checkSliceThickness(const std::vector<SliceRecord>& slices, SliceStack& stack)
{
    std::set<std::string> thicknesses;
    for (const SliceRecord& r : slices)
        if (r.sliceThickness)
            thicknesses.insert(mm(*r.sliceThickness));
    if (thicknesses.size() > 1) {
        std::string list;
        for (const std::string& t : thicknesses)
            list += (list.empty() ? "" : ", ") + t + " mm";
        stack.warnings.push_back({"varying-slice-thickness", "slice thickness varies within the volume: " + list});
    }
}

// The usual step between slices: the most common one (within the position tolerance), the smaller on a tie. Not
// the median: with a slice missing from a short series, or two runs of different spacing, the median can land on
// the odd step.
double typicalStep(std::vector<double> steps)
{
    if (steps.empty())
        return 0;
    std::sort(steps.begin(), steps.end());
    double best = steps.front();
    std::size_t bestCount = 0;
    for (std::size_t begin = 0; begin < steps.size();) {
        std::size_t end = begin;
        while (end < steps.size() && steps[end] - steps[begin] <= kPositionTolerance)
            ++end;
        if (end - begin > bestCount) {
            bestCount = end - begin;
            best = steps[begin + (end - begin) / 2];
        }
        begin = end;
    }
    return best;
}

// A uniform grid at `spacing` from the first to (at most) the last slice, each output slice blended linearly from
// the two input slices around it.
void resample(SliceStack& stack, double spacing)
{
    const std::vector<double>& d = stack.sliceDistances;
    const double span = d.back() - d.front();
    const auto count = std::size_t(std::floor(span / spacing + kPositionTolerance / spacing)) + 1;
    stack.spacing[2] = spacing;
    stack.resampled.clear();
    std::size_t lower = 0;
    for (std::size_t m = 0; m < count; ++m) {
        const double target = d.front() + double(m) * spacing;
        while (lower + 2 < d.size() && d[lower + 1] <= target + kPositionTolerance)
            ++lower;
        if (std::abs(d[lower] - target) <= kPositionTolerance) {
            stack.resampled.push_back({lower, 0.0});
            continue;
        }
        if (lower + 1 < d.size() && std::abs(d[lower + 1] - target) <= kPositionTolerance) {
            stack.resampled.push_back({lower + 1, 0.0});
            continue;
        }
        const double weight = (target - d[lower]) / (d[lower + 1] - d[lower]);
        stack.resampled.push_back({lower, std::clamp(weight, 0.0, 1.0)});
    }
}

// Steps that differ from the usual one, grouped into runs of equal steps: "3.29 mm between slices 45 and 46".
void checkSpacing(SliceStack& stack)
{
    const std::vector<double>& d = stack.sliceDistances;
    std::vector<double> steps;
    for (std::size_t k = 1; k < d.size(); ++k)
        steps.push_back(d[k] - d[k - 1]);
    const double typical = typicalStep(steps);
    std::vector<std::string> runs;
    std::size_t deviating = 0;
    for (std::size_t k = 0; k < steps.size();) {
        if (std::abs(steps[k] - typical) <= kPositionTolerance) {
            ++k;
            continue;
        }
        std::size_t end = k + 1;
        while (end < steps.size() && std::abs(steps[end] - steps[k]) <= kPositionTolerance)
            ++end;
        deviating += end - k;
        const std::size_t count = end - k;
        runs.push_back(mm(steps[k]) + " mm between slices " + std::to_string(k + 1) + " and " +
                       std::to_string(end + 1) + (count > 1 ? " (" + std::to_string(count) + " steps)" : ""));
        k = end;
    }
    if (runs.empty())
        return;
    double misplaced = 0;
    for (std::size_t k = 0; k < d.size(); ++k)
        misplaced = std::max(misplaced, std::abs(d[k] - (d.front() + double(k) * stack.spacing[2])));
    std::string where;
    for (std::size_t i = 0; i < runs.size() && i < 8; ++i)
        where += (i ? "; " : "") + runs[i];
    if (runs.size() > 8)
        where += "; and " + std::to_string(runs.size() - 8) + " more";
    const std::string what = "slice spacing is not uniform (" + plural(deviating, "step") + " of " +
                             std::to_string(steps.size()) + " differ from the usual " + mm(typical) + " mm): " + where;
    if (misplaced <= kResampleFraction * typical) {
        stack.warnings.push_back({"non-uniform-spacing", what + ". The volume is stacked at the mean spacing " +
                                                             mm(stack.spacing[2]) + " mm, which misplaces slices by " +
                                                             "up to " + mm(misplaced) + " mm"});
        return;
    }
    resample(stack, typical);
    std::size_t blended = 0;
    for (const SliceBlend& b : stack.resampled)
        blended += b.weight > 0 ? 1 : 0;
    stack.warnings.push_back(
        {"non-uniform-spacing", what + ". Stacked at the mean spacing, slices would be misplaced by up to " +
                                    mm(misplaced) + " mm, so the volume is resampled to " +
                                    std::to_string(stack.resampled.size()) + " slices " + mm(typical) + " mm apart; " +
                                    plural(blended, "slice") + " of it are interpolated between neighbouring images"});
}

// Thickness against the usual spacing: a gap means tissue between slices that was never imaged.
void checkGap(const std::vector<SliceRecord>& slices, const std::vector<double>& d, SliceStack& stack)
{
    if (d.size() < 2 || !slices.front().sliceThickness)
        return;
    std::vector<double> steps;
    for (std::size_t k = 1; k < d.size(); ++k)
        steps.push_back(d[k] - d[k - 1]);
    const double typical = typicalStep(steps);
    const double thickness = *slices.front().sliceThickness;
    if (typical > thickness + kPositionTolerance)
        stack.warnings.push_back({"slice-gap", "slices are " + mm(thickness) + " mm thick but " + mm(typical) +
                                                   " mm apart: " + mm(typical - thickness) +
                                                   " mm between neighbouring slices was not imaged"});
}

// Positions known: sort along the normal and drop repeated positions.
SliceStack sortedStack(const std::string& seriesUid, Part part)
{
    SliceStack stack;
    stack.seriesInstanceUid = seriesUid;
    stack.key = part.key;
    stack.warnings = std::move(part.warnings);
    const std::array<double, 6> iop = *part.records.front().orientation;
    checkOrthonormal(iop, stack.warnings);
    const Vec3 n = normalOf(iop);

    std::vector<std::pair<double, SliceRecord>> sorted;
    for (SliceRecord& r : part.records)
        sorted.push_back({distanceAlong(r, n), std::move(r)});
    std::stable_sort(sorted.begin(), sorted.end(), [](const auto& a, const auto& b) {
        if (a.first != b.first)
            return a.first < b.first;
        return std::tie(a.second.instanceNumber, a.second.frame) < std::tie(b.second.instanceNumber, b.second.frame);
    });
    std::size_t dropped = 0;
    std::string firstDuplicate;
    for (auto& [d, r] : sorted) {
        if (!stack.sliceDistances.empty() && std::abs(d - stack.sliceDistances.back()) <= kPositionTolerance) {
            if (dropped++ == 0)
                firstDuplicate = r.file.filename().string() + " at " + mm(d) + " mm";
            continue;
        }
        stack.sliceDistances.push_back(d);
        stack.slices.push_back(std::move(r));
    }
    if (dropped > 0)
        stack.warnings.push_back(
            {"duplicate-position", plural(dropped, "image") +
                                       " repeat the position of another image (first: " + firstDuplicate +
                                       ") and nothing in the headers tells the volumes apart; "
                                       "only the first image at each position is used"});

    return stack;
}

// Origin, spacing, shear, direction and warnings of sorted slices.
SliceStack finishStack(SliceStack stack)
{
    const std::array<double, 6> iop = *stack.slices.front().orientation;
    const Vec3 row = normalized(rowOf(iop)), col = normalized(colOf(iop)), n = normalOf(iop);
    const std::vector<SliceRecord>& slices = stack.slices;
    const std::vector<double>& d = stack.sliceDistances;
    stack.columns = slices.front().columns;
    stack.rows = slices.front().rows;
    const Vec3 first{(*slices.front().position)[0], (*slices.front().position)[1], (*slices.front().position)[2]};
    stack.origin = first;
    checkPixelSpacing(slices, stack);
    checkSliceThickness(slices, stack);

    Vec3 kAxis = n;
    if (slices.size() >= 2) {
        const double span = d.back() - d.front();
        stack.spacing[2] = span / double(slices.size() - 1);
        const Vec3 last{(*slices.back().position)[0], (*slices.back().position)[1], (*slices.back().position)[2]};
        const Vec3 step = times(minus(last, first), 1.0 / span);  // per mm along n; step·n == 1
        const Vec3 shear = minus(step, times(n, dot(step, n)));
        const double tilt = std::atan(length(shear)) * 180.0 / std::numbers::pi;
        if (tilt > kTiltToleranceDegrees) {
            stack.tiltDegrees = tilt;
            kAxis = step;
            const auto& stated = slices.front().gantryTilt;
            stack.warnings.push_back(
                {"gantry-tilt", "the slices are sheared by " + degrees(tilt) + "° against their normal" +
                                    (stated ? " (GantryDetectorTilt " + mm(*stated) + "°)" : std::string()) +
                                    ": the volume keeps the shear in its direction matrix (positions are exact, the "
                                    "grid is not orthogonal); resample before measuring in oblique planes"});
        }
        std::size_t off = 0;
        double worst = 0;
        for (std::size_t k = 0; k < slices.size(); ++k) {
            const Vec3 p{(*slices[k].position)[0], (*slices[k].position)[1], (*slices[k].position)[2]};
            const double deviation = length(minus(p, plus(first, times(kAxis, d[k] - d.front()))));
            if (deviation > kPositionTolerance) {
                ++off;
                worst = std::max(worst, deviation);
            }
        }
        if (off > 0)
            stack.warnings.push_back({"irregular-positions", plural(off, "slice") +
                                                                 " lie off the line through the first and last "
                                                                 "slice (by up to " +
                                                                 mm(worst) + " mm in-plane)"});
        checkSpacing(stack);
        checkGap(slices, d, stack);
    } else {
        const SliceRecord& only = slices.front();
        stack.spacing[2] = only.spacingBetweenSlices.value_or(only.sliceThickness.value_or(1.0));
        if (!(stack.spacing[2] > 0))
            stack.spacing[2] = 1.0;
    }
    stack.direction = {row[0], col[0], kAxis[0], row[1], col[1], kAxis[1], row[2], col[2], kAxis[2]};
    return stack;
}

// A gap of more than kSplitGapFactor usual steps is not a missing slice or two but a hole (a series holding two
// separate ranges): interpolating across it would invent anatomy, so each range becomes its own volume.
std::vector<SliceStack> stacksWithGeometry(const std::string& seriesUid, Part part)
{
    SliceStack all = sortedStack(seriesUid, std::move(part));
    std::vector<double> steps;
    for (std::size_t k = 1; k < all.sliceDistances.size(); ++k)
        steps.push_back(all.sliceDistances[k] - all.sliceDistances[k - 1]);
    const double typical = typicalStep(steps);
    std::vector<std::size_t> starts{0};
    for (std::size_t k = 0; k < steps.size(); ++k)
        if (steps[k] > kSplitGapFactor * typical + kPositionTolerance)
            starts.push_back(k + 1);
    if (starts.size() == 1)
        return {finishStack(std::move(all))};
    std::string holes;
    for (std::size_t p = 1; p < starts.size(); ++p)
        holes += (p > 1 ? ", " : "") + mm(steps[starts[p] - 1]) + " mm after slice " + std::to_string(starts[p]);
    std::vector<SliceStack> parts;
    for (std::size_t p = 0; p < starts.size(); ++p) {
        const std::size_t begin = starts[p], end = p + 1 < starts.size() ? starts[p + 1] : all.slices.size();
        SliceStack piece;
        piece.seriesInstanceUid = seriesUid;
        piece.key = joinKey(all.key, "part=" + std::to_string(p + 1));
        piece.warnings = all.warnings;
        piece.warnings.push_back({"split-series", "the slices leave " + plural(starts.size() - 1, "hole") + " (" +
                                                      holes + ") far wider than the usual " + mm(typical) +
                                                      " mm spacing; the " + std::to_string(starts.size()) +
                                                      " ranges are separate volumes and this is part " +
                                                      std::to_string(p + 1) + " (slices " + std::to_string(begin + 1) +
                                                      " to " + std::to_string(end) + ")"});
        for (std::size_t k = begin; k < end; ++k) {
            piece.slices.push_back(std::move(all.slices[k]));
            piece.sliceDistances.push_back(all.sliceDistances[k]);
        }
        parts.push_back(finishStack(std::move(piece)));
    }
    return parts;
}

// No position or orientation: nothing to sort by but InstanceNumber (and frame), said plainly.
SliceStack stackWithoutGeometry(const std::string& seriesUid, Part part)
{
    SliceStack stack;
    stack.seriesInstanceUid = seriesUid;
    stack.key = part.key;
    stack.warnings = std::move(part.warnings);
    std::stable_sort(part.records.begin(), part.records.end(), [](const SliceRecord& a, const SliceRecord& b) {
        return std::tie(a.instanceNumber, a.file, a.frame) < std::tie(b.instanceNumber, b.file, b.frame);
    });
    stack.slices = std::move(part.records);
    const SliceRecord& first = stack.slices.front();
    stack.columns = first.columns;
    stack.rows = first.rows;
    const bool anyPosition = first.position.has_value(), anyOrientation = first.orientation.has_value();
    if (!anyPosition)
        stack.warnings.push_back({"missing-position",
                                  "no ImagePositionPatient: the images are stacked in "
                                  "InstanceNumber order and their place in the patient is "
                                  "unknown"});
    if (!anyOrientation)
        stack.warnings.push_back({"missing-orientation",
                                  "no ImageOrientationPatient: the image plane is unknown "
                                  "(shown as axial)"});
    if (first.position)
        stack.origin = *first.position;
    Vec3 row{1, 0, 0}, col{0, 1, 0}, n{0, 0, 1};
    if (first.orientation) {
        checkOrthonormal(*first.orientation, stack.warnings);
        row = normalized(rowOf(*first.orientation));
        col = normalized(colOf(*first.orientation));
        n = normalOf(*first.orientation);
    }
    stack.direction = {row[0], col[0], n[0], row[1], col[1], n[1], row[2], col[2], n[2]};
    stack.spacing[2] = first.spacingBetweenSlices.value_or(first.sliceThickness.value_or(1.0));
    if (!(stack.spacing[2] > 0))
        stack.spacing[2] = 1.0;
    for (std::size_t k = 0; k < stack.slices.size(); ++k)
        stack.sliceDistances.push_back(double(k) * stack.spacing[2]);
    checkPixelSpacing(stack.slices, stack);
    return stack;
}

}  // namespace

// ---------------------------------------------------------------------------------------------------------------

double SliceStack::volumeDistance(std::size_t k) const
{
    if (resampled.empty())
        return sliceDistances.at(k);
    return sliceDistances.front() + double(k) * spacing[2];
}

bool SliceRecord::isLocalizer() const
{
    return std::find(imageType.begin(), imageType.end(), "LOCALIZER") != imageType.end();
}

std::vector<SliceRecord> readSliceRecords(const fs::path& file)
{
    const std::unique_ptr<DcmFileFormat> fileFormat = loadDicomFile(file);
    DcmDataset& ds = *fileFormat->getDataset();
    DcmMetaInfo& meta = *fileFormat->getMetaInfo();
    if (text(meta, DCM_MediaStorageSOPClassUID) == UID_MediaStorageDirectoryStorage)
        return {};

    SliceRecord r;
    r.file = file;
    r.sopInstanceUid = text(ds, DCM_SOPInstanceUID);
    r.sopClassUid = text(ds, DCM_SOPClassUID);
    if (r.sopClassUid.empty())
        r.sopClassUid = text(meta, DCM_MediaStorageSOPClassUID);
    r.rows = integer(ds, DCM_Rows).value_or(0);
    r.columns = integer(ds, DCM_Columns).value_or(0);
    const bool hasPixels =
        ds.tagExists(DCM_PixelData) || ds.tagExists(DCM_FloatPixelData) || ds.tagExists(DCM_DoubleFloatPixelData);
    const bool isImage =
        hasPixels || (r.rows > 0 && r.columns > 0) || dcmIsImageStorageSOPClassUID(r.sopClassUid.c_str());
    if (!isImage)
        return {};  // SR, PDF, presentation state, …: DICOM, but nothing to stack
    if (!hasPixels)
        throw Error(file.string(), "missing Pixel Data (7FE0,0010)");
    r.seriesInstanceUid = text(ds, DCM_SeriesInstanceUID);
    r.studyInstanceUid = text(ds, DCM_StudyInstanceUID);
    if (r.sopInstanceUid.empty())
        throw Error(file.string(), "missing SOPInstanceUID");
    if (r.seriesInstanceUid.empty())
        throw Error(file.string(), "missing SeriesInstanceUID");

    r.transferSyntaxUid = text(meta, DCM_TransferSyntaxUID);
    if (r.transferSyntaxUid.empty())
        r.transferSyntaxUid = DcmXfer(ds.getOriginalXfer()).getXferID();
    r.frameOfReferenceUid = text(ds, DCM_FrameOfReferenceUID);
    r.modality = text(ds, DCM_Modality);
    r.seriesDescription = text(ds, DCM_SeriesDescription);
    r.manufacturer = text(ds, DCM_Manufacturer);
    r.instanceNumber = integer(ds, DCM_InstanceNumber).value_or(0);
    r.acquisitionNumber = integer(ds, DCM_AcquisitionNumber);
    r.imageType = multiValued(ds, DCM_ImageType);
    r.temporalPosition = number(ds, DCM_TemporalPositionIdentifier);
    if (!r.temporalPosition)
        r.temporalPosition = number(ds, DCM_TemporalPositionIndex);
    if (!r.temporalPosition)
        r.temporalPosition = number(ds, DCM_TriggerTime);
    r.echoNumber = integer(ds, DCM_EchoNumbers);
    r.position = decimals<3>(ds, DCM_ImagePositionPatient);
    r.orientation = decimals<6>(ds, DCM_ImageOrientationPatient);
    r.pixelSpacing = decimals<2>(ds, DCM_PixelSpacing);
    r.sliceThickness = number(ds, DCM_SliceThickness);
    r.spacingBetweenSlices = number(ds, DCM_SpacingBetweenSlices);
    r.gantryTilt = number(ds, DCM_GantryDetectorTilt);
    r.samplesPerPixel = integer(ds, DCM_SamplesPerPixel).value_or(1);
    r.bitsAllocated = integer(ds, DCM_BitsAllocated).value_or(0);
    r.bitsStored = integer(ds, DCM_BitsStored).value_or(r.bitsAllocated);
    r.pixelSigned = integer(ds, DCM_PixelRepresentation).value_or(0) == 1;
    r.photometric = text(ds, DCM_PhotometricInterpretation);
    r.rescaleSlope = number(ds, DCM_RescaleSlope).value_or(1.0);
    r.rescaleIntercept = number(ds, DCM_RescaleIntercept).value_or(0.0);
    if (r.rescaleSlope == 0)  // a zero slope would erase the image; it is always a writer's mistake
        r.rescaleSlope = 1;
    if (r.modality == "PT")
        r.units = text(ds, DCM_Units);
    r.frameCount = std::max(1, integer(ds, DCM_NumberOfFrames).value_or(1));

    DcmItem* shared = firstItem(ds, DCM_SharedFunctionalGroupsSequence);
    DcmSequenceOfItems* perFrame = nullptr;
    ds.findAndGetSequence(DCM_PerFrameFunctionalGroupsSequence, perFrame);
    if (r.frameCount == 1 && shared == nullptr && perFrame == nullptr)
        return {r};

    std::vector<SliceRecord> records;
    records.reserve(std::size_t(r.frameCount));
    for (int f = 0; f < r.frameCount; ++f) {
        SliceRecord frame = r;
        frame.frame = f;
        // A multi-frame file without per-frame positions (cine, NM, a stripped Enhanced file) does not say where
        // frames 2..N are: the top-level position, if any, belongs to the first frame only.
        if (f > 0)
            frame.position.reset();
        if (shared != nullptr)
            applyFunctionalGroup(*shared, frame);
        if (perFrame != nullptr && f < int(perFrame->card()))
            applyFunctionalGroup(*perFrame->getItem(unsigned(f)), frame);
        if (frame.rescaleSlope == 0)
            frame.rescaleSlope = 1;
        records.push_back(std::move(frame));
    }
    // Without per-frame positions no frame has a known place; do not pretend the first one does.
    if (std::any_of(records.begin() + 1, records.end(), [](const SliceRecord& x) { return !x.position; }))
        for (SliceRecord& x : records)
            x.position.reset();
    return records;
}

std::vector<SliceStack> stackSlices(std::vector<SliceRecord> records)
{
    // A stable starting order makes keys and "first" choices reproducible whatever order the files came in.
    std::sort(records.begin(), records.end(), [](const SliceRecord& a, const SliceRecord& b) {
        return std::tie(a.seriesInstanceUid, a.instanceNumber, a.file, a.frame) <
               std::tie(b.seriesInstanceUid, b.instanceNumber, b.file, b.frame);
    });
    std::map<std::string, std::vector<SliceRecord>> bySeries;
    for (SliceRecord& r : records)
        bySeries[r.seriesInstanceUid].push_back(std::move(r));

    std::vector<SliceStack> stacks;
    for (auto& [seriesUid, series] : bySeries) {
        // The same instance twice (a copied file): keep one.
        std::set<std::pair<std::string, int>> seen;
        std::size_t copies = 0;
        std::vector<SliceRecord> unique;
        for (SliceRecord& r : series) {
            if (!seen.insert({r.sopInstanceUid, r.frame}).second) {
                ++copies;
                continue;
            }
            unique.push_back(std::move(r));
        }
        std::vector<Part> parts{Part{"", std::move(unique), {}}};
        if (copies > 0)
            parts.front().warnings.push_back(
                {"duplicate-instance", plural(copies, "file") + " hold an instance (SOPInstanceUID) already read "
                                                                "from another file; each instance is used once"});
        parts = splitBy(std::move(parts), [](const SliceRecord& r) { return r.isLocalizer() ? "localizer" : ""; });
        parts = splitByOrientation(std::move(parts));
        parts = splitByMatrixSize(std::move(parts));
        for (Part& part : parts) {
            if (part.records.empty())
                continue;
            if (!hasGeometry(part.records.front())) {
                stacks.push_back(stackWithoutGeometry(seriesUid, std::move(part)));
                continue;
            }
            for (Part& volume : splitOverlappingVolumes(std::move(part)))
                for (SliceStack& stack : stacksWithGeometry(seriesUid, std::move(volume)))
                    stacks.push_back(std::move(stack));
        }
    }
    std::stable_sort(stacks.begin(), stacks.end(), [](const SliceStack& a, const SliceStack& b) {
        return std::tie(a.seriesInstanceUid, a.key) < std::tie(b.seriesInstanceUid, b.key);
    });
    return stacks;
}

}  // namespace consilium::imaging
