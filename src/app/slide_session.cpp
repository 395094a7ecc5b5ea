#include "slide_session.h"

#include <QFileInfo>
#include <QPointer>
#include <algorithm>
#include <atomic>

#include "qt_text.h"
#include "store/case_files.h"
#include "store/case_repository.h"
#include "store/slide_repository.h"
#include "workstation.h"

namespace consilium::app {

namespace {

std::mutex registryMutex;
std::map<int, std::weak_ptr<const pathology::Slide>>& registry()
{
    static std::map<int, std::weak_ptr<const pathology::Slide>> slides;
    return slides;
}

void remember(int id, const std::shared_ptr<const pathology::Slide>& slide)
{
    std::lock_guard lock(registryMutex);
    registry()[id] = slide;
}

QString number(double value, int significant = 4) { return QString::number(value, 'g', significant); }

}  // namespace

std::shared_ptr<const pathology::Slide> openSlide(int slideId)
{
    std::lock_guard lock(registryMutex);
    const auto it = registry().find(slideId);
    return it == registry().end() ? nullptr : it->second.lock();
}

// The engines call back from their reader threads. The session may be gone by then (a view can keep an engine
// alive for its last frame), so the callbacks hold this, not the session: it forgets the session when the
// session dies, and coalesces a burst of tiles into one queued signal.
struct SlideSession::Notifier {
    std::mutex mutex;
    QPointer<SlideSession> session;  // read and cleared only under mutex
    std::atomic<bool> pending{false};

    void tileReady()
    {
        if (pending.exchange(true))
            return;
        std::lock_guard lock(mutex);
        if (!session)
            return;
        QMetaObject::invokeMethod(
            session.data(),
            [s = session.data()] {
                s->notifier_->pending = false;
                emit s->tilesArrived();
            },
            Qt::QueuedConnection);
    }
    void failed(int id, const QString& message)
    {
        std::lock_guard lock(mutex);
        if (session)
            QMetaObject::invokeMethod(
                session.data(), [s = session.data(), id, message] { s->engineFailed(id, message); },
                Qt::QueuedConnection);
    }
};

SlideSession::SlideSession(QObject* parent) : QObject(parent), notifier_(std::make_shared<Notifier>())
{
    notifier_->session = this;
    openers_.setMaxThreadCount(2);
}

SlideSession::~SlideSession()
{
    {
        std::lock_guard lock(notifier_->mutex);
        notifier_->session = nullptr;
    }
    openers_.waitForDone();
}

void SlideSession::setCaseReference(const QString& reference)
{
    if (reference == caseReference_)
        return;
    caseReference_ = reference;
    error_.clear();
    entries_.erase(std::remove_if(entries_.begin(), entries_.end(), [](const Entry& e) { return e.id > 0; }),
                   entries_.end());
    try {
        store::Database& db = Workstation::instance()->database();
        const model::Case c = store::CaseRepository(db).find(caseReference_.toStdString());
        store::CaseFiles files(db.libraryRoot());
        for (const model::CaseSlide& s : store::SlideRepository(db).forCase(c.id)) {
            Entry e;
            e.id = s.id;
            e.title = qs(s.title.empty() ? s.originalName : s.title);
            e.file = QString::fromStdString(files.absolute(s.storedPath).string());
            entries_.push_back(std::move(e));
        }
    } catch (const std::exception& e) {
        error_ = qs(e.what());
    }
    emit slidesChanged();
}

int SlideSession::addSlideFromFile(const QString& path, const QString& title)
{
    Entry e;
    e.id = nextLooseId_--;
    e.title = title.isEmpty() ? QFileInfo(path).fileName() : title;
    e.file = path;
    entries_.push_back(std::move(e));
    emit slidesChanged();
    return entries_.back().id;
}

QVariantList SlideSession::slides() const
{
    QVariantList list;
    for (const Entry& e : entries_)
        list.append(QVariantMap{{"id", e.id},
                                {"title", e.title},
                                {"file", QFileInfo(e.file).fileName()},
                                {"overview", QStringLiteral("image://slideimage/%1/overview").arg(e.id)}});
    return list;
}

SlideSession::Entry* SlideSession::find(int slideId)
{
    const auto it = std::find_if(entries_.begin(), entries_.end(), [&](const Entry& e) { return e.id == slideId; });
    return it == entries_.end() ? nullptr : &*it;
}

const SlideSession::Entry* SlideSession::find(int slideId) const
{
    return const_cast<SlideSession*>(this)->find(slideId);
}

void SlideSession::open(int slideId)
{
    Entry* e = find(slideId);
    if (!e) {
        emit slideFailed(slideId, tr("no slide %1 in this case").arg(slideId));
        return;
    }
    if (e->tiles) {
        emit slideOpened(slideId);
        return;
    }
    if (!e->error.isEmpty()) {
        emit slideFailed(slideId, e->error);
        return;
    }
    if (e->opening)
        return;
    e->opening = true;
    const std::string file = e->file.toStdString();
    std::weak_ptr<Notifier> weak = notifier_;
    QPointer<SlideSession> self(this);
    openers_.start([file, slideId, weak, self] {
        std::shared_ptr<pathology::SlideTiles> tiles;
        QString error;
        try {
            auto slide = pathology::Slide::open(file);
            remember(slideId, slide);
            pathology::SlideTilesOptions options;
            options.onTileReady = [weak](const pathology::TileKey&) {
                if (auto n = weak.lock())
                    n->tileReady();
            };
            options.onFailure = [weak, slideId](const Error& failure) {
                if (auto n = weak.lock())
                    n->failed(slideId, qs(failure.what()));
            };
            tiles = std::make_shared<pathology::SlideTiles>(std::move(slide), std::move(options));
        } catch (const std::exception& ex) {
            error = qs(ex.what());
        }
        // The session waits for this task in its destructor, so it is alive here; it may not be after the post.
        QMetaObject::invokeMethod(
            self.data(),
            [self, slideId, tiles, error] {
                if (self)
                    self->finishOpening(slideId, tiles, error);
            },
            Qt::QueuedConnection);
    });
}

void SlideSession::finishOpening(int slideId, std::shared_ptr<pathology::SlideTiles> tiles, const QString& error)
{
    Entry* e = find(slideId);
    if (!e)
        return;
    e->opening = false;
    e->tiles = std::move(tiles);
    e->error = error;
    if (e->tiles)
        emit slideOpened(slideId);
    else
        emit slideFailed(slideId, error);
}

void SlideSession::engineFailed(int slideId, const QString& message)
{
    if (Entry* e = find(slideId))
        e->error = message;
    emit slideFailed(slideId, message);
}

bool SlideSession::isOpen(int slideId) const
{
    const Entry* e = find(slideId);
    return e && e->tiles;
}

QString SlideSession::openError(int slideId) const
{
    const Entry* e = find(slideId);
    return e ? e->error : tr("no slide %1 in this case").arg(slideId);
}

std::shared_ptr<pathology::SlideTiles> SlideSession::tiles(int slideId) const
{
    const Entry* e = find(slideId);
    return e ? e->tiles : nullptr;
}

QVariantMap SlideSession::details(int slideId) const
{
    const Entry* e = find(slideId);
    if (!e || !e->tiles)
        return {};
    const pathology::Slide& slide = e->tiles->slide();
    const model::SlideInfo& info = slide.info();
    QVariantList levels;
    for (const model::SlideLevel& l : info.levels)
        levels.append(QStringLiteral("%1 × %2 px · ÷%3").arg(l.width).arg(l.height).arg(number(l.downsample)));
    QVariantList properties;
    for (const auto& [key, value] : info.properties)
        properties.append(QVariantMap{{"key", qs(key)}, {"value", qs(value)}});
    QString calibration = tr("uncalibrated — the file gives no microns per pixel; lengths show in pixels");
    if (info.calibrated())
        calibration = QStringLiteral("%1 × %2 µm/px").arg(number(*info.mppX)).arg(number(*info.mppY));
    const auto bg = slide.background();
    QStringList associated;
    for (const std::string& a : info.associatedImages)
        associated << qs(a);
    return {
        {"title", e->title},
        {"file", e->file},
        {"vendor", qs(info.vendor)},
        {"size", info.levels.empty()
                     ? QString()
                     : QStringLiteral("%1 × %2 px").arg(info.levels[0].width).arg(info.levels[0].height)},
        {"levels", levels},
        {"calibrated", info.calibrated()},
        {"calibration", calibration},
        {"objective", info.objectivePower ? QStringLiteral("%1×").arg(number(*info.objectivePower)) : tr("not given")},
        {"quickhash", qs(info.quickhash)},
        {"background", QStringLiteral("#%1%2%3")
                           .arg(bg[0], 2, 16, QLatin1Char('0'))
                           .arg(bg[1], 2, 16, QLatin1Char('0'))
                           .arg(bg[2], 2, 16, QLatin1Char('0'))},
        {"associated", associated},
        {"properties", properties}};
}

}  // namespace consilium::app
