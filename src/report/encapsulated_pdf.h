#pragma once
// The signed review as a DICOM Encapsulated PDF, so it can go back into the referring centre's PACS beside the
// patient's images: plain dcmdata with the attribute set verified against dciodvfy (docs: formats.md section 3a).
#include <filesystem>
#include <string>

namespace consilium::report {

// Who and which study the document belongs to, in DICOM's own forms.
struct DicomDocumentIdentity {
    std::string patientName;       // PN: "Sadykova^Aigerim", or the name as referred
    std::string patientId;         // as the referring PACS knows the patient
    std::string patientBirthDate;  // DA "YYYYMMDD" or empty
    std::string patientSex;        // "F", "M", "O" or empty
    std::string studyInstanceUid;  // the imaging study the review answers; a new study when empty
    std::string studyDate;         // DA, of that study (empty when it is a new one)
    std::string studyTime;         // TM
    std::string studyId;           // SH; the case reference when the review opens a study of its own
    std::string accessionNumber;
    std::string referringPhysicianName;  // PN
    std::string documentTitle;           // "Written multidisciplinary review SO-2026-0004, version 1"
    std::string contentDateTime;         // ISO 8601 UTC: when the review was signed
    int instanceNumber = 1;              // the review's version
    std::string manufacturer = "Consilium";
};

// Writes `pdfBytes` unchanged as the EncapsulatedDocument (padded to even length, with its true length in
// EncapsulatedDocumentLength). Throws consilium::Error(out, reason).
void writeEncapsulatedPdf(const std::string& pdfBytes, const DicomDocumentIdentity& identity,
                          const std::filesystem::path& out);

// The PDF inside an Encapsulated PDF file, exactly as it was put in (for tests and for `dcm2pdf`-like reading).
std::string readEncapsulatedPdf(const std::filesystem::path& file);

}  // namespace consilium::report
