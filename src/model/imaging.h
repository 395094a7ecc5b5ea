#pragma once
// What the imaging index knows about a DICOM instance and a series, read from headers only.
#include <array>
#include <cstdint>
#include <optional>
#include <string>

namespace consilium::model {

struct DicomInstance {
    std::string patientName;  // PN as stored, decoded to UTF-8 where the character set allows
    std::string patientId;
    std::string studyInstanceUid;
    std::string studyDate;  // DICOM DA "YYYYMMDD"
    std::string studyDescription;
    std::string seriesInstanceUid;
    int seriesNumber = 0;
    std::string seriesDescription;
    std::string modality;
    std::string sopInstanceUid;
    std::string sopClassUid;
    std::string transferSyntaxUid;  // from (0002,0010), as text
    std::string frameOfReferenceUid;
    int instanceNumber = 0;
    int rows = 0;
    int columns = 0;
    int numberOfFrames = 1;
    std::optional<std::array<double, 2>> pixelSpacing;      // (row spacing, column spacing) = (y, x), mm
    std::optional<double> sliceThickness;                   // mm
    std::optional<std::array<double, 3>> imagePosition;     // LPS mm, centre of the first voxel
    std::optional<std::array<double, 6>> imageOrientation;  // row cosines, column cosines
};

// One series of a case as the overview lists it (aggregated from its instances).
struct SeriesSummary {
    std::int64_t id = 0;
    std::string studyInstanceUid;
    std::string studyDate;
    std::string studyDescription;
    std::string seriesInstanceUid;
    int seriesNumber = 0;
    std::string modality;
    std::string seriesDescription;
    std::string frameOfReferenceUid;
    int instanceCount = 0;
    int rows = 0;
    int columns = 0;
    std::optional<std::array<double, 2>> pixelSpacing;
    std::optional<double> sliceThickness;
    std::int64_t sizeBytes = 0;
    std::string patientCheck = "match";  // "match", "mismatch" (to be confirmed by a user) or "confirmed"
    std::string patientNote;             // why it did not match
};

}  // namespace consilium::model
