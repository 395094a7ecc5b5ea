// The radiology viewer on the demo case, in process under Xvfb: the views are drawn, then the window's pixels are
// checked where the demo lesion must be (its CT density through the window, its uptake hot on PET and on the
// fusion), and the views are driven with synthesized mouse, wheel and key events.
#include <gtest/gtest.h>

#include <QQmlEngine>
#include <QQuickItem>
#include <QQuickView>
#include <QSignalSpy>
#include <QTest>
#include <cstdlib>
#include <fstream>

#include "demo/demo_case.h"
#include "demo/torso_phantom.h"
#include "imaging/view_plane.h"
#include "model/window_level.h"
#include "reading_session.h"
#include "slice_view.h"
#include "support.h"
#include "thumbnail_providers.h"
#include "volume_view.h"
#include "workstation.h"

using namespace consilium;

namespace {

// The demo phantom's primary tumour: centre LPS mm.
constexpr auto kTumour = demo::TorsoPhantom::kTumourCentre;

struct Radiology : ::testing::Test {
    std::unique_ptr<app::Workstation> workstation;
    std::unique_ptr<app::ReadingSession> session;
    std::unique_ptr<QQuickView> view;
    consilium::testing::TempDir dir;

    void SetUp() override
    {
        const char* demo = std::getenv("CONSILIUM_DEMO_DB");
        if (!demo || !std::filesystem::exists(demo))
            GTEST_SKIP() << "the demo case fixture (CONSILIUM_DEMO_DB) is not there";
        if (!std::getenv("DISPLAY"))
            GTEST_SKIP() << "needs an X display (scripts/test.sh runs the suite under Xvfb)";
        workstation = std::make_unique<app::Workstation>(store::Database::open(demo));
        session = std::make_unique<app::ReadingSession>();
        const auto demoCase = demo::findDemoCase(workstation->database());
        ASSERT_TRUE(demoCase) << "no demo case in " << demo;
        session->setCaseReference(QString::fromStdString(demoCase->reference));
        ASSERT_TRUE(session->error().isEmpty()) << session->error().toStdString();
        ASSERT_GE(session->series().size(), 3) << "the demo case has CT, PET and MR";
    }

    QString uidOf(const QString& modality)
    {
        const QVariantList rows = session->seriesWithModality(modality);
        return rows.isEmpty() ? QString() : rows.front().toMap().value("seriesUid").toString();
    }

    // Three 400² views side by side: CT, PET, CT + PET.
    void show()
    {
        const std::filesystem::path qml = dir / "views.qml";
        std::ofstream(qml) << R"(import QtQuick
import Consilium
Row {
    required property ReadingSession session
    required property string ct
    required property string pet
    SliceView { objectName: "ct"; width: 400; height: 400; session: parent.session; seriesUid: parent.ct }
    SliceView { objectName: "pet"; width: 400; height: 400; session: parent.session; seriesUid: parent.pet }
    SliceView { objectName: "fused"; width: 400; height: 400; session: parent.session; seriesUid: parent.ct
                fusedSeriesUid: parent.pet }
})";
        view = std::make_unique<QQuickView>();
        view->setInitialProperties(
            {{"session", QVariant::fromValue(session.get())}, {"ct", uidOf("CT")}, {"pet", uidOf("PT")}});
        view->setSource(QUrl::fromLocalFile(QString::fromStdString(qml.string())));
        ASSERT_EQ(view->status(), QQuickView::Ready) << "QML errors";
        view->show();
        ASSERT_TRUE(QTest::qWaitForWindowExposed(view.get()));
    }

    app::SliceView* slice(const char* name) { return view->rootObject()->findChild<app::SliceView*>(name); }

    bool allReady(int timeoutMs = 60000)
    {
        for (int waited = 0; waited < timeoutMs; waited += 50) {
            if (slice("ct")->ready() && slice("pet")->ready() && slice("fused")->ready())
                return true;
            QTest::qWait(50);
        }
        for (const char* name : {"ct", "pet", "fused"})
            ADD_FAILURE() << name << " not ready: " << slice(name)->status().toStdString();
        return false;
    }

    QImage grab()
    {
        QTest::qWait(100);
        QImage image = view->grabWindow();
        if (const char* folder = std::getenv("CONSILIUM_SCREENSHOTS_OUT"))
            image.save(QString::fromUtf8(folder) + "/radiology-views.png");
        return image;
    }

    QColor pixelAt(const QImage& image, app::SliceView* v, QVector3D patient)
    {
        const QPointF local = v->itemPoint(patient);
        const QPointF inWindow = v->mapToScene(local) * image.devicePixelRatio();
        return image.pixelColor(inWindow.toPoint());
    }
};

}  // namespace

TEST_F(Radiology, DemoLesionShowsWithItsDensityAndItsUptake)
{
    QSignalSpy progress(session.get(), &app::ReadingSession::loadProgressChanged);
    show();
    ASSERT_TRUE(allReady()) << slice("ct")->status().toStdString();
    EXPECT_GT(progress.count(), 0) << "the loading bar must hear of the loads";
    EXPECT_FALSE(session->loading());
    session->setFocus({kTumour[0], kTumour[1], kTumour[2]});
    ASSERT_TRUE(allReady());
    const QImage image = grab();
    const QVector3D tumour{float(kTumour[0]), float(kTumour[1]), float(kTumour[2])};

    // CT: the grey the soft-tissue window gives the tumour's HU (sampling and shader agree with the VOI function).
    const auto ct = session->volume(uidOf("CT"));
    const double hu = *imaging::voxelValueAt(*ct, {kTumour[0], kTumour[1], kTumour[2]});
    const int expectedGrey = int(std::lround(255 * model::voiLinear(hu, {400, 40})));
    const QColor ctPixel = pixelAt(image, slice("ct"), tumour);
    EXPECT_NEAR(ctPixel.red(), expectedGrey, 24) << "HU " << hu;
    EXPECT_EQ(ctPixel.red(), ctPixel.blue()) << "CT is grey";

    // PET alone, inverted grey in SUV 0–5: the lesion (SUVmax 11) is black; away from it the body is light.
    const QColor petPixel = pixelAt(image, slice("pet"), tumour);
    EXPECT_LT(petPixel.red(), 40) << "hot lesion must be dark on inverted grey";
    ASSERT_TRUE(slice("pet")->baseInSuv()) << slice("pet")->notice().toStdString();

    // Fused: hot iron over the CT, bright and warm at the lesion, the CT alone where PET is cold (outside the body).
    const QColor fusedPixel = pixelAt(image, slice("fused"), tumour);
    EXPECT_GT(fusedPixel.red(), 180);
    EXPECT_GE(fusedPixel.red(), fusedPixel.blue());
    EXPECT_GT(fusedPixel.red(), ctPixel.red());

    // Not blank: the CT view has both dark and bright pixels.
    int dark = 0, bright = 0;
    for (int y = 0; y < 400; y += 8)
        for (int x = 0; x < 400; x += 8) {
            const int v = qGray(image.pixel(x, y));
            dark += v < 30;
            bright += v > 200;
        }
    EXPECT_GT(dark, 50);
    EXPECT_GT(bright, 5);
}

TEST_F(Radiology, OrientationLettersAndScaleBar)
{
    show();
    ASSERT_TRUE(allReady());
    EXPECT_EQ(slice("ct")->letters(), (QStringList{"R", "A", "L", "P"}));
    slice("ct")->setOrientation("coronal");
    EXPECT_EQ(slice("ct")->letters(), (QStringList{"R", "S", "L", "I"}));
    slice("ct")->setOrientation("sagittal");
    EXPECT_EQ(slice("ct")->letters(), (QStringList{"A", "S", "P", "I"}));
    EXPECT_GT(slice("ct")->scaleBarPixels(), 20);
    EXPECT_TRUE(slice("ct")->scaleBarLabel().endsWith("cm") || slice("ct")->scaleBarLabel().endsWith("mm"));
}

TEST_F(Radiology, MouseWheelAndKeysDriveTheViews)
{
    show();
    ASSERT_TRUE(allReady());
    app::SliceView* ct = slice("ct");

    // Left click: the crosshair (shared by every view) jumps to the clicked point.
    const QPoint click(150, 220);
    const QVector3D expected = ct->patientPoint(click);
    QTest::mouseClick(view.get(), Qt::LeftButton, {}, click);
    EXPECT_LT((session->focusVector() - expected).length(), 0.01);
    EXPECT_NEAR(slice("fused")->crosshair().x(), ct->crosshair().x(), 0.5);

    // Wheel: one slice per notch.
    const int before = ct->sliceIndex();
    QWheelEvent wheel(QPointF(200, 200), view->mapToGlobal(QPointF(200, 200)), {}, QPoint(0, -120), Qt::NoButton,
                      Qt::NoModifier, Qt::NoScrollPhase, false);
    QCoreApplication::sendEvent(view.get(), &wheel);
    EXPECT_EQ(ct->sliceIndex(), before + 1);

    // Keys: 2 is the lung window, Page Down ten percent further, I inverts.
    QTest::keyClick(view.get(), Qt::Key_2);
    EXPECT_EQ(ct->windowWidth(), 1500);
    EXPECT_EQ(ct->windowLevel(), -600);
    QTest::keyClick(view.get(), Qt::Key_PageDown);
    EXPECT_EQ(ct->sliceIndex(), before + 1 + ct->sliceCount() / 10);
    QTest::keyClick(view.get(), Qt::Key_I);
    EXPECT_TRUE(ct->invert());

    // A: the window from the histogram of the frame on screen (air to soft tissue here, not the lung window).
    QTest::keyClick(view.get(), Qt::Key_A);
    EXPECT_TRUE(allReady());
    QTest::qWait(50);  // the window arrives with the frame
    EXPECT_NE(ct->windowWidth(), 1500);
    EXPECT_GT(ct->windowWidth(), 500);  // the view holds air (−1000 HU) and body
    EXPECT_LT(ct->windowWidth(), 3000);

    // Right drag: window/level follows the mouse.
    QTest::mousePress(view.get(), Qt::RightButton, {}, QPoint(200, 200));
    QTest::mouseMove(view.get(), QPoint(260, 230));
    QTest::mouseRelease(view.get(), Qt::RightButton, {}, QPoint(260, 230));
    EXPECT_GT(ct->windowWidth(), 1500);

    // Shift-drag tilts the other planes: the coronal view becomes oblique.
    QTest::mousePress(view.get(), Qt::LeftButton, Qt::ShiftModifier, QPoint(300, 200));
    QTest::mouseMove(view.get(), QPoint(300, 300));
    QTest::mouseRelease(view.get(), Qt::LeftButton, Qt::ShiftModifier, QPoint(300, 300));
    EXPECT_TRUE(session->isOblique());
    EXPECT_TRUE(allReady());
}

TEST_F(Radiology, PetOverCtRefusedWithoutACommonFrameOfReference)
{
    const QString mr = uidOf("MR"), pet = uidOf("PT"), ct = uidOf("CT");
    ASSERT_FALSE(mr.isEmpty());
    EXPECT_TRUE(session->fusionRefusal(ct, pet).isEmpty());
    EXPECT_FALSE(session->fusionRefusal(pet, ct).isEmpty());  // CT over PET: not a fusion Consilium offers
    // The demo MR is a separate acquisition: its own frame of reference.
    EXPECT_TRUE(session->fusionRefusal(mr, pet).contains("Frame")) << session->fusionRefusal(mr, pet).toStdString();
}

// The radiology page itself: the default hanging of the demo PET/CT and each layout, with the views that must be on
// screen drawn (screenshots kept with CONSILIUM_SCREENSHOTS_OUT).
TEST_F(Radiology, PageHangsThePetCtAndEveryLayoutShowsItsViews)
{
    QQuickView page;
    page.engine()->addImageProvider("series", new app::ThumbnailProvider(app::ThumbnailProvider::Kind::Series));
    page.setResizeMode(QQuickView::SizeRootObjectToView);
    page.setInitialProperties({{"reference", session->caseReference()}});
    page.setSource(QUrl(QStringLiteral("qrc:/qt/qml/Consilium/RadiologyPage.qml")));
    ASSERT_EQ(page.status(), QQuickView::Ready);
    page.resize(1500, 950);
    page.show();
    ASSERT_TRUE(QTest::qWaitForWindowExposed(&page));
    QObject* root = page.rootObject();
    ASSERT_TRUE(QTest::qWaitFor([&] { return root->property("settled").toBool(); }, 60000));

    const auto shown = [&](auto* item) { return item->isVisible() && item->width() > 10; };
    // Repeater delegates are in the item tree, not among the QObject children: walk the items.
    const auto itemsOf = [&]<typename T>(T*) {
        std::vector<T*> found;
        std::vector<QQuickItem*> pending{page.rootObject()};
        while (!pending.empty()) {
            QQuickItem* item = pending.back();
            pending.pop_back();
            if (auto* t = qobject_cast<T*>(item))
                found.push_back(t);
            for (QQuickItem* child : item->childItems())
                pending.push_back(child);
        }
        return found;
    };
    struct Expected {
        const char* layout;
        int slices;
        int volumes;
    };
    for (const Expected e : {Expected{"1x1", 1, 0}, {"1x2", 2, 0}, {"1x3", 3, 0}, {"2x2", 3, 1}}) {
        root->setProperty("layout", e.layout);
        int slices = 0, volumes = 0;
        const bool drawn = QTest::qWaitFor(
            [&] {
                slices = volumes = 0;
                bool ready = true;
                for (auto* v : itemsOf(static_cast<app::SliceView*>(nullptr)))
                    if (shown(v)) {
                        ++slices;
                        ready = ready && v->ready();
                    }
                for (auto* v : itemsOf(static_cast<app::VolumeView*>(nullptr)))
                    volumes += shown(v) && v->ready();
                return ready && slices == e.slices && volumes == e.volumes;
            },
            30000);
        EXPECT_TRUE(drawn) << e.layout << ": " << slices << " slice views, " << volumes << " 3D views";
        QTest::qWait(150);
        const QImage image = page.grabWindow();
        if (const char* folder = std::getenv("CONSILIUM_SCREENSHOTS_OUT"))
            image.save(QString::fromUtf8(folder) + "/radiology-" + e.layout + ".png");
        // Not blank: the reading surface holds both dark and bright pixels.
        int bright = 0;
        for (int y = 0; y < image.height(); y += 8)
            for (int x = 0; x < image.width(); x += 8)
                bright += qGray(image.pixel(x, y)) > 200;
        EXPECT_GT(bright, 100) << e.layout;
    }
    // The default hanging of a PET/CT: CT, PET, the fusion (its PET overlay set) and the PET MIP.
    int fused = 0;
    for (auto* v : itemsOf(static_cast<app::SliceView*>(nullptr)))
        fused += shown(v) && !v->fusedSeriesUid().isEmpty();
    EXPECT_EQ(fused, 1);
}
