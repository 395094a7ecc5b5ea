#pragma once
// De-identification of the DICOM objects Consilium writes (the TID 1500 measurement SR; the review's Encapsulated
// PDF is refused, see below), by the DICOM PS3.15 Annex E Basic Application Level Confidentiality Profile with the
// Clean Structured Content Option, for teaching files and research boards.
//
// What it does, by the profile's actions (Table E.1-1, the attributes such objects can carry):
//   Z  emptied (type 2, must stay): Patient's Name, ID, Birth Date, Sex; Study Date, Time, ID; Accession Number;
//      Referring Physician's Name; Content Date and Time
//   X  removed: other patient names and IDs, age, size, weight, address, history, comments; institution, station,
//      device serial number, physicians and operators; series, acquisition and instance-creation dates and times;
//      study and series descriptions; request and procedure-step attributes; every private attribute; overlays
//   D  dummy: Verifying Observer Name ("ANONYMOUS"), Verifying Organization
//   U  replaced consistently: every instance, study, series, frame-of-reference, tracking and referenced SOP instance
//      UID becomes "2.25.<128 bits of SHA-256(key + UID)>", so references inside an object and across objects
//      de-identified with the same key still match, and nothing leads back without the key
//   Clean Structured Content: inside the SR content tree, PNAME values become "ANONYMOUS" and DATE, TIME and DATETIME
//      values and observation date-times a fixed dummy (19000101); numbers, codes, coordinates and text are kept
//      (text items hold the lesions' names as the reader typed them: review them before publishing)
// Then Patient Identity Removed = YES, De-identification Method and its code sequence (113100 basic profile,
// 113104 clean structured content) and Longitudinal Temporal Information Modified = REMOVED are set.
//
// Not covered: the Encapsulated PDF (its pages print the patient's name, dates and institution: the profile cannot
// clean a document's content, so it is refused with the reason); pixel data (Consilium writes none here); the other
// options of Annex E (retain dates, retain UIDs, …).
#include <filesystem>
#include <string>

namespace consilium::imaging {

struct DeidentifySummary {
    int removed = 0;             // attributes removed (X), private ones included
    int emptied = 0;             // attributes emptied (Z)
    int replaced = 0;            // dummies (D), UIDs (U) and cleaned content items
    std::string sopInstanceUid;  // the new one
};

// Reads `in`, writes the de-identified copy to `out` (never over `in`). `key` keys the UID mapping: keep it secret and
// the same for objects that must keep referring to each other. Throws Error(in, reason) for a file that is not DICOM
// or is an Encapsulated PDF, Error(out, reason) when it cannot be written.
DeidentifySummary deidentifyDicom(const std::filesystem::path& in, const std::filesystem::path& out,
                                  const std::string& key);

}  // namespace consilium::imaging
