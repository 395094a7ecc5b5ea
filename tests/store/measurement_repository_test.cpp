#include "store/measurement_repository.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>

#include "model/error.h"
#include "store/case_repository.h"
#include "store/imaging_index.h"
#include "store_fixtures.h"
#include "support.h"

using namespace consilium;
using namespace consilium::model;
using namespace consilium::store;
using consilium::testing::TempDir;

namespace {

const Actor kReader{"Dr R. Test", std::nullopt};

struct Measurements : ::testing::Test {
    TempDir dir;
    Database db = Database::open(dir / "lib" / "consilium.db");
    Case c = consilium::testing::createTestCase(db, kReader);
    MeasurementRepository repo{db};

    // Two CT series on two dates: 3 axial slices each, 2.5 mm apart, at z = 0, 2.5, 5.
    void SetUp() override
    {
        for (const char* date : {"20260101", "20260401"}) {
            std::vector<IndexedInstance> batch;
            for (int i = 0; i < 3; ++i) {
                IndexedInstance x;
                x.header.studyInstanceUid = std::string("1.2.") + date;
                x.header.studyDate = date;
                x.header.seriesInstanceUid = std::string("1.2.") + date + ".1";
                x.header.modality = "CT";
                x.header.sopClassUid = "1.2.840.10008.5.1.4.1.1.2";
                x.header.sopInstanceUid = x.header.seriesInstanceUid + "." + std::to_string(i);
                x.header.instanceNumber = i + 1;
                x.header.rows = x.header.columns = 512;
                x.header.pixelSpacing = std::array<double, 2>{0.78, 0.78};
                x.header.sliceThickness = 2.5;
                x.header.imagePosition = std::array<double, 3>{-200, -200, 2.5 * i};
                x.header.imageOrientation = std::array<double, 6>{1, 0, 0, 0, 1, 0};
                x.file = {std::string(63, 'a' + i) + date[3], 1000, std::string("x") + date + std::to_string(i)};
                batch.push_back(x);
            }
            ImagingIndex(db).add(c.id, batch, kReader);
        }
    }

    // Awkward doubles on purpose: the round trip must keep every bit.
    Measurement bidirectional(const std::string& series, double longMm, double shortMm, double z = 2.5)
    {
        Measurement m;
        m.kind = MeasurementKind::Bidirectional;
        m.seriesInstanceUid = series;
        m.plane = {{-200, -200, z}, {1, 0, 0}, {0, 1, 0}};
        const double cx = -92.123456789012345, cy = 42.1 / 3;
        m.points = {
            {cx - longMm / 2, cy, z}, {cx + longMm / 2, cy, z}, {cx, cy - shortMm / 2, z}, {cx, cy + shortMm / 2, z}};
        return m;
    }
};

bool bitIdentical(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; }

}  // namespace

TEST_F(Measurements, RoundTripIsBitIdenticalAndAudited)
{
    Measurement m;
    m.kind = MeasurementKind::Polygon;
    m.seriesInstanceUid = "1.2.20260101.1";
    const double c30 = std::cos(M_PI / 6), s30 = std::sin(M_PI / 6);
    m.plane = {{0.1, 1.0 / 3, 2.5 + 1e-13}, {1, 0, 0}, {0, c30, s30}};  // an oblique plane
    for (double t : {0.0, 2.1, 4.2, 5.3})
        m.points.push_back(planePoint(m.plane, 10 * std::cos(t) + M_PI, 7 * std::sin(t) - std::exp(1.0)));
    m.label = "ROI «hilum»";
    const Measurement stored = repo.add(c.id, m, kReader);
    EXPECT_GT(stored.id, 0);
    EXPECT_EQ(stored.studyDate, "20260101");
    EXPECT_EQ(stored.reviewer, kReader.display());
    EXPECT_TRUE(stored.trackingUid.starts_with("2.25.")) << stored.trackingUid;

    // A second connection: nothing cached.
    auto again = Database::open(db.file());
    const auto back = MeasurementRepository(again).find(c.id, stored.id);
    ASSERT_TRUE(back);
    ASSERT_EQ(back->points.size(), m.points.size());
    for (std::size_t i = 0; i < m.points.size(); ++i)
        for (int k = 0; k < 3; ++k)
            EXPECT_TRUE(bitIdentical(back->points[i][k], m.points[i][k])) << i << "," << k;
    for (int k = 0; k < 3; ++k) {
        EXPECT_TRUE(bitIdentical(back->plane.origin[k], m.plane.origin[k]));
        EXPECT_TRUE(bitIdentical(back->plane.row[k], m.plane.row[k]));
        EXPECT_TRUE(bitIdentical(back->plane.column[k], m.plane.column[k]));
    }
    EXPECT_EQ(back->kind, MeasurementKind::Polygon);
    EXPECT_EQ(back->label, m.label);
    EXPECT_EQ(back->trackingUid, stored.trackingUid);
    EXPECT_EQ(back->createdAt, stored.createdAt);
    EXPECT_EQ(back->studyDate, "20260101");
    EXPECT_EQ(model::toJson(*back), model::toJson(stored));

    const auto audit = AuditLog(db).forCase(c.id);
    EXPECT_EQ(audit.back().action, "measurement.add");
    EXPECT_EQ(audit.back().entity, "measurement:" + std::to_string(stored.id));
    EXPECT_EQ(audit.back().after, model::toJson(stored));
}

TEST_F(Measurements, UpdateDeleteAndUndoByRestore)
{
    const Measurement first = repo.add(c.id, bidirectional("1.2.20260101.1", 30, 20), kReader);
    Measurement edited = first;
    edited.points = bidirectional("1.2.20260101.1", 32, 21).points;
    const Measurement after = repo.update(edited, kReader);
    EXPECT_EQ(after.createdAt, first.createdAt);
    EXPECT_EQ(after.trackingUid, first.trackingUid);
    EXPECT_NEAR(*measurementValues(*repo.find(c.id, first.id)).longAxisMm, 32.0, 1e-12);
    auto audit = AuditLog(db).forCase(c.id);
    EXPECT_EQ(audit.back().action, "measurement.update");
    EXPECT_EQ(audit.back().before, model::toJson(first));
    EXPECT_EQ(audit.back().after, model::toJson(after));

    repo.remove(c.id, first.id, kReader);
    EXPECT_FALSE(repo.find(c.id, first.id));
    audit = AuditLog(db).forCase(c.id);
    EXPECT_EQ(audit.back().action, "measurement.remove");
    EXPECT_EQ(audit.back().after, "");

    // Undo of the delete: the same id and tracking UID come back.
    const Measurement restored = repo.add(c.id, after, kReader);
    EXPECT_EQ(restored.id, first.id);
    EXPECT_EQ(restored.trackingUid, first.trackingUid);
    EXPECT_EQ(restored.createdAt, first.createdAt);
    EXPECT_EQ(repo.forCase(c.id).size(), 1u);
}

TEST_F(Measurements, RefusesWhatIsNotTheCasesOrNotValid)
{
    Measurement m = bidirectional("9.9.9", 30, 20);
    EXPECT_THROW(repo.add(c.id, m, kReader), UsageError);  // not a series of the case
    m = bidirectional("1.2.20260101.1", 30, 20);
    m.lesionId = 999;
    EXPECT_THROW(repo.add(c.id, m, kReader), UsageError);
    m = bidirectional("1.2.20260101.1", 30, 20);
    m.points[3][0] += 5;  // no longer perpendicular
    EXPECT_THROW(repo.add(c.id, m, kReader), UsageError);
    EXPECT_TRUE(repo.forCase(c.id).empty());
    EXPECT_TRUE(repo.lesions(c.id).empty());
}

TEST_F(Measurements, LesionsKeepTheirIdentityAndRecistFollowsThem)
{
    Lesion primary;
    primary.name = "RLL primary";
    primary.location = "lung";
    primary = repo.addLesion(c.id, primary, kReader);
    Lesion node;
    node.name = "Subcarinal node";
    node.location = "mediastinum";
    node.nodal = true;
    node = repo.addLesion(c.id, node, kReader);
    EXPECT_THROW(repo.addLesion(c.id, primary, kReader), Error);  // the same lesion twice
    Lesion dup;
    dup.name = "RLL primary";
    EXPECT_THROW(repo.addLesion(c.id, dup, kReader), UsageError);

    auto measure = [&](const char* series, const Lesion& l, double longMm, double shortMm) {
        Measurement m = bidirectional(series, longMm, shortMm);
        m.lesionId = l.id;
        return repo.add(c.id, m, kReader);
    };
    measure("1.2.20260101.1", primary, 31, 24);
    measure("1.2.20260101.1", node, 18, 15);
    measure("1.2.20260401.1", primary, 20, 14);
    measure("1.2.20260401.1", node, 12, 9);

    auto ev = repo.evaluateRecist(c.id);
    EXPECT_TRUE(ev.selectionProblems.empty()) << ::testing::PrintToString(ev.selectionProblems);
    ASSERT_EQ(ev.timePoints.size(), 2u);
    EXPECT_EQ(ev.timePoints[0].timePoint, "20260101");
    EXPECT_NEAR(*ev.timePoints[0].sumMm, 31 + 15, 1e-9);
    EXPECT_NEAR(*ev.timePoints[1].sumMm, 20 + 9, 1e-9);
    EXPECT_EQ(toString(*ev.timePoints[1].overallResponse), "PR");  // −37 %

    // The reader states the primary has gone: the observation overrides its measurement; the node is < 10 mm: CR.
    repo.setObservation(c.id, {primary.id, "20260401", LesionState::Disappeared, "scar only", "", ""}, kReader);
    ev = repo.evaluateRecist(c.id);
    EXPECT_EQ(toString(*ev.timePoints[1].overallResponse), "CR");
    EXPECT_EQ(AuditLog(db).forCase(c.id).back().action, "lesion.observation");
    repo.clearObservation(c.id, primary.id, "20260401", kReader);
    EXPECT_TRUE(repo.observations(c.id).empty());

    // Renaming keeps the identity; removing the lesion unassigns its measurements, each change audited.
    Lesion renamed = primary;
    renamed.name = "Right lower lobe primary";
    renamed = repo.updateLesion(renamed, kReader);
    EXPECT_EQ(renamed.trackingUid, primary.trackingUid);
    EXPECT_EQ(repo.lesions(c.id)[0].name, "Right lower lobe primary");
    repo.removeLesion(c.id, primary.id, kReader);
    EXPECT_EQ(repo.lesions(c.id).size(), 1u);
    int unassigned = 0;
    for (const auto& m : repo.forCase(c.id))
        unassigned += m.lesionId ? 0 : 1;
    EXPECT_EQ(unassigned, 2);
    EXPECT_EQ(AuditLog(db).forCase(c.id).back().action, "lesion.remove");
    // Undo: restored under the same id and tracking UID.
    const Lesion back = repo.addLesion(c.id, renamed, kReader);
    EXPECT_EQ(back.id, primary.id);
    EXPECT_EQ(back.trackingUid, primary.trackingUid);
}

TEST_F(Measurements, NearestSourceImageIsTheSliceOfThePlane)
{
    const auto image = repo.nearestSourceImage(c.id, "1.2.20260101.1", {-90, 40, 4.0});
    ASSERT_TRUE(image);
    EXPECT_EQ(image->sopInstanceUid, "1.2.20260101.1.2");  // z = 5
    EXPECT_NEAR(image->distanceMm, 1.0, 1e-12);
    EXPECT_EQ(image->plane.origin[2], 5.0);
    EXPECT_EQ(image->sopClassUid, "1.2.840.10008.5.1.4.1.1.2");
    EXPECT_FALSE(repo.nearestSourceImage(c.id, "9.9", {0, 0, 0}));
    EXPECT_EQ(repo.sourceImage(c.id, "1.2.20260401.1.0")->plane.origin[2], 0.0);
}

TEST(TrackingUid, IsAValidUniqueDicomUid)
{
    const auto a = newTrackingUid(), b = newTrackingUid();
    EXPECT_NE(a, b);
    EXPECT_LE(a.size(), 64u);
    EXPECT_TRUE(a.starts_with("2.25."));
    EXPECT_EQ(a.find_first_not_of("0123456789.", 0), std::string::npos);
    EXPECT_TRUE(a.size() == 5 || a[5] != '0' || a.size() == 6);
}
