#include "imaging/measurement_csv.h"

#include <fstream>
#include <map>
#include <ostream>

#include "imaging/roi_statistics.h"
#include "model/error.h"
#include "model/json.h"
#include "store/imaging_index.h"
#include "store/measurement_repository.h"

namespace consilium::imaging {

namespace {

// RFC 4180: quote when the field holds a comma, quote, CR or LF; double the quotes inside.
std::string field(const std::string& text)
{
    if (text.find_first_of(",\"\r\n") == std::string::npos)
        return text;
    std::string quoted = "\"";
    for (char c : text) {
        if (c == '"')
            quoted += '"';
        quoted += c;
    }
    return quoted + "\"";
}

std::string num(const std::optional<double>& value) { return value ? model::jsonNumber(*value) : ""; }

}  // namespace

int writeMeasurementCsv(store::Database& db, std::int64_t caseId, std::ostream& out)
{
    store::MeasurementRepository repo(db);
    std::map<std::int64_t, model::Lesion> lesions;
    for (const auto& l : repo.lesions(caseId))
        lesions[l.id] = l;
    std::map<std::string, std::string> modality;
    for (const auto& s : store::ImagingIndex(db).series(caseId))
        modality[s.seriesInstanceUid] = s.modality;

    out << "measurement_id,lesion,location,category,nodal,tracking_uid,kind,time_point,modality,series_instance_uid,"
           "sop_instance_uid,length_mm,long_axis_mm,short_axis_mm,angle_deg,area_mm2,voxels,mean,sd,min,max,unit,"
           "suv_max,suv_peak,label,reviewer,created_at,updated_at,points_lps\r\n";
    CaseRoiStatistics roiStatistics(db);
    int rows = 0;
    for (const auto& m : repo.forCase(caseId)) {
        const model::Lesion* l = m.lesionId && lesions.count(*m.lesionId) ? &lesions.at(*m.lesionId) : nullptr;
        const model::MeasurementValues v = model::measurementValues(m);
        std::optional<RoiStatistics> stats;
        if (m.kind == model::MeasurementKind::Ellipse || m.kind == model::MeasurementKind::Polygon)
            stats = roiStatistics(m);
        std::string points;
        for (const auto& p : m.points)
            points += (points.empty() ? "" : ";") + model::jsonNumber(p[0]) + " " + model::jsonNumber(p[1]) + " " +
                      model::jsonNumber(p[2]);
        const std::vector<std::string> fields{std::to_string(m.id),
                                              l ? l->name : "",
                                              l ? l->location : "",
                                              l ? model::toString(l->category) : "",
                                              l ? (l->nodal ? "yes" : "no") : "",
                                              l ? l->trackingUid : m.trackingUid,
                                              model::toString(m.kind),
                                              m.studyDate,
                                              modality[m.seriesInstanceUid],
                                              m.seriesInstanceUid,
                                              m.sopInstanceUid,
                                              num(v.lengthMm),
                                              num(v.longAxisMm),
                                              num(v.shortAxisMm),
                                              num(v.angleDegrees),
                                              num(v.areaMm2),
                                              stats ? std::to_string(stats->voxelCount) : "",
                                              num(stats ? stats->mean : std::nullopt),
                                              num(stats ? stats->standardDeviation : std::nullopt),
                                              num(stats ? stats->minimum : std::nullopt),
                                              num(stats ? stats->maximum : std::nullopt),
                                              stats ? stats->unit : "",
                                              num(stats ? stats->suvMax : std::nullopt),
                                              num(stats ? stats->suvPeak : std::nullopt),
                                              m.label,
                                              m.reviewer,
                                              m.createdAt,
                                              m.updatedAt,
                                              points};
        for (std::size_t i = 0; i < fields.size(); ++i)
            out << (i ? "," : "") << field(fields[i]);
        out << "\r\n";
        ++rows;
    }
    return rows;
}

int writeMeasurementCsv(store::Database& db, std::int64_t caseId, const std::filesystem::path& file)
{
    std::ofstream out(file, std::ios::binary);
    if (!out)
        throw Error(file.string(), "cannot be written");
    const int rows = writeMeasurementCsv(db, caseId, out);
    out.flush();
    if (!out)
        throw Error(file.string(), "cannot be written");
    return rows;
}

}  // namespace consilium::imaging
