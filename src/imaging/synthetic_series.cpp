#include "imaging/synthetic_series.h"

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmdata/dcuid.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>

#include "model/error.h"

namespace consilium::imaging {
namespace fs = std::filesystem;

namespace {

using Microseconds = std::chrono::sys_time<std::chrono::microseconds>;

constexpr double kCtRescaleIntercept = -1024.0;
constexpr double kPetBedLengthMm = 157.0;   // axial field of view of one PET bed position
constexpr double kPetFrameSeconds = 120.0;  // time per bed
constexpr double kPetBedMoveSeconds = 5.0;

// ---------------------------------------------------------------------------------------------------------------
// Value representations

// DS holds at most 16 characters; use as many significant digits as fit so positions survive the round trip.
std::string decimalString(double v)
{
    char buf[32];
    for (int digits = 12; digits >= 6; --digits) {
        std::snprintf(buf, sizeof buf, "%.*g", digits, v);
        if (std::string_view(buf).size() <= 16)
            break;
    }
    return std::string_view(buf) == "-0" ? "0" : buf;
}

// What a reader gets back from a DS we wrote: sampling and scaling use this, never the unrounded double.
double decimalValue(const std::string& ds) { return std::strtod(ds.c_str(), nullptr); }

std::string integerString(long long v) { return std::to_string(v); }

// "YYYYMMDD" + "HHMMSS[.ffffff]" -> a point in time (the clock is naive: DICOM local time without offset).
std::optional<Microseconds> parseDateTime(const std::string& date, const std::string& time)
{
    auto number = [](std::string_view text, int& out) {
        auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
        return ec == std::errc() && end == text.data() + text.size();
    };
    int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0;
    if (date.size() != 8 || time.size() < 6 || !number(std::string_view(date).substr(0, 4), y) ||
        !number(std::string_view(date).substr(4, 2), mo) || !number(std::string_view(date).substr(6, 2), d) ||
        !number(std::string_view(time).substr(0, 2), h) || !number(std::string_view(time).substr(2, 2), mi) ||
        !number(std::string_view(time).substr(4, 2), s))
        return std::nullopt;
    long long micros = 0;
    if (time.size() > 6) {
        if (time[6] != '.' || time.size() > 13)
            return std::nullopt;
        std::string fraction = time.substr(7);
        fraction.resize(6, '0');
        int f = 0;
        if (!number(fraction, f))
            return std::nullopt;
        micros = f;
    }
    const std::chrono::year_month_day ymd{std::chrono::year{y}, std::chrono::month{unsigned(mo)},
                                          std::chrono::day{unsigned(d)}};
    if (!ymd.ok() || h > 23 || mi > 59 || s > 60)
        return std::nullopt;
    return Microseconds{std::chrono::sys_days{ymd}} + std::chrono::hours{h} + std::chrono::minutes{mi} +
           std::chrono::seconds{s} + std::chrono::microseconds{micros};
}

std::string formatDate(Microseconds t)
{
    const std::chrono::year_month_day ymd{std::chrono::floor<std::chrono::days>(t)};
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d%02u%02u", int(ymd.year()), unsigned(ymd.month()), unsigned(ymd.day()));
    return buf;
}

std::string formatTime(Microseconds t)
{
    const auto sinceMidnight = t - std::chrono::floor<std::chrono::days>(t);
    const long long us = sinceMidnight.count();
    char buf[48];
    std::snprintf(buf, sizeof buf, "%02lld%02lld%02lld.%06lld", us / 3'600'000'000LL, us / 60'000'000LL % 60,
                  us / 1'000'000LL % 60, us % 1'000'000LL);
    return buf;
}

// Age in whole years on the study date, as DICOM AS ("058Y"); empty when either date is unusable.
std::string patientAge(const std::string& birthDate, const std::string& studyDate)
{
    const auto birth = parseDateTime(birthDate, "000000"), study = parseDateTime(studyDate, "000000");
    if (!birth || !study || *study < *birth)
        return {};
    const std::chrono::year_month_day b{std::chrono::floor<std::chrono::days>(*birth)};
    const std::chrono::year_month_day s{std::chrono::floor<std::chrono::days>(*study)};
    int years = int(s.year()) - int(b.year());
    if (s.month() < b.month() || (s.month() == b.month() && s.day() < b.day()))
        --years;
    char buf[8];
    std::snprintf(buf, sizeof buf, "%03dY", std::clamp(years, 0, 999));
    return buf;
}

// ---------------------------------------------------------------------------------------------------------------
// Building datasets

class DatasetWriter {
public:
    DatasetWriter(DcmItem& item, fs::path subject) : item_(item), subject_(std::move(subject)) {}
    DatasetWriter& put(const DcmTagKey& tag, const std::string& value)
    {
        check(item_.putAndInsertOFStringArray(tag, value.c_str()), tag);
        return *this;
    }
    DatasetWriter& put(const DcmTagKey& tag, Uint16 value)
    {
        check(item_.putAndInsertUint16(tag, value), tag);
        return *this;
    }
    // Appends an item to a sequence (created if absent) and returns a writer for it.
    DatasetWriter newItem(const DcmTagKey& sequence)
    {
        DcmItem* item = nullptr;
        check(item_.findOrCreateSequenceItem(sequence, item, -2), sequence);
        return DatasetWriter(*item, subject_);
    }
    DatasetWriter& code(const DcmTagKey& sequence, const char* value, const char* scheme, const char* meaning)
    {
        newItem(sequence)
            .put(DCM_CodeValue, value)
            .put(DCM_CodingSchemeDesignator, scheme)
            .put(DCM_CodeMeaning, meaning);
        return *this;
    }

private:
    void check(const OFCondition& cond, const DcmTagKey& tag) const
    {
        if (cond.bad())
            throw Error(subject_.string(), "cannot set " + std::string(DcmTag(tag).getTagName()) + ": " + cond.text());
    }
    DcmItem& item_;
    fs::path subject_;  // what a failure is reported against
};

const char* sopClassOf(SyntheticModality m)
{
    switch (m) {
        case SyntheticModality::CT:
            return UID_CTImageStorage;
        case SyntheticModality::PT:
            return UID_PositronEmissionTomographyImageStorage;
        case SyntheticModality::MR:
            return UID_MRImageStorage;
    }
    return "";
}

const char* modalityOf(SyntheticModality m)
{
    switch (m) {
        case SyntheticModality::CT:
            return "CT";
        case SyntheticModality::PT:
            return "PT";
        case SyntheticModality::MR:
            return "MR";
    }
    return "";
}

struct Geometry {
    std::string spacingX, spacingY, sliceSpacing, firstX, firstY;  // DS text as written
    double x0 = 0, y0 = 0, dx = 0, dy = 0;                         // the same, read back
};

void validate(const SyntheticSeries& s, const fs::path& dir)
{
    auto fail = [&](const std::string& why) { throw Error(dir.string(), "cannot write synthetic series: " + why); };
    if (s.columns < 1 || s.rows < 1 || s.columns > 65535 || s.rows > 65535)
        fail("rows and columns must be 1..65535");
    if (s.slices < 1 || s.slices > 99999)
        fail("slices must be 1..99999");
    if (!(s.spacingX > 0) || !(s.spacingY > 0) || !(s.sliceSpacing > 0))
        fail("spacings must be positive");
    if (!s.value)
        fail("no value function");
    if (!parseDateTime(s.seriesDate, s.seriesTime.empty() ? std::string("000000") : s.seriesTime))
        fail("series date/time '" + s.seriesDate + " " + s.seriesTime + "' is not YYYYMMDD HHMMSS");
    if (s.modality == SyntheticModality::PT) {
        if (!s.pet)
            fail("a PT series needs the injected dose (SyntheticSeries::pet)");
        if (!(s.pet->injectedDoseBq > 0) || !(s.pet->halfLifeSeconds > 0))
            fail("the injected dose and half-life must be positive");
        const std::string& dt = s.pet->injectionDateTime;
        if (dt.size() < 14 || !parseDateTime(dt.substr(0, 8), dt.substr(8)))
            fail("injection date-time '" + dt + "' is not YYYYMMDDHHMMSS[.ffffff]");
        if (s.seriesTime.empty())
            fail("a PT series needs a series time (the decay-correction reference)");
    }
}

// Attributes shared by every slice of the series: patient, study, series, frame of reference, equipment, plane
// orientation and pixel format.
void putSeriesAttributes(DatasetWriter& w, const StudyIdentity& study, const SyntheticSeries& s,
                         const std::string& studyUid, const std::string& seriesUid, const std::string& frameUid,
                         const Geometry& g)
{
    const bool pt = s.modality == SyntheticModality::PT;
    w.put(DCM_SpecificCharacterSet, "ISO_IR 192")
        .put(DCM_SOPClassUID, sopClassOf(s.modality))
        // Patient
        .put(DCM_PatientName, study.patientName)
        .put(DCM_PatientID, study.patientId)
        .put(DCM_PatientBirthDate, study.patientBirthDate)
        .put(DCM_PatientSex, study.patientSex);
    if (const std::string age = patientAge(study.patientBirthDate, study.studyDate); !age.empty())
        w.put(DCM_PatientAge, age);
    if (study.patientWeightKg > 0)
        w.put(DCM_PatientWeight, decimalString(study.patientWeightKg));
    if (study.patientSizeM > 0)
        w.put(DCM_PatientSize, decimalString(study.patientSizeM));
    // Study
    w.put(DCM_StudyInstanceUID, studyUid)
        .put(DCM_StudyDate, study.studyDate)
        .put(DCM_StudyTime, study.studyTime)
        .put(DCM_ReferringPhysicianName, study.referringPhysicianName)
        .put(DCM_StudyID, study.studyId)
        .put(DCM_AccessionNumber, study.accessionNumber)
        .put(DCM_StudyDescription, study.studyDescription)
        // Series
        .put(DCM_Modality, modalityOf(s.modality))
        .put(DCM_SeriesInstanceUID, seriesUid)
        .put(DCM_SeriesNumber, integerString(s.seriesNumber))
        .put(DCM_SeriesDate, s.seriesDate)
        .put(DCM_SeriesTime, s.seriesTime)
        .put(DCM_SeriesDescription, s.seriesDescription)
        .put(DCM_BodyPartExamined, "CHEST")  // an unpaired part: no Laterality needed
        // Frame of reference
        .put(DCM_FrameOfReferenceUID, frameUid)
        .put(DCM_PositionReferenceIndicator, "")
        // Equipment: say plainly that no scanner made this
        .put(DCM_Manufacturer, "Consilium")
        .put(DCM_ManufacturerModelName, "Synthetic phantom")
        .put(DCM_SoftwareVersions, "Consilium synthetic series 1")
        .put(DCM_InstitutionName, study.institutionName)
        .put(DCM_BurnedInAnnotation, "NO")
        .put(DCM_DerivationDescription, "Synthetic image computed from a mathematical phantom; not a patient scan")
        // Plane and pixels
        .put(DCM_ImageOrientationPatient, "1\\0\\0\\0\\1\\0")
        .put(DCM_PixelSpacing, g.spacingY + "\\" + g.spacingX)
        .put(DCM_SliceThickness, g.sliceSpacing)
        .put(DCM_SamplesPerPixel, Uint16(1))
        .put(DCM_PhotometricInterpretation, "MONOCHROME2")
        .put(DCM_Rows, Uint16(s.rows))
        .put(DCM_Columns, Uint16(s.columns))
        .put(DCM_BitsAllocated, Uint16(16))
        .put(DCM_BitsStored, Uint16(16))
        .put(DCM_HighBit, Uint16(15))
        .put(DCM_PixelRepresentation, Uint16(s.modality == SyntheticModality::MR ? 0 : 1));

    if (!pt)
        w.put(DCM_PatientPosition, "HFS");  // PET states it with the orientation code sequences instead
    switch (s.modality) {
        case SyntheticModality::CT:
            w.put(DCM_ImageType, "DERIVED\\SECONDARY\\AXIAL")
                .put(DCM_KVP, "120")
                .put(DCM_AcquisitionNumber, "1")
                .put(DCM_ConvolutionKernel, "STANDARD")
                .put(DCM_ReconstructionDiameter, decimalString(std::max(s.columns * g.dx, s.rows * g.dy)))
                .put(DCM_RescaleIntercept, decimalString(kCtRescaleIntercept))
                .put(DCM_RescaleSlope, "1")
                .put(DCM_RescaleType, "HU")
                .put(DCM_WindowCenter, "40")
                .put(DCM_WindowWidth, "400")
                .put(DCM_WindowCenterWidthExplanation, "SOFT TISSUE");
            break;
        case SyntheticModality::PT: {
            const PetDose& dose = *s.pet;
            w.put(DCM_ImageType, "DERIVED\\PRIMARY")
                .put(DCM_SeriesType, "WHOLE BODY\\IMAGE")
                .put(DCM_Units, "BQML")
                .put(DCM_CountsSource, "EMISSION")
                .put(DCM_NumberOfSlices, Uint16(std::min(s.slices, 65535)))
                .put(DCM_CorrectedImage, "ATTN\\DECY")
                .put(DCM_DecayCorrection, "START")
                .put(DCM_AttenuationCorrectionMethod, "CT-based")
                .put(DCM_ReconstructionMethod, "OSEM")
                .put(DCM_CollimatorType, "NONE")
                .put(DCM_ActualFrameDuration, integerString(std::llround(kPetFrameSeconds * 1000.0)))
                .put(DCM_RescaleIntercept, "0");
            w.newItem(DCM_RadiopharmaceuticalInformationSequence)
                .put(DCM_Radiopharmaceutical, dose.radiopharmaceutical)
                .put(DCM_RadiopharmaceuticalStartTime, dose.injectionDateTime.substr(8))
                .put(DCM_RadiopharmaceuticalStartDateTime, dose.injectionDateTime)
                .put(DCM_RadionuclideTotalDose, decimalString(dose.injectedDoseBq))
                .put(DCM_RadionuclideHalfLife, decimalString(dose.halfLifeSeconds))
                .put(DCM_RadionuclidePositronFraction, "0.9673")
                .code(DCM_RadionuclideCodeSequence, "77004003", "SCT", "^18^Fluorine");
            w.newItem(DCM_PatientOrientationCodeSequence)
                .put(DCM_CodeValue, "102538003")
                .put(DCM_CodingSchemeDesignator, "SCT")
                .put(DCM_CodeMeaning, "recumbent")
                .code(DCM_PatientOrientationModifierCodeSequence, "40199007", "SCT", "supine");
            w.code(DCM_PatientGantryRelationshipCodeSequence, "102540008", "SCT", "headfirst");
            break;
        }
        case SyntheticModality::MR:
            // A fat-suppressed single-shot T2 turbo spin echo, as the demo's MR is described.
            w.put(DCM_ImageType, "DERIVED\\SECONDARY\\OTHER")
                .put(DCM_ScanningSequence, "SE")
                .put(DCM_SequenceVariant, "SK")
                .put(DCM_ScanOptions, "FS")
                .put(DCM_MRAcquisitionType, "2D")
                .put(DCM_SequenceName, "T2 SSTSE FS")
                .put(DCM_RepetitionTime, "1400")
                .put(DCM_EchoTime, "92")
                .put(DCM_EchoTrainLength, "128")
                .put(DCM_NumberOfAverages, "1")
                .put(DCM_ImagingFrequency, "63.87")
                .put(DCM_ImagedNucleus, "1H")
                .put(DCM_MagneticFieldStrength, "1.5")
                .put(DCM_SpacingBetweenSlices, g.sliceSpacing)
                .put(DCM_FlipAngle, "90")
                .put(DCM_AcquisitionNumber, "1");
            break;
    }
}

// PET beds are acquired from the feet up, each for kPetFrameSeconds. What a GE/Siemens header says about a slice's
// timing: when its bed started, the frame reference time (when the activity equalled the frame average) and the
// decay factor that corrected the slice to the series start.
struct PetFrameTiming {
    double startSeconds;
    double referenceMs;
    double decayFactor;
};

PetFrameTiming petTiming(const SyntheticSeries& s, int slice)
{
    const int bed = int(std::floor(slice * s.sliceSpacing / kPetBedLengthMm));
    const double start = bed * (kPetFrameSeconds + kPetBedMoveSeconds);
    const double lambda = std::log(2.0) / s.pet->halfLifeSeconds;
    const double averaging = lambda * kPetFrameSeconds / (1.0 - std::exp(-lambda * kPetFrameSeconds));
    const double reference = start + std::log(averaging) / lambda;
    return {start, reference * 1000.0, std::exp(lambda * reference)};
}

// The geometry as written (DS text) and as read back: sampling uses the read-back values, so every voxel is
// sampled exactly where its header says it is.
Geometry geometryOf(const SyntheticSeries& s)
{
    Geometry g;
    g.spacingX = decimalString(s.spacingX);
    g.spacingY = decimalString(s.spacingY);
    g.sliceSpacing = decimalString(s.sliceSpacing);
    g.firstX = decimalString(s.firstVoxelLps[0]);
    g.firstY = decimalString(s.firstVoxelLps[1]);
    g.x0 = decimalValue(g.firstX);
    g.y0 = decimalValue(g.firstY);
    g.dx = decimalValue(g.spacingX);
    g.dy = decimalValue(g.spacingY);
    return g;
}

// Fills `values` row by row for the slice at height z; returns the largest magnitude (for PET scaling).
double sampleSlice(const SyntheticSeries& s, const Geometry& g, double z, std::vector<double>& values)
{
    double largest = 0;
    for (int r = 0; r < s.rows; ++r) {
        const double y = g.y0 + r * g.dy;
        double* row = values.data() + std::size_t(r) * std::size_t(s.columns);
        for (int c = 0; c < s.columns; ++c) {
            row[c] = s.value(g.x0 + c * g.dx, y, z);
            largest = std::max(largest, std::abs(row[c]));
        }
    }
    return largest;
}

std::int16_t toInt16(double v) { return std::int16_t(std::clamp(std::round(v), -32768.0, 32767.0)); }

// CT: signed 16 bit, HU = stored - 1024.
void storeHounsfieldUnits(const std::vector<double>& hu, std::vector<Uint16>& stored)
{
    for (std::size_t i = 0; i < hu.size(); ++i)
        stored[i] = Uint16(toInt16(hu[i] - kCtRescaleIntercept));
}

// PET: signed 16 bit with the slice's own slope, its maximum near 32000. The slope is written as text and read
// back before scaling, so stored x slope is exactly what any reader computes. Returns the slope text.
std::string storeActivity(const std::vector<double>& bqPerMl, double largest, std::vector<Uint16>& stored)
{
    const std::string slopeText = decimalString(largest > 0 ? largest / 32000.0 : 1.0);
    const double slope = decimalValue(slopeText);
    for (std::size_t i = 0; i < bqPerMl.size(); ++i)
        stored[i] = Uint16(toInt16(bqPerMl[i] / slope));
    return slopeText;
}

// MR: unsigned 16 bit, no rescaling.
void storeSignal(const std::vector<double>& signal, std::vector<Uint16>& stored)
{
    for (std::size_t i = 0; i < signal.size(); ++i)
        stored[i] = Uint16(std::clamp(std::round(signal[i]), 0.0, 65535.0));
}

}  // namespace

std::string newUid()
{
    char uid[100];
    return dcmGenerateUniqueIdentifier(uid, SITE_INSTANCE_UID_ROOT);
}

std::vector<fs::path> writeSyntheticSeries(const StudyIdentity& study, const SyntheticSeries& s, const fs::path& dir)
{
    validate(s, dir);
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec || !fs::is_directory(dir))
        throw Error(dir.string(), "cannot create folder: " + (ec ? ec.message() : std::string("not a directory")));

    const Geometry g = geometryOf(s);
    const std::string studyUid = study.studyInstanceUid.empty() ? newUid() : study.studyInstanceUid;
    const std::string frameUid = study.frameOfReferenceUid.empty() ? newUid() : study.frameOfReferenceUid;
    DcmDataset common;
    DatasetWriter commonWriter(common, dir);
    putSeriesAttributes(commonWriter, study, s, studyUid, newUid(), frameUid, g);
    const Microseconds seriesStart = *parseDateTime(s.seriesDate, s.seriesTime.empty() ? "000000" : s.seriesTime);

    std::vector<double> values(std::size_t(s.columns) * std::size_t(s.rows));
    std::vector<Uint16> stored(values.size());
    std::vector<fs::path> files;
    for (int k = 0; k < s.slices; ++k) {
        char name[32];
        std::snprintf(name, sizeof name, "%04d.dcm", k + 1);
        const fs::path file = dir / name;
        const std::string zText = decimalString(s.firstVoxelLps[2] + k * decimalValue(g.sliceSpacing));
        const double largest = sampleSlice(s, g, decimalValue(zText), values);

        DcmFileFormat fileFormat(&common);  // a copy of the shared attributes
        DatasetWriter w(*fileFormat.getDataset(), file);
        w.put(DCM_SOPInstanceUID, newUid())
            .put(DCM_InstanceNumber, integerString(k + 1))
            .put(DCM_ImagePositionPatient, g.firstX + "\\" + g.firstY + "\\" + zText)
            .put(DCM_SliceLocation, zText)
            .put(DCM_ContentDate, s.seriesDate)
            .put(DCM_ContentTime, s.seriesTime);
        switch (s.modality) {
            case SyntheticModality::CT:
                w.put(DCM_AcquisitionDate, s.seriesDate).put(DCM_AcquisitionTime, s.seriesTime);
                storeHounsfieldUnits(values, stored);
                break;
            case SyntheticModality::PT: {
                const PetFrameTiming timing = petTiming(s, k);
                const Microseconds acquired =
                    seriesStart + std::chrono::microseconds(std::llround(timing.startSeconds * 1e6));
                w.put(DCM_RescaleSlope, storeActivity(values, largest, stored))
                    .put(DCM_ImageIndex, Uint16(std::min(k + 1, 65535)))
                    .put(DCM_AcquisitionDate, formatDate(acquired))
                    .put(DCM_AcquisitionTime, formatTime(acquired))
                    .put(DCM_FrameReferenceTime, decimalString(std::round(timing.referenceMs * 1000.0) / 1000.0))
                    .put(DCM_DecayFactor, decimalString(timing.decayFactor));
                break;
            }
            case SyntheticModality::MR:
                w.put(DCM_AcquisitionDate, s.seriesDate).put(DCM_AcquisitionTime, s.seriesTime);
                storeSignal(values, stored);
                break;
        }
        const OFCondition put = fileFormat.getDataset()->putAndInsertUint16Array(
            DCM_PixelData, stored.data(), static_cast<unsigned long>(stored.size()));
        if (put.bad())
            throw Error(file.string(), std::string("cannot set pixel data: ") + put.text());
        const OFCondition saved = fileFormat.saveFile(file.c_str(), EXS_LittleEndianExplicit, EET_ExplicitLength);
        if (saved.bad())
            throw Error(file.string(), std::string("cannot be written: ") + saved.text());
        files.push_back(file);
    }
    return files;
}

}  // namespace consilium::imaging
