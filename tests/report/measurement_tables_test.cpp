// The imaging re-read's tables from the demo case's measurements (a copy of the demo fixture): a RECIST target and a
// PET region reach the compiled review with the sum of diameters, SUVmax and SUVpeak and the SUV inputs.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>

#include "demo/demo_case.h"
#include "demo/torso_phantom.h"
#include "model/measurement.h"
#include "report/measurement_tables.h"
#include "store/imaging_index.h"
#include "store/measurement_repository.h"
#include "support.h"

using namespace consilium;

namespace {

constexpr auto kTumour = demo::TorsoPhantom::kTumourCentre;

std::string seriesOf(store::Database& db, std::int64_t caseId, const std::string& modality)
{
    for (const auto& s : store::ImagingIndex(db).series(caseId))
        if (s.modality == modality)
            return s.seriesInstanceUid;
    return {};
}

// A measurement on the acquired slice of the series nearest the tumour's centre, as the viewer would store it.
model::Measurement onSlice(store::MeasurementRepository& repo, std::int64_t caseId, const std::string& series,
                           model::MeasurementKind kind, std::vector<model::Point3> points)
{
    const auto image = repo.nearestSourceImage(caseId, series, points.front());
    EXPECT_TRUE(image);
    model::Measurement m;
    m.caseId = caseId;
    m.kind = kind;
    m.seriesInstanceUid = series;
    m.sopInstanceUid = image->sopInstanceUid;
    m.plane = image->plane;
    for (auto& p : points)
        m.points.push_back(model::projectOntoPlane(m.plane, p));
    return m;
}

}  // namespace

TEST(MeasurementTables, RecistAndPetRegionOfTheDemoLesion)
{
    consilium::testing::TempDir dir;
    const auto database = consilium::testing::copyOfDemoDatabase(dir.path());
    if (database.empty())
        GTEST_SKIP() << "the demo case fixture (CONSILIUM_DEMO_DB) is not there";
    auto db = store::Database::open(database);
    const auto demoCase = demo::findDemoCase(db);
    ASSERT_TRUE(demoCase);
    const store::Actor radiologist{"Dr Jonas Berg", model::Role::Radiologist};
    store::MeasurementRepository repo(db);
    EXPECT_TRUE(report::measurementTables(db, demoCase->id).empty()) << "no measurements, no tables";

    model::Lesion primary;
    primary.caseId = demoCase->id;
    primary.name = "Right lower lobe primary";
    primary.location = "lung";
    primary = repo.addLesion(demoCase->id, primary, radiologist);
    const double x = kTumour[0], y = kTumour[1], z = kTumour[2];
    auto axes = onSlice(repo, demoCase->id, seriesOf(db, demoCase->id, "CT"), model::MeasurementKind::Bidirectional,
                        {{x - 14, y, z}, {x + 14, y, z}, {x, y - 10.5, z}, {x, y + 10.5, z}});
    axes.lesionId = primary.id;
    repo.add(demoCase->id, axes, radiologist);
    auto region = onSlice(repo, demoCase->id, seriesOf(db, demoCase->id, "PT"), model::MeasurementKind::Ellipse,
                          {{x, y, z}, {x + 15, y, z}, {x, y + 15, z}});
    region.lesionId = primary.id;
    repo.add(demoCase->id, region, radiologist);

    const auto tables = report::measurementTables(db, demoCase->id);
    ASSERT_EQ(tables.size(), 2u);
    const report::ReviewTable& recist = tables[0];
    EXPECT_EQ(recist.title, "RECIST 1.1 lesions");
    EXPECT_EQ(recist.section, model::SectionKey::Radiology);
    ASSERT_GE(recist.rows.size(), 5u);
    EXPECT_EQ(recist.rows[0][0], "Right lower lobe primary");
    EXPECT_EQ(recist.rows[0].back(), "28.0 mm");
    EXPECT_EQ(recist.rows[1][0], "**Sum of diameters**");
    EXPECT_EQ(recist.rows[1].back(), "28.0 mm");

    const report::ReviewTable& regions = tables[1];
    ASSERT_EQ(regions.rows.size(), 1u);
    const auto& row = regions.rows.front();
    EXPECT_EQ(row[0], "Right lower lobe primary");
    EXPECT_NE(row[3].find("SUVbw"), std::string::npos) << row[3];
    // The demo lesion's viable rim is SUV 11 in the phantom; its hottest voxel reads a little less at the PET's own
    // resolution (imaging_tests compute the same two figures by brute force: 10.74 and 7.30).
    EXPECT_NEAR(std::stod(row[4]), 10.74, 0.05);
    EXPECT_NEAR(std::stod(row[5]), 7.30, 0.05);
    EXPECT_NE(regions.note.find("weight"), std::string::npos) << regions.note;
}
