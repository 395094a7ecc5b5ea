#include "imaging/inspect.h"

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmdata/dcmetinf.h>
#include <dcmtk/dcmdata/dcuid.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <cmath>
#include <limits>
#include <mutex>
#include <set>
#include <thread>

#include "imaging/dcmtk_setup.h"
#include "imaging/dicom_paths.h"
#include "imaging/pixel_decoder.h"
#include "imaging/suv_inputs.h"
#include "model/error.h"
#include "model/json.h"

namespace consilium::imaging {
namespace fs = std::filesystem;

namespace {

using Failure = std::pair<std::string, std::string>;  // file, reason

// Calls body(index) for every index on two threads (the caller's and one more).
template <typename Body>
void forEachOnTwoThreads(std::size_t count, Body&& body)
{
    std::atomic<std::size_t> next{0};
    auto work = [&] {
        for (std::size_t i = next.fetch_add(1); i < count; i = next.fetch_add(1))
            body(i);
    };
    std::thread helper;
    if (count > 1)
        helper = std::thread(work);
    work();
    if (helper.joinable())
        helper.join();
}

// ---------------------------------------------------------------------------------------------------------------
// Reading

struct Headers {
    std::vector<SliceRecord> records;
    std::size_t skipped = 0;
};

Headers readHeaders(const std::vector<fs::path>& files, std::vector<Failure>& errors)
{
    std::vector<std::vector<SliceRecord>> perFile(files.size());
    std::vector<std::string> failures(files.size());
    std::vector<char> notDicom(files.size(), 0);
    forEachOnTwoThreads(files.size(), [&](std::size_t i) {
        try {
            perFile[i] = readSliceRecords(files[i]);
        } catch (const NotDicomError&) {
            notDicom[i] = 1;
        } catch (const Error& e) {
            failures[i] = e.reason();
        }
    });
    Headers headers;
    for (std::size_t i = 0; i < files.size(); ++i) {
        if (!failures[i].empty())
            errors.push_back({files[i].string(), failures[i]});
        else if (notDicom[i] || perFile[i].empty())
            ++headers.skipped;
        for (SliceRecord& r : perFile[i])
            headers.records.push_back(std::move(r));
    }
    return headers;
}

struct Range {
    double minimum = std::numeric_limits<double>::infinity();
    double maximum = -std::numeric_limits<double>::infinity();
    bool complete = true;
};

// Decodes every slice of the stack (two threads, one decoder and one frame buffer each) for the range of its
// rescaled values.
Range valueRange(const SliceStack& stack, std::vector<Failure>& errors)
{
    struct Worker {
        std::unique_ptr<PixelDecoder> decoder;
        std::vector<std::int32_t> values;
        Range range;
    };
    Worker workers[2];
    std::atomic<int> nextWorker{0};
    std::mutex errorMutex;
    std::set<fs::path> failedFiles;
    std::atomic<std::size_t> next{0};
    auto work = [&] {
        Worker& w = workers[nextWorker.fetch_add(1)];
        for (std::size_t k = next.fetch_add(1); k < stack.slices.size(); k = next.fetch_add(1)) {
            const SliceRecord& r = stack.slices[k];
            try {
                if (!w.decoder || w.decoder->file() != r.file)
                    w.decoder = std::make_unique<PixelDecoder>(r.file);
                w.decoder->decodeFrame(r.frame, w.values);
                const std::size_t count = w.decoder->format().samplesPerFrame();
                std::int32_t lo = std::numeric_limits<std::int32_t>::max();
                std::int32_t hi = std::numeric_limits<std::int32_t>::min();
                for (std::size_t i = 0; i < count; ++i) {
                    lo = std::min(lo, w.values[i]);
                    hi = std::max(hi, w.values[i]);
                }
                const double a = lo * r.rescaleSlope + r.rescaleIntercept, b = hi * r.rescaleSlope + r.rescaleIntercept;
                w.range.minimum = std::min(w.range.minimum, std::min(a, b));
                w.range.maximum = std::max(w.range.maximum, std::max(a, b));
            } catch (const Error& e) {
                w.decoder.reset();
                w.range.complete = false;
                std::lock_guard lock(errorMutex);
                if (failedFiles.insert(r.file).second)
                    errors.push_back({r.file.string(), e.reason()});
            }
        }
    };
    std::thread helper;
    if (stack.slices.size() > 1)
        helper = std::thread(work);
    work();
    if (helper.joinable())
        helper.join();
    Range range;
    for (const Worker& w : workers) {
        range.minimum = std::min(range.minimum, w.range.minimum);
        range.maximum = std::max(range.maximum, w.range.maximum);
        range.complete = range.complete && w.range.complete;
    }
    return range;
}

model::SuvResult suvOf(const SliceStack& stack)
{
    model::SuvResult result;
    if (stack.slices.front().modality != "PT") {
        result.status = model::SuvResult::Status::NotPet;
        result.reason = "modality " + stack.slices.front().modality + ", not PT";
        return result;
    }
    std::vector<fs::path> files;
    for (const SliceRecord& r : stack.slices)
        if (files.empty() || files.back() != r.file)
            files.push_back(r.file);
    try {
        return model::computeSuv(suvInputsOfSeries(files));
    } catch (const Error& e) {
        result.status = model::SuvResult::Status::Unavailable;
        result.reason = e.what();
        return result;
    }
}

InspectedVolume describe(const SliceStack& stack, std::vector<Failure>& errors)
{
    InspectedVolume v;
    const SliceRecord& first = stack.slices.front();
    v.seriesInstanceUid = stack.seriesInstanceUid;
    v.key = stack.key;
    v.modality = first.modality;
    v.description = first.seriesDescription;
    v.manufacturer = first.manufacturer;
    v.rows = stack.rows;
    v.columns = stack.columns;
    v.slices = int(stack.volumeSlices());
    v.spacing = stack.spacing;
    v.origin = stack.origin;
    v.direction = stack.direction;
    std::set<std::string> syntaxes;
    for (const SliceRecord& r : stack.slices)
        syntaxes.insert(r.transferSyntaxUid);
    v.transferSyntaxes.assign(syntaxes.begin(), syntaxes.end());
    v.warnings = stack.warnings;
    v.suv = suvOf(stack);
    const Range range = valueRange(stack, errors);
    if (range.complete && range.minimum <= range.maximum) {
        v.minimum = range.minimum;
        v.maximum = range.maximum;
    }
    return v;
}

// ---------------------------------------------------------------------------------------------------------------
// JSON

template <std::size_t N>
std::string numbers(const std::array<double, N>& values)
{
    std::vector<std::string> out;
    for (double v : values)
        out.push_back(model::jsonNumber(v));
    return model::jsonArray(out);
}

std::string suvJson(const model::SuvResult& suv)
{
    model::JsonObject o;
    switch (suv.status) {
        case model::SuvResult::Status::Ok:
            o.add("status", "ok").add("factor", suv.factorBw).addNull("reason");
            break;
        case model::SuvResult::Status::Unavailable:
            o.add("status", "unavailable").addNull("factor").add("reason", suv.reason);
            break;
        case model::SuvResult::Status::NotPet:
            o.add("status", "not-pet").addNull("factor").addNull("reason");
            break;
    }
    return o.str();
}

std::string volumeJson(const InspectedVolume& v)
{
    std::vector<std::string> syntaxes, warnings;
    for (const std::string& s : v.transferSyntaxes)
        syntaxes.push_back(model::jsonQuote(s));
    for (const GeometryWarning& w : v.warnings)
        warnings.push_back(model::JsonObject().add("code", w.code).add("text", w.text).str());
    model::JsonObject o;
    o.add("series_uid", v.seriesInstanceUid)
        .add("modality", v.modality)
        .add("description", v.description)
        .add("manufacturer", v.manufacturer)
        .add("rows", v.rows)
        .add("columns", v.columns)
        .add("slices", v.slices)
        .addRaw("spacing", numbers(v.spacing))
        .addRaw("origin", numbers(v.origin))
        .addRaw("direction", numbers(v.direction))
        .addRaw("transfer_syntaxes", model::jsonArray(syntaxes))
        .addRaw("warnings", model::jsonArray(warnings))
        .addRaw("suv", suvJson(v.suv))
        .add("min", v.minimum)
        .add("max", v.maximum);
    return o.str();
}

}  // namespace

InspectReport inspect(const std::vector<fs::path>& paths)
{
    prepareDcmtk();
    InspectReport report;
    GatheredFiles gathered = gatherDicomFiles(paths);
    report.errors = std::move(gathered.problems);
    const std::vector<fs::path>& files = gathered.files;
    Headers headers = readHeaders(files, report.errors);
    report.skipped = headers.skipped + gathered.indexesSkipped;
    for (const SliceStack& stack : stackSlices(std::move(headers.records)))
        report.series.push_back(describe(stack, report.errors));
    return report;
}

std::string toJson(const InspectReport& report)
{
    std::vector<std::string> series, errors;
    for (const InspectedVolume& v : report.series)
        series.push_back(volumeJson(v));
    for (const auto& [file, reason] : report.errors)
        errors.push_back(model::JsonObject().add("file", file).add("reason", reason).str());
    return model::JsonObject()
        .addRaw("series", model::jsonArray(series))
        .add("skipped", std::int64_t(report.skipped))
        .addRaw("errors", model::jsonArray(errors))
        .str();
}

std::string inspectJson(const std::vector<fs::path>& paths) { return toJson(inspect(paths)); }

}  // namespace consilium::imaging
