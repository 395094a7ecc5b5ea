#pragma once
// One pathologist's review of a case's slides: the slides on offer, each opened once (off the UI thread — opening
// a slide costs tens of milliseconds to seconds) with one tile engine shared by every view of it. QML:
// `SlideSession { caseReference: … }`; views ask for a slide by id and redraw on tilesArrived().
#include <QtQml/qqmlregistration.h>

#include <QObject>
#include <QString>
#include <QThreadPool>
#include <QVariantList>
#include <QVariantMap>
#include <map>
#include <memory>
#include <mutex>

#include "pathology/slide.h"
#include "pathology/slide_tiles.h"

namespace consilium::app {

class SlideSession : public QObject {
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(QString caseReference READ caseReference WRITE setCaseReference NOTIFY slidesChanged)
    Q_PROPERTY(QVariantList slides READ slides NOTIFY slidesChanged)
    Q_PROPERTY(QString error READ error NOTIFY slidesChanged)

public:
    explicit SlideSession(QObject* parent = nullptr);
    ~SlideSession() override;

    QString caseReference() const { return caseReference_; }
    void setCaseReference(const QString& reference);
    QVariantList slides() const;
    QString error() const { return error_; }

    // A slide file outside any case (tests, `consilium` on a loose file): listed with a negative id.
    Q_INVOKABLE int addSlideFromFile(const QString& path, const QString& title = {});
    // Opens the slide unless it is open or opening; slideOpened or slideFailed follows (possibly at once).
    Q_INVOKABLE void open(int slideId);
    Q_INVOKABLE bool isOpen(int slideId) const;
    Q_INVOKABLE QString openError(int slideId) const;
    // Everything the properties panel shows: identity, levels, calibration and OpenSlide's own properties.
    Q_INVOKABLE QVariantMap details(int slideId) const;

    // --- for the views (C++) ---
    std::shared_ptr<pathology::SlideTiles> tiles(int slideId) const;

signals:
    void slidesChanged();
    void slideOpened(int slideId);
    void slideFailed(int slideId, const QString& message);
    // Tiles entered a cache (coalesced: at most one pending signal at a time); views redraw.
    void tilesArrived();

private:
    struct Entry {
        int id = 0;
        QString title;
        QString file;
        std::shared_ptr<pathology::SlideTiles> tiles;
        QString error;
        bool opening = false;
    };
    struct Notifier;  // shared with the engines' callbacks, which outlive nothing they point at

    Entry* find(int slideId);
    const Entry* find(int slideId) const;
    void finishOpening(int slideId, std::shared_ptr<pathology::SlideTiles> tiles, const QString& error);
    void engineFailed(int slideId, const QString& message);

    QString caseReference_;
    QString error_;
    std::vector<Entry> entries_;
    int nextLooseId_ = -1;
    std::shared_ptr<Notifier> notifier_;
    QThreadPool openers_;
};

// The open slides of every session in this process, by id, for the image provider of label, macro and overview
// images ("image://slideimage/<id>/<name>").
std::shared_ptr<const pathology::Slide> openSlide(int slideId);

}  // namespace consilium::app
