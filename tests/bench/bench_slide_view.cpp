// The pathology viewer on screen: the workstation's own SlideView (Qt Quick on OpenGL under Xvfb/llvmpipe) showing
// the 20000×20000 pyramid of bench_slide_tiles in a 1920×1080 view, driven like a pathologist's hand — a continuous
// pan at 20× and at 40× (a move every 16 ms) and a zoom sweep from the whole slide to 40× about the cursor.
// Measured: frames shown a second, the scene-graph update's CPU per frame (texture uploads included), the share of
// frames drawn sharp and with a stretched coarser tile, and the warm frame (every tile cached).
// Peer, in the same run: a viewer without a tile engine, which reads the visible region through
// openslide_read_region for every frame (the same path of viewports), single-threaded.
//
//   bench_slide_view [work-folder]     (default: $TMPDIR/consilium-bench-slides, shared with bench_slide_tiles)
#include <QtQml/qqmlextensionplugin.h>

#include <QElapsedTimer>
#include <QGuiApplication>
#include <QQuickItem>
#include <QQuickStyle>
#include <QQuickView>
#include <QTemporaryDir>
#include <QTimer>
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <vector>

#include "graphics_setup.h"
#include "pathology/slide.h"
#include "pathology/synthetic_slide.h"
#include "slide_session.h"
#include "slide_view.h"

Q_IMPORT_QML_PLUGIN(ConsiliumPlugin)

using namespace consilium;
namespace fs = std::filesystem;

namespace {

constexpr int kWidth = 1920;
constexpr int kHeight = 1080;

struct Viewport {
    QPointF centre;  // level-0
    double zoom;
};

struct Run {
    int frames = 0;
    double seconds = 0;
    double cpuMs = 0;  // mean scene-graph update
    double cpuWorstMs = 0;
    int reported = 0;  // frames whose figures reached the GUI thread (hand-overs coalesce under load)
    int sharp = 0;     // of those, frames with every visible tile from the wanted level
    std::vector<Viewport> path;
};

void pump(int ms)
{
    QElapsedTimer t;
    t.start();
    while (t.elapsed() < ms)
        QCoreApplication::processEvents(QEventLoop::AllEvents | QEventLoop::WaitForMoreEvents, 2);
}

// Calls `move(step)` every 16 ms for `durationMs`, or until it returns false, and counts what reaches the screen.
Run drive(QQuickView& window, app::SlideView& view, int durationMs, const std::function<bool(int)>& move)
{
    Run run;
    const auto swapped = QObject::connect(&window, &QQuickWindow::frameSwapped, [&] { ++run.frames; });
    const auto drawn = QObject::connect(&view, &app::SlideView::frameDrawn, [&] {
        run.cpuMs += view.frameCpuMs();
        run.cpuWorstMs = std::max(run.cpuWorstMs, view.frameCpuMs());
        run.sharp += view.sharp() ? 1 : 0;
        ++run.reported;
    });
    int step = 0;
    QTimer hand;
    hand.setInterval(16);
    bool moving = true;
    QObject::connect(&hand, &QTimer::timeout, [&] {
        moving = move(step++);
        run.path.push_back({view.centre(), view.zoom()});
    });
    QElapsedTimer timer;
    timer.start();
    hand.start();
    while (timer.elapsed() < durationMs && moving)
        QCoreApplication::processEvents(QEventLoop::AllEvents | QEventLoop::WaitForMoreEvents, 2);
    hand.stop();
    run.seconds = double(timer.nsecsElapsed()) / 1e9;
    QObject::disconnect(swapped);
    QObject::disconnect(drawn);
    run.cpuMs /= std::max(1, run.reported);
    return run;
}

// The peer: every viewport of the path read through OpenSlide, one read a frame, at the level the view would use.
double naiveMsPerFrame(const fs::path& file, const std::vector<Viewport>& path)
{
    const auto slide = pathology::Slide::open(file);
    const auto& levels = slide->info().levels;
    double total = 0;
    for (const Viewport& v : path) {
        int level = 0;
        for (int l = 1; l < int(levels.size()); ++l)
            if (levels[std::size_t(l)].downsample <= 1.0 / v.zoom * 1.02)
                level = l;
        const double ds = levels[std::size_t(level)].downsample;
        const double w0 = kWidth / v.zoom, h0 = kHeight / v.zoom;
        const auto start = std::chrono::steady_clock::now();
        slide->readRegion(level, std::int64_t(v.centre.x() - w0 / 2), std::int64_t(v.centre.y() - h0 / 2),
                          int(std::ceil(w0 / ds)), int(std::ceil(h0 / ds)));
        total += std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    }
    return total / double(std::max<std::size_t>(1, path.size()));
}

void report(const char* what, const Run& run, const fs::path& file)
{
    const double frameMs = run.seconds * 1000 / std::max(1, run.frames);
    const double naive = naiveMsPerFrame(file, run.path);
    std::printf(
        "  %-34s %5.1f fps (a frame every %4.1f ms), update CPU %.2f ms mean / %.2f worst, sharp %3.0f %% of "
        "frames | peer (read the view through OpenSlide each frame) %6.1f ms a frame -> %.1fx faster\n",
        what, run.frames / run.seconds, frameMs, run.cpuMs, run.cpuWorstMs,
        100.0 * run.sharp / std::max(1, run.reported), naive, naive / frameMs);
}

}  // namespace

int main(int argc, char** argv)
{
    if (!std::getenv("DISPLAY")) {
        std::printf("bench_slide_view: needs an X display (scripts/bench.sh runs it under Xvfb); skipped\n");
        return 0;
    }
    const fs::path work = argc > 1 ? fs::path(argv[1]) : fs::temp_directory_path() / "consilium-bench-slides";
    fs::create_directories(work);
    const fs::path pyramid = work / "pyramid-20000.svs";
    if (!fs::exists(pyramid)) {
        pathology::SyntheticSlideSpec spec;
        spec.width = spec.height = 20000;
        spec.tileSize = 256;
        pathology::writeSyntheticSlide(spec, pyramid);
    }

    app::prepareGraphics();
    QGuiApplication application(argc, argv);
    QQuickStyle::setStyle("Material");
    app::SlideSession session;
    const int id = session.addSlideFromFile(QString::fromStdString(pyramid.string()));

    QTemporaryDir dir;
    const QString qml = dir.filePath("view.qml");
    std::ofstream(qml.toStdString()) << "import QtQuick\nimport Consilium\nSlideView { width: " << kWidth
                                     << "; height: " << kHeight << " }\n";
    QQuickView window;
    window.setSource(QUrl::fromLocalFile(qml));
    auto* view = qobject_cast<app::SlideView*>(window.rootObject());
    if (!view) {
        std::printf("bench_slide_view: the view did not load\n");
        return 1;
    }
    view->setSession(&session);
    view->setSlideId(id);
    window.show();
    QElapsedTimer opening;
    opening.start();
    while (!view->ready() && view->status().startsWith("Opening"))
        QCoreApplication::processEvents(QEventLoop::AllEvents, 5);
    if (!view->ready()) {
        std::printf("bench_slide_view: %s\n", qPrintable(view->status()));
        return 1;
    }
    while (!view->sharp())
        QCoreApplication::processEvents(QEventLoop::AllEvents | QEventLoop::WaitForMoreEvents, 5);
    std::printf(
        "20000x20000 pyramid (AppMag 40) in a %dx%d SlideView under Xvfb; whole slide sharp %.0f ms after "
        "setting the slide\n",
        kWidth, kHeight, double(opening.nsecsElapsed()) / 1e6);

    view->zoomToMagnification(20);
    pump(500);
    report("pan at 20x, 12 px every 16 ms",
           drive(window, *view, 3000,
                 [&](int) {
                     view->panBy({-12, -5});
                     return true;
                 }),
           pyramid);
    view->zoomToMagnification(40);
    pump(500);
    report("pan at 40x, 24 px every 16 ms",
           drive(window, *view, 3000,
                 [&](int) {
                     view->panBy({-24, -8});
                     return true;
                 }),
           pyramid);
    // Back and forth over what was just seen: every tile cached, so this is the warm frame.
    report("warm: pan back and forth at 40x",
           drive(window, *view, 2000,
                 [&](int s) {
                     view->panBy({(s / 20) % 2 ? 24.0 : -24.0, 0});
                     return true;
                 }),
           pyramid);
    view->fit();
    pump(500);
    const QPointF cursor(kWidth * 0.4, kHeight * 0.6);
    report("zoom sweep fit -> 40x at the cursor",
           drive(window, *view, 10000,
                 [&](int) {
                     view->zoomBy(1.06, cursor);  // 51 steps of 6 %
                     return view->magnification() < 39.9;
                 }),
           pyramid);
    const auto stats = session.tiles(id)->stats();
    std::printf("  engine: %llu tiles read, %llu built, %llu queued tiles cancelled as the view moved on\n",
                static_cast<unsigned long long>(stats.tilesRead), static_cast<unsigned long long>(stats.tilesBuilt),
                static_cast<unsigned long long>(stats.requestsCancelled));
    return 0;
}
