#pragma once
// Reads what PET SUV depends on (model::SuvInputs) from DICOM headers with DCMTK; model::computeSuv turns it into
// the factor. Headers only: pixel data is never loaded.
#include <filesystem>
#include <vector>

#include "model/suv.h"

class DcmDataset;

namespace consilium::imaging {

// The SUV inputs of one instance; its own AcquisitionDate/Time is the "earliest acquisition" (AcquisitionDateTime
// (0008,002A) when those are absent, as in enhanced PET). Radiopharmaceutical values come from item 0 of
// RadiopharmaceuticalInformationSequence (0054,0016). The private values are looked up in the block their creator
// reserved ("GEMS_PETD_01" for (0009,xx0D), "Philips PET Private Group" for (7053,xx00) and (7053,xx09)); block 0x10
// is used when the group names no creator at all. They are read whatever their VR: DS/DT text, FD/FL binary, or
// UN/OB (implicit VR files, as DCMTK has no dictionary entry for them) holding text. A number that cannot be read
// is left empty, as if absent. Never throws.
model::SuvInputs readSuvInputs(DcmDataset& dataset);

// The SUV inputs of a series: series-level values from the first file, the earliest acquisition date-time across
// all files, and in `inconsistencies` every series-level value that differs between files (which makes SUV
// unavailable). Reads headers only (loading stops before the pixel data).
// Throws consilium::Error(file, reason) for a file that is not readable DICOM or belongs to another series than the
// first file, and Error("PET series", ...) when `files` is empty.
model::SuvInputs suvInputsOfSeries(const std::vector<std::filesystem::path>& files);

}  // namespace consilium::imaging
