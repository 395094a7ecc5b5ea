#pragma once
// Writes a synthetic volume (any function of patient position) as a valid DICOM series: one file per axial slice,
// Explicit VR Little Endian, CT Image, PET Image or MR Image Storage. Used for the built-in demo case and for tests
// that need DICOM whose every voxel value is known. Each file passes dciodvfy without errors.
#include <array>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace consilium::imaging {

// Who and which study the series belongs to. Empty strings are written as empty (Type 2) attributes.
struct StudyIdentity {
    std::string patientName;  // DICOM PN ("Family^Given"), UTF-8; files declare SpecificCharacterSet ISO_IR 192
    std::string patientId;
    std::string patientBirthDate;  // YYYYMMDD
    std::string patientSex;        // M, F or O
    std::string studyInstanceUid;  // empty: a new one per call (give one to put several series in one study)
    std::string studyDate;         // YYYYMMDD
    std::string studyTime;         // HHMMSS
    std::string studyId;
    std::string accessionNumber;
    std::string studyDescription;
    std::string referringPhysicianName;
    std::string institutionName;
    std::string frameOfReferenceUid;  // empty: a new one per call (share one so PET fuses onto CT)
    double patientWeightKg = 0;       // written when > 0; SUV needs it
    double patientSizeM = 0;          // written when > 0
};

// The FDG injection, for a PT series: what SUV is computed from.
struct PetDose {
    double injectedDoseBq = 0;
    std::string injectionDateTime;  // YYYYMMDDHHMMSS[.ffffff], the radiopharmaceutical start
    double halfLifeSeconds = 6586.2;
    std::string radiopharmaceutical = "Fludeoxyglucose F^18^";
};

enum class SyntheticModality { CT, PT, MR };

struct SyntheticSeries {
    SyntheticModality modality = SyntheticModality::CT;
    int seriesNumber = 1;
    std::string seriesDescription;
    std::string seriesDate;  // YYYYMMDD; for PT the scan start that the decay correction refers to
    std::string seriesTime;  // HHMMSS[.ffffff]
    int columns = 0, rows = 0, slices = 0;
    double spacingX = 1, spacingY = 1;  // mm, along columns (x) and rows (y)
    double sliceSpacing = 1;            // mm; written as SliceThickness too (contiguous slices)
    // Centre of the first voxel of the first slice, LPS mm. Slices are axial (ImageOrientationPatient 1\0\0\0\1\0)
    // and slice k lies at z = firstVoxelLps[2] + k * sliceSpacing, i.e. the series runs from feet towards head.
    std::array<double, 3> firstVoxelLps{0, 0, 0};
    // The value at a voxel centre (x, y, z in LPS mm), in output units: HU for CT, Bq/mL decay-corrected to the
    // series start for PT, arbitrary signal (0..65535) for MR. Called once per voxel, in slice order, from the
    // calling thread.
    std::function<double(double x, double y, double z)> value;
    std::optional<PetDose> pet;  // required for PT, ignored otherwise
};

// Writes the series into `dir` (created if needed) as NNNN.dcm, one file per slice, and returns the paths in slice
// order. Samples are taken exactly at the positions the written headers state. CT is stored as signed 16 bit with
// RescaleIntercept -1024 and slope 1 (HU rounded to the nearest integer); PT as signed 16 bit with a RescaleSlope
// per slice (each slice's maximum near 32767, as GE scanners do), Units BQML, DecayCorrection START; MR as
// unsigned 16 bit without rescaling. Throws consilium::Error (subject: the folder or file) on invalid input or
// I/O failure.
std::vector<std::filesystem::path> writeSyntheticSeries(const StudyIdentity& study, const SyntheticSeries& series,
                                                        const std::filesystem::path& dir);

// A new globally unique DICOM UID (DCMTK's generator under its site instance root).
std::string newUid();

}  // namespace consilium::imaging
