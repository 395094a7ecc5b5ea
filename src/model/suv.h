#pragma once
// PET standardized uptake value (SUV): the rules that turn a PET series' header into the factor that converts its
// values into SUVbw (and SUL), as pure functions. They follow the QIBA vendor-neutral pseudo-code and
// ../shared/design/clinical-reference.md §2; where a value is missing or contradicts another, the result says which
// attribute, so the viewer can show Bq/mL instead and the reviewer can override the input.
// Standard library only: the DICOM reading lives in src/imaging/suv_inputs.h.
#include <chrono>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace consilium::model {

// A DICOM date-time on the scanner's naive local clock. DICOM stores local time; a UTC offset suffix of a DT is
// ignored so that every time of a study compares exactly as it was written.
using DicomDateTime = std::chrono::sys_time<std::chrono::microseconds>;

// Lenient parsers for header text; nullopt when the text is not a valid value. Surrounding spaces and NUL padding
// are ignored.
// DA: "YYYYMMDD"; also the ACR-NEMA form "YYYY.MM.DD".
std::optional<std::chrono::year_month_day> parseDicomDate(std::string_view da);
// TM as the time since midnight: "HH", "HHMM", "HHMMSS", "HHMMSS.F" (1-6 fraction digits); also the ACR-NEMA form
// "HH:MM[:SS[.F]]" of old files.
std::optional<std::chrono::microseconds> parseDicomTime(std::string_view tm);
// DT: "YYYYMMDDHHMM[SS[.F]][&ZZXX]". It must reach the minute, as anything coarser is useless for decay.
std::optional<DicomDateTime> parseDicomDateTime(std::string_view dt);
// DA + TM, e.g. SeriesDate + SeriesTime.
std::optional<DicomDateTime> combineDicomDateTime(std::string_view da, std::string_view tm);
// "2020-12-17 10:48:29", with ".351" etc. when there are fractions of a second.
std::string formatDicomDateTime(DicomDateTime t);

// Everything SUV depends on, as the header of a PET series gives it. Text is kept as written (empty = absent);
// numbers are nullopt when absent or not a number.
struct SuvInputs {
    std::string modality;                     // (0008,0060)
    std::string manufacturer;                 // (0008,0070), for the record
    std::string units;                        // (0054,1001): BQML, CNTS, GML, ...
    std::vector<std::string> correctedImage;  // (0028,0051) values: ATTN, DECY, SCAT, ...
    std::string decayCorrection;              // (0054,1102): START, ADMIN, NONE
    std::string suvType;                      // (0054,1006): BW, LBM, BSA, IBW, ... (what GML values are)
    std::string seriesDate;                   // (0008,0021) DA
    std::string seriesTime;                   // (0008,0031) TM
    std::string acquisitionDate;              // (0008,0022) DA of the earliest acquisition in the series
    std::string acquisitionTime;              // (0008,0032) TM of the same instance
    std::string gePostInjectionDateTime;      // GE private (0009,100D) "GEMS_PETD_01" DT: the scan start
    // (0054,0016) RadiopharmaceuticalInformationSequence, item 0:
    std::string radiopharmaceuticalStartDateTime;   // (0018,1078) DT
    std::string radiopharmaceuticalStartTime;       // (0018,1072) TM
    std::optional<double> radionuclideTotalDoseBq;  // (0018,1074)
    std::optional<double> radionuclideHalfLifeS;    // (0018,1075)
    std::optional<double> patientWeightKg;          // (0010,1030)
    std::optional<double> patientSizeM;             // (0010,1020)
    std::string patientSex;                         // (0010,0040): M, F, O
    // Philips private group "Philips PET Private Group":
    std::optional<double> philipsSuvScaleFactor;                    // (7053,1000)
    std::optional<double> philipsActivityConcentrationScaleFactor;  // (7053,1009)
    // Series-level values that differ between the files of one series, one sentence each naming the attribute.
    // While any is present no single factor fits the series, so SUV is unavailable.
    std::vector<std::string> inconsistencies;
};

// Inputs a reviewer set by hand. The caller records who and why in the audit log; the reason travels with the
// result so that it is printed next to the figures.
struct SuvOverrides {
    std::optional<double> weightKg;
    std::optional<double> injectedDoseBq;
    std::optional<DicomDateTime> injectionDateTime;
    std::optional<DicomDateTime> scanDateTime;
    std::string reason;
};

struct SuvResult {
    enum class Status { Ok, Unavailable, NotPet };
    Status status = Status::Unavailable;

    // SUVbw = (stored value x RescaleSlope + RescaleIntercept) x factorBw. For BQML it is g/mL per Bq/mL
    // (weight g / decayed dose Bq); for GML 1; for Philips CNTS the private SUVScaleFactor (7053,1000), or
    // (7053,1009) x the BQML factor. NaN unless status is Ok, so it can never scale raw counts by accident.
    double factorBw = std::numeric_limits<double>::quiet_NaN();
    // SUL (SUV normalised to lean body mass) = factorBw x LBM / weight, with Janmahasatian's LBM (Clin
    // Pharmacokinet 2005), not James' (PERCIST 1.0), which falls with weight in obesity and even turns negative
    // (Tahari et al., J Nucl Med 2014). Needs PatientSize and PatientSex M or F; sulUnavailable says what was
    // missing.
    std::optional<double> factorLbm;
    std::string sulUnavailable;
    // Modality value -> Bq/mL: 1 for BQML, (7053,1009) for Philips CNTS when present, none for GML. What the viewer
    // shows when SUV is unavailable (never SUV on counts).
    std::optional<double> bqmlPerUnit;

    std::string reason;  // when not Ok: why, naming the attribute(s)
    std::string basis;   // when Ok: how the factor was obtained, e.g. "Units BQML, DecayCorrection START"

    // The inputs actually used (after overrides), for printing next to every SUV figure.
    std::optional<DicomDateTime> scanTime;
    std::string scanTimeSource;  // "SeriesDate/SeriesTime", "earliest AcquisitionDate/Time", ...
    std::optional<DicomDateTime> injectionTime;
    std::string injectionTimeSource;
    std::optional<double> decayTimeS;  // scan - injection
    std::optional<double> halfLifeS;
    std::optional<double> injectedDoseBq;
    std::optional<double> decayedDoseBq;  // at the scan start (START), or the injected dose (ADMIN)
    std::optional<double> weightKg;
    std::optional<double> heightM;
    std::optional<double> leanBodyMassKg;
    bool usedOverrides = false;
    std::vector<std::string> overridden;  // which inputs the reviewer's values replaced: "weight", "scan time", ...
    std::string overrideReason;
    std::vector<std::string> notes;  // assumptions made on the way (injection the day before, ignored values, ...)

    bool ok() const { return status == Status::Ok; }
};

// The SUV factor of a PET series from its header (see clinical-reference.md §2):
// - not PT: NotPet. CorrectedImage must contain ATTN and DECY, whatever the Units (QIBA checks this first).
// - BQML: DecayCorrection START decays the dose to the scan start; ADMIN means the images are decay-corrected to
//   the injection, so the dose is not decayed; anything else is unavailable.
//   scan start = SeriesDate/SeriesTime, unless that is after the earliest AcquisitionDate/Time of the series (a
//   re-saved or multi-bed series): then the GE private (0009,100D) if present, else the earliest acquisition.
//   injection = RadiopharmaceuticalStartDateTime, else RadiopharmaceuticalStartTime on the scan start's date; when
//   that falls after the scan start but moving it to the day before gives an uptake of at most 12 h, the injection
//   is taken to be on the day before (a scan just after midnight), and a note says so. A longer gap is a data error,
//   not a midnight: the decay time stays negative and SUV is unavailable.
//   factor = weight kg x 1000 / (dose x 2^(-(scan - injection) / half-life)).
// - CNTS (Philips): (7053,1000) is the factor; else (7053,1009) x the BQML factor; else unavailable.
// - GML: factor 1 (the values are SUVbw already; never apply a factor twice), unless SUVType (0054,1006) says they
//   are another SUV (LBM, IBW share the unit g/mL): then unavailable rather than mislabelled as SUVbw.
// Overrides replace the header's values. For GML and Philips' (7053,1000) the scanner's factor is used as it is:
// a weight override rescales it by new / header weight, dose and time overrides cannot be applied (a note says so).
SuvResult computeSuv(const SuvInputs& inputs, const SuvOverrides& overrides = {});

// Janmahasatian lean body mass: male 9270 W / (6680 + 216 BMI), female 9270 W / (8780 + 244 BMI), BMI = W / H^2.
// nullopt for a sex other than M/F or non-positive weight/height.
std::optional<double> leanBodyMassKg(double weightKg, double heightM, std::string_view sex);

// One line to print beside SUV figures: the basis and every input used, the overrides and the notes; or why SUV
// is unavailable.
std::string describeSuvInputs(const SuvResult& result);

}  // namespace consilium::model
