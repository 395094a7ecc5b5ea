#pragma once
// Is the patient in a DICOM file the case's patient? Imports flag a mismatch for a person to confirm.
#include <string>
#include <string_view>

#include "model/case.h"

namespace consilium::model {

struct PatientMatch {
    bool matches = false;
    std::string reason;  // why it does not match, for the user ("patient ID STS_001 ≠ ALM-ONC-2026-04412")
};

// The IDs decide when both sides have one; otherwise every part of the DICOM name (family^given^middle) must occur
// in the case's name, ignoring case and order. Files without name and ID never match: someone must look.
PatientMatch matchPatient(const Patient& casePatient, std::string_view dicomName, std::string_view dicomId);

}  // namespace consilium::model
