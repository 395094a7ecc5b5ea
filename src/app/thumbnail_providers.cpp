#include "thumbnail_providers.h"

#include <QImage>
#include <QRunnable>
#include <functional>

#include "imaging/series_preview.h"
#include "model/error.h"
#include "pathology/slide.h"
#include "slide_session.h"
#include "store/case_files.h"
#include "store/imaging_index.h"
#include "store/slide_repository.h"
#include "workstation.h"

namespace consilium::app {

namespace {

QImage renderSeries(const std::filesystem::path& file, int side)
{
    const auto grey = imaging::renderPreview(file, side);
    QImage image(grey.width, grey.height, QImage::Format_Grayscale8);
    for (int y = 0; y < grey.height; ++y)
        std::copy_n(grey.pixels.data() + std::size_t(y) * std::size_t(grey.width), grey.width, image.scanLine(y));
    return image;
}

QImage qimage(const pathology::RgbImage& rgb)
{
    QImage image(rgb.width, rgb.height, QImage::Format_RGB888);
    for (int y = 0; y < rgb.height; ++y)
        std::copy_n(rgb.rgb.data() + std::size_t(y) * std::size_t(rgb.width) * 3, rgb.width * 3, image.scanLine(y));
    return image;
}

QImage renderSlide(const std::filesystem::path& file, int side)
{
    return qimage(pathology::Slide::open(file)->thumbnail(side));
}

// "<slide id>/<name>" of a slide a SlideSession has open: "overview" (the whole slide) or an associated image.
QImage renderOpenSlideImage(const QString& id, const std::filesystem::path& caseFile, int side)
{
    const QStringList parts = id.split('/');
    if (parts.size() != 2)
        throw Error(id.toStdString(), "not <slide id>/<image name>");
    std::shared_ptr<const pathology::Slide> slide = openSlide(parts[0].toInt());
    if (!slide && !caseFile.empty())
        slide = pathology::Slide::open(caseFile);  // a case's slide no view has opened yet
    if (!slide)
        throw Error(id.toStdString(), "the slide is not open");
    const std::string name = parts[1].toStdString();
    return qimage(name == "overview" ? slide->thumbnail(side) : slide->associatedImage(name));
}

// Renders on the pool and hands the result to the response through a queued signal, so that the response (owned
// by the QML engine, which may drop it early) is only touched on its own thread.
class ThumbnailJob : public QObject, public QRunnable {
    Q_OBJECT
public:
    explicit ThumbnailJob(std::function<QImage()> render) : render_(std::move(render)) {}
    void run() override
    {
        QImage image;
        QString error;
        try {
            image = render_();
        } catch (const std::exception& e) {
            error = QString::fromStdString(e.what());  // the view shows its own "no preview" state
        }
        emit done(image, error);
    }
signals:
    void done(const QImage& image, const QString& error);

private:
    std::function<QImage()> render_;
};

class ThumbnailResponse : public QQuickImageResponse {
    Q_OBJECT
public:
    explicit ThumbnailResponse(ThumbnailJob* job)
    {
        connect(job, &ThumbnailJob::done, this, &ThumbnailResponse::accept, Qt::QueuedConnection);
    }
    QQuickTextureFactory* textureFactory() const override
    {
        return QQuickTextureFactory::textureFactoryForImage(image_);
    }
    QString errorString() const override { return error_; }

private:
    void accept(const QImage& image, const QString& error)
    {
        image_ = image;
        error_ = error;
        emit finished();
    }
    QImage image_;
    QString error_;
};

// Middle image of the series: the most representative slice of a stack.
std::filesystem::path seriesFile(std::int64_t seriesId)
{
    auto& db = Workstation::instance()->database();
    const auto paths = store::ImagingIndex(db).instancePaths(seriesId);
    if (paths.empty())
        return {};
    return store::CaseFiles(db.libraryRoot()).absolute(paths[paths.size() / 2]);
}

std::filesystem::path slideFile(std::int64_t slideId)
{
    auto& db = Workstation::instance()->database();
    auto slide = store::SlideRepository(db).find(slideId);
    return slide ? store::CaseFiles(db.libraryRoot()).absolute(slide->storedPath) : std::filesystem::path();
}

}  // namespace

ThumbnailProvider::ThumbnailProvider(Kind kind) : kind_(kind) { pool_.setMaxThreadCount(2); }

QQuickImageResponse* ThumbnailProvider::requestImageResponse(const QString& id, const QSize& requestedSize)
{
    const int side = requestedSize.isValid() ? std::max(requestedSize.width(), requestedSize.height()) : 256;
    std::function<QImage()> render;
    if (kind_ == Kind::OpenSlideImage) {
        const int slideId = id.section('/', 0, 0).toLongLong();
        const auto caseFile = slideId > 0 && !openSlide(slideId) ? slideFile(slideId) : std::filesystem::path();
        render = [id, caseFile, side] { return renderOpenSlideImage(id, caseFile, side); };
    } else {
        const auto file = kind_ == Kind::Series ? seriesFile(id.toLongLong()) : slideFile(id.toLongLong());
        render = [file, side, series = kind_ == Kind::Series] {
            if (file.empty())
                throw Error("thumbnail", "no such image in this case");
            return series ? renderSeries(file, side) : renderSlide(file, side);
        };
    }
    auto* job = new ThumbnailJob(std::move(render));
    job->setAutoDelete(false);
    auto* response = new ThumbnailResponse(job);
    connect(job, &ThumbnailJob::done, job, &QObject::deleteLater);
    pool_.start(job);
    return response;
}

}  // namespace consilium::app

#include "thumbnail_providers.moc"
