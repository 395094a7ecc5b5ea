#include "snapshot.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QQmlEngine>
#include <QQuickItem>
#include <QQuickView>
#include <QThread>

#include "model/error.h"
#include "reading_session.h"
#include "slice_view.h"
#include "volume_view.h"

namespace consilium::app {

namespace fs = std::filesystem;

namespace {

constexpr int kTimeoutMs = 180000;  // a large series on a slow disk; the loads report progress meanwhile

QStringList qtPaths(const std::vector<fs::path>& paths)
{
    QStringList out;
    for (const fs::path& p : paths)
        out << QString::fromStdString(p.string());
    return out;
}

std::string joined(const std::vector<fs::path>& paths)
{
    std::string out;
    for (const fs::path& p : paths)
        out += (out.empty() ? "" : ", ") + p.string();
    return out;
}

// Runs the event loop until `done` holds (or the timeout).
template <typename Predicate>
bool waitFor(Predicate done)
{
    QElapsedTimer timer;
    timer.start();
    while (!done()) {
        if (timer.elapsed() > kTimeoutMs)
            return false;
        QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
        QThread::msleep(5);
    }
    return true;
}

QString addSeries(ReadingSession& session, const std::vector<fs::path>& paths)
{
    const QString uid = session.addSeriesFromFiles(qtPaths(paths));
    if (uid.isEmpty())
        throw Error("snapshot", session.error().toStdString());  // names the file and the reason
    return uid;
}

// The loads of the series shown, finished or failed.
void waitForVolumes(ReadingSession& session, const QStringList& uids, const std::vector<fs::path>& paths)
{
    for (const QString& uid : uids)
        session.load(uid);
    const auto settled = [&] {
        for (const QString& uid : uids)
            if (!session.isLoaded(uid) && session.loadError(uid).isEmpty())
                return false;
        return true;
    };
    if (!waitFor(settled))
        throw Error(joined(paths), "loading timed out");
    for (const QString& uid : uids)
        if (!session.isLoaded(uid))
            throw Error(joined(paths), session.loadError(uid).toStdString());
}

std::string presetName(const std::string& preset)
{
    if (preset == "suv5")
        return "SUV 0–5";
    if (preset == "suv10")
        return "SUV 0–10";
    return preset;
}

// "soft-tissue" -> "Soft tissue", as VolumeView names its presets; empty: the first.
QString vrPresetName(const std::string& preset)
{
    QString name = QString::fromStdString(preset).replace(QLatin1Char('-'), QLatin1Char(' ')).toLower();
    if (!name.isEmpty())
        name[0] = name[0].toUpper();
    return name;
}

}  // namespace

void renderSnapshot(const SnapshotRequest& request)
{
    ReadingSession session;
    const bool rendering = request.view == "volume";  // volume rendering with a preset
    const bool mip = request.view == "mip" || rendering;
    const bool fusion = request.view == "fusion";
    if (fusion && request.pet.empty())
        throw UsageError("--view fusion", "needs --pet");
    // A MIP projects the PET when one is given, else the series itself.
    const QString base = request.view == "mip" && !request.pet.empty() ? addSeries(session, request.pet)
                                                                       : addSeries(session, request.series);
    const QString fused = fusion ? addSeries(session, request.pet) : QString();
    QStringList uids{base};
    if (fusion)
        uids << fused;
    waitForVolumes(session, uids, fusion ? request.pet : request.series);
    if (fusion) {
        const QString refusal = session.fusionRefusal(base, fused);
        if (!refusal.isEmpty())
            throw Error(joined(request.pet), refusal.toStdString());
    }

    QQuickView window;
    window.setResizeMode(QQuickView::SizeRootObjectToView);
    window.setInitialProperties({{"session", QVariant::fromValue(&session)},
                                 {"kind", mip ? "volume" : "slice"},
                                 {"seriesUid", base},
                                 {"fusedSeriesUid", fused},
                                 {"orientation", fusion ? "axial" : QString::fromStdString(request.view)},
                                 {"volumeMode", rendering ? "vr" : "mip"},
                                 {"volumePreset", rendering ? vrPresetName(request.preset) : QString()}});
    window.setSource(QUrl(QStringLiteral("qrc:/qt/qml/Consilium/SnapshotView.qml")));
    if (window.status() != QQuickView::Ready)
        throw Error("snapshot", "the view could not be created (QML errors above)");
    window.resize(request.width, request.height);
    window.show();

    QObject* root = window.rootObject();
    auto* slice = qvariant_cast<SliceView*>(root->property("sliceView"));
    auto* volume = qvariant_cast<VolumeView*>(root->property("volumeView"));
    if (rendering && !request.preset.empty() && !volume->presets().contains(vrPresetName(request.preset)))
        throw UsageError("--preset", "'" + request.preset +
                                         "' is not a volume rendering preset (soft-tissue, bone, "
                                         "lung)");
    const auto ready = [&] { return mip ? volume->ready() : slice->ready(); };
    if (!waitFor(ready))
        throw Error(request.out.string(), "the view did not draw in time");
    if (!mip) {
        if (request.slice) {
            if (*request.slice < 1 || *request.slice > slice->sliceCount())
                throw Error(joined(request.series), "slice " + std::to_string(*request.slice) + " asked, the " +
                                                        request.view + " view has 1 to " +
                                                        std::to_string(slice->sliceCount()));
            slice->setSliceIndex(*request.slice - 1);
        }
        if (!request.preset.empty() && !slice->applyPreset(QString::fromStdString(presetName(request.preset))))
            throw Error(request.preset, slice->isPet() && !slice->baseInSuv()
                                            ? "an SUV window needs SUV, which is unavailable for this PET"
                                            : "not a window preset of this view (soft-tissue, lung, bone, brain, "
                                              "liver, mediastinum; suv5, suv10 for PET)");
        if (!waitFor(ready))
            throw Error(request.out.string(), "the view did not draw in time");
    }
    // A few frames on screen first: the 3D view's mapper uploads its volume on the first one.
    int frames = 0;
    QObject::connect(&window, &QQuickWindow::frameSwapped, &window, [&frames] { ++frames; });
    window.update();
    if (!waitFor([&] {
            if (frames < 3)
                window.update();
            return frames >= 3;
        }))
        throw Error(request.out.string(), "the view did not draw in time");
    const QImage image = window.grabWindow();
    if (image.isNull() || !image.save(QString::fromStdString(request.out.string()), "PNG"))
        throw Error(request.out.string(), "cannot write the PNG");
}

}  // namespace consilium::app
