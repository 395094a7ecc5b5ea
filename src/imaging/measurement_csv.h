#pragma once
// A case's measurements as CSV (RFC 4180, UTF-8, one row per measurement, header first), for spreadsheets and
// statistics. Values are in patient space; ROI rows carry their statistics (roi_statistics.h) computed on the
// series' volume, PET in SUVbw when the SUV is available. Numbers are the shortest text that reads back exactly.
//
// Columns: measurement_id, lesion, location, category, nodal, tracking_uid, kind, time_point, modality,
// series_instance_uid, sop_instance_uid, length_mm, long_axis_mm, short_axis_mm, angle_deg, area_mm2, voxels, mean,
// sd, min, max, unit, suv_max, suv_peak, label, reviewer, created_at, updated_at, points_lps ("x y z;x y z;…").
#include <filesystem>
#include <iosfwd>

#include "store/database.h"

namespace consilium::imaging {

// Returns the number of rows written (measurements).
int writeMeasurementCsv(store::Database& db, std::int64_t caseId, std::ostream& out);
// The same into a file; throws Error(file, reason) when it cannot be written.
int writeMeasurementCsv(store::Database& db, std::int64_t caseId, const std::filesystem::path& file);

}  // namespace consilium::imaging
