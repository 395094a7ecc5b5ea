#include "imaging_measurements.h"

#include <QVector3D>
#include <cmath>

#include "imaging/measurement_csv.h"
#include "imaging/measurement_sr.h"
#include "imaging/roi_statistics.h"
#include "qt_text.h"
#include "slice_view.h"
#include "store/measurement_repository.h"
#include "workstation.h"

namespace consilium::app {

using model::Measurement;
using model::MeasurementKind;
using model::Point3;

namespace {

store::MeasurementRepository repository() { return store::MeasurementRepository(Workstation::instance()->database()); }

Point3 point3(const QVector3D& v) { return {double(v.x()), double(v.y()), double(v.z())}; }
QVector3D qvector(const Point3& p) { return QVector3D(float(p[0]), float(p[1]), float(p[2])); }
Point3 offset(const Point3& a, const Point3& b, double scale = 1)
{
    return {a[0] + b[0] * scale, a[1] + b[1] * scale, a[2] + b[2] * scale};
}
Point3 minus(const Point3& a, const Point3& b) { return {a[0] - b[0], a[1] - b[1], a[2] - b[2]}; }
double dot(const Point3& a, const Point3& b) { return a[0] * b[0] + a[1] * b[1] + a[2] * b[2]; }
Point3 cross(const Point3& a, const Point3& b)
{
    return {a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]};
}
Point3 unit(const Point3& a)
{
    const double n = std::sqrt(dot(a, a));
    return n > 0 ? Point3{a[0] / n, a[1] / n, a[2] / n} : a;
}

QString mm(double v) { return QString::number(v, 'f', 1) + QStringLiteral(" mm"); }

std::optional<MeasurementKind> kindOfTool(const QString& tool)
{
    return tool.isEmpty() ? std::nullopt : model::measurementKindFromString(tool.toStdString());
}

}  // namespace

ImagingMeasurements::ImagingMeasurements(QObject* parent) : QObject(parent) {}

void ImagingMeasurements::setSession(ReadingSession* session)
{
    if (session == session_)
        return;
    if (session_)
        disconnect(session_, nullptr, this, nullptr);
    session_ = session;
    if (session_) {
        connect(session_, &ReadingSession::seriesChanged, this, &ImagingMeasurements::reload);
        // ROI statistics need the volume: computed again once it is loaded.
        connect(session_, &ReadingSession::volumeReady, this, [this] {
            statistics_.clear();
            emit changed();
        });
    }
    reload();
}

void ImagingMeasurements::setTool(const QString& tool)
{
    if (tool == tool_)
        return;
    tool_ = tool;
    emit toolChanged();
}

void ImagingMeasurements::fail(const QString& message)
{
    error_ = message;
    emit changed();
}

void ImagingMeasurements::reload()
{
    all_.clear();
    lesions_.clear();
    recist_.reset();
    statistics_.clear();
    if (session_ && session_->caseId() > 0) {
        try {
            store::MeasurementRepository measurements = repository();
            all_ = measurements.forCase(session_->caseId());
            lesions_ = measurements.lesions(session_->caseId());
            recist_ = measurements.evaluateRecist(session_->caseId());
        } catch (const std::exception& e) {
            error_ = qs(e.what());
        }
    }
    emit changed();
}

std::optional<Measurement> ImagingMeasurements::find(std::int64_t id) const
{
    for (const Measurement& m : all_)
        if (m.id == id)
            return m;
    return std::nullopt;
}

void ImagingMeasurements::select(int id)
{
    if (id == selectedId_)
        return;
    selectedId_ = id;
    emit changed();
}

QString ImagingMeasurements::valuesText(const Measurement& m) const
{
    const model::MeasurementValues v = model::measurementValues(m);
    switch (m.kind) {
        case MeasurementKind::Line:
            return v.lengthMm ? mm(*v.lengthMm) : QString();
        case MeasurementKind::Angle:
            return v.angleDegrees ? QStringLiteral("%1°").arg(*v.angleDegrees, 0, 'f', 1) : QString();
        case MeasurementKind::Bidirectional:
            return v.longAxisMm && v.shortAxisMm
                       ? QStringLiteral("%1 × %2 mm").arg(*v.longAxisMm, 0, 'f', 1).arg(*v.shortAxisMm, 0, 'f', 1)
                       : QString();
        case MeasurementKind::Arrow:
            return qs(m.label);
        case MeasurementKind::Ellipse:
        case MeasurementKind::Polygon:
            break;
    }
    // An ROI: its area and what the voxels inside hold, once the series' volume is loaded.
    if (const auto it = statistics_.find(m.id); it != statistics_.end())
        return it->second;
    QString text = v.areaMm2 ? QStringLiteral("%1 mm²").arg(*v.areaMm2, 0, 'f', 0) : QString();
    const QString uid = qs(m.seriesInstanceUid);
    const auto volume = session_ ? session_->volume(uid) : nullptr;
    if (!volume)
        return text;
    try {
        imaging::ValueScale scale = imaging::valueScale(*volume);
        if (const auto factor = session_->suvFactor(uid)) {
            scale.factor = *factor;
            scale.unit = "SUVbw";
            scale.suv = true;
        }
        const imaging::RoiStatistics s = imaging::roiStatistics(*volume, m, scale);
        const QString unit = qs(s.unit);
        if (s.mean)
            text += QStringLiteral(" · mean %1 %2 (SD %3), %4 to %5")
                        .arg(*s.mean, 0, 'f', 1)
                        .arg(unit)
                        .arg(s.standardDeviation.value_or(0), 0, 'f', 1)
                        .arg(s.minimum.value_or(0), 0, 'f', 1)
                        .arg(s.maximum.value_or(0), 0, 'f', 1);
        if (s.suvMax && s.suvPeak)
            text += QStringLiteral(" · SUVmax %1, SUVpeak %2").arg(*s.suvMax, 0, 'f', 2).arg(*s.suvPeak, 0, 'f', 2);
    } catch (const std::exception& e) {
        text += QStringLiteral(" · ") + qs(e.what());
    }
    statistics_[m.id] = text;
    return text;
}

QVariantList ImagingMeasurements::measurements() const
{
    QVariantList list;
    for (const Measurement& m : all_) {
        QString lesion;
        for (const model::Lesion& l : lesions_)
            if (m.lesionId && *m.lesionId == l.id)
                lesion = qs(l.name);
        list.append(QVariantMap{{"id", int(m.id)},
                                {"kind", qs(model::toString(m.kind))},
                                {"values", valuesText(m)},
                                {"lesion", lesion},
                                {"lesionId", m.lesionId ? int(*m.lesionId) : 0},
                                {"series", session_ ? session_->description(qs(m.seriesInstanceUid)) : QString()},
                                {"studyDate", dicomDate(m.studyDate)},
                                {"reviewer", qs(m.reviewer)},
                                {"selected", int(m.id) == selectedId_}});
    }
    return list;
}

QVariantList ImagingMeasurements::lesions() const
{
    QVariantList list;
    for (const model::Lesion& l : lesions_) {
        QString eligibility;
        if (recist_)
            for (const model::LesionEligibility& e : recist_->eligibility)
                if (e.lesionId == l.id)
                    eligibility = qs(e.eligibility.reason);
        list.append(QVariantMap{{"id", int(l.id)},
                                {"name", qs(l.name)},
                                {"location", qs(l.location)},
                                {"category", qs(model::toString(l.category))},
                                {"nodal", l.nodal},
                                {"eligibility", eligibility}});
    }
    return list;
}

QVariantMap ImagingMeasurements::recist() const
{
    if (!recist_)
        return {};
    QVariantList rows;
    for (const model::TimePointResult& t : recist_->timePoints) {
        const auto percent = [](const std::optional<double>& p) {
            return p ? QStringLiteral("%1%2 %").arg(*p > 0 ? "+" : "").arg(*p, 0, 'f', 1) : QStringLiteral("—");
        };
        rows.append(QVariantMap{{"timePoint", dicomDate(t.timePoint)},
                                {"baseline", t.baseline},
                                {"sum", t.sumMm ? mm(*t.sumMm) : QStringLiteral("—")},
                                {"nadir", t.nadirMm ? mm(*t.nadirMm) : QStringLiteral("—")},
                                {"fromBaseline", percent(t.changeFromBaselinePercent)},
                                {"fromNadir", percent(t.changeFromNadirPercent)},
                                {"response", t.baseline ? tr("baseline")
                                                        : (t.overallResponse ? qs(model::toString(*t.overallResponse))
                                                                             : QStringLiteral("—"))},
                                {"newLesions", t.newLesions},
                                {"notes", qs([&] {
                                     std::string joined;
                                     for (const std::string& n : t.notes)
                                         joined += (joined.empty() ? "" : "; ") + n;
                                     return joined;
                                 }())}});
    }
    QStringList problems;
    for (const std::string& p : recist_->selectionProblems)
        problems << qs(p);
    return {{"timePoints", rows}, {"problems", problems}};
}

QVariantList ImagingMeasurements::shapesOn(SliceView* view) const
{
    QVariantList list;
    if (!view || !view->session() || view->seriesUid().isEmpty())
        return list;
    const imaging::ViewPlane plane = view->viewPlane();
    const auto focus = view->session()->focus();
    const Point3 normal{plane.normal()[0], plane.normal()[1], plane.normal()[2]};
    const Point3 here{focus[0], focus[1], focus[2]};
    for (const Measurement& m : all_) {
        if (qs(m.seriesInstanceUid) != view->seriesUid() || m.points.empty())
            continue;
        // On this plane: parallel to it, and within half a millimetre of it (the views step slice by slice).
        if (std::abs(dot(unit(m.plane.normal()), normal)) < 0.999)
            continue;
        if (std::abs(dot(minus(m.points.front(), here), normal)) > 0.5)
            continue;
        std::vector<Point3> outline = m.points;
        if (m.kind == MeasurementKind::Ellipse && m.points.size() == 3) {
            const model::PlaneEllipse e = model::planeEllipse(m);  // in the plane's (u, v), mm
            outline.clear();
            for (int i = 0; i < 48; ++i) {
                const double t = 2 * M_PI * i / 48, x = e.a * std::cos(t), y = e.b * std::sin(t);
                outline.push_back(model::planePoint(m.plane, e.centre[0] + x * e.axis[0] - y * e.axis[1],
                                                    e.centre[1] + x * e.axis[1] + y * e.axis[0]));
            }
        }
        QVariantList points;
        for (const Point3& p : outline) {
            const QPointF at = view->itemPoint(qvector(p));
            points.append(QVariantMap{{"x", at.x()}, {"y", at.y()}});
        }
        QVariantList handles;
        if (int(m.id) == selectedId_)
            for (const Point3& p : m.points) {
                const QPointF at = view->itemPoint(qvector(p));
                handles.append(QVariantMap{{"x", at.x()}, {"y", at.y()}});
            }
        const QPointF label = view->itemPoint(qvector(m.points.back()));
        list.append(QVariantMap{{"id", int(m.id)},
                                {"kind", qs(model::toString(m.kind))},
                                {"points", points},
                                {"closed", m.kind == MeasurementKind::Ellipse || m.kind == MeasurementKind::Polygon},
                                {"text", valuesText(m)},
                                {"textX", label.x() + 8},
                                {"textY", label.y() + 4},
                                {"selected", int(m.id) == selectedId_},
                                {"handles", handles}});
    }
    return list;
}

bool ImagingMeasurements::moveHandle(SliceView* view, int index, QPointF itemPoint)
{
    const auto found = find(selectedId_);
    if (!found || !view || index < 0 || index >= int(found->points.size()))
        return false;
    Measurement m = *found;
    const Point3 p = model::projectOntoPlane(m.plane, point3(view->patientPoint(itemPoint)));
    auto& q = m.points;
    if (m.kind == MeasurementKind::Bidirectional && q.size() == 4) {
        // Keep the short axis perpendicular, through the same place along the long axis.
        const Point3 along0 = minus(q[1], q[0]);
        const double length2 = dot(along0, along0);
        const Point3 centre0 = offset(q[2], minus(q[3], q[2]), 0.5);
        const double t = length2 > 0 ? dot(minus(centre0, q[0]), along0) / length2 : 0.5;
        double half = std::sqrt(dot(minus(q[3], q[2]), minus(q[3], q[2]))) / 2;
        if (index < 2)
            q[std::size_t(index)] = p;
        const Point3 along = unit(minus(q[1], q[0]));
        const Point3 across = unit(cross(m.plane.normal(), along));
        const Point3 centre = offset(q[0], minus(q[1], q[0]), t);
        if (index >= 2)
            half = std::abs(dot(minus(p, centre), across));
        q[2] = offset(centre, across, -half);
        q[3] = offset(centre, across, half);
    } else if (m.kind == MeasurementKind::Ellipse && index == 0) {
        const Point3 delta = minus(p, q[0]);  // the centre moves the whole ellipse
        for (Point3& point : q)
            point = offset(point, delta);
    } else {
        q[std::size_t(index)] = p;
    }
    if (const QString why = qs(model::validationProblem(m)); !why.isEmpty()) {
        fail(why);
        return false;
    }
    try {
        const Measurement stored = repository().update(m, Workstation::instance()->actor());
        statistics_.erase(m.id);
        record({found, stored});
        return true;
    } catch (const std::exception& e) {
        fail(qs(e.what()));
        return false;
    }
}

int ImagingMeasurements::add(SliceView* view, const QVariantList& itemPoints, const QString& label)
{
    const auto kind = kindOfTool(tool_);
    if (!kind || !view || !session_ || session_->caseId() <= 0) {
        fail(tr("Measurements are kept with a case: open the case's imaging to measure."));
        return 0;
    }
    std::vector<QPointF> item;
    for (const QVariant& v : itemPoints)
        item.push_back(v.toPointF());
    if (item.empty())
        return 0;
    const auto patient = [&](QPointF p) { return point3(view->patientPoint(p)); };
    Measurement m;
    m.caseId = session_->caseId();
    m.kind = *kind;
    m.seriesInstanceUid = view->seriesUid().toStdString();
    m.label = label.toStdString();
    m.plane = imaging::measurementPlane(view->viewPlane(), [&] {
        const Point3 p = patient(item.front());
        return imaging::Vec3{p[0], p[1], p[2]};
    }());
    if (*kind == MeasurementKind::Ellipse && item.size() >= 2) {
        const QPointF c = (item[0] + item[1]) / 2;
        m.points = {patient(c), patient(QPointF(item[1].x(), c.y())), patient(QPointF(c.x(), item[1].y()))};
    } else if (*kind == MeasurementKind::Bidirectional && item.size() >= 4) {
        const Point3 l0 = patient(item[0]), l1 = patient(item[1]), q0 = patient(item[2]), q1 = patient(item[3]);
        const Point3 along = unit(minus(l1, l0));
        const Point3 across = unit(cross(m.plane.normal(), along));
        const Point3 middle = offset(q0, minus(q1, q0), 0.5);
        const Point3 centre = offset(l0, along, dot(minus(middle, l0), along));
        const double half = std::abs(dot(minus(q1, q0), across)) / 2;
        m.points = {l0, l1, offset(centre, across, -half), offset(centre, across, half)};
    } else {
        for (const QPointF& p : item)
            m.points.push_back(patient(p));
    }
    for (Point3& p : m.points)
        p = model::projectOntoPlane(m.plane, p);  // exactly on the plane: the view's points are single precision
    try {
        store::MeasurementRepository measurements = repository();
        if (const auto volume = session_->volume(view->seriesUid());
            volume && imaging::isAcquiredSlicePlane(*volume, m.plane))
            if (const auto source = measurements.nearestSourceImage(m.caseId, m.seriesInstanceUid, m.points.front()))
                m.sopInstanceUid = source->sopInstanceUid;
        if (const QString why = qs(model::validationProblem(m)); !why.isEmpty()) {
            fail(why);
            return 0;
        }
        const Measurement stored = measurements.add(m.caseId, m, Workstation::instance()->actor());
        selectedId_ = int(stored.id);
        record({std::nullopt, stored});
        return int(stored.id);
    } catch (const std::exception& e) {
        fail(qs(e.what()));
        return 0;
    }
}

void ImagingMeasurements::record(Step step)
{
    undo_.push_back(std::move(step));
    redo_.clear();
    error_.clear();
    reload();
}

void ImagingMeasurements::apply(Step& step, bool forward)
{
    const std::optional<Measurement>& from = forward ? step.before : step.after;
    const std::optional<Measurement>& to = forward ? step.after : step.before;
    const store::Actor& actor = Workstation::instance()->actor();
    if (to && !from)
        repository().add(to->caseId, *to, actor);  // restored under its own id (the store keeps ids for this)
    else if (from && !to)
        repository().remove(from->caseId, from->id, actor);
    else if (to)
        repository().update(*to, actor);
}

void ImagingMeasurements::removeSelected()
{
    const auto gone = find(selectedId_);
    if (!gone)
        return;
    try {
        repository().remove(gone->caseId, gone->id, Workstation::instance()->actor());
        selectedId_ = 0;
        record({gone, std::nullopt});
    } catch (const std::exception& e) {
        fail(qs(e.what()));
    }
}

void ImagingMeasurements::undo()
{
    if (undo_.empty())
        return;
    Step step = undo_.back();
    undo_.pop_back();
    try {
        apply(step, false);
        redo_.push_back(step);
    } catch (const std::exception& e) {
        error_ = qs(e.what());
    }
    reload();
}

void ImagingMeasurements::redo()
{
    if (redo_.empty())
        return;
    Step step = redo_.back();
    redo_.pop_back();
    try {
        apply(step, true);
        undo_.push_back(step);
    } catch (const std::exception& e) {
        error_ = qs(e.what());
    }
    reload();
}

int ImagingMeasurements::addLesion(const QString& name, const QString& location, const QString& category, bool nodal)
{
    if (!session_ || session_->caseId() <= 0)
        return 0;
    try {
        model::Lesion l;
        l.caseId = session_->caseId();
        l.name = name.trimmed().toStdString();
        l.location = location.trimmed().toStdString();
        l.category = model::lesionCategoryFromString(category.toStdString()).value_or(model::LesionCategory::Target);
        l.nodal = nodal;
        const model::Lesion stored = repository().addLesion(l.caseId, l, Workstation::instance()->actor());
        reload();
        return int(stored.id);
    } catch (const std::exception& e) {
        fail(qs(e.what()));
        return 0;
    }
}

QString ImagingMeasurements::updateLesion(int lesionId, const QString& name, const QString& location,
                                          const QString& category, bool nodal)
{
    try {
        auto l = repository().findLesion(session_->caseId(), lesionId);
        if (!l)
            return tr("No lesion %1 in this case").arg(lesionId);
        l->name = name.trimmed().toStdString();
        l->location = location.trimmed().toStdString();
        l->category = model::lesionCategoryFromString(category.toStdString()).value_or(l->category);
        l->nodal = nodal;
        repository().updateLesion(*l, Workstation::instance()->actor());
    } catch (const std::exception& e) {
        return qs(e.what());
    }
    reload();
    return {};
}

QString ImagingMeasurements::removeLesion(int lesionId)
{
    try {
        repository().removeLesion(session_->caseId(), lesionId, Workstation::instance()->actor());
    } catch (const std::exception& e) {
        return qs(e.what());
    }
    reload();
    return {};
}

QString ImagingMeasurements::assignSelected(int lesionId)
{
    auto m = find(selectedId_);
    if (!m)
        return tr("Select a measurement first.");
    const Measurement before = *m;
    m->lesionId = lesionId > 0 ? std::optional<std::int64_t>(lesionId) : std::nullopt;
    try {
        const Measurement stored = repository().update(*m, Workstation::instance()->actor());
        record({before, stored});
    } catch (const std::exception& e) {
        return qs(e.what());
    }
    return {};
}

QString ImagingMeasurements::exportReport(const QUrl& file)
{
    try {
        imaging::writeMeasurementReport(Workstation::instance()->database(), session_->caseId(),
                                        file.toLocalFile().toStdString(), Workstation::instance()->actor().name);
    } catch (const std::exception& e) {
        return qs(e.what());
    }
    return {};
}

QString ImagingMeasurements::exportCsv(const QUrl& file)
{
    try {
        imaging::writeMeasurementCsv(Workstation::instance()->database(), session_->caseId(),
                                     std::filesystem::path(file.toLocalFile().toStdString()));
    } catch (const std::exception& e) {
        return qs(e.what());
    }
    return {};
}

}  // namespace consilium::app
