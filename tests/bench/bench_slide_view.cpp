// The pathology viewer on screen: the workstation's own SlideView (Qt Quick on OpenGL under Xvfb/llvmpipe) showing
// the 20000×20000 pyramid of bench_slide_tiles in a 1920×1080 view, driven like a pathologist's hand — a continuous
// pan at 20× and at 40× (a move every 16 ms) and a zoom sweep from the whole slide to 40× about the cursor.
// Measured: frames shown a second, the scene-graph update's CPU per frame (texture uploads included), the share of
// frames drawn sharp and with a stretched coarser tile, and the warm frame (every tile cached).
// Peer, in the same run: a viewer without a tile engine, which reads the visible region through
// openslide_read_region for every frame (the same path of viewports), single-threaded.
//
// Then 10,000 annotations (octagons of 100–400 px) spread over the whole slide, all visible with the slide fitted:
// a pan and a zoom sweep with every one of them drawn. Peer: the same outlines painted with QPainter into a
// 1920×1080 image each frame (what an item that paints its annotations itself would do).
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

#include <QPainter>
#include <QPolygonF>
#include <random>

#include "graphics_setup.h"
#include "model/annotation.h"
#include "pathology/slide.h"
#include "pathology/slide_attachment.h"
#include "pathology/synthetic_slide.h"
#include "slide_annotations.h"
#include "slide_session.h"
#include "slide_view.h"
#include "store/annotation_repository.h"
#include "store/case_repository.h"
#include "workstation.h"

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

// 10,000 octagons over the slide, in a case of a fresh database.
std::vector<model::Annotation> octagons(int count, double side)
{
    std::mt19937 random(7);
    std::uniform_real_distribution<double> where(500, side - 500), size(50, 200);
    std::vector<model::Annotation> list;
    for (int i = 0; i < count; ++i) {
        model::Annotation a;
        a.shape = model::AnnotationShape::Polygon;
        a.className = i % 3 == 0 ? "Tumour" : (i % 3 == 1 ? "Stroma" : "Necrosis");
        const double cx = where(random), cy = where(random), r = size(random);
        for (int k = 0; k < 8; ++k)
            a.points.push_back({cx + r * std::cos(k * M_PI / 4), cy + r * std::sin(k * M_PI / 4)});
        list.push_back(std::move(a));
    }
    return list;
}

// The peer: QPainter over a 1920×1080 image, every outline, per frame; ms a frame.
double painterMsPerFrame(const std::vector<model::Annotation>& marks, const std::vector<Viewport>& path)
{
    QImage canvas(kWidth, kHeight, QImage::Format_ARGB32_Premultiplied);
    double total = 0;
    for (const Viewport& v : path) {
        const auto start = std::chrono::steady_clock::now();
        canvas.fill(Qt::transparent);
        QPainter painter(&canvas);
        painter.setPen(QPen(Qt::red, 2));
        painter.translate(kWidth / 2.0, kHeight / 2.0);
        painter.scale(v.zoom, v.zoom);
        painter.translate(-v.centre);
        for (const model::Annotation& a : marks) {
            QPolygonF polygon;
            for (const model::PixelPoint& p : a.points)
                polygon << QPointF(p.x, p.y);
            painter.drawPolygon(polygon);
        }
        painter.end();
        total += std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    }
    return total / double(std::max<std::size_t>(1, path.size()));
}

void annotationsBench(QQuickView& window, app::SlideView& view, const fs::path& pyramid, const fs::path& work)
{
    const fs::path folder = work / "annotations-db";
    fs::remove_all(folder);
    fs::create_directories(folder);
    app::Workstation workstation(store::Database::open(folder / "consilium.db"));
    workstation.signIn("Bench Pathologist", "pathologist");
    model::CaseIntake intake;
    intake.patient.name = "Bench Patient";
    intake.question = "How fast are 10,000 annotations?";
    const model::Case c = store::CaseRepository(workstation.database()).create(intake, workstation.actor());
    const model::CaseSlide slide =
        pathology::attachSlide(workstation.database(), c.id, pyramid, "bench", workstation.actor());
    const auto marks = octagons(10000, 20000);
    const auto started = std::chrono::steady_clock::now();
    store::AnnotationRepository(workstation.database()).addAll(slide.id, marks, workstation.actor());
    const double insertMs =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();

    app::SlideSession session;
    session.setCaseReference(QString::fromStdString(c.reference));
    app::SlideAnnotations annotations;
    annotations.setSession(&session);
    view.setSession(&session);
    view.setSlideId(int(slide.id));
    while (!view.ready())
        QCoreApplication::processEvents(QEventLoop::AllEvents, 5);
    annotations.setSlideId(int(slide.id));
    view.setAnnotations(&annotations);
    view.fit();
    pump(1000);
    std::printf("10,000 annotations (octagons) over the whole slide, stored in %.0f ms; %d in view when fitted\n",
                insertMs, view.annotationsShown());
    const Run pan = drive(window, view, 3000, [&](int s) {
        view.panBy({(s / 30) % 2 ? 6.0 : -6.0, 0});
        return true;
    });
    std::printf(
        "  %-34s %5.1f fps (a frame every %4.1f ms), update CPU %.2f ms mean / %.2f worst | peer (QPainter, "
        "every outline each frame) %.1f ms a frame\n",
        "pan, all 10,000 drawn", pan.frames / pan.seconds, pan.seconds * 1000 / std::max(1, pan.frames), pan.cpuMs,
        pan.cpuWorstMs, painterMsPerFrame(marks, pan.path));
    const Run zoom = drive(window, view, 10000, [&](int) {
        view.zoomBy(1.03, QPointF(kWidth / 2.0, kHeight / 2.0));  // the crowd stretches, repainted once it rests
        return view.annotationsShown() > 2000;
    });
    std::printf(
        "  %-34s %5.1f fps (a frame every %4.1f ms), update CPU %.2f ms mean / %.2f worst | peer (QPainter) "
        "%.1f ms a frame\n",
        "zoom in, 3 % a frame", zoom.frames / zoom.seconds, zoom.seconds * 1000 / std::max(1, zoom.frames), zoom.cpuMs,
        zoom.cpuWorstMs, painterMsPerFrame(marks, zoom.path));

    // 100,000 on the slide: a typical reading zoom (10×, a few hundred in view) and the whole slide fitted.
    const auto more = octagons(90000, 20000);
    store::AnnotationRepository(workstation.database()).addAll(slide.id, more, workstation.actor());
    annotations.setSlideId(0);
    annotations.setSlideId(int(slide.id));
    view.zoomToMagnification(10);
    pump(1000);
    const Run reading = drive(window, view, 3000, [&](int s) {
        view.panBy({(s / 40) % 2 ? 24.0 : -24.0, -6.0 * ((s / 40) % 2 ? 1 : -1)});
        return true;
    });
    std::printf(
        "  %-34s %5.1f fps (a frame every %4.1f ms), update CPU %.2f ms mean / %.2f worst; %d in the "
        "queried region\n",
        "100,000 on the slide, pan at 10x", reading.frames / reading.seconds,
        reading.seconds * 1000 / std::max(1, reading.frames), reading.cpuMs, reading.cpuWorstMs,
        view.annotationsShown());
    {
        const QRectF r =
            QRectF(view.slidePoint({0, 0}), view.slidePoint({double(kWidth), double(kHeight)})).normalized();
        QElapsedTimer t;
        t.start();
        const auto found = annotations.inView({r.left(), r.top(), r.right(), r.bottom()});
        std::printf("  (a viewport query at 10x: %zu annotations in %.1f ms)\n", found.size(),
                    double(t.nsecsElapsed()) / 1e6);
    }
    QElapsedTimer fitting;
    bool swapped = false;
    const auto connection = QObject::connect(&window, &QQuickWindow::frameSwapped, [&] { swapped = true; });
    fitting.start();
    view.fit();
    // The crowd is queried and painted on the view's worker: wait for it, then for the frame that shows it.
    while (view.annotationsShown() < 100000)
        QCoreApplication::processEvents(QEventLoop::AllEvents | QEventLoop::WaitForMoreEvents, 2);
    swapped = false;
    while (!swapped)
        QCoreApplication::processEvents(QEventLoop::AllEvents | QEventLoop::WaitForMoreEvents, 2);
    QObject::disconnect(connection);
    std::printf("  %-34s %.0f ms to query and draw all %d\n", "100,000 on the slide, fit",
                double(fitting.nsecsElapsed()) / 1e6, view.annotationsShown());
    view.setAnnotations(nullptr);
    view.setSession(nullptr);
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
    annotationsBench(window, *view, pyramid, work);
    const auto stats = session.tiles(id)->stats();
    std::printf("  engine: %llu tiles read, %llu built, %llu queued tiles cancelled as the view moved on\n",
                static_cast<unsigned long long>(stats.tilesRead), static_cast<unsigned long long>(stats.tilesBuilt),
                static_cast<unsigned long long>(stats.requestsCancelled));
    return 0;
}
