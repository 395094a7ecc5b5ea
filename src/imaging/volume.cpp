#include "imaging/volume.h"

#include <sys/mman.h>
#include <vtkPointData.h>
#include <vtkType.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <exception>
#include <limits>
#include <map>
#include <mutex>
#include <set>
#include <thread>
#include <type_traits>
#include <utility>

#include "imaging/dcmtk_setup.h"
#include "imaging/pixel_decoder.h"
#include "model/error.h"

namespace consilium::imaging {
namespace fs = std::filesystem;

namespace {

// ---------------------------------------------------------------------------------------------------------------
// The process-wide cache: weak pointers, so it never keeps a volume alive on its own.

using CacheKey = std::pair<std::string, std::string>;  // series UID, sub-volume key

class VolumeCache {
public:
    std::shared_ptr<const Volume> find(const CacheKey& key)
    {
        std::lock_guard lock(mutex_);
        const auto it = entries_.find(key);
        return it == entries_.end() ? nullptr : it->second.lock();
    }

    void put(const CacheKey& key, const std::shared_ptr<const Volume>& volume)
    {
        std::lock_guard lock(mutex_);
        std::erase_if(entries_, [](const auto& entry) { return entry.second.expired(); });
        entries_[key] = volume;
    }

    // One mutex per volume being loaded, so two views opening the same series wait for one load instead of
    // decoding it twice.
    std::shared_ptr<std::mutex> loadLock(const CacheKey& key)
    {
        std::lock_guard lock(mutex_);
        std::erase_if(loading_, [](const auto& entry) { return entry.second.use_count() == 1; });
        auto& slot = loading_[key];
        if (!slot)
            slot = std::make_shared<std::mutex>();
        return slot;
    }

private:
    std::mutex mutex_;
    std::map<CacheKey, std::weak_ptr<const Volume>> entries_;
    std::map<CacheKey, std::shared_ptr<std::mutex>> loading_;
};

VolumeCache& cache()
{
    static VolumeCache instance;
    return instance;
}

// ---------------------------------------------------------------------------------------------------------------
// Two threads over a range of indices

// Runs body(worker, index) for every index on the calling thread (worker 0) and one helper thread (worker 1),
// handing out indices in increasing order. onDone(doneCount) is called on the calling thread. Stops early when
// `cancel` or `stop` becomes true. Returns true when every index was processed; rethrows the first exception.
template <typename Body, typename OnDone>
bool runOnTwoThreads(std::size_t count, std::atomic<bool>& cancel, std::atomic<bool>& stop, Body&& body,
                     OnDone&& onDone)
{
    std::atomic<std::size_t> next{0}, done{0};
    std::exception_ptr error;
    std::mutex errorMutex;
    auto work = [&](int worker) {
        while (!cancel.load(std::memory_order_relaxed) && !stop.load(std::memory_order_relaxed)) {
            const std::size_t index = next.fetch_add(1);
            if (index >= count)
                return;
            try {
                body(worker, index);
                const std::size_t finished = done.fetch_add(1) + 1;
                if (worker == 0)
                    onDone(finished);
            } catch (...) {
                std::lock_guard lock(errorMutex);
                if (!error)
                    error = std::current_exception();
                stop = true;
                return;
            }
        }
    };
    std::thread helper;
    if (count > 1)
        helper = std::thread(work, 1);
    work(0);
    if (helper.joinable())
        helper.join();
    if (error)
        std::rethrow_exception(error);
    if (done.load() != count)
        return false;
    onDone(count);  // the helper may have finished the last index: the caller still hears "all done"
    return true;
}

// ---------------------------------------------------------------------------------------------------------------
// Headers

struct RecordsRead {
    std::vector<SliceRecord> records;
    std::vector<std::pair<fs::path, std::string>> unreadable;  // file, reason
    bool complete = true;
};

RecordsRead readRecords(const std::vector<fs::path>& files, std::atomic<bool>& cancel, const VolumeProgress& progress)
{
    std::vector<std::vector<SliceRecord>> perFile(files.size());
    std::vector<std::string> failures(files.size());
    std::atomic<bool> stop{false};
    RecordsRead result;
    result.complete = runOnTwoThreads(
        files.size(), cancel, stop,
        [&](int, std::size_t i) {
            try {
                perFile[i] = readSliceRecords(files[i]);
            } catch (const NotDicomError&) {
                // not part of any series
            } catch (const Error& e) {
                failures[i] = e.reason();
            }
        },
        [&](std::size_t done) {
            if (progress)
                progress(double(done) / double(files.size()));
        });
    for (std::size_t i = 0; i < files.size(); ++i) {
        for (SliceRecord& r : perFile[i])
            result.records.push_back(std::move(r));
        if (!failures[i].empty())
            result.unreadable.push_back({files[i], failures[i]});
    }
    return result;
}

GeometryWarning unreadableWarning(const std::vector<std::pair<fs::path, std::string>>& unreadable)
{
    std::string text = std::to_string(unreadable.size()) + (unreadable.size() == 1 ? " file" : " files") +
                       " could not be read and " + (unreadable.size() == 1 ? "is" : "are") + " left out: ";
    for (std::size_t i = 0; i < unreadable.size() && i < 5; ++i)
        text += (i ? "; " : "") + unreadable[i].first.filename().string() + " (" + unreadable[i].second + ")";
    if (unreadable.size() > 5)
        text += "; and " + std::to_string(unreadable.size() - 5) + " more";
    return {"unreadable-file", text};
}

// ---------------------------------------------------------------------------------------------------------------
// Pixels

bool isWhole(double v) { return std::isfinite(v) && v == std::round(v) && std::abs(v) < 1e9; }

// int16 when every slice rescales integers to integers (slope and intercept whole numbers) and the modality is not
// PET (whose Bq/mL are stored as float32 by design).
bool wantsInt16(const SliceStack& stack)
{
    const std::string& modality = stack.slices.front().modality;
    if (modality == "PT")
        return false;
    return std::all_of(stack.slices.begin(), stack.slices.end(),
                       [](const SliceRecord& r) { return isWhole(r.rescaleSlope) && isWhole(r.rescaleIntercept); });
}

struct WorkerState {
    std::unique_ptr<PixelDecoder> decoder;
    std::vector<std::int32_t> values;
    // Resampling only: the last two input slices, rescaled, by index (an output slice blends two neighbours).
    std::array<std::pair<std::size_t, std::vector<float>>, 2> rescaled{{{std::size_t(-1), {}}, {std::size_t(-1), {}}}};
    std::size_t nextEvict = 0;
    std::vector<float> blend;
    double minimum = std::numeric_limits<double>::infinity();
    double maximum = -std::numeric_limits<double>::infinity();
    bool monochrome1 = false;
};

// Opens (or keeps) the decoder of the slice's file and decodes its frame into state.values.
void decodeSlice(const SliceStack& stack, const SliceRecord& r, WorkerState& state)
{
    if (!state.decoder || state.decoder->file() != r.file)
        state.decoder = std::make_unique<PixelDecoder>(r.file);
    const PixelFormat& f = state.decoder->format();
    if (f.samplesPerPixel != 1)
        throw Error(r.file.string(), "colour images (" + f.photometric + ") cannot be loaded as a grey-scale volume");
    if (f.rows != stack.rows || f.columns != stack.columns)
        throw Error(r.file.string(), "the image is " + std::to_string(f.columns) + "×" + std::to_string(f.rows) +
                                         ", the rest of the volume " + std::to_string(stack.columns) + "×" +
                                         std::to_string(stack.rows));
    state.decoder->decodeFrame(r.frame, state.values);
    state.monochrome1 = state.monochrome1 || f.monochrome1();
}

// A plain loop rather than std::minmax_element: the compiler vectorizes it, and it runs over every voxel.
std::pair<std::int32_t, std::int32_t> storedRange(const std::vector<std::int32_t>& values, std::size_t count)
{
    std::int32_t lo = std::numeric_limits<std::int32_t>::max(), hi = std::numeric_limits<std::int32_t>::min();
    const std::int32_t* v = values.data();
    for (std::size_t i = 0; i < count; ++i) {
        lo = std::min(lo, v[i]);
        hi = std::max(hi, v[i]);
    }
    return {lo, hi};
}

bool fitsInt16(double lo, double hi)
{
    return lo >= std::numeric_limits<std::int16_t>::min() && hi <= std::numeric_limits<std::int16_t>::max();
}

// Writes one slice as int16. Returns false when a rescaled value does not fit (the caller then starts again in
// float32): the check is on the slice's extremes, so the copy loop itself stays branch-free.
bool storeInt16(const SliceRecord& r, WorkerState& state, std::size_t count, std::int16_t* out)
{
    const auto slope = std::int64_t(r.rescaleSlope), intercept = std::int64_t(r.rescaleIntercept);
    const auto [lo, hi] = storedRange(state.values, count);
    std::int64_t a = lo * slope + intercept, b = hi * slope + intercept;
    if (a > b)
        std::swap(a, b);
    if (!fitsInt16(double(a), double(b)))
        return false;
    const std::int32_t s = std::int32_t(slope), c = std::int32_t(intercept);
    const std::int32_t* in = state.values.data();
    for (std::size_t i = 0; i < count; ++i)
        out[i] = std::int16_t(in[i] * s + c);
    state.minimum = std::min(state.minimum, double(a));
    state.maximum = std::max(state.maximum, double(b));
    return true;
}

void storeFloat(const SliceRecord& r, WorkerState& state, std::size_t count, float* out)
{
    const double slope = r.rescaleSlope, intercept = r.rescaleIntercept;
    const auto [lo, hi] = storedRange(state.values, count);
    const double a = lo * slope + intercept, b = hi * slope + intercept;
    const std::int32_t* in = state.values.data();
    for (std::size_t i = 0; i < count; ++i)
        out[i] = float(in[i] * slope + intercept);
    state.minimum = std::min(state.minimum, double(float(std::min(a, b))));
    state.maximum = std::max(state.maximum, double(float(std::max(a, b))));
}

// Input slice k of the stack, rescaled, from the worker's two-slice cache.
const std::vector<float>& rescaledSlice(const SliceStack& stack, std::size_t k, std::size_t count, WorkerState& state)
{
    for (auto& [index, values] : state.rescaled)
        if (index == k)
            return values;
    auto& [index, values] = state.rescaled[state.nextEvict];
    state.nextEvict ^= 1;
    index = std::size_t(-1);  // invalid until filled (an exception may leave it half-written)
    const SliceRecord& r = stack.slices[k];
    decodeSlice(stack, r, state);
    values.resize(count);
    for (std::size_t i = 0; i < count; ++i)
        values[i] = float(state.values[i] * r.rescaleSlope + r.rescaleIntercept);
    index = k;
    return values;
}

// One output slice of a resampled stack: a linear blend of two rescaled input slices.
template <typename T>
bool storeBlend(const SliceStack& stack, const SliceBlend& blend, WorkerState& state, std::size_t count, T* out)
{
    const std::vector<float>& a = rescaledSlice(stack, blend.lower, count, state);
    const float* first = a.data();
    const float* second = first;
    if (blend.weight > 0)
        second = rescaledSlice(stack, blend.lower + 1, count, state).data();
    // rescaledSlice may have evicted `a` while fetching the second slice only if both slots held other slices,
    // which cannot happen: the second fetch evicts the slot that does not hold `a`.
    const auto w = float(blend.weight);
    state.blend.resize(count);
    for (std::size_t i = 0; i < count; ++i)
        state.blend[i] = first[i] + w * (second[i] - first[i]);
    const auto [lo, hi] = std::minmax_element(state.blend.begin(), state.blend.end());
    if constexpr (std::is_same_v<T, std::int16_t>) {
        if (!fitsInt16(std::round(*lo), std::round(*hi)))
            return false;
        for (std::size_t i = 0; i < count; ++i)
            out[i] = std::int16_t(std::lround(state.blend[i]));
        state.minimum = std::min(state.minimum, double(std::lround(*lo)));
        state.maximum = std::max(state.maximum, double(std::lround(*hi)));
    } else {
        std::copy(state.blend.begin(), state.blend.end(), out);
        state.minimum = std::min(state.minimum, double(*lo));
        state.maximum = std::max(state.maximum, double(*hi));
    }
    return true;
}

enum class FillResult { Done, Cancelled, Overflow };

// Decodes every slice of the stack into the image's scalars (VTK_SHORT or VTK_FLOAT, already allocated).
FillResult fill(const SliceStack& stack, vtkImageData& image, Volume& volume, std::atomic<bool>& cancel,
                const VolumeProgress& progress)
{
    const bool asInt16 = image.GetScalarType() == VTK_SHORT;
    const std::size_t sliceVoxels = std::size_t(stack.columns) * std::size_t(stack.rows);
    void* scalars = image.GetScalarPointer();
    auto* shorts = static_cast<std::int16_t*>(scalars);
    auto* floats = static_cast<float*>(scalars);
    WorkerState states[2];
    std::atomic<bool> overflow{false};
    const std::size_t outputs = stack.volumeSlices();
    const bool complete = runOnTwoThreads(
        outputs, cancel, overflow,
        [&](int worker, std::size_t k) {
            WorkerState& state = states[worker];
            bool fits = true;
            if (!stack.resampled.empty()) {
                const SliceBlend& blend = stack.resampled[k];
                fits = asInt16 ? storeBlend(stack, blend, state, sliceVoxels, shorts + k * sliceVoxels)
                               : storeBlend(stack, blend, state, sliceVoxels, floats + k * sliceVoxels);
            } else {
                const SliceRecord& r = stack.slices[k];
                decodeSlice(stack, r, state);
                if (asInt16)
                    fits = storeInt16(r, state, sliceVoxels, shorts + k * sliceVoxels);
                else
                    storeFloat(r, state, sliceVoxels, floats + k * sliceVoxels);
            }
            if (!fits)
                overflow = true;
        },
        [&](std::size_t done) {
            if (progress)
                progress(double(done) / double(outputs));
        });
    if (overflow)
        return FillResult::Overflow;
    if (!complete)
        return FillResult::Cancelled;
    volume.minimum = std::min(states[0].minimum, states[1].minimum);
    volume.maximum = std::max(states[0].maximum, states[1].maximum);
    volume.monochrome1 = states[0].monochrome1 || states[1].monochrome1;
    return FillResult::Done;
}

// A fresh 100+ MB buffer costs one page fault per 4 kB page when first written (tens of milliseconds for a CT);
// transparent huge pages cut that 512-fold. Only a hint: where THP is off, nothing changes.
void preferHugePages(void* data, std::size_t bytes)
{
    constexpr std::uintptr_t kHuge = 2u << 20;
    const auto begin = (reinterpret_cast<std::uintptr_t>(data) + kHuge - 1) & ~(kHuge - 1);
    const auto end = (reinterpret_cast<std::uintptr_t>(data) + bytes) & ~(kHuge - 1);
    if (end > begin)
        madvise(reinterpret_cast<void*>(begin), end - begin, MADV_HUGEPAGE);
}

std::shared_ptr<Volume> describe(const SliceStack& stack)
{
    auto volume = std::make_shared<Volume>();
    const SliceRecord& first = stack.slices.front();
    volume->seriesInstanceUid = stack.seriesInstanceUid;
    volume->key = stack.key;
    volume->studyInstanceUid = first.studyInstanceUid;
    volume->frameOfReferenceUid = first.frameOfReferenceUid;
    volume->modality = first.modality;
    volume->seriesDescription = first.seriesDescription;
    volume->manufacturer = first.manufacturer;
    volume->units = first.modality == "CT" ? "HU" : first.units;
    volume->columns = stack.columns;
    volume->rows = stack.rows;
    volume->slices = int(stack.volumeSlices());
    volume->spacing = stack.spacing;
    volume->origin = stack.origin;
    volume->direction = stack.direction;
    for (std::size_t k = 0; k < stack.volumeSlices(); ++k)
        volume->sliceDistances.push_back(stack.volumeDistance(k));
    volume->tiltDegrees = stack.tiltDegrees;
    volume->warnings = stack.warnings;
    std::set<std::string> syntaxes;
    for (const SliceRecord& r : stack.slices) {
        syntaxes.insert(r.transferSyntaxUid);
        if (volume->files.empty() || volume->files.back() != r.file)
            volume->files.push_back(r.file);
    }
    volume->transferSyntaxes.assign(syntaxes.begin(), syntaxes.end());
    return volume;
}

vtkSmartPointer<vtkImageData> emptyImage(const Volume& v)
{
    auto image = vtkSmartPointer<vtkImageData>::New();
    image->SetDimensions(v.columns, v.rows, v.slices);
    image->SetSpacing(v.spacing.data());
    image->SetOrigin(v.origin.data());
    image->SetDirectionMatrix(v.direction.data());
    return image;
}

std::shared_ptr<const Volume> decodeStack(const SliceStack& stack, std::vector<GeometryWarning> extraWarnings,
                                          const VolumeProgress& progress, std::atomic<bool>& cancel)
{
    if (stack.slices.empty())
        throw Error(stack.seriesInstanceUid, "no images to load");
    std::shared_ptr<Volume> volume = describe(stack);
    for (GeometryWarning& w : extraWarnings)
        volume->warnings.push_back(std::move(w));
    volume->image = emptyImage(*volume);
    bool asInt16 = wantsInt16(stack);
    for (;;) {
        volume->image->AllocateScalars(asInt16 ? VTK_SHORT : VTK_FLOAT, 1);
        preferHugePages(volume->image->GetScalarPointer(), volume->voxelBytes());
        const FillResult result = fill(stack, *volume->image, *volume, cancel, progress);
        if (result == FillResult::Cancelled)
            return nullptr;
        if (result == FillResult::Done)
            break;
        // A value beyond int16: start again in float32, freeing the int16 buffer first so the peak stays at the
        // float32 size.
        volume->image->GetPointData()->SetScalars(nullptr);
        asInt16 = false;
    }
    if (volume->minimum > volume->maximum)
        volume->minimum = volume->maximum = 0;
    return volume;
}

// Loads under the volume's own lock; a second caller for the same volume waits and then finds it in the cache.
std::shared_ptr<const Volume> loadCached(const SliceStack& stack, std::vector<GeometryWarning> extraWarnings,
                                         const VolumeProgress& progress, std::atomic<bool>& cancel)
{
    const CacheKey key{stack.seriesInstanceUid, stack.key};
    const std::shared_ptr<std::mutex> lock = cache().loadLock(key);
    std::lock_guard guard(*lock);
    if (auto cached = cache().find(key)) {
        if (progress)
            progress(1.0);
        return cached;
    }
    auto volume = decodeStack(stack, std::move(extraWarnings), progress, cancel);
    if (volume)
        cache().put(key, volume);
    return volume;
}

std::string listKeys(const std::vector<SliceStack>& stacks, const std::string& seriesUid)
{
    std::string keys;
    for (const SliceStack& s : stacks)
        if (s.seriesInstanceUid == seriesUid)
            keys += (keys.empty() ? "" : ", ") + (s.key.empty() ? std::string("(whole series)") : s.key);
    return keys;
}

}  // namespace

// ---------------------------------------------------------------------------------------------------------------

bool Volume::isFloat() const { return image && image->GetScalarType() == VTK_FLOAT; }

std::size_t Volume::voxelBytes() const
{
    if (!image)
        return 0;
    return std::size_t(columns) * std::size_t(rows) * std::size_t(slices) * std::size_t(image->GetScalarSize());
}

const SliceStack* mainStack(const std::vector<SliceStack>& stacks, const std::string& seriesInstanceUid)
{
    const SliceStack* best = nullptr;
    auto rank = [](const SliceStack& s) {
        const bool localizer = s.key.find("localizer") != std::string::npos;
        return std::pair<bool, std::size_t>(!localizer, s.slices.size());
    };
    for (const SliceStack& s : stacks)
        if (s.seriesInstanceUid == seriesInstanceUid && (best == nullptr || rank(s) > rank(*best)))
            best = &s;
    return best;
}

std::shared_ptr<const Volume> cachedVolume(const std::string& seriesInstanceUid, const std::string& key)
{
    return cache().find({seriesInstanceUid, key});
}

std::shared_ptr<const Volume> loadVolume(const SliceStack& stack, const VolumeProgress& progress,
                                         std::atomic<bool>& cancel)
{
    prepareDcmtk();
    return loadCached(stack, {}, progress, cancel);
}

std::shared_ptr<const Volume> loadVolume(const VolumeRequest& request, const VolumeProgress& progress,
                                         std::atomic<bool>& cancel)
{
    prepareDcmtk();
    const CacheKey requested{request.seriesInstanceUid, request.key};
    if (!request.seriesInstanceUid.empty())
        if (auto cached = cache().find(requested)) {
            if (progress)
                progress(1.0);
            return cached;
        }

    // Headers take the first 10 % of the progress bar, pixels the rest (pixels dominate the time).
    const VolumeProgress headerProgress = [&](double f) {
        if (progress)
            progress(0.1 * f);
    };
    RecordsRead read = readRecords(request.files, cancel, headerProgress);
    if (!read.complete)
        return nullptr;
    const std::string subject = !request.seriesInstanceUid.empty()
                                    ? request.seriesInstanceUid
                                    : (request.files.empty() ? std::string() : request.files.front().string());
    std::set<std::string> series;
    for (const SliceRecord& r : read.records)
        series.insert(r.seriesInstanceUid);
    std::string seriesUid = request.seriesInstanceUid;
    if (seriesUid.empty()) {
        if (series.size() > 1)
            throw Error(subject, "the files hold " + std::to_string(series.size()) + " series; say which one to load");
        if (series.empty())
            throw Error(subject, "no DICOM images among " + std::to_string(request.files.size()) + " file(s)" +
                                     (read.unreadable.empty() ? "" : ": " + unreadableWarning(read.unreadable).text));
        seriesUid = *series.begin();
    } else if (!series.count(seriesUid)) {
        throw Error(subject, "no image of this series among " + std::to_string(request.files.size()) + " file(s)");
    }
    std::erase_if(read.records, [&](const SliceRecord& r) { return r.seriesInstanceUid != seriesUid; });

    const std::vector<SliceStack> stacks = stackSlices(std::move(read.records));
    const SliceStack* stack = nullptr;
    if (request.key.empty()) {
        stack = mainStack(stacks, seriesUid);
    } else {
        for (const SliceStack& s : stacks)
            if (s.key == request.key)
                stack = &s;
    }
    if (stack == nullptr)
        throw Error(seriesUid,
                    "the series has no volume '" + request.key + "' (it has: " + listKeys(stacks, seriesUid) + ")");

    std::vector<GeometryWarning> extra;
    if (!read.unreadable.empty())
        extra.push_back(unreadableWarning(read.unreadable));
    const VolumeProgress pixelProgress = [&](double f) {
        if (progress)
            progress(0.1 + 0.9 * f);
    };
    auto volume = loadCached(*stack, std::move(extra), pixelProgress, cancel);
    if (volume && request.key.empty() && !stack->key.empty())
        cache().put({seriesUid, ""}, volume);  // "the main volume" finds it next time without reading headers
    return volume;
}

std::shared_ptr<const Volume> loadVolume(const VolumeRequest& request)
{
    std::atomic<bool> never{false};
    return loadVolume(request, {}, never);
}

}  // namespace consilium::imaging
