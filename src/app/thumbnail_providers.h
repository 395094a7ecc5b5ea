#pragma once
// Thumbnails for QML, rendered off the UI thread: "image://series/<series id>" (the middle image of a DICOM
// series), "image://slide/<slide id>" (the whole slide from its smallest level) and "image://slideimage/<id>/<name>"
// (the overview or an associated image — label, macro — of a slide a SlideSession has open, loose files included).
#include <QQuickAsyncImageProvider>
#include <QThreadPool>
#include <filesystem>

namespace consilium::app {

class ThumbnailProvider : public QQuickAsyncImageProvider {
public:
    enum class Kind { Series, Slide, OpenSlideImage };
    // The provider resolves ids through the database when asked (on the UI thread), then renders on its pool.
    explicit ThumbnailProvider(Kind kind);
    QQuickImageResponse* requestImageResponse(const QString& id, const QSize& requestedSize) override;

private:
    Kind kind_;
    QThreadPool pool_;
};

}  // namespace consilium::app
