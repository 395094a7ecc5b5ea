// The pathology viewer in process under Xvfb: the demo slide and the real slides drawn at several zooms (compared
// pixel for pixel with OpenSlide's own read at full resolution), zoom to the cursor, drag, keys, objective presets,
// rotation, linked views, never a hole while tiles load, and files that are not slides.
#include <gtest/gtest.h>

#include <QQmlEngine>
#include <QQuickItem>
#include <QQuickItemGrabResult>
#include <QQuickView>
#include <QTest>
#include <cstdlib>
#include <fstream>

#include "demo/demo_case.h"
#include "key_images.h"
#include "model/annotation.h"
#include "pathology/slide.h"
#include "slide_annotations.h"
#include "slide_session.h"
#include "slide_view.h"
#include "store/annotation_repository.h"
#include "store/review_repository.h"
#include "support.h"
#include "thumbnail_providers.h"
#include "workstation.h"

using namespace consilium;

namespace {

constexpr int kWidth = 800;
constexpr int kHeight = 600;

struct Pathology : ::testing::Test {
    std::unique_ptr<app::Workstation> workstation;
    std::unique_ptr<app::SlideSession> session;
    std::unique_ptr<QQuickView> window;
    consilium::testing::TempDir dir;

    void SetUp() override
    {
        if (!std::getenv("DISPLAY"))
            GTEST_SKIP() << "needs an X display (scripts/test.sh runs the suite under Xvfb)";
        session = std::make_unique<app::SlideSession>();
    }

    void openDemo()
    {
        const char* demo = std::getenv("CONSILIUM_DEMO_DB");
        if (!demo || !std::filesystem::exists(demo))
            GTEST_SKIP() << "the demo case fixture (CONSILIUM_DEMO_DB) is not there";
        workstation = std::make_unique<app::Workstation>(store::Database::open(demo));
        const auto demoCase = demo::findDemoCase(workstation->database());
        ASSERT_TRUE(demoCase) << "no demo case in " << demo;
        session->setCaseReference(QString::fromStdString(demoCase->reference));
        ASSERT_TRUE(session->error().isEmpty()) << session->error().toStdString();
        ASSERT_EQ(session->slides().size(), 1) << "the demo case has one slide";
    }

    int firstSlide() const { return session->slides().front().toMap().value("id").toInt(); }

    // Two 800×600 views side by side ("a" and "b"); "b" shows nothing until given a slide.
    void show(int slideId)
    {
        const std::filesystem::path qml = dir / "slides.qml";
        std::ofstream(qml) << R"(import QtQuick
import Consilium
Row {
    required property SlideSession session
    required property int slide
    SlideView { objectName: "a"; width: 800; height: 600; session: parent.session; slideId: parent.slide }
    SlideView { objectName: "b"; width: 800; height: 600; session: parent.session }
})";
        window = std::make_unique<QQuickView>();
        window->setInitialProperties({{"session", QVariant::fromValue(session.get())}, {"slide", slideId}});
        window->setSource(QUrl::fromLocalFile(QString::fromStdString(qml.string())));
        ASSERT_EQ(window->status(), QQuickView::Ready) << "QML errors";
        window->show();
        ASSERT_TRUE(QTest::qWaitForWindowExposed(window.get()));
    }

    app::SlideView* view(const char* name) { return window->rootObject()->findChild<app::SlideView*>(name); }

    bool waitFor(const std::function<bool()>& condition, int timeoutMs = 30000)
    {
        for (int waited = 0; waited < timeoutMs; waited += 20) {
            if (condition())
                return true;
            QTest::qWait(20);
        }
        return condition();
    }

    // Ready and drawn sharp (every visible tile from the wanted level).
    void settle(app::SlideView* v)
    {
        ASSERT_TRUE(waitFor([&] { return v->ready() || !v->status().startsWith("Opening"); }))
            << v->status().toStdString();
        ASSERT_TRUE(v->ready()) << v->status().toStdString();
        v->update();
        ASSERT_TRUE(waitFor([&] { return v->sharp(); })) << "tiles never all arrived";
    }

    // The view's own pixels (device-independent: the window renders at 1:1 under Xvfb).
    QImage grab(app::SlideView* v, const QString& shot = {}, bool letTilesArrive = true)
    {
        if (letTilesArrive)
            QTest::qWait(30);
        const QImage whole = window->grabWindow();
        const QPointF origin = v->mapToScene({0, 0});
        QImage image = whole.copy(QRect(origin.toPoint(), QSize(int(v->width()), int(v->height()))));
        if (const char* folder = std::getenv("CONSILIUM_SCREENSHOTS_OUT"); folder && !shot.isEmpty())
            image.save(QString::fromUtf8(folder) + "/" + shot + ".png");
        return image;
    }

    static double meanDifference(const QImage& a, const QImage& b)
    {
        double sum = 0;
        for (int y = 0; y < a.height(); ++y)
            for (int x = 0; x < a.width(); ++x) {
                const QRgb p = a.pixel(x, y), q = b.pixel(x, y);
                sum += std::abs(qRed(p) - qRed(q)) + std::abs(qGreen(p) - qGreen(q)) + std::abs(qBlue(p) - qBlue(q));
            }
        return sum / (3.0 * a.width() * a.height());
    }

    // Distinct colours in the image: a blank or flat view has a handful, a slide thousands.
    static int distinctColours(const QImage& image)
    {
        std::set<QRgb> colours;
        for (int y = 0; y < image.height(); y += 3)
            for (int x = 0; x < image.width(); x += 3)
                colours.insert(image.pixel(x, y) & 0xf8f8f8);
        return int(colours.size());
    }

    // Mean absolute difference between horizontal neighbours: 0 for a blank or flat view; fine detail raises it.
    static double detail(const QImage& image)
    {
        const QImage rgb = image.convertToFormat(QImage::Format_RGB888);
        double sum = 0;
        for (int y = 0; y < rgb.height(); ++y) {
            const uchar* line = rgb.constScanLine(y);
            for (int x = 3; x < rgb.width() * 3; ++x)
                sum += std::abs(int(line[x]) - int(line[x - 3]));
        }
        return sum / (3.0 * (rgb.width() - 1) * rgb.height());
    }

    // At zoom 1 with the view's corner on a whole pixel, the screen shows the slide's level-0 pixels as they are:
    // compare the middle 200×200 with OpenSlide's own read of the same pixels.
    void expectFullResolutionMatchesOpenSlide(app::SlideView* v, const std::filesystem::path& file, const QString& shot)
    {
        const QSizeF size = v->slideSize();
        v->zoomBy(1.0 / v->zoom(), QPointF(kWidth / 2, kHeight / 2));
        v->centreOn(QPointF(std::floor(size.width() / 2), std::floor(size.height() / 2)));
        ASSERT_DOUBLE_EQ(v->zoom(), 1.0);
        settle(v);
        const QImage shown = grab(v, shot);
        const QPointF corner = v->slidePoint({300, 200});
        ASSERT_EQ(corner, QPointF(std::round(corner.x()), std::round(corner.y())));
        const auto region =
            pathology::Slide::open(file)->readRegion(0, qint64(corner.x()), qint64(corner.y()), 200, 200);
        QImage expected(region.rgb.data(), 200, 200, 600, QImage::Format_RGB888);
        const QImage middle = shown.copy(300, 200, 200, 200).convertToFormat(QImage::Format_RGB888);
        EXPECT_LT(meanDifference(middle, expected), 1.0) << "the view's pixels differ from OpenSlide's";
    }
};

}  // namespace

TEST_F(Pathology, DemoSlideDrawsAndZoomsToTheCursor)
{
    openDemo();
    show(firstSlide());
    app::SlideView* v = view("a");
    settle(v);
    EXPECT_TRUE(v->calibrated());
    EXPECT_DOUBLE_EQ(v->nativeMagnification(), 40.0) << "the demo slide says AppMag 40";
    const QImage fitted = grab(v, "pathology-demo-fit");
    EXPECT_GT(distinctColours(fitted), 500) << "the fitted slide shows tissue";
    EXPECT_TRUE(v->scaleBarText().endsWith("µm") || v->scaleBarText().endsWith("mm"))
        << v->scaleBarText().toStdString();

    // The wheel zooms about the cursor: the slide point under it stays under it.
    const QPointF cursor(560, 180);
    const QPointF before = v->slidePoint(cursor);
    const double zoomBefore = v->zoom();
    QWheelEvent wheel(cursor, v->mapToGlobal(cursor), QPoint(), QPoint(0, 360), Qt::NoButton, Qt::NoModifier,
                      Qt::NoScrollPhase, false);
    QCoreApplication::sendEvent(v, &wheel);
    EXPECT_NEAR(v->zoom(), zoomBefore * 2, 1e-9) << "three notches double the magnification";
    const QPointF after = v->slidePoint(cursor);
    EXPECT_NEAR(after.x(), before.x(), 1e-6);
    EXPECT_NEAR(after.y(), before.y(), 1e-6);

    // Dragging moves the slide with the hand.
    const QPointF centre = v->centre();
    QTest::mousePress(window.get(), Qt::LeftButton, {}, QPoint(400, 300));
    QTest::mouseMove(window.get(), QPoint(350, 320), 200);  // slow: no flick afterwards
    QTest::mouseRelease(window.get(), Qt::LeftButton, {}, QPoint(350, 320), 200);
    EXPECT_NEAR(v->centre().x(), centre.x() + 50 / v->zoom(), 1e-6);
    EXPECT_NEAR(v->centre().y(), centre.y() - 20 / v->zoom(), 1e-6);

    // Objective presets and keys.
    v->zoomToMagnification(20);
    EXPECT_NEAR(v->magnification(), 20, 1e-9);
    EXPECT_NEAR(v->zoom(), 0.5, 1e-9);
    EXPECT_EQ(v->magnificationText(), "20×");
    const QVariantList presets = v->magnificationPresets();
    ASSERT_EQ(presets.size(), 6);
    EXPECT_EQ(presets.back().toDouble(), 40.0);
    QTest::keyClick(window.get(), Qt::Key_Plus);
    EXPECT_NEAR(v->magnification(), 40, 1e-9);
    QTest::keyClick(window.get(), Qt::Key_F);
    EXPECT_NEAR(v->zoom(), zoomBefore, 1e-9) << "F fits the slide again";

    // A quarter turn: the slide lies across, and item <-> slide points still invert each other.
    v->rotateClockwise();
    EXPECT_EQ(v->quarterTurns(), 1);
    const QPointF p = v->slidePoint({123, 456});
    EXPECT_NEAR(v->itemPoint(p).x(), 123, 1e-6);
    EXPECT_NEAR(v->itemPoint(p).y(), 456, 1e-6);
    EXPECT_LT(v->slidePoint({kWidth / 2.0 + 100, kHeight / 2.0}).y(), v->centre().y())
        << "clockwise: the slide's top edge lies on the right of the screen";
    settle(v);
    grab(v, "pathology-demo-rotated");
}

TEST_F(Pathology, NeverAHoleWhileSharpTilesLoad)
{
    openDemo();
    show(firstSlide());
    app::SlideView* v = view("a");
    settle(v);
    // From the fitted view straight to 40× in the middle of a core. The first frame is rendered at once, before the
    // tiles can have arrived (unless the machine is very fast): it is drawn from coarser tiles, never a hole.
    v->centreOn(QPointF(12000, 8000));
    v->zoomToMagnification(40);
    const QImage first = grab(v, "pathology-demo-40x-first-frame", false);
    EXPECT_GT(distinctColours(first), 50) << "the first frame after a jump shows tissue, not paper or a hole";
    const bool firstWasSharp = v->sharp();
    settle(v);
    const QImage sharp = grab(v, "pathology-demo-40x");
    if (!firstWasSharp) {
        EXPECT_GT(detail(sharp), detail(first)) << "the sharp frame has more detail than the stretched preview";
    }
}

TEST_F(Pathology, LinkedViewsMoveTogether)
{
    openDemo();
    show(firstSlide());
    app::SlideView* a = view("a");
    app::SlideView* b = view("b");
    b->setSlideId(firstSlide());
    settle(a);
    settle(b);
    a->setSyncPartner(b);
    const QPointF centreB = b->centre();
    const double zoomB = b->zoom();
    a->panBy({-80, 40});
    EXPECT_NEAR(b->centre().x(), centreB.x() + 80 / zoomB, 1e-6);
    EXPECT_NEAR(b->centre().y(), centreB.y() - 40 / zoomB, 1e-6);
    a->zoomBy(2, {400, 300});
    EXPECT_NEAR(b->zoom(), zoomB * 2, 1e-9);
    a->setSyncPartner(nullptr);
    a->panBy({100, 0});
    EXPECT_NEAR(b->zoom(), zoomB * 2, 1e-9);
    EXPECT_NEAR(b->centre().x(), centreB.x() + 80 / zoomB, 1e-6) << "unlinked: b stays";
}

// Every real slide: fitted, at an intermediate zoom, and at full resolution against OpenSlide's own pixels.
TEST_F(Pathology, RealSlidesAtSeveralZooms)
{
    struct Case {
        const char* file;
        const char* name;
        bool calibrated;
    };
    for (const Case c : {Case{"slides/aperio/CMU-1-Small-Region.svs", "cmu1", true},
                         Case{"slides/aperio/tcga-cr-7395-01a-01-ts1.svs", "tcga-jp2k", false},
                         Case{"slides/hamamatsu/test3-DAPI-2-387.ndpi", "ndpi-dapi", true}}) {
        SCOPED_TRACE(c.file);
        CONSILIUM_REQUIRE_SHARED(c.file);
        const auto file = consilium::testing::sharedData() / c.file;
        session = std::make_unique<app::SlideSession>();
        const int id = session->addSlideFromFile(QString::fromStdString(file.string()));
        show(id);
        app::SlideView* v = view("a");
        settle(v);
        EXPECT_EQ(v->calibrated(), c.calibrated);
        EXPECT_EQ(v->scaleBarText().contains("uncalibrated"), !c.calibrated) << v->scaleBarText().toStdString();
        const QString name = QStringLiteral("pathology-%1").arg(c.name);
        EXPECT_GT(detail(grab(v, name + "-fit")), 1.0) << "the fitted slide shows its tissue";
        v->zoomBy(std::sqrt(1.0 / v->zoom()), QPointF(kWidth / 2, kHeight / 2));  // half way to full resolution
        settle(v);
        EXPECT_GT(detail(grab(v, name + "-mid")), 1.0);
        expectFullResolutionMatchesOpenSlide(v, file, name + "-full");
    }
}

TEST_F(Pathology, FilesThatAreNotSlidesSayWhy)
{
    const auto text = dir / "referral-letter.txt";
    std::ofstream(text) << "Dear colleague,\nplease find enclosed...\n";
    const auto empty = dir / "empty.svs";
    std::ofstream{empty};
    const auto truncated = dir / "truncated.svs";
    if (std::filesystem::exists(consilium::testing::sharedData() / "slides/aperio/CMU-1-Small-Region.svs")) {
        std::ifstream in(consilium::testing::sharedData() / "slides/aperio/CMU-1-Small-Region.svs", std::ios::binary);
        std::string head(64 * 1024, '\0');
        in.read(head.data(), std::streamsize(head.size()));
        std::ofstream(truncated, std::ios::binary) << head;
    }
    std::vector<std::filesystem::path> files{text, empty, dir / "missing.svs"};
    if (std::filesystem::exists(truncated))
        files.push_back(truncated);
    for (const auto& file : files) {
        SCOPED_TRACE(file.string());
        session = std::make_unique<app::SlideSession>();
        const int id = session->addSlideFromFile(QString::fromStdString(file.string()));
        show(id);
        app::SlideView* v = view("a");
        ASSERT_TRUE(waitFor([&] { return !v->status().startsWith("Opening"); }));
        EXPECT_FALSE(v->ready());
        EXPECT_TRUE(v->status().contains(QString::fromStdString(file.filename().string())))
            << "names the file: " << v->status().toStdString();
        EXPECT_GT(v->status().size(), file.string().size() + 10) << "and says why: " << v->status().toStdString();
    }
}

// The pathology page on the demo case: the slide strip, the pane with its presets, the inspector; then side by side
// with linked navigation (screenshots kept with CONSILIUM_SCREENSHOTS_OUT).
TEST_F(Pathology, PageShowsTheCaseSlidesSideBySideAndLinked)
{
    openDemo();
    QQuickView page;
    page.engine()->addImageProvider("slideimage",
                                    new app::ThumbnailProvider(app::ThumbnailProvider::Kind::OpenSlideImage));
    page.setResizeMode(QQuickView::SizeRootObjectToView);
    page.setInitialProperties({{"reference", session->caseReference()}});
    page.setSource(QUrl(QStringLiteral("qrc:/qt/qml/Consilium/PathologyPage.qml")));
    ASSERT_EQ(page.status(), QQuickView::Ready);
    page.resize(1500, 950);
    page.show();
    ASSERT_TRUE(QTest::qWaitForWindowExposed(&page));
    QObject* root = page.rootObject();
    ASSERT_TRUE(QTest::qWaitFor([&] { return root->property("settled").toBool(); }, 30000));
    QTest::qWait(300);  // the overview and label images load on the provider's pool
    const auto save = [&](const char* name) {
        if (const char* folder = std::getenv("CONSILIUM_SCREENSHOTS_OUT"))
            page.grabWindow().save(QString::fromUtf8(folder) + "/" + name);
    };
    save("pathology-page.png");

    std::vector<app::SlideView*> views;
    std::vector<QQuickItem*> pending{root->property("contentItem").value<QQuickItem*>()};
    while (!pending.empty()) {
        QQuickItem* item = pending.back();
        pending.pop_back();
        if (auto* v = qobject_cast<app::SlideView*>(item))
            views.push_back(v);
        for (QQuickItem* child : item->childItems())
            pending.push_back(child);
    }
    ASSERT_EQ(views.size(), 2u) << "two panes, the second hidden until side by side";
    root->setProperty("sideBySide", true);
    root->setProperty("linked", true);
    ASSERT_TRUE(QTest::qWaitFor([&] { return root->property("settled").toBool(); }, 30000));
    app::SlideView* left = views[0]->isVisible() && views[0]->x() < views[1]->x() ? views[0] : views[1];
    app::SlideView* right = left == views[0] ? views[1] : views[0];
    EXPECT_EQ(left->syncPartner(), right);
    EXPECT_EQ(right->syncPartner(), left);
    left->zoomToMagnification(10);
    right->zoomToMagnification(10);
    const QPointF before = right->centre();
    left->panBy({-200, -100});
    EXPECT_NEAR(right->centre().x(), before.x() + 200 / right->zoom(), 1e-6) << "linked: the right pane follows";
    ASSERT_TRUE(QTest::qWaitFor([&] { return left->sharp() && right->sharp(); }, 30000));
    QTest::qWait(200);
    save("pathology-side-by-side.png");
}

// Annotating on a copy of the demo case: a polygon drawn with synthesized clicks and a double-click is stored with
// the area the slide's mpp gives; points count per class; a ruler is dragged; delete, undo and redo.
TEST_F(Pathology, DrawnPolygonIsStoredWithItsAreaInMicrons)
{
    const auto database = consilium::testing::copyOfDemoDatabase(dir.path());
    if (database.empty())
        GTEST_SKIP() << "the demo case fixture (CONSILIUM_DEMO_DB) is not there";
    workstation = std::make_unique<app::Workstation>(store::Database::open(database));
    ASSERT_TRUE(workstation->signIn("Dr Priya Raman", "pathologist").isEmpty());
    session->setCaseReference(QString::fromStdString(demo::findDemoCase(workstation->database())->reference));
    const int slideId = firstSlide();
    app::SlideAnnotations marks;
    marks.setSession(session.get());
    show(slideId);
    app::SlideView* v = view("a");
    settle(v);
    marks.setSlideId(slideId);
    v->setAnnotations(&marks);
    ASSERT_TRUE(marks.editable());
    ASSERT_TRUE(marks.calibrated());
    v->zoomToMagnification(10);  // zoom 0.25: one screen pixel is 4 level-0 pixels, 1 µm at 0.25 µm/px
    v->centreOn(QPointF(12000, 8000));

    // A 200 × 200 screen-pixel square: 800 × 800 level-0 pixels, 200 × 200 µm.
    marks.setCurrentClass("Tumor");
    v->setTool("polygon");
    for (const QPoint p : {QPoint(300, 200), QPoint(500, 200), QPoint(500, 400)}) {
        QTest::mouseMove(window.get(), p);
        QTest::mouseClick(window.get(), Qt::LeftButton, {}, p);
    }
    QTest::mouseMove(window.get(), QPoint(300, 400));
    QTest::mouseDClick(window.get(), Qt::LeftButton, {}, QPoint(300, 400));
    const std::int64_t caseSlide = slideId;
    auto stored = store::AnnotationRepository(workstation->database()).forSlide(caseSlide);
    ASSERT_EQ(stored.size(), 1u) << "one polygon stored";
    const model::Annotation& polygon = stored.front();
    EXPECT_EQ(polygon.shape, model::AnnotationShape::Polygon);
    ASSERT_EQ(polygon.points.size(), 4u);
    const QPointF corner = v->slidePoint({300, 200});
    EXPECT_NEAR(polygon.points[0].x, corner.x(), 1e-6);
    EXPECT_NEAR(polygon.points[0].y, corner.y(), 1e-6);
    EXPECT_EQ(polygon.author.find("Priya Raman") != std::string::npos, true) << polygon.author;
    const auto measures = model::measure(polygon, 0.25, 0.25);
    ASSERT_TRUE(measures.areaUm2);
    EXPECT_NEAR(*measures.areaUm2, 200.0 * 200.0, 1e-6);
    EXPECT_TRUE(marks.selected().value("measures").toString().contains("Area")) << "the drawn shape is selected";
    EXPECT_EQ(v->annotationsShown(), 1);

    // Counting: three points of one class, one of another.
    v->setTool("point");
    marks.setCurrentClass("Mitosis");
    for (const QPoint p : {QPoint(350, 250), QPoint(400, 300), QPoint(450, 350)})
        QTest::mouseClick(window.get(), Qt::LeftButton, {}, p);
    marks.setCurrentClass("Immune cells");
    QTest::mouseClick(window.get(), Qt::LeftButton, {}, QPoint(600, 500));
    int mitoses = 0, immune = 0;
    for (const QVariant& c : marks.counts()) {
        const QVariantMap count = c.toMap();
        if (count.value("name").toString().startsWith("Mitos"))
            mitoses = count.value("count").toInt();
        if (count.value("name").toString().startsWith("Immune"))
            immune = count.value("count").toInt();
    }
    EXPECT_EQ(mitoses, 3);
    EXPECT_EQ(immune, 1);
    EXPECT_EQ(marks.total(), 4);
    // The square holds the three mitoses: the rate per 10 HPF from 0.04 mm².
    marks.select(int(polygon.id));
    EXPECT_TRUE(marks.selected().value("mitoses").toString().startsWith("3 mitoses in 0.04 mm²"))
        << marks.selected().value("mitoses").toString().toStdString();

    // A ruler dragged 100 screen pixels: 100 µm.
    v->setTool("ruler");
    QTest::mousePress(window.get(), Qt::LeftButton, {}, QPoint(100, 500));
    QTest::mouseMove(window.get(), QPoint(150, 500));
    QTest::mouseMove(window.get(), QPoint(200, 500));
    QTest::mouseRelease(window.get(), Qt::LeftButton, {}, QPoint(200, 500));
    EXPECT_TRUE(marks.selected().value("measures").toString().contains("100.0 µm"))
        << marks.selected().value("measures").toString().toStdString();
    grab(v, "pathology-annotations");

    // Delete the ruler with the key, undo, redo.
    const auto count = [&] { return store::AnnotationRepository(workstation->database()).forSlide(caseSlide).size(); };
    ASSERT_EQ(count(), 6u);
    QTest::keyClick(window.get(), Qt::Key_Delete);
    EXPECT_EQ(count(), 5u);
    QTest::keyClick(window.get(), Qt::Key_Z, Qt::ControlModifier);
    EXPECT_EQ(count(), 6u) << "undo puts the ruler back";
    QTest::keyClick(window.get(), Qt::Key_Z, Qt::ControlModifier | Qt::ShiftModifier);
    EXPECT_EQ(count(), 5u) << "redo removes it again";

    // Classes are the library's to edit: a new one, and a rename that the marks follow.
    EXPECT_TRUE(marks.saveClass(0, "Lymphovascular invasion", "#123456").isEmpty());
    EXPECT_FALSE(marks.saveClass(0, "Mitosis", "#123456").isEmpty()) << "a name already taken is refused";
    EXPECT_FALSE(marks.saveClass(0, "Odd", "not a colour").isEmpty());
    int tumourClass = 0;
    for (const QVariant& c : marks.classes())
        if (c.toMap().value("name").toString() == "Tumour")
            tumourClass = c.toMap().value("id").toInt();
    ASSERT_GT(tumourClass, 0);
    EXPECT_TRUE(marks.saveClass(tumourClass, "Invasive carcinoma", "#c0392b").isEmpty());
    EXPECT_EQ(store::AnnotationRepository(workstation->database()).find(polygon.id)->className, "Invasive carcinoma");

    // A key image of the view with its marks, for the written review.
    app::KeyImages keyImages;
    keyImages.setCaseReference(session->caseReference());
    const int before = keyImages.count();
    const auto grabbed = v->grabToImage();
    ASSERT_TRUE(grabbed);
    ASSERT_TRUE(QTest::qWaitFor([&] { return !grabbed->image().isNull(); }, 5000));
    EXPECT_FALSE(keyImages.add(QVariant::fromValue(grabbed->image()), "", "slide").isEmpty()) << "needs a caption";
    EXPECT_TRUE(
        keyImages.add(QVariant::fromValue(grabbed->image()), "Tumour region, 3 mitoses", "slide A1, 10×").isEmpty());
    EXPECT_EQ(keyImages.count(), before + 1);
    const auto stored2 =
        store::ReviewRepository(workstation->database()).keyImages(demo::findDemoCase(workstation->database())->id);
    ASSERT_FALSE(stored2.empty());
    EXPECT_EQ(stored2.back().caption, "Tumour region, 3 mitoses");
    EXPECT_EQ(stored2.back().png.substr(1, 3), "PNG");
}
