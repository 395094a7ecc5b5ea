#pragma once
// A case's measurements, RECIST lesions and lesion observations (db/0007_measurements.sql). Every change is validated,
// written with an audit_log row (before/after JSON) in the same transaction, and read back exactly as stored: points
// travel as the shortest decimal text that round-trips, so doubles come back bit-identical.
//
// Undo and redo in the GUI are done through these calls: undoing an edit is update() with the old value, undoing a
// delete is add()/addLesion() with the deleted object's id (it is restored under the same id and tracking UID).
#include <optional>
#include <string>
#include <vector>

#include "model/measurement.h"
#include "model/recist.h"
#include "store/audit_log.h"
#include "store/database.h"

namespace consilium::store {

// What was recorded of a lesion at a time point without a measurement (too small, disappeared, present, …).
struct LesionObservation {
    std::int64_t lesionId = 0;
    std::string timePoint;  // study date YYYYMMDD
    model::LesionState state = model::LesionState::Present;
    std::string note;
    std::string reviewer;  // filled from the actor
    std::string at;
};

// The stored image nearest to a point: what a measurement on an acquired slice references.
struct SourceImage {
    std::string sopInstanceUid;
    std::string sopClassUid;
    std::string storedPath;         // relative to the library root
    model::MeasurementPlane plane;  // the image's own plane: origin = ImagePositionPatient, row/column = orientation
    double distanceMm = 0;          // of the point from that plane
};

// The inputs of model::evaluateRecist for a case, as the store assembles them.
struct RecistInputs {
    std::vector<model::Lesion> lesions;
    std::vector<model::LesionAssessment> assessments;
};

class MeasurementRepository {
public:
    explicit MeasurementRepository(Database& db) : db_(db) {}

    // ---- lesions ----
    // Validates (a name unique in the case), assigns a tracking UID unless it has one, audits "lesion.add".
    // With lesion.id != 0 the lesion is restored under that id (undo of removeLesion).
    model::Lesion addLesion(std::int64_t caseId, model::Lesion lesion, const Actor& actor);
    // Found by lesion.caseId and lesion.id; changes name, location, category and nodal flag; keeps the tracking UID.
    model::Lesion updateLesion(const model::Lesion& lesion, const Actor& actor);
    // Its observations go with it; its measurements stay, no longer assigned to a lesion (each change audited).
    void removeLesion(std::int64_t caseId, std::int64_t lesionId, const Actor& actor);
    std::vector<model::Lesion> lesions(std::int64_t caseId);
    std::optional<model::Lesion> findLesion(std::int64_t caseId, std::int64_t lesionId);

    // ---- measurements ----
    // model::validate, the series must be one of the case's and the lesion (if any) the case's; fills reviewer,
    // times, tracking UID and study date. With m.id != 0 the measurement is restored under that id (keeping its
    // tracking UID, reviewer and created time when given: undo of remove()).
    model::Measurement add(std::int64_t caseId, model::Measurement m, const Actor& actor);
    // The measurement is found by m.caseId and m.id. Replaces geometry, plane, series and image references, label and
    // lesion; keeps id, tracking UID, reviewer and created time; returns what is stored.
    model::Measurement update(const model::Measurement& m, const Actor& actor);
    void remove(std::int64_t caseId, std::int64_t measurementId, const Actor& actor);
    std::vector<model::Measurement> forCase(std::int64_t caseId);  // in id order
    std::optional<model::Measurement> find(std::int64_t caseId, std::int64_t measurementId);

    // ---- observations ----
    void setObservation(std::int64_t caseId, LesionObservation observation, const Actor& actor);
    void clearObservation(std::int64_t caseId, std::int64_t lesionId, const std::string& timePoint, const Actor& actor);
    std::vector<LesionObservation> observations(std::int64_t caseId);

    // ---- RECIST ----
    // Per lesion and time point (study date): an observation if there is one, else its most recently updated
    // bidirectional measurement (long and short axis), else line (long axis), else ellipse (its diameters).
    RecistInputs recistInputs(std::int64_t caseId);
    model::RecistEvaluation evaluateRecist(std::int64_t caseId);

    // The image of the series whose plane is nearest to `point` (instances with position and orientation only).
    std::optional<SourceImage> nearestSourceImage(std::int64_t caseId, const std::string& seriesInstanceUid,
                                                  const model::Point3& point);
    // The stored image with this SOP Instance UID in the case.
    std::optional<SourceImage> sourceImage(std::int64_t caseId, const std::string& sopInstanceUid);

private:
    Database& db_;
};

std::string toJson(const model::Lesion& lesion);
std::string toJson(const LesionObservation& observation);

// A new DICOM UID under the 2.25 root (a random 128-bit number, PS3.5 B.2): unique without an organisation root.
std::string newTrackingUid();

}  // namespace consilium::store
