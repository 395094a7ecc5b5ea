#include "reading_session.h"

#include <QMetaObject>
#include <QPointer>
#include <algorithm>
#include <cmath>

#include "imaging/case_suv.h"
#include "imaging/dicom_instance.h"
#include "imaging/dicom_paths.h"
#include "imaging/suv_inputs.h"
#include "model/error.h"
#include "qt_text.h"
#include "store/case_files.h"
#include "store/case_repository.h"
#include "store/imaging_index.h"
#include "workstation.h"

namespace consilium::app {

namespace fs = std::filesystem;
using imaging::Vec3;

struct ReadingSession::Series {
    QString uid;
    QString modality;
    QString description;
    QString study;
    QString studyDate;
    QString frameOfReference;
    QString thumbnail;
    QString patientNote;
    int seriesNumber = 0;
    int images = 0;
    std::vector<fs::path> files;

    std::shared_ptr<const imaging::Volume> volume;
    std::shared_ptr<std::atomic<bool>> cancel;
    std::shared_ptr<std::atomic<double>> progress;
    bool loadingNow = false;
    QString failure;
    std::optional<model::SuvResult> suv;
};

namespace {

// What the index (model::SeriesSummary) and a header (model::DicomInstance) both say about a series.
template <typename Header>
std::unique_ptr<ReadingSession::Series> seriesEntry(const Header& h)
{
    auto entry = std::make_unique<ReadingSession::Series>();
    entry->uid = qs(h.seriesInstanceUid);
    entry->modality = qs(h.modality);
    entry->description = qs(h.seriesDescription);
    entry->study = qs(h.studyDescription);
    entry->studyDate = dicomDate(h.studyDate);
    entry->frameOfReference = qs(h.frameOfReferenceUid);
    entry->seriesNumber = h.seriesNumber;
    return entry;
}

// The default window of a freshly loaded series, in its display unit (HU, SUV when available, else raw).
model::Window initialWindow(const imaging::Volume& v, const std::optional<double>& suvFactor)
{
    if (v.modality == "CT")
        return model::ctWindowPresets().front().window;  // soft tissue
    if (v.modality == "PT" && suvFactor)
        return {5.0, 2.5};  // SUV 0–5
    // MR and PET without SUV: the bulk of the histogram, sampled (every 7th voxel is plenty).
    std::vector<float> sample;
    const auto count = std::size_t(v.columns) * std::size_t(v.rows) * std::size_t(v.slices);
    sample.reserve(count / 7 + 1);
    const void* p = v.image->GetScalarPointer();
    for (std::size_t i = 0; i < count; i += 7)
        sample.push_back(v.isFloat() ? static_cast<const float*>(p)[i] : float(static_cast<const short*>(p)[i]));
    if (v.modality == "PT")
        return model::windowFromZeroTo(model::quantile(sample, 0.995));
    return model::windowFromQuantiles(std::move(sample));
}

QString storedUnit(const imaging::Volume& v)
{
    if (v.modality == "CT")
        return QStringLiteral("HU");
    if (v.units == "BQML")
        return QStringLiteral("Bq/mL");
    if (v.units == "CNTS")
        return QStringLiteral("counts");
    if (v.units == "GML")
        return QStringLiteral("g/mL");
    return qs(v.units);
}

}  // namespace

// What a load hands back to the UI thread: everything heavy (the volume, its SUV, its first window) is worked
// out on the pool, so the UI thread only stores it.
struct ReadingSession::Loaded {
    std::shared_ptr<const imaging::Volume> volume;
    std::optional<model::SuvResult> suv;
    model::Window window;
    QString failure;
};

ReadingSession::ReadingSession(QObject* parent) : QObject(parent)
{
    pool_.setMaxThreadCount(2);
    progressTick_.setInterval(100);
    connect(&progressTick_, &QTimer::timeout, this, &ReadingSession::loadProgressChanged);
}

ReadingSession::~ReadingSession()
{
    for (auto& [uid, s] : series_)
        if (s->cancel)
            *s->cancel = true;
    pool_.waitForDone();
}

void ReadingSession::setCaseReference(const QString& reference)
{
    if (reference == caseReference_)
        return;
    caseReference_ = reference;
    reload();
}

void ReadingSession::reload()
{
    error_.clear();
    try {
        store::Database& db = Workstation::instance()->database();
        const model::Case c = store::CaseRepository(db).find(caseReference_.toStdString());
        caseId_ = c.id;
        patientText_ = qs(c.patient.name);
        if (!c.patient.referringIdentifier.empty())
            patientText_ += QStringLiteral(" · ") + qs(c.patient.referringIdentifier);
        store::ImagingIndex index(db);
        store::CaseFiles caseFiles(db.libraryRoot());
        auto summaries = index.series(c.id);
        std::stable_sort(summaries.begin(), summaries.end(), [](const auto& a, const auto& b) {
            return std::tie(a.studyDate, a.studyInstanceUid, a.seriesNumber) <
                   std::tie(b.studyDate, b.studyInstanceUid, b.seriesNumber);
        });
        for (const model::SeriesSummary& s : summaries) {
            const QString uid = qs(s.seriesInstanceUid);
            if (series_.count(uid))
                continue;
            auto entry = seriesEntry(s);
            entry->thumbnail = QStringLiteral("image://series/%1").arg(s.id);
            entry->images = s.instanceCount;
            if (s.patientCheck == "mismatch")
                entry->patientNote = qs(s.patientNote);
            for (const std::string& relative : index.instancePaths(s.id))
                entry->files.push_back(caseFiles.absolute(relative));
            add(std::move(entry));
        }
    } catch (const std::exception& e) {
        error_ = qs(e.what());
    }
    emit seriesChanged();
}

QString ReadingSession::addSeriesFromFiles(const QStringList& paths)
{
    std::vector<fs::path> given;
    for (const QString& p : paths)
        given.emplace_back(p.toStdString());
    const imaging::GatheredFiles gathered = imaging::gatherDicomFiles(given);
    for (const fs::path& file : gathered.files) {
        model::DicomInstance header;
        try {
            header = imaging::readDicomInstance(file);
        } catch (const Error&) {
            continue;  // not DICOM, or broken: the next file may do
        }
        const QString uid = qs(header.seriesInstanceUid);
        if (!series_.count(uid)) {
            auto entry = seriesEntry(header);
            entry->files = gathered.files;  // loadVolume takes this series' files out of them
            if (patientText_.isEmpty())     // DICOM PN "Family^Given": shown with spaces
                patientText_ = qs(header.patientName).replace(QLatin1Char('^'), QLatin1Char(' ')).trimmed();
            add(std::move(entry));
        }
        emit seriesChanged();
        return uid;
    }
    error_ = gathered.files.empty() && !gathered.problems.empty()
                 ? qs(gathered.problems.front().first + ": " + gathered.problems.front().second)
                 : tr("No readable DICOM image in %1").arg(paths.join(QStringLiteral(", ")));
    emit seriesChanged();
    return {};
}

void ReadingSession::add(std::unique_ptr<Series> series)
{
    order_.push_back(series->uid);
    const QString uid = series->uid;
    series_.emplace(uid, std::move(series));
}

ReadingSession::Series* ReadingSession::find(const QString& uid)
{
    const auto it = series_.find(uid);
    return it == series_.end() ? nullptr : it->second.get();
}

const ReadingSession::Series* ReadingSession::find(const QString& uid) const
{
    const auto it = series_.find(uid);
    return it == series_.end() ? nullptr : it->second.get();
}

QVariantList ReadingSession::series() const
{
    QVariantList rows;
    QString previousStudy;
    for (const QString& uid : order_) {
        const Series& s = *series_.at(uid);
        const QString study = s.study.isEmpty() ? tr("Study %1").arg(s.studyDate) : s.study;
        const bool firstOfStudy = study != previousStudy;
        previousStudy = study;
        QStringList warnings;
        if (!s.patientNote.isEmpty())
            warnings << tr("Patient to confirm: %1").arg(s.patientNote);
        if (s.volume)
            for (const auto& w : s.volume->warnings)
                warnings << qs(w.text);
        if (!s.failure.isEmpty())
            warnings << s.failure;
        if (s.suv && s.suv->status == model::SuvResult::Status::Unavailable)
            warnings << tr("SUV unavailable: %1").arg(qs(s.suv->reason));
        rows.append(QVariantMap{{"seriesUid", s.uid},
                                {"modality", s.modality},
                                {"description", s.description.isEmpty() ? tr("(no description)") : s.description},
                                {"study", study},
                                {"firstOfStudy", firstOfStudy},
                                {"studyDate", s.studyDate},
                                {"images", s.images},
                                {"thumbnail", s.thumbnail},
                                {"loaded", bool(s.volume)},
                                {"loading", s.loadingNow},
                                {"slices", s.volume ? s.volume->slices : 0},
                                {"warnings", warnings}});
    }
    return rows;
}

QVariantList ReadingSession::seriesWithModality(const QString& modality) const
{
    QVariantList rows;
    for (const QVariant& row : series())
        if (row.toMap().value(QStringLiteral("modality")).toString() == modality)
            rows.append(row);
    return rows;
}

QVariantMap ReadingSession::hanging() const
{
    // The largest CT (or MR) and the largest PET: localizers and single images lose to real volumes.
    const auto largest = [&](const QStringList& modalities) {
        QString best;
        int bestImages = 0;
        for (const QString& uid : order_) {
            const Series& s = *series_.at(uid);
            if (modalities.contains(s.modality) && s.images > bestImages) {
                best = uid;
                bestImages = s.images;
            }
        }
        return best;
    };
    const QString anatomy = largest({"CT", "MR"});
    const QString pet = largest({"PT"});
    const auto slice = [](const QString& uid, const QString& orientation, const QString& fused = {}) {
        return QVariantMap{{"kind", "slice"}, {"series", uid}, {"orientation", orientation}, {"fused", fused}};
    };
    const auto volume = [](const QString& uid, const QString& mode) {
        return QVariantMap{{"kind", "volume"}, {"series", uid}, {"mode", mode}};
    };
    QVariantList views;
    if (!anatomy.isEmpty() && !pet.isEmpty() && fusionRefusal(anatomy, pet).isEmpty())
        views = {slice(anatomy, "axial"), slice(pet, "axial"), slice(anatomy, "axial", pet), volume(pet, "mip")};
    else if (!anatomy.isEmpty() && !pet.isEmpty())
        views = {slice(anatomy, "axial"), slice(pet, "axial"), slice(anatomy, "coronal"), volume(pet, "mip")};
    else if (!anatomy.isEmpty())
        views = {slice(anatomy, "axial"), slice(anatomy, "coronal"), slice(anatomy, "sagittal"), volume(anatomy, "vr")};
    else if (!pet.isEmpty())
        views = {slice(pet, "axial"), slice(pet, "coronal"), slice(pet, "sagittal"), volume(pet, "mip")};
    else if (!order_.empty())
        views = {slice(order_.front(), "axial")};
    return {{"layout", views.size() > 1 ? "2x2" : "1x1"}, {"views", views}};
}

bool ReadingSession::loading() const
{
    return std::any_of(series_.begin(), series_.end(), [](const auto& s) { return s.second->loadingNow; });
}

double ReadingSession::loadingProgress() const
{
    double sum = 0;
    int n = 0;
    for (const auto& [uid, s] : series_)
        if (s->loadingNow) {
            sum += *s->progress;
            ++n;
        }
    return n ? sum / n : 1.0;
}

QString ReadingSession::loadingText() const
{
    QStringList names;
    for (const auto& [uid, s] : series_)
        if (s->loadingNow)
            names << QStringLiteral("%1 %2").arg(s->modality, s->description);
    return names.isEmpty() ? QString() : tr("Loading %1").arg(names.join(QStringLiteral(", ")));
}

QVector3D ReadingSession::focusVector() const
{
    return QVector3D(float(focus_[0]), float(focus_[1]), float(focus_[2]));
}

void ReadingSession::load(const QString& seriesUid)
{
    Series* s = find(seriesUid);
    if (!s || s->volume || s->loadingNow)
        return;
    s->loadingNow = true;
    s->failure.clear();
    s->cancel = std::make_shared<std::atomic<bool>>(false);
    s->progress = std::make_shared<std::atomic<double>>(0.0);
    progressTick_.start();
    emit loadStateChanged();
    emit seriesChanged();

    imaging::VolumeRequest request{s->files, seriesUid.toStdString(), {}};
    const bool isPet = s->modality == "PT";
    const std::int64_t caseId = caseId_;
    const fs::path databaseFile = caseId ? Workstation::instance()->database().file() : fs::path();
    QPointer<ReadingSession> self(this);
    pool_.start([self, request, isPet, caseId, databaseFile, cancel = s->cancel, progress = s->progress] {
        Loaded loaded;
        try {
            loaded.volume = imaging::loadVolume(
                request, [&](double f) { *progress = f; }, *cancel);
            if (loaded.volume && isPet && caseId) {  // with the reviewer's overrides; the thread has its own connection
                auto db = store::Database::open(databaseFile);
                loaded.suv = imaging::caseSeriesSuv(db, caseId, request.seriesInstanceUid);
            } else if (loaded.volume && isPet) {  // files outside a case: the headers alone
                loaded.suv = model::computeSuv(imaging::suvInputsOfSeries(loaded.volume->files));
            }
            if (loaded.volume) {
                std::optional<double> factor;
                if (loaded.suv && loaded.suv->status == model::SuvResult::Status::Ok)
                    factor = loaded.suv->factorBw;
                loaded.window = initialWindow(*loaded.volume, factor);
            }
        } catch (const std::exception& e) {
            loaded.failure = qs(e.what());
        }
        if (!loaded.volume && loaded.failure.isEmpty())
            loaded.failure = tr("Loading cancelled");
        // The session waits for its pool in its destructor, so `self` outlives this call.
        QMetaObject::invokeMethod(
            self.data(),
            [self, uid = qs(request.seriesInstanceUid), loaded = std::move(loaded)]() mutable {
                self->finishLoad(uid, std::move(loaded));
            },
            Qt::QueuedConnection);
    });
}

void ReadingSession::finishLoad(const QString& uid, Loaded loaded)
{
    Series* s = find(uid);
    if (!s)
        return;
    s->loadingNow = false;
    s->volume = std::move(loaded.volume);
    s->suv = std::move(loaded.suv);
    s->failure = loaded.failure;
    if (!loading())
        progressTick_.stop();
    if (s->volume) {
        if (!windows_.count(uid))
            windows_[uid] = loaded.window;
        if (!focusSet_) {
            focus_ = imaging::volumeCentre(*s->volume);
            focusSet_ = true;
            emit geometryChanged();
        }
        emit volumeReady(uid);
    } else {
        emit loadFailed(uid, loaded.failure);
    }
    emit loadStateChanged();
    emit loadProgressChanged();
    emit seriesChanged();
}

void ReadingSession::cancelLoading()
{
    for (auto& [uid, s] : series_)
        if (s->loadingNow && s->cancel)
            *s->cancel = true;
}

bool ReadingSession::isLoaded(const QString& seriesUid) const
{
    const Series* s = find(seriesUid);
    return s && s->volume;
}

QString ReadingSession::loadError(const QString& seriesUid) const
{
    const Series* s = find(seriesUid);
    return s ? s->failure : tr("No such series in this case");
}

QString ReadingSession::modality(const QString& seriesUid) const
{
    const Series* s = find(seriesUid);
    return s ? s->modality : QString();
}

QString ReadingSession::description(const QString& seriesUid) const
{
    const Series* s = find(seriesUid);
    return s ? s->description : QString();
}

QString ReadingSession::unitText(const QString& seriesUid) const
{
    return suvFactor(seriesUid) ? QStringLiteral("SUVbw") : storedUnitText(seriesUid);
}

QString ReadingSession::storedUnitText(const QString& seriesUid) const
{
    const auto v = volume(seriesUid);
    return v ? storedUnit(*v) : QString();
}

QString ReadingSession::fusionRefusal(const QString& baseUid, const QString& overlayUid) const
{
    const Series* base = find(baseUid);
    const Series* overlay = find(overlayUid);
    if (!base || !overlay)
        return tr("Fusion needs two series of this case");
    if (overlay->modality != "PT")
        return tr("Only a PET series can be fused over another series (this one is %1)").arg(overlay->modality);
    if (base->modality == "PT")
        return tr("Fusion shows PET over CT or MR, not over another PET");
    if (base->frameOfReference.isEmpty() || overlay->frameOfReference.isEmpty())
        return tr("Not fused: %1 has no Frame of Reference UID, so nothing says the two series share a coordinate "
                  "system")
            .arg(base->frameOfReference.isEmpty() ? base->description : overlay->description);
    if (base->frameOfReference != overlay->frameOfReference)
        return tr("Not fused: %1 and %2 have different Frames of Reference (acquired separately); Consilium does not "
                  "register images, and overlaying them unregistered would mislead")
            .arg(base->description, overlay->description);
    return {};
}

void ReadingSession::resetGeometry(const QString& seriesUid)
{
    rotations_ = {imaging::kNoRotation, imaging::kNoRotation, imaging::kNoRotation};
    if (auto v = volume(seriesUid))
        focus_ = imaging::volumeCentre(*v);
    emit geometryChanged();
}

std::shared_ptr<const imaging::Volume> ReadingSession::volume(const QString& seriesUid) const
{
    const Series* s = find(seriesUid);
    return s ? s->volume : nullptr;
}

std::optional<double> ReadingSession::suvFactor(const QString& seriesUid) const
{
    const Series* s = find(seriesUid);
    if (!s || !s->suv || s->suv->status != model::SuvResult::Status::Ok || !std::isfinite(s->suv->factorBw))
        return std::nullopt;
    return s->suv->factorBw;
}

QString ReadingSession::suvUnavailableReason(const QString& seriesUid) const
{
    const Series* s = find(seriesUid);
    if (!s || s->modality != "PT")
        return {};
    if (!s->suv)
        return tr("SUV not computed yet");
    return s->suv->status == model::SuvResult::Status::Ok ? QString() : qs(s->suv->reason);
}

void ReadingSession::setFocus(const Vec3& point)
{
    focus_ = point;
    focusSet_ = true;
    emit geometryChanged();
}

imaging::ViewPlane ReadingSession::plane(imaging::PlaneOrientation orientation) const
{
    return imaging::rotated(imaging::standardPlane(orientation), rotations_[std::size_t(orientation)]);
}

void ReadingSession::rotateOthers(imaging::PlaneOrientation about, double degrees)
{
    const imaging::Rotation r = imaging::rotationAbout(plane(about).normal(), degrees);
    for (std::size_t o = 0; o < rotations_.size(); ++o)
        if (o != std::size_t(about))
            rotations_[o] = imaging::compose(rotations_[o], r);
    emit geometryChanged();
}

bool ReadingSession::isOblique() const
{
    return std::any_of(rotations_.begin(), rotations_.end(), [](const auto& r) { return r != imaging::kNoRotation; });
}

std::optional<model::Window> ReadingSession::window(const QString& seriesUid) const
{
    const auto it = windows_.find(seriesUid);
    return it == windows_.end() ? std::nullopt : std::optional(it->second);
}

void ReadingSession::setWindow(const QString& seriesUid, const model::Window& window)
{
    windows_[seriesUid] = window;
    emit windowChanged(seriesUid);
}

}  // namespace consilium::app
