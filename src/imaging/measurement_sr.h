#pragma once
// A case's measurements as a DICOM Enhanced SR, TID 1500 "Imaging Measurement Report", written with DCMTK's cmr
// template classes (formats.md section 3b).
//
// One TID 1501 measurement group per measurement (arrows carry no number and are left out):
//   Tracking Identifier  the lesion's name (the same at every time point), or "Measurement <id> (<kind>)"
//   Tracking UID         the lesion's tracking UID (stable across time points), else the measurement's
//   Finding              (52988006, SCT, "Lesion"); Finding Site for nodes, lung and liver
//   Time Point           the study date of the measured series
//   NUM                  line: Length; bidirectional: Long Axis and Short Axis; ellipse and polygon: Area, then
//                        mean, SD, min and max (Derivation) of HU (Attenuation Coefficient), SUVbw or Bq/mL, and for
//                        SUV the SUVmax (Maximum) and SUVpeak (Peak Value Within ROI); angle: Angle in degrees.
// Each NUM is inferred from SCOORD in the pixel coordinates of its source image (POLYLINE for lines, angles and
// polygons, ELLIPSE for ellipses) when the measurement lies on that image; otherwise from the image itself.
// The source image is the measurement's SOP instance, else the series' image nearest to the measurement. Every
// referenced image is in the Image Library and in the evidence: Current Requested Procedure Evidence for the SR's
// own study (the latest measured study), Pertinent Other Evidence for the others.
#include <filesystem>
#include <string>

#include "store/database.h"

namespace consilium::imaging {

struct MeasurementReportSummary {
    int groups = 0;              // measurement groups written
    int images = 0;              // distinct images referenced
    int leftOut = 0;             // measurements without a number (arrows)
    std::string sopInstanceUid;  // of the SR written
};

// Throws Error("measurements", …) when the case has no measurement to report, Error(file, reason) when a source
// image cannot be read or the SR cannot be written or DCMTK refuses a value.
MeasurementReportSummary writeMeasurementReport(store::Database& db, std::int64_t caseId,
                                                const std::filesystem::path& out, const std::string& observerName);

}  // namespace consilium::imaging
