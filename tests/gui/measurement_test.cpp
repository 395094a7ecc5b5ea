// Radiology measurements on a copy of the demo case, in process under Xvfb: a RECIST bidirectional measurement of
// the demo lesion drawn with synthesized mouse drags is stored in patient coordinates with the right diameters; the
// lesion it is assigned to shows in the RECIST evaluation; an ellipse ROI on the PET reads SUVmax and SUVpeak; delete,
// undo and redo go through the store; the SR export writes a file.
#include <gtest/gtest.h>

#include <QQmlEngine>
#include <QQuickItem>
#include <QQuickView>
#include <QTest>
#include <cstdlib>
#include <fstream>

#include "demo/demo_case.h"
#include "demo/torso_phantom.h"
#include "imaging_measurements.h"
#include "model/measurement.h"
#include "reading_session.h"
#include "slice_view.h"
#include "store/measurement_repository.h"
#include "support.h"
#include "workstation.h"

using namespace consilium;

namespace {

constexpr auto kTumour = demo::TorsoPhantom::kTumourCentre;

struct Measuring : ::testing::Test {
    consilium::testing::TempDir dir;
    std::unique_ptr<app::Workstation> workstation;
    std::unique_ptr<app::ReadingSession> session;
    std::unique_ptr<app::ImagingMeasurements> measurements;
    std::unique_ptr<QQuickView> window;
    std::int64_t caseId = 0;

    void SetUp() override
    {
        if (!std::getenv("DISPLAY"))
            GTEST_SKIP() << "needs an X display (scripts/test.sh runs the suite under Xvfb)";
        const auto database = consilium::testing::copyOfDemoDatabase(dir.path());
        if (database.empty())
            GTEST_SKIP() << "the demo case fixture (CONSILIUM_DEMO_DB) is not there";
        workstation = std::make_unique<app::Workstation>(store::Database::open(database));
        ASSERT_TRUE(workstation->signIn("Dr Jonas Berg", "radiologist").isEmpty());
        const auto demoCase = demo::findDemoCase(workstation->database());
        ASSERT_TRUE(demoCase);
        caseId = demoCase->id;
        session = std::make_unique<app::ReadingSession>();
        session->setCaseReference(QString::fromStdString(demoCase->reference));
        measurements = std::make_unique<app::ImagingMeasurements>();
        measurements->setSession(session.get());

        const std::filesystem::path qml = dir / "views.qml";
        std::ofstream(qml) << R"(import QtQuick
import Consilium
Row {
    required property ReadingSession session
    required property ImagingMeasurements measurements
    required property string ct
    required property string pet
    SliceOverlay { objectName: "ct"; width: 500; height: 500; session: parent.session; seriesUid: parent.ct
                   measurements: parent.measurements }
    SliceOverlay { objectName: "pet"; width: 500; height: 500; session: parent.session; seriesUid: parent.pet
                   measurements: parent.measurements }
})";
        window = std::make_unique<QQuickView>();
        window->engine()->addImportPath(QStringLiteral("qrc:/qt/qml"));  // the module's QML types (SliceOverlay)
        window->setInitialProperties({{"session", QVariant::fromValue(session.get())},
                                      {"measurements", QVariant::fromValue(measurements.get())},
                                      {"ct", uidOf("CT")},
                                      {"pet", uidOf("PT")}});
        window->setSource(QUrl::fromLocalFile(QString::fromStdString(qml.string())));
        ASSERT_EQ(window->status(), QQuickView::Ready);
        window->show();
        ASSERT_TRUE(QTest::qWaitForWindowExposed(window.get()));
        ASSERT_TRUE(QTest::qWaitFor([&] { return view("ct")->ready() && view("pet")->ready(); }, 60000));
        session->setFocus({kTumour[0], kTumour[1], kTumour[2]});
        ASSERT_TRUE(QTest::qWaitFor([&] { return view("ct")->ready() && view("pet")->ready(); }, 20000));
    }

    QString uidOf(const QString& modality)
    {
        const QVariantList rows = session->seriesWithModality(modality);
        return rows.isEmpty() ? QString() : rows.front().toMap().value("seriesUid").toString();
    }
    app::SliceView* view(const char* name)
    {
        auto* overlay = window->rootObject()->findChild<QQuickItem*>(name);
        return overlay ? overlay->property("view").value<app::SliceView*>() : nullptr;
    }
    // Where an LPS point shows in the window.
    QPoint at(app::SliceView* v, double x, double y, double z)
    {
        return v->mapToScene(v->itemPoint(QVector3D(float(x), float(y), float(z)))).toPoint();
    }
    void drag(QPoint from, QPoint to)
    {
        QTest::mousePress(window.get(), Qt::LeftButton, {}, from);
        QTest::mouseMove(window.get(), (from + to) / 2);
        QTest::mouseMove(window.get(), to);
        QTest::mouseRelease(window.get(), Qt::LeftButton, {}, to);
    }
};

}  // namespace

TEST_F(Measuring, RecistBidirectionalOfTheDemoLesionIsStoredAndEvaluated)
{
    app::SliceView* ct = view("ct");
    const double z = kTumour[2];
    measurements->setTool("bidirectional");
    // Long axis 30 mm across the lesion (right–left), then a drag across it, 16 mm, a little off its middle.
    drag(at(ct, kTumour[0] - 15, kTumour[1], z), at(ct, kTumour[0] + 15, kTumour[1], z));
    drag(at(ct, kTumour[0] + 3, kTumour[1] - 8, z), at(ct, kTumour[0] + 4, kTumour[1] + 8, z));
    ASSERT_TRUE(measurements->error().isEmpty()) << measurements->error().toStdString();

    const auto stored = store::MeasurementRepository(workstation->database()).forCase(caseId);
    ASSERT_EQ(stored.size(), 1u) << "the drawn measurement is in the database";
    const model::Measurement& m = stored.front();
    EXPECT_EQ(m.kind, model::MeasurementKind::Bidirectional);
    EXPECT_EQ(QString::fromStdString(m.seriesInstanceUid), uidOf("CT"));
    EXPECT_FALSE(m.sopInstanceUid.empty()) << "on an acquired axial slice: the source image is referenced";
    const model::MeasurementValues values = model::measurementValues(m);
    // Screen points are whole pixels: within a pixel (about 0.8 mm here) of what was aimed at.
    ASSERT_TRUE(values.longAxisMm && values.shortAxisMm);
    EXPECT_NEAR(*values.longAxisMm, 30.0, 2.0);
    EXPECT_NEAR(*values.shortAxisMm, 16.0, 2.0);
    EXPECT_NEAR(*values.axesAngleDegrees, 90.0, 1e-6) << "the short axis is made perpendicular";
    for (const auto& p : m.points)
        EXPECT_NEAR(p[2], z, 0.5) << "drawn on the axial slice through the lesion";

    // A lesion, target, lung: the measurement assigned to it gives the baseline sum.
    const int lesion = measurements->addLesion("Right lower lobe primary", "lung", "target", false);
    ASSERT_GT(lesion, 0) << measurements->error().toStdString();
    measurements->select(int(m.id));
    ASSERT_TRUE(measurements->assignSelected(lesion).isEmpty());
    const QVariantList points = measurements->recist().value("timePoints").toList();
    ASSERT_EQ(points.size(), 1);
    EXPECT_TRUE(points.front().toMap().value("baseline").toBool());
    EXPECT_TRUE(points.front().toMap().value("sum").toString().startsWith(QString::number(*values.longAxisMm, 'f', 1)));
    EXPECT_TRUE(measurements->lesions().front().toMap().value("eligibility").toString().size() > 0);

    // It shows on the CT's plane, and not on another slice.
    EXPECT_EQ(measurements->shapesOn(ct).size(), 1);
    ct->scrollSlices(10);
    EXPECT_EQ(measurements->shapesOn(ct).size(), 0);
    ct->scrollSlices(-10);

    // Drag the long axis' right end 10 mm further out: longer, and the short axis still perpendicular.
    measurements->setTool("");
    QTest::qWait(50);
    const auto end = m.points[1];
    const QPoint grip = at(ct, end[0], end[1], end[2]);
    QTest::mousePress(window.get(), Qt::LeftButton, {}, grip);
    QTest::mouseMove(window.get(), grip + QPoint(3, 0));
    QTest::mouseMove(window.get(), at(ct, end[0] + 10, end[1], end[2]));
    QTest::mouseRelease(window.get(), Qt::LeftButton, {}, at(ct, end[0] + 10, end[1], end[2]));
    const auto moved = store::MeasurementRepository(workstation->database()).find(caseId, m.id);
    ASSERT_TRUE(moved);
    const auto movedValues = model::measurementValues(*moved);
    EXPECT_NEAR(*movedValues.longAxisMm, *values.longAxisMm + 10, 2.0) << "the handle moved the end";
    EXPECT_NEAR(*movedValues.axesAngleDegrees, 90.0, 1e-6);
    measurements->undo();
    EXPECT_NEAR(
        *model::measurementValues(*store::MeasurementRepository(workstation->database()).find(caseId, m.id)).longAxisMm,
        *values.longAxisMm, 1e-9)
        << "undo puts it back";

    // Delete, undo, redo: through the store each time.
    const auto count = [&] { return store::MeasurementRepository(workstation->database()).forCase(caseId).size(); };
    measurements->removeSelected();
    EXPECT_EQ(count(), 0u);
    measurements->undo();
    EXPECT_EQ(count(), 1u);
    EXPECT_EQ(store::MeasurementRepository(workstation->database()).forCase(caseId).front().lesionId,
              std::optional<std::int64_t>(lesion))
        << "restored as it was, lesion included";
    measurements->redo();
    EXPECT_EQ(count(), 0u);
    measurements->undo();

    // The measurement report.
    const auto sr = dir / "measurements.dcm";
    EXPECT_TRUE(measurements->exportReport(QUrl::fromLocalFile(QString::fromStdString(sr.string()))).isEmpty());
    EXPECT_GT(std::filesystem::file_size(sr), 1000u);
}

TEST_F(Measuring, EllipseOnThePetReadsSuvMaxAndPeak)
{
    app::SliceView* pet = view("pet");
    const double z = kTumour[2];
    measurements->setTool("ellipse");
    drag(at(pet, kTumour[0] - 20, kTumour[1] - 20, z), at(pet, kTumour[0] + 20, kTumour[1] + 20, z));
    ASSERT_TRUE(measurements->error().isEmpty()) << measurements->error().toStdString();
    const QVariantList list = measurements->measurements();
    ASSERT_EQ(list.size(), 1);
    const QString values = list.front().toMap().value("values").toString();
    EXPECT_TRUE(values.contains("SUVmax")) << values.toStdString();
    EXPECT_TRUE(values.contains("SUVpeak")) << values.toStdString();
    EXPECT_TRUE(values.contains("mm²")) << values.toStdString();
    QTest::qWait(100);
    if (const char* folder = std::getenv("CONSILIUM_SCREENSHOTS_OUT"))
        window->grabWindow().save(QString::fromUtf8(folder) + "/radiology-measurements.png");
}
