#pragma once
// What the imaging index needs from one DICOM file, read from its header without decoding pixels.
#include <filesystem>

#include "model/imaging.h"

namespace consilium::imaging {

// Reads the header of a DICOM file: Part 10 (128-byte preamble + "DICM") or a bare dataset, any transfer syntax
// (including ones DCMTK cannot decode, such as JPEG 2000 and HTJ2K: the transfer syntax is reported as the UID text
// of (0002,0010)). Pixel values are never loaded: large values are skipped by seeking, so a 100 MB file costs a few
// kB of reading, yet a file whose pixel data is cut short is still reported as truncated. Text attributes (patient
// name, IDs, descriptions) are returned as UTF-8 decoded from the file's SpecificCharacterSet where possible.
// For multi-frame objects the geometry comes from the functional groups when the top level lacks it.
//
// Throws consilium::Error(file.string(), reason) for anything that is not a readable DICOM instance, e.g.
// "not a DICOM file (no DICM preamble and no parsable dataset)", "truncated or corrupt: <DCMTK reason>",
// "missing SOPInstanceUID", "is a directory, not a DICOM file", "empty file (0 bytes), not a DICOM file",
// "is a DICOMDIR (a media index), not an image". Never crashes on garbage.
model::DicomInstance readDicomInstance(const std::filesystem::path& file);

}  // namespace consilium::imaging
