#include "store/imaging_index.h"

#include <cstdio>

#include "model/error.h"
#include "model/json.h"
#include "model/patient_match.h"
#include "store/case_repository.h"

namespace consilium::store {

namespace {

std::string orientationText(const std::optional<std::array<double, 6>>& o)
{
    if (!o)
        return "";
    std::string out;
    for (double v : *o)
        out += (out.empty() ? "" : "\\") + model::jsonNumber(v);
    return out;
}

}  // namespace

std::int64_t ImagingIndex::seriesId(std::int64_t caseId, const model::Patient& casePatient,
                                    const model::DicomInstance& h)
{
    const model::PatientMatch match = model::matchPatient(casePatient, h.patientName, h.patientId);
    db_.prepare(
           "INSERT INTO imaging_series (case_id, study_instance_uid, study_date, study_description, "
           "series_instance_uid, series_number, modality, series_description, frame_of_reference_uid, "
           "patient_name, patient_id, patient_check, patient_note) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?) "
           "ON CONFLICT(case_id, series_instance_uid) DO NOTHING")
        .bind(1, caseId)
        .bind(2, h.studyInstanceUid)
        .bind(3, h.studyDate)
        .bind(4, h.studyDescription)
        .bind(5, h.seriesInstanceUid)
        .bind(6, h.seriesNumber)
        .bind(7, h.modality)
        .bind(8, h.seriesDescription)
        .bind(9, h.frameOfReferenceUid)
        .bind(10, h.patientName)
        .bind(11, h.patientId)
        .bind(12, match.matches ? "match" : "mismatch")
        .bind(13, match.reason)
        .run();
    auto s = db_.prepare("SELECT id FROM imaging_series WHERE case_id = ? AND series_instance_uid = ?");
    s.bind(1, caseId).bind(2, h.seriesInstanceUid);
    s.step();
    return s.integer(0);
}

int ImagingIndex::add(std::int64_t caseId, const std::vector<IndexedInstance>& instances, const Actor& actor)
{
    const model::Patient casePatient = CaseRepository(db_).get(caseId).patient;
    Transaction tx(db_);
    auto insert = db_.prepare(
        "INSERT INTO imaging_instances (series_id, sop_instance_uid, sop_class_uid, instance_number, "
        "transfer_syntax_uid, rows, columns, number_of_frames, pixel_spacing_row, pixel_spacing_col, slice_thickness, "
        "position_x, position_y, position_z, orientation, sha256, size_bytes, stored_path) "
        "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT(series_id, sop_instance_uid) DO NOTHING");
    int added = 0;
    std::int64_t lastSeries = 0;
    std::string lastSeriesUid;
    for (const auto& [h, file] : instances) {
        if (h.seriesInstanceUid != lastSeriesUid) {
            lastSeries = seriesId(caseId, casePatient, h);
            lastSeriesUid = h.seriesInstanceUid;
        }
        insert.reset();
        insert.bind(1, lastSeries)
            .bind(2, h.sopInstanceUid)
            .bind(3, h.sopClassUid)
            .bind(4, h.instanceNumber)
            .bind(5, h.transferSyntaxUid)
            .bind(6, h.rows)
            .bind(7, h.columns)
            .bind(8, h.numberOfFrames);
        if (h.pixelSpacing)
            insert.bind(9, (*h.pixelSpacing)[0]).bind(10, (*h.pixelSpacing)[1]);
        insert.bind(11, h.sliceThickness);
        if (h.imagePosition)
            insert.bind(12, (*h.imagePosition)[0]).bind(13, (*h.imagePosition)[1]).bind(14, (*h.imagePosition)[2]);
        insert.bind(15, orientationText(h.imageOrientation))
            .bind(16, file.sha256)
            .bind(17, file.sizeBytes)
            .bind(18, file.relativePath);
        insert.run();
        added += db_.changes();
    }
    if (added > 0) {
        model::JsonObject after;
        after.add("instances_added", added);
        AuditLog(db_).append(actor, caseId, "imaging.import", "case:" + std::to_string(caseId), "", after.str());
    }
    tx.commit();
    return added;
}

std::vector<model::SeriesSummary> ImagingIndex::series(std::int64_t caseId)
{
    auto s = db_.prepare(
        "SELECT s.id, s.study_instance_uid, s.study_date, s.study_description, s.series_instance_uid, "
        "s.series_number, s.modality, s.series_description, s.frame_of_reference_uid, count(i.id), max(i.rows), "
        "max(i.columns), min(i.pixel_spacing_row), min(i.pixel_spacing_col), min(i.slice_thickness), "
        "coalesce(sum(i.size_bytes), 0), s.patient_check, s.patient_note "
        "FROM imaging_series s LEFT JOIN imaging_instances i ON i.series_id = s.id WHERE s.case_id = ? "
        "GROUP BY s.id ORDER BY s.study_date, s.study_instance_uid, s.series_number, s.id");
    s.bind(1, caseId);
    std::vector<model::SeriesSummary> out;
    while (s.step()) {
        model::SeriesSummary m;
        m.id = s.integer(0);
        m.studyInstanceUid = s.text(1);
        m.studyDate = s.text(2);
        m.studyDescription = s.text(3);
        m.seriesInstanceUid = s.text(4);
        m.seriesNumber = int(s.integer(5));
        m.modality = s.text(6);
        m.seriesDescription = s.text(7);
        m.frameOfReferenceUid = s.text(8);
        m.instanceCount = int(s.integer(9));
        m.rows = int(s.integer(10));
        m.columns = int(s.integer(11));
        if (!s.isNull(12) && !s.isNull(13))
            m.pixelSpacing = std::array<double, 2>{s.real(12), s.real(13)};
        m.sliceThickness = s.optionalReal(14);
        m.sizeBytes = s.integer(15);
        m.patientCheck = s.text(16);
        m.patientNote = s.text(17);
        out.push_back(std::move(m));
    }
    return out;
}

void ImagingIndex::confirmPatient(std::int64_t caseId, const std::string& seriesInstanceUid, const Actor& actor)
{
    Transaction tx(db_);
    db_.prepare(
           "UPDATE imaging_series SET patient_check = 'confirmed' WHERE case_id = ? AND series_instance_uid = ? "
           "AND patient_check = 'mismatch'")
        .bind(1, caseId)
        .bind(2, seriesInstanceUid)
        .run();
    if (db_.changes() == 0)
        throw Error("series " + seriesInstanceUid, "is not awaiting a patient confirmation in this case");
    AuditLog(db_).append(actor, caseId, "imaging.confirm_patient", "series:" + seriesInstanceUid, "mismatch",
                         "confirmed");
    tx.commit();
}

std::int64_t ImagingIndex::seriesIdOf(std::int64_t caseId, const std::string& seriesInstanceUid)
{
    auto s = db_.prepare("SELECT id FROM imaging_series WHERE case_id = ? AND series_instance_uid = ?");
    s.bind(1, caseId).bind(2, seriesInstanceUid);
    if (!s.step())
        throw Error("series " + seriesInstanceUid, "is not in this case");
    return s.integer(0);
}

std::vector<std::string> ImagingIndex::instancePaths(std::int64_t seriesId)
{
    auto s = db_.prepare("SELECT stored_path FROM imaging_instances WHERE series_id = ? ORDER BY instance_number, id");
    s.bind(1, seriesId);
    std::vector<std::string> out;
    while (s.step())
        out.push_back(s.text(0));
    return out;
}

}  // namespace consilium::store
