#include "imaging/suv_inputs.h"

#include "model/dicom_text.h"

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <exception>
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <string_view>

#include "imaging/dcmtk_setup.h"
#include "model/error.h"

namespace consilium::imaging {
namespace fs = std::filesystem;

namespace {

// Values longer than this stay in the file: pixel data, icons. Everything SUV needs is a few bytes.
constexpr Uint32 kLargestValueLoaded = 4096;

// Private blocks: creator text, group, and the element's low byte within the block.
struct PrivateAttribute {
    const char* creator;
    Uint16 group;
    Uint16 element;
};
constexpr PrivateAttribute kGeScanStart{"GEMS_PETD_01", 0x0009, 0x0D};
constexpr PrivateAttribute kPhilipsSuvScale{"Philips PET Private Group", 0x7053, 0x00};
constexpr PrivateAttribute kPhilipsActivityScale{"Philips PET Private Group", 0x7053, 0x09};

bool sameText(std::string_view a, std::string_view b)
{
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
           });
}

bool isText(const Uint8* bytes, unsigned long length)
{
    return std::all_of(bytes, bytes + length, [](Uint8 c) { return c == 0 || (c >= 0x20 && c < 0x7f); });
}

// The first value of a decimal string ("+1.5E2\..." -> 150); nullopt unless the whole value is a finite number.
std::optional<double> parseNumber(std::string_view text)
{
    text = model::trimDicomValue(text.substr(0, text.find('\\')));
    if (!text.empty() && text.front() == '+')
        text.remove_prefix(1);
    double v = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (text.empty() || ec != std::errc() || end != text.data() + text.size() || !std::isfinite(v))
        return std::nullopt;
    return v;
}

// What an element holds, whatever its VR. Private attributes of implicit VR files arrive as UN ("unknown") bytes
// that hold the DS/DT text; binary floats are turned into text, so that one parser serves all.
std::optional<std::string> elementText(DcmItem& item, const DcmTagKey& tag)
{
    DcmElement* e = nullptr;
    if (item.findAndGetElement(tag, e).bad() || e == nullptr || e->getLength() == 0)
        return std::nullopt;
    if (e->isaString()) {
        OFString v;
        if (e->getOFStringArray(v).bad())
            return std::nullopt;
        return std::string(v.c_str(), v.length());
    }
    char buf[40];
    switch (e->getVR()) {
        case EVR_FD: {
            Float64 v = 0;
            if (e->getFloat64(v).bad())
                return std::nullopt;
            std::snprintf(buf, sizeof buf, "%.17g", v);
            return std::string(buf);
        }
        case EVR_FL: {
            Float32 v = 0;
            if (e->getFloat32(v).bad())
                return std::nullopt;
            std::snprintf(buf, sizeof buf, "%.9g", double(v));
            return std::string(buf);
        }
        default:
            break;
    }
    Uint8* bytes = nullptr;
    if (e->getUint8Array(bytes).bad() || bytes == nullptr)
        return std::nullopt;
    const unsigned long length = e->getLength();
    if (isText(bytes, length))
        return std::string(reinterpret_cast<const char*>(bytes), length);
    // Binary in an UN value: an FD or FL written by a vendor whose dictionary has it (the file is little endian).
    if (length == 8) {
        double v = 0;
        std::memcpy(&v, bytes, 8);
        std::snprintf(buf, sizeof buf, "%.17g", v);
        return std::string(buf);
    }
    if (length == 4) {
        float v = 0;
        std::memcpy(&v, bytes, 4);
        std::snprintf(buf, sizeof buf, "%.9g", double(v));
        return std::string(buf);
    }
    return std::nullopt;
}

std::string text(DcmItem& item, const DcmTagKey& tag)
{
    return std::string(model::trimDicomValue(elementText(item, tag).value_or("")));
}

std::optional<double> number(DcmItem& item, const DcmTagKey& tag)
{
    const auto t = elementText(item, tag);
    return t ? parseNumber(*t) : std::nullopt;
}

std::vector<std::string> values(const std::string& multiValued)
{
    std::vector<std::string> out;
    std::size_t start = 0;
    while (start <= multiValued.size()) {
        const std::size_t end = std::min(multiValued.find('\\', start), multiValued.size());
        if (const auto v = model::trimDicomValue(std::string_view(multiValued).substr(start, end - start)); !v.empty())
            out.emplace_back(v);
        start = end + 1;
    }
    return out;
}

// Private attributes live in the block (gggg,xx00-xxFF) that their creator reserved with (gggg,00xx), and another
// vendor may own block 0x10 in the same group. A group without any creator element is an old or stripped file:
// then the block of the tag numbers everyone quotes, 0x10.
std::optional<DcmTagKey> privateTag(DcmItem& item, const PrivateAttribute& a)
{
    bool anyCreator = false;
    for (Uint16 block = 0x10; block <= 0xFF; ++block) {
        const auto creator = elementText(item, DcmTagKey(a.group, block));
        if (!creator)
            continue;
        anyCreator = true;
        if (sameText(model::trimDicomValue(*creator), a.creator))
            return DcmTagKey(a.group, Uint16(block << 8 | a.element));
    }
    if (anyCreator)
        return std::nullopt;
    return DcmTagKey(a.group, Uint16(0x1000 | a.element));
}

std::string privateText(DcmItem& item, const PrivateAttribute& a)
{
    const auto tag = privateTag(item, a);
    return tag ? text(item, *tag) : std::string();
}

std::optional<double> privateNumber(DcmItem& item, const PrivateAttribute& a)
{
    const auto tag = privateTag(item, a);
    return tag ? number(item, *tag) : std::nullopt;
}

DcmDataset& loadHeader(DcmFileFormat& fileFormat, const fs::path& file)
{
    std::error_code ec;
    if (!fs::exists(file, ec))
        throw Error(file.string(), "no such file");
    if (fs::is_directory(file, ec))
        throw Error(file.string(), "is a directory, not a DICOM file");
    OFCondition loaded;
    try {
        loaded = fileFormat.loadFile(file.c_str(), EXS_Unknown, EGL_noChange, kLargestValueLoaded, ERM_autoDetect);
    } catch (const std::exception& e) {  // e.g. an absurd length that the allocator refuses
        throw Error(file.string(), std::string("not a readable DICOM file: ") + e.what());
    }
    if (loaded.bad())
        throw Error(file.string(), std::string("not a readable DICOM file: ") + loaded.text());
    return *fileFormat.getDataset();
}

// ---------------------------------------------------------------------------------------------------------------
// Series-level values that must agree between the files of one series

struct SeriesLevelValue {
    const char* name;
    std::function<std::string(const model::SuvInputs&)> text;
};

std::string numberText(const std::optional<double>& v)
{
    if (!v)
        return "(absent)";
    char buf[40];
    std::snprintf(buf, sizeof buf, "%.10g", *v);
    return buf;
}

std::string orAbsent(const std::string& s) { return s.empty() ? "(absent)" : s; }

const std::vector<SeriesLevelValue>& seriesLevelValues()
{
    using In = model::SuvInputs;
    static const std::vector<SeriesLevelValue> list = {
        {"Modality (0008,0060)", [](const In& i) { return orAbsent(i.modality); }},
        {"Units (0054,1001)", [](const In& i) { return orAbsent(i.units); }},
        {"DecayCorrection (0054,1102)", [](const In& i) { return orAbsent(i.decayCorrection); }},
        {"SUVType (0054,1006)", [](const In& i) { return orAbsent(i.suvType); }},
        {"CorrectedImage (0028,0051)",
         [](const In& i) {
             std::string all;
             for (const auto& v : i.correctedImage)
                 all += (all.empty() ? "" : "\\") + v;
             return orAbsent(all);
         }},
        {"SeriesDate (0008,0021)", [](const In& i) { return orAbsent(i.seriesDate); }},
        {"SeriesTime (0008,0031)", [](const In& i) { return orAbsent(i.seriesTime); }},
        {"GE private scan start (0009,100D)", [](const In& i) { return orAbsent(i.gePostInjectionDateTime); }},
        {"RadiopharmaceuticalStartDateTime (0018,1078)",
         [](const In& i) { return orAbsent(i.radiopharmaceuticalStartDateTime); }},
        {"RadiopharmaceuticalStartTime (0018,1072)",
         [](const In& i) { return orAbsent(i.radiopharmaceuticalStartTime); }},
        {"RadionuclideTotalDose (0018,1074)", [](const In& i) { return numberText(i.radionuclideTotalDoseBq); }},
        {"RadionuclideHalfLife (0018,1075)", [](const In& i) { return numberText(i.radionuclideHalfLifeS); }},
        {"PatientWeight (0010,1030)", [](const In& i) { return numberText(i.patientWeightKg); }},
        {"PatientSize (0010,1020)", [](const In& i) { return numberText(i.patientSizeM); }},
        {"PatientSex (0010,0040)", [](const In& i) { return orAbsent(i.patientSex); }},
        {"Philips SUVScaleFactor (7053,1000)", [](const In& i) { return numberText(i.philipsSuvScaleFactor); }},
        {"Philips ActivityConcentrationScaleFactor (7053,1009)",
         [](const In& i) { return numberText(i.philipsActivityConcentrationScaleFactor); }},
    };
    return list;
}

}  // namespace

model::SuvInputs readSuvInputs(DcmDataset& ds)
{
    model::SuvInputs in;
    in.modality = text(ds, DCM_Modality);
    in.manufacturer = text(ds, DCM_Manufacturer);
    in.units = text(ds, DCM_Units);
    in.correctedImage = values(text(ds, DCM_CorrectedImage));
    in.decayCorrection = text(ds, DCM_DecayCorrection);
    in.suvType = text(ds, DCM_SUVType);
    in.seriesDate = text(ds, DCM_SeriesDate);
    in.seriesTime = text(ds, DCM_SeriesTime);
    in.acquisitionDate = text(ds, DCM_AcquisitionDate);
    in.acquisitionTime = text(ds, DCM_AcquisitionTime);
    if (in.acquisitionDate.empty() && in.acquisitionTime.empty()) {
        // Enhanced PET: one DT; its UTC offset is dropped like every other (see model::DicomDateTime).
        const std::string dt = text(ds, DCM_AcquisitionDateTime);
        const std::string local = dt.substr(0, dt.find_first_of("+-", 8));
        if (local.size() >= 8) {
            in.acquisitionDate = local.substr(0, 8);
            in.acquisitionTime = local.substr(8);
        }
    }
    in.gePostInjectionDateTime = privateText(ds, kGeScanStart);

    DcmItem* radiopharmaceutical = nullptr;
    if (ds.findAndGetSequenceItem(DCM_RadiopharmaceuticalInformationSequence, radiopharmaceutical, 0).good() &&
        radiopharmaceutical != nullptr) {
        in.radiopharmaceuticalStartDateTime = text(*radiopharmaceutical, DCM_RadiopharmaceuticalStartDateTime);
        in.radiopharmaceuticalStartTime = text(*radiopharmaceutical, DCM_RadiopharmaceuticalStartTime);
        in.radionuclideTotalDoseBq = number(*radiopharmaceutical, DCM_RadionuclideTotalDose);
        in.radionuclideHalfLifeS = number(*radiopharmaceutical, DCM_RadionuclideHalfLife);
    }
    in.patientWeightKg = number(ds, DCM_PatientWeight);
    in.patientSizeM = number(ds, DCM_PatientSize);
    in.patientSex = text(ds, DCM_PatientSex);
    in.philipsSuvScaleFactor = privateNumber(ds, kPhilipsSuvScale);
    in.philipsActivityConcentrationScaleFactor = privateNumber(ds, kPhilipsActivityScale);
    return in;
}

model::SuvInputs suvInputsOfSeries(const std::vector<fs::path>& files)
{
    if (files.empty())
        throw Error("PET series", "no files given");
    prepareDcmtk();

    model::SuvInputs series;
    std::string seriesUid;
    std::optional<model::DicomDateTime> earliest;
    std::set<std::string> reported;  // one sentence per differing attribute, not one per file
    for (std::size_t i = 0; i < files.size(); ++i) {
        const fs::path& file = files[i];
        DcmFileFormat fileFormat;
        DcmDataset& ds = loadHeader(fileFormat, file);
        const std::string uid = text(ds, DCM_SeriesInstanceUID);
        if (uid.empty())
            throw Error(file.string(), "not a DICOM image: no SeriesInstanceUID (0020,000E)");
        const model::SuvInputs in = readSuvInputs(ds);
        if (i == 0) {
            series = in;
            seriesUid = uid;
            earliest = model::combineDicomDateTime(in.acquisitionDate, in.acquisitionTime);
            continue;
        }
        if (uid != seriesUid)
            throw Error(file.string(), "belongs to another series (SeriesInstanceUID " + uid + ") than " +
                                           files.front().string() + " (" + seriesUid + ")");
        for (const auto& value : seriesLevelValues()) {
            const std::string a = value.text(series), b = value.text(in);
            if (a != b && reported.insert(value.name).second)
                series.inconsistencies.push_back(std::string(value.name) + " differs within the series: " + a + " in " +
                                                 files.front().filename().string() + ", " + b + " in " +
                                                 file.filename().string());
        }
        // Multi-bed series: each bed has its own acquisition time; the scan-time rule needs the first.
        const auto acquired = model::combineDicomDateTime(in.acquisitionDate, in.acquisitionTime);
        if (acquired && (!earliest || *acquired < *earliest)) {
            earliest = acquired;
            series.acquisitionDate = in.acquisitionDate;
            series.acquisitionTime = in.acquisitionTime;
        }
    }
    return series;
}

}  // namespace consilium::imaging
