#include "store/measurement_repository.h"

#include <cmath>
#include <cstdlib>
#include <map>
#include <random>

#include "model/error.h"
#include "model/json.h"
#include "store/imaging_index.h"

namespace consilium::store {
using model::Lesion;
using model::Measurement;
using model::Point3;

namespace {

constexpr const char* kMeasurementColumns =
    "m.id, m.case_id, m.lesion_id, m.kind, m.points, m.plane_origin_x, m.plane_origin_y, m.plane_origin_z, "
    "m.plane_row_x, m.plane_row_y, m.plane_row_z, m.plane_column_x, m.plane_column_y, m.plane_column_z, "
    "m.series_instance_uid, m.sop_instance_uid, m.frame_number, m.label, m.tracking_uid, m.reviewer, m.created_at, "
    "m.updated_at, COALESCE(s.study_date, '') FROM measurements m LEFT JOIN imaging_series s "
    "ON s.case_id = m.case_id AND s.series_instance_uid = m.series_instance_uid";

constexpr const char* kLesionColumns =
    "id, case_id, name, location, category, nodal, tracking_uid, reviewer, created_at, updated_at FROM lesions";

std::string pointsJson(const std::vector<Point3>& points)
{
    std::vector<std::string> items;
    for (const auto& p : points)
        items.push_back(model::jsonArray({model::jsonNumber(p[0]), model::jsonNumber(p[1]), model::jsonNumber(p[2])}));
    return model::jsonArray(items);
}

// Reads back exactly what pointsJson wrote: [[x,y,z],…] (strtod of the shortest round-trip text is bit-identical).
std::vector<Point3> parsePoints(const std::string& text, std::int64_t id)
{
    const auto broken = [&] {
        return Error("measurement " + std::to_string(id), "stored points are damaged: " + text);
    };
    std::vector<Point3> points;
    const char* p = text.c_str();
    auto skip = [&] {
        while (*p == ' ')
            ++p;
    };
    auto expect = [&](char c) {
        skip();
        if (*p != c)
            throw broken();
        ++p;
    };
    expect('[');
    skip();
    if (*p == ']')
        return points;
    for (;;) {
        expect('[');
        Point3 point{};
        for (int i = 0; i < 3; ++i) {
            if (i > 0)
                expect(',');
            skip();
            char* end = nullptr;
            point[i] = std::strtod(p, &end);
            if (end == p)
                throw broken();
            p = end;
        }
        expect(']');
        points.push_back(point);
        skip();
        if (*p == ']')
            return points;
        expect(',');
    }
}

Measurement readMeasurement(const Statement& s)
{
    Measurement m;
    m.id = s.integer(0);
    m.caseId = s.integer(1);
    m.lesionId = s.optionalInteger(2);
    const auto kind = model::measurementKindFromString(s.text(3));
    if (!kind)
        throw Error("measurement " + std::to_string(m.id), "unknown kind '" + s.text(3) + "'");
    m.kind = *kind;
    m.points = parsePoints(s.text(4), m.id);
    m.plane.origin = {s.real(5), s.real(6), s.real(7)};
    m.plane.row = {s.real(8), s.real(9), s.real(10)};
    m.plane.column = {s.real(11), s.real(12), s.real(13)};
    m.seriesInstanceUid = s.text(14);
    m.sopInstanceUid = s.text(15);
    m.frameNumber = int(s.integer(16));
    m.label = s.text(17);
    m.trackingUid = s.text(18);
    m.reviewer = s.text(19);
    m.createdAt = s.text(20);
    m.updatedAt = s.text(21);
    m.studyDate = s.text(22);
    return m;
}

Lesion readLesion(const Statement& s)
{
    Lesion l;
    l.id = s.integer(0);
    l.caseId = s.integer(1);
    l.name = s.text(2);
    l.location = s.text(3);
    l.category = model::lesionCategoryFromString(s.text(4)).value_or(model::LesionCategory::Target);
    l.nodal = s.integer(5) != 0;
    l.trackingUid = s.text(6);
    l.reviewer = s.text(7);
    l.createdAt = s.text(8);
    l.updatedAt = s.text(9);
    return l;
}

std::string trimmed(const std::string& text)
{
    const auto first = text.find_first_not_of(" \t\r\n");
    if (first == std::string::npos)
        return "";
    return text.substr(first, text.find_last_not_of(" \t\r\n") - first + 1);
}

std::string studyDateOf(Database& db, std::int64_t caseId, const std::string& seriesUid)
{
    auto s = db.prepare("SELECT study_date FROM imaging_series WHERE case_id = ? AND series_instance_uid = ?");
    s.bind(1, caseId).bind(2, seriesUid);
    if (!s.step())
        throw UsageError("series " + seriesUid, "is not a series of this case");
    return s.text(0);
}

void bindMeasurement(Statement& s, const Measurement& m)
{
    // Columns 1..: lesion_id, kind, points, plane (9), series, sop, frame, label.
    s.bind(1, m.lesionId).bind(2, model::toString(m.kind)).bind(3, pointsJson(m.points));
    const std::array<const Point3*, 3> plane{&m.plane.origin, &m.plane.row, &m.plane.column};
    for (int v = 0; v < 3; ++v)
        for (int c = 0; c < 3; ++c)
            s.bind(4 + v * 3 + c, (*plane[v])[c]);
    s.bind(13, m.seriesInstanceUid).bind(14, m.sopInstanceUid).bind(15, m.frameNumber).bind(16, m.label);
}

std::optional<std::array<double, 6>> parseOrientation(const std::string& text)
{
    std::array<double, 6> v{};
    const char* p = text.c_str();
    for (int i = 0; i < 6; ++i) {
        if (i > 0) {
            if (*p != '\\')
                return std::nullopt;
            ++p;
        }
        char* end = nullptr;
        v[i] = std::strtod(p, &end);
        if (end == p)
            return std::nullopt;
        p = end;
    }
    return v;
}

constexpr const char* kInstanceColumns =
    "i.sop_instance_uid, i.sop_class_uid, i.stored_path, i.position_x, i.position_y, i.position_z, i.orientation "
    "FROM imaging_instances i JOIN imaging_series s ON s.id = i.series_id";

std::optional<SourceImage> readSourceImage(const Statement& s, const Point3& point)
{
    const auto x = s.optionalReal(3), y = s.optionalReal(4), z = s.optionalReal(5);
    const auto o = parseOrientation(s.text(6));
    if (!x || !y || !z || !o)
        return std::nullopt;
    SourceImage image;
    image.sopInstanceUid = s.text(0);
    image.sopClassUid = s.text(1);
    image.storedPath = s.text(2);
    image.plane.origin = {*x, *y, *z};
    image.plane.row = {(*o)[0], (*o)[1], (*o)[2]};
    image.plane.column = {(*o)[3], (*o)[4], (*o)[5]};
    image.distanceMm = std::abs(model::distanceFromPlane(image.plane, point));
    return image;
}

}  // namespace

std::string newTrackingUid()
{
    static thread_local std::mt19937_64 engine{std::random_device{}()};
    unsigned __int128 n = (static_cast<unsigned __int128>(engine()) << 64) | engine();
    std::string digits;
    do {
        digits.insert(digits.begin(), char('0' + int(n % 10)));
        n /= 10;
    } while (n != 0);
    return "2.25." + digits;
}

std::string toJson(const Lesion& l)
{
    return model::JsonObject()
        .add("id", l.id)
        .add("name", l.name)
        .add("location", l.location)
        .add("category", model::toString(l.category))
        .add("nodal", l.nodal)
        .add("tracking_uid", l.trackingUid)
        .add("reviewer", l.reviewer)
        .add("created_at", l.createdAt)
        .add("updated_at", l.updatedAt)
        .str();
}

std::string toJson(const LesionObservation& o)
{
    return model::JsonObject()
        .add("lesion_id", o.lesionId)
        .add("time_point", o.timePoint)
        .add("state", model::toString(o.state))
        .add("note", o.note)
        .add("reviewer", o.reviewer)
        .add("at", o.at)
        .str();
}

// ---- lesions ---------------------------------------------------------------------------------------------------

Lesion MeasurementRepository::addLesion(std::int64_t caseId, Lesion l, const Actor& actor)
{
    l.name = trimmed(l.name);
    l.location = trimmed(l.location);
    if (l.name.empty())
        throw UsageError("lesion", "needs a name");
    l.caseId = caseId;
    if (l.trackingUid.empty())
        l.trackingUid = newTrackingUid();
    const bool restore = l.id != 0 && !l.createdAt.empty() && !l.reviewer.empty();
    l.updatedAt = utcNow();
    if (!restore) {
        l.reviewer = actor.display();
        l.createdAt = l.updatedAt;
    }
    Transaction tx(db_);
    auto clash = db_.prepare("SELECT 1 FROM lesions WHERE case_id = ? AND name = ? AND id != ?");
    clash.bind(1, caseId).bind(2, l.name).bind(3, l.id);
    if (clash.step())
        throw UsageError("lesion '" + l.name + "'", "the case already has a lesion of that name");
    auto s = db_.prepare(
        "INSERT INTO lesions (id, case_id, name, location, category, nodal, tracking_uid, reviewer, created_at, "
        "updated_at) VALUES (?,?,?,?,?,?,?,?,?,?)");
    if (l.id != 0)
        s.bind(1, l.id);
    else
        s.bindNull(1);
    s.bind(2, caseId)
        .bind(3, l.name)
        .bind(4, l.location)
        .bind(5, model::toString(l.category))
        .bind(6, l.nodal ? 1 : 0)
        .bind(7, l.trackingUid)
        .bind(8, l.reviewer)
        .bind(9, l.createdAt)
        .bind(10, l.updatedAt)
        .run();
    l.id = db_.lastInsertId();
    AuditLog(db_).append(actor, caseId, "lesion.add", "lesion:" + std::to_string(l.id), "", toJson(l));
    tx.commit();
    return l;
}

Lesion MeasurementRepository::updateLesion(const Lesion& changed, const Actor& actor)
{
    Transaction tx(db_);
    const auto before = findLesion(changed.caseId, changed.id);
    if (!before)
        throw Error("lesion " + std::to_string(changed.id), "not found in this case");
    Lesion l = *before;
    l.name = trimmed(changed.name);
    l.location = trimmed(changed.location);
    l.category = changed.category;
    l.nodal = changed.nodal;
    if (l.name.empty())
        throw UsageError("lesion", "needs a name");
    auto clash = db_.prepare("SELECT 1 FROM lesions WHERE case_id = ? AND name = ? AND id != ?");
    clash.bind(1, l.caseId).bind(2, l.name).bind(3, l.id);
    if (clash.step())
        throw UsageError("lesion '" + l.name + "'", "the case already has a lesion of that name");
    l.updatedAt = utcNow();
    db_.prepare("UPDATE lesions SET name = ?, location = ?, category = ?, nodal = ?, updated_at = ? WHERE id = ?")
        .bind(1, l.name)
        .bind(2, l.location)
        .bind(3, model::toString(l.category))
        .bind(4, l.nodal ? 1 : 0)
        .bind(5, l.updatedAt)
        .bind(6, l.id)
        .run();
    AuditLog(db_).append(actor, l.caseId, "lesion.update", "lesion:" + std::to_string(l.id), toJson(*before),
                         toJson(l));
    tx.commit();
    return l;
}

void MeasurementRepository::removeLesion(std::int64_t caseId, std::int64_t lesionId, const Actor& actor)
{
    Transaction tx(db_);
    const auto before = findLesion(caseId, lesionId);
    if (!before)
        throw Error("lesion " + std::to_string(lesionId), "not found in this case");
    AuditLog audit(db_);
    for (const auto& m : forCase(caseId)) {
        if (m.lesionId != lesionId)
            continue;
        Measurement after = m;
        after.lesionId.reset();
        db_.prepare("UPDATE measurements SET lesion_id = NULL WHERE id = ?").bind(1, m.id).run();
        audit.append(actor, caseId, "measurement.update", "measurement:" + std::to_string(m.id), model::toJson(m),
                     model::toJson(after));
    }
    for (const auto& o : observations(caseId))
        if (o.lesionId == lesionId)
            audit.append(actor, caseId, "lesion.observation_cleared", "lesion:" + std::to_string(lesionId), toJson(o),
                         "");
    db_.prepare("DELETE FROM lesion_observations WHERE lesion_id = ?").bind(1, lesionId).run();
    db_.prepare("DELETE FROM lesions WHERE id = ?").bind(1, lesionId).run();
    audit.append(actor, caseId, "lesion.remove", "lesion:" + std::to_string(lesionId), toJson(*before), "");
    tx.commit();
}

std::vector<Lesion> MeasurementRepository::lesions(std::int64_t caseId)
{
    auto s = db_.prepare(std::string("SELECT ") + kLesionColumns + " WHERE case_id = ? ORDER BY id");
    s.bind(1, caseId);
    std::vector<Lesion> out;
    while (s.step())
        out.push_back(readLesion(s));
    return out;
}

std::optional<Lesion> MeasurementRepository::findLesion(std::int64_t caseId, std::int64_t lesionId)
{
    auto s = db_.prepare(std::string("SELECT ") + kLesionColumns + " WHERE case_id = ? AND id = ?");
    s.bind(1, caseId).bind(2, lesionId);
    if (!s.step())
        return std::nullopt;
    return readLesion(s);
}

// ---- measurements ----------------------------------------------------------------------------------------------

Measurement MeasurementRepository::add(std::int64_t caseId, Measurement m, const Actor& actor)
{
    model::validate(m);
    m.caseId = caseId;
    Transaction tx(db_);
    m.studyDate = studyDateOf(db_, caseId, m.seriesInstanceUid);
    if (m.lesionId && !findLesion(caseId, *m.lesionId))
        throw UsageError("lesion " + std::to_string(*m.lesionId), "not found in this case");
    if (m.trackingUid.empty())
        m.trackingUid = newTrackingUid();
    // A restore (undo of a delete) keeps who drew it and when; the audit row says who restored it.
    const bool restore = m.id != 0 && !m.createdAt.empty() && !m.reviewer.empty();
    m.updatedAt = utcNow();
    if (!restore) {
        m.reviewer = actor.display();
        m.createdAt = m.updatedAt;
    }
    auto s = db_.prepare(
        "INSERT INTO measurements (lesion_id, kind, points, plane_origin_x, plane_origin_y, plane_origin_z, "
        "plane_row_x, plane_row_y, plane_row_z, plane_column_x, plane_column_y, plane_column_z, series_instance_uid, "
        "sop_instance_uid, frame_number, label, id, case_id, tracking_uid, reviewer, created_at, updated_at) "
        "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
    bindMeasurement(s, m);
    if (m.id != 0)
        s.bind(17, m.id);
    else
        s.bindNull(17);
    s.bind(18, caseId).bind(19, m.trackingUid).bind(20, m.reviewer).bind(21, m.createdAt).bind(22, m.updatedAt);
    s.run();
    m.id = db_.lastInsertId();
    AuditLog(db_).append(actor, caseId, "measurement.add", "measurement:" + std::to_string(m.id), "", model::toJson(m));
    tx.commit();
    return m;
}

Measurement MeasurementRepository::update(const Measurement& changed, const Actor& actor)
{
    model::validate(changed);
    Transaction tx(db_);
    const auto before = find(changed.caseId, changed.id);
    if (!before)
        throw Error("measurement " + std::to_string(changed.id), "not found in this case");
    Measurement m = changed;
    m.trackingUid = before->trackingUid;
    m.reviewer = before->reviewer;
    m.createdAt = before->createdAt;
    m.studyDate = studyDateOf(db_, m.caseId, m.seriesInstanceUid);
    if (m.lesionId && !findLesion(m.caseId, *m.lesionId))
        throw UsageError("lesion " + std::to_string(*m.lesionId), "not found in this case");
    m.updatedAt = utcNow();
    auto s = db_.prepare(
        "UPDATE measurements SET lesion_id = ?, kind = ?, points = ?, plane_origin_x = ?, plane_origin_y = ?, "
        "plane_origin_z = ?, plane_row_x = ?, plane_row_y = ?, plane_row_z = ?, plane_column_x = ?, "
        "plane_column_y = ?, plane_column_z = ?, series_instance_uid = ?, sop_instance_uid = ?, frame_number = ?, "
        "label = ?, updated_at = ? WHERE id = ? AND case_id = ?");
    bindMeasurement(s, m);
    s.bind(17, m.updatedAt).bind(18, m.id).bind(19, m.caseId).run();
    AuditLog(db_).append(actor, m.caseId, "measurement.update", "measurement:" + std::to_string(m.id),
                         model::toJson(*before), model::toJson(m));
    tx.commit();
    return m;
}

void MeasurementRepository::remove(std::int64_t caseId, std::int64_t measurementId, const Actor& actor)
{
    Transaction tx(db_);
    const auto before = find(caseId, measurementId);
    if (!before)
        throw Error("measurement " + std::to_string(measurementId), "not found in this case");
    db_.prepare("DELETE FROM measurements WHERE id = ?").bind(1, measurementId).run();
    AuditLog(db_).append(actor, caseId, "measurement.remove", "measurement:" + std::to_string(measurementId),
                         model::toJson(*before), "");
    tx.commit();
}

std::vector<Measurement> MeasurementRepository::forCase(std::int64_t caseId)
{
    auto s = db_.prepare(std::string("SELECT ") + kMeasurementColumns + " WHERE m.case_id = ? ORDER BY m.id");
    s.bind(1, caseId);
    std::vector<Measurement> out;
    while (s.step())
        out.push_back(readMeasurement(s));
    return out;
}

std::optional<Measurement> MeasurementRepository::find(std::int64_t caseId, std::int64_t measurementId)
{
    auto s = db_.prepare(std::string("SELECT ") + kMeasurementColumns + " WHERE m.case_id = ? AND m.id = ?");
    s.bind(1, caseId).bind(2, measurementId);
    if (!s.step())
        return std::nullopt;
    return readMeasurement(s);
}

// ---- observations ----------------------------------------------------------------------------------------------

void MeasurementRepository::setObservation(std::int64_t caseId, LesionObservation o, const Actor& actor)
{
    if (o.state == model::LesionState::Measured)
        throw UsageError("lesion observation", "a measured lesion is recorded by its measurement");
    if (o.timePoint.size() != 8 || o.timePoint.find_first_not_of("0123456789") != std::string::npos)
        throw UsageError("lesion observation", "'" + o.timePoint + "' is not a study date (YYYYMMDD)");
    o.reviewer = actor.display();
    o.at = utcNow();
    Transaction tx(db_);
    if (!findLesion(caseId, o.lesionId))
        throw UsageError("lesion " + std::to_string(o.lesionId), "not found in this case");
    std::string before;
    for (const auto& old : observations(caseId))
        if (old.lesionId == o.lesionId && old.timePoint == o.timePoint)
            before = toJson(old);
    db_.prepare(
           "INSERT INTO lesion_observations (lesion_id, time_point, state, note, reviewer, at) VALUES (?,?,?,?,?,?) "
           "ON CONFLICT(lesion_id, time_point) DO UPDATE SET state = excluded.state, note = excluded.note, "
           "reviewer = excluded.reviewer, at = excluded.at")
        .bind(1, o.lesionId)
        .bind(2, o.timePoint)
        .bind(3, model::toString(o.state))
        .bind(4, o.note)
        .bind(5, o.reviewer)
        .bind(6, o.at)
        .run();
    AuditLog(db_).append(actor, caseId, "lesion.observation", "lesion:" + std::to_string(o.lesionId), before,
                         toJson(o));
    tx.commit();
}

void MeasurementRepository::clearObservation(std::int64_t caseId, std::int64_t lesionId, const std::string& timePoint,
                                             const Actor& actor)
{
    Transaction tx(db_);
    for (const auto& old : observations(caseId)) {
        if (old.lesionId != lesionId || old.timePoint != timePoint)
            continue;
        db_.prepare("DELETE FROM lesion_observations WHERE lesion_id = ? AND time_point = ?")
            .bind(1, lesionId)
            .bind(2, timePoint)
            .run();
        AuditLog(db_).append(actor, caseId, "lesion.observation_cleared", "lesion:" + std::to_string(lesionId),
                             toJson(old), "");
    }
    tx.commit();
}

std::vector<LesionObservation> MeasurementRepository::observations(std::int64_t caseId)
{
    auto s = db_.prepare(
        "SELECT o.lesion_id, o.time_point, o.state, o.note, o.reviewer, o.at FROM lesion_observations o "
        "JOIN lesions l ON l.id = o.lesion_id WHERE l.case_id = ? ORDER BY o.lesion_id, o.time_point");
    s.bind(1, caseId);
    std::vector<LesionObservation> out;
    while (s.step())
        out.push_back({s.integer(0), s.text(1),
                       model::lesionStateFromString(s.text(2)).value_or(model::LesionState::Present), s.text(3),
                       s.text(4), s.text(5)});
    return out;
}

// ---- RECIST ----------------------------------------------------------------------------------------------------

RecistInputs MeasurementRepository::recistInputs(std::int64_t caseId)
{
    RecistInputs in;
    in.lesions = lesions(caseId);
    std::map<std::string, std::optional<double>> thickness;
    for (const auto& s : ImagingIndex(db_).series(caseId))
        thickness[s.seriesInstanceUid] = s.sliceThickness;

    // Which measurement stands for a lesion at a time point: bidirectional, then line, then ellipse; newest first.
    auto rank = [](model::MeasurementKind k) {
        switch (k) {
            case model::MeasurementKind::Bidirectional:
                return 3;
            case model::MeasurementKind::Line:
                return 2;
            case model::MeasurementKind::Ellipse:
                return 1;
            default:
                return 0;
        }
    };
    std::map<std::pair<std::int64_t, std::string>, Measurement> chosen;
    for (const auto& m : forCase(caseId)) {
        if (!m.lesionId || rank(m.kind) == 0 || m.studyDate.empty())
            continue;
        const auto key = std::make_pair(*m.lesionId, m.studyDate);
        const auto it = chosen.find(key);
        if (it == chosen.end() || rank(m.kind) > rank(it->second.kind) ||
            (rank(m.kind) == rank(it->second.kind) && m.updatedAt >= it->second.updatedAt))
            chosen[key] = m;
    }
    std::map<std::pair<std::int64_t, std::string>, model::LesionAssessment> byKey;
    for (const auto& [key, m] : chosen) {
        const model::MeasurementValues v = model::measurementValues(m);
        model::LesionAssessment a;
        a.lesionId = key.first;
        a.timePoint = key.second;
        a.longAxisMm = v.lengthMm ? v.lengthMm : v.longAxisMm;
        a.shortAxisMm = v.shortAxisMm;
        a.sliceThicknessMm = thickness[m.seriesInstanceUid];
        byKey[key] = a;
    }
    for (const auto& o : observations(caseId)) {
        model::LesionAssessment a;
        a.lesionId = o.lesionId;
        a.timePoint = o.timePoint;
        a.state = o.state;
        byKey[{o.lesionId, o.timePoint}] = a;  // what the reader stated overrides a measurement
    }
    for (auto& [key, a] : byKey)
        in.assessments.push_back(a);
    return in;
}

model::RecistEvaluation MeasurementRepository::evaluateRecist(std::int64_t caseId)
{
    const RecistInputs in = recistInputs(caseId);
    return model::evaluateRecist(in.lesions, in.assessments);
}

std::optional<SourceImage> MeasurementRepository::nearestSourceImage(std::int64_t caseId,
                                                                     const std::string& seriesInstanceUid,
                                                                     const Point3& point)
{
    auto s = db_.prepare(std::string("SELECT ") + kInstanceColumns +
                         " WHERE s.case_id = ? AND s.series_instance_uid = ? ORDER BY i.instance_number, i.id");
    s.bind(1, caseId).bind(2, seriesInstanceUid);
    std::optional<SourceImage> best;
    while (s.step()) {
        auto image = readSourceImage(s, point);
        if (image && (!best || image->distanceMm < best->distanceMm))
            best = image;
    }
    return best;
}

std::optional<SourceImage> MeasurementRepository::sourceImage(std::int64_t caseId, const std::string& sopInstanceUid)
{
    auto s = db_.prepare(std::string("SELECT ") + kInstanceColumns + " WHERE s.case_id = ? AND i.sop_instance_uid = ?");
    s.bind(1, caseId).bind(2, sopInstanceUid);
    if (!s.step())
        return std::nullopt;
    SourceImage image;
    image.sopInstanceUid = s.text(0);
    image.sopClassUid = s.text(1);
    image.storedPath = s.text(2);
    if (auto withPlane = readSourceImage(s, {0, 0, 0}))
        image = *withPlane;
    image.distanceMm = 0;
    return image;
}

}  // namespace consilium::store
