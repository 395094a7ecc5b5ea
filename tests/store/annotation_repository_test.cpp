#include "store/annotation_repository.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <set>

#include "model/error.h"
#include "store/case_repository.h"
#include "store/slide_repository.h"
#include "store_fixtures.h"
#include "support.h"

using namespace consilium;
using namespace consilium::model;
using namespace consilium::store;
using consilium::testing::TempDir;

namespace {

const Actor kPathologist{"Dr P. Test", Role::Pathologist};

struct Annotations : ::testing::Test {
    TempDir dir;
    Database db = Database::open(dir / "lib" / "consilium.db");
    Case c = consilium::testing::createTestCase(db, kPathologist);
    CaseSlide slide = addSlide("a");
    AnnotationRepository repo{db};

    CaseSlide addSlide(const std::string& tag)
    {
        CaseSlide s;
        s.caseId = c.id;
        s.originalName = tag + ".svs";
        s.sha256 = std::string(64, tag[0]);
        s.storedPath = "slides/" + tag + ".svs";
        s.info.vendor = "aperio";
        s.info.levels = {{100000, 80000, 1}};
        s.info.mppX = s.info.mppY = 0.499;
        return SlideRepository(db).add(s, kPathologist);
    }

    Annotation polygon(std::vector<PixelPoint> points, std::string className = "Tumour")
    {
        Annotation a;
        a.slideId = slide.id;
        a.shape = AnnotationShape::Polygon;
        a.points = std::move(points);
        a.className = std::move(className);
        a.label = "invasive front";
        a.author = kPathologist.name;
        return a;
    }

    Annotation point(double x, double y, std::string className = "Mitosis")
    {
        Annotation a;
        a.slideId = slide.id;
        a.shape = AnnotationShape::Point;
        a.points = {{x, y}};
        a.className = std::move(className);
        return a;
    }

    std::int64_t rows(const std::string& table)
    {
        auto s = db.prepare("SELECT count(*) FROM " + table);
        s.step();
        return s.integer(0);
    }

    std::vector<AuditEntry> audit() { return AuditLog(db).forCase(c.id); }
};

void expectSameContent(const Annotation& a, const Annotation& b)
{
    EXPECT_EQ(a.slideId, b.slideId);
    EXPECT_EQ(a.shape, b.shape);
    EXPECT_EQ(a.points, b.points);
    EXPECT_EQ(a.className, b.className);
    EXPECT_EQ(a.label, b.label);
    EXPECT_EQ(a.author, b.author);
}

TEST_F(Annotations, AddStoresPointsBitExactAndStampsTimes)
{
    // Awkward doubles on purpose: 0.1 + 0.2, a third, a large coordinate with a fraction.
    const auto added =
        repo.add(polygon({{0.1 + 0.2, 1.0 / 3}, {98765.4321, 12.000000000001}, {5e-7, 79999.999}}), kPathologist);
    EXPECT_GT(added.id, 0);
    EXPECT_FALSE(added.createdAt.empty());
    EXPECT_EQ(added.createdAt, added.updatedAt);
    const auto found = repo.find(added.id);
    ASSERT_TRUE(found);
    expectSameContent(*found, added);
    EXPECT_EQ(found->createdAt, added.createdAt);
    EXPECT_FALSE(repo.find(added.id + 1000));

    const auto entries = audit();
    ASSERT_FALSE(entries.empty());
    EXPECT_EQ(entries.back().action, "annotation.add");
    EXPECT_EQ(entries.back().entity, "annotation:" + std::to_string(added.id));
    EXPECT_NE(entries.back().after.find("\"points\":[[0.30000000000000004,"), std::string::npos)
        << entries.back().after;
}

TEST_F(Annotations, ClassIsTheLibrarysSpellingAndUnknownClassesAreRefused)
{
    EXPECT_EQ(repo.add(polygon({{0, 0}, {10, 0}, {0, 10}}, "tumor"), kPathologist).className, "Tumour");
    EXPECT_EQ(repo.add(polygon({{0, 0}, {10, 0}, {0, 10}}, ""), kPathologist).className, "");
    EXPECT_THROW(repo.add(polygon({{0, 0}, {10, 0}, {0, 10}}, "Lymphovascular"), kPathologist), UsageError);
    EXPECT_THROW(repo.add(polygon({{0, 0}, {10, 0}}), kPathologist), UsageError);  // invalid: 2 points
    auto orphan = polygon({{0, 0}, {10, 0}, {0, 10}});
    orphan.slideId = 9999;
    EXPECT_THROW(repo.add(orphan, kPathologist), Error);
    EXPECT_EQ(repo.forSlide(slide.id).size(), 2u);
}

TEST_F(Annotations, UpdateMovesTheBoxAndIsAuditedWithBeforeAndAfter)
{
    auto a = repo.add(polygon({{100, 100}, {200, 100}, {100, 200}}), kPathologist);
    a.points = {{5000, 5000}, {5100, 5000}, {5000, 5100}};
    a.className = "Stroma";
    a.label = "moved";
    const auto updated = repo.update(a, kPathologist);
    EXPECT_EQ(updated.className, "Stroma");
    EXPECT_EQ(updated.createdAt, a.createdAt);
    EXPECT_TRUE(repo.inViewport(slide.id, {0, 0, 1000, 1000}).empty());
    ASSERT_EQ(repo.inViewport(slide.id, {4900, 4900, 5010, 5010}).size(), 1u);
    expectSameContent(*repo.find(a.id), updated);

    const auto entry = audit().back();
    EXPECT_EQ(entry.action, "annotation.update");
    EXPECT_NE(entry.before.find("\"class\":\"Tumour\""), std::string::npos) << entry.before;
    EXPECT_NE(entry.after.find("\"class\":\"Stroma\""), std::string::npos) << entry.after;
    EXPECT_NE(entry.after.find("\"label\":\"moved\""), std::string::npos) << entry.after;

    a.id = 424242;
    EXPECT_THROW(repo.update(a, kPathologist), Error);
}

// The GUI's undo of a delete adds the annotation back as it was: same id, same createdAt, same box.
TEST_F(Annotations, RemoveThenAddBackKeepsTheIdAndIdsAreNeverReused)
{
    const auto a = repo.add(polygon({{10, 10}, {20, 10}, {10, 20}}), kPathologist);
    repo.remove(a.id, kPathologist);
    EXPECT_FALSE(repo.find(a.id));
    EXPECT_TRUE(repo.inViewport(slide.id, {0, 0, 100, 100}).empty());
    EXPECT_EQ(rows("annotation_boxes"), 0);
    const auto removal = audit().back();
    EXPECT_EQ(removal.action, "annotation.remove");
    EXPECT_NE(removal.before.find("\"points\":[[10,10],[20,10],[10,20]]"), std::string::npos) << removal.before;
    EXPECT_THROW(repo.remove(a.id, kPathologist), Error);

    // A new annotation drawn meanwhile never takes the removed one's id.
    const auto other = repo.add(point(50, 50), kPathologist);
    EXPECT_GT(other.id, a.id);

    const auto back = repo.add(a, kPathologist);
    EXPECT_EQ(back.id, a.id);
    EXPECT_EQ(back.createdAt, a.createdAt);
    expectSameContent(*repo.find(a.id), a);
    EXPECT_EQ(repo.inViewport(slide.id, {0, 0, 30, 30}).size(), 1u);
    EXPECT_THROW(repo.add(a, kPathologist), UsageError);  // the id is in use again
}

TEST_F(Annotations, AddAllIsOneTransactionWithOneAuditEntryAndCreatesClasses)
{
    const auto auditBefore = audit().size();
    std::vector<Annotation> many;
    for (int i = 0; i < 500; ++i)
        many.push_back(point(i * 10.0, 7, i % 2 ? "Lymphocyte" : "Mitosis"));
    many.push_back(polygon({{0, 0}, {100, 0}, {0, 100}}, "tumor"));
    many.push_back(polygon({{0, 0}, {100, 0}, {0, 100}}, ""));
    const auto ids = repo.addAll(slide.id, many, kPathologist, {{0, "lymphocyte", 0x1F2E3D}}, "cells.geojson");
    ASSERT_EQ(ids.size(), 502u);
    EXPECT_EQ(std::set<std::int64_t>(ids.begin(), ids.end()).size(), ids.size());
    for (std::size_t i = 0; i < many.size(); ++i)
        ASSERT_EQ(repo.find(ids[i])->points, many[i].points) << i;  // each id is its annotation's
    EXPECT_EQ(audit().size(), auditBefore + 1);
    const auto entry = audit().back();
    EXPECT_EQ(entry.action, "annotation.import");
    EXPECT_NE(entry.after.find("\"count\":502"), std::string::npos) << entry.after;
    EXPECT_NE(entry.after.find("\"Lymphocyte\":250"), std::string::npos) << entry.after;
    EXPECT_NE(entry.after.find("\"source\":\"cells.geojson\""), std::string::npos) << entry.after;

    // The new class takes the file's colour; the known ones keep the library's.
    const auto classes = repo.classes();
    const auto lymphocyte =
        std::find_if(classes.begin(), classes.end(), [](auto& k) { return k.name == "Lymphocyte"; });
    ASSERT_NE(lymphocyte, classes.end());
    EXPECT_EQ(lymphocyte->colour, 0x1F2E3Du);
    EXPECT_EQ(repo.find(ids[500])->className, "Tumour");

    // One bad annotation: nothing of the batch is written.
    std::vector<Annotation> bad{point(1, 1), point(2, 2), polygon({{0, 0}, {1, 1}})};
    try {
        repo.addAll(slide.id, bad, kPathologist);
        FAIL() << "a batch with an invalid annotation was accepted";
    } catch (const UsageError& e) {
        EXPECT_EQ(e.subject(), "annotation 3 of 3");
    }
    EXPECT_EQ(repo.forSlide(slide.id).size(), 502u);
    EXPECT_EQ(rows("annotation_boxes"), 502);
}

TEST_F(Annotations, CountingTotalsByClassWithinARegionAndByShape)
{
    std::vector<Annotation> clicks;
    for (int i = 0; i < 12; ++i)
        clicks.push_back(point(1000 + i * 10, 1000, "Mitosis"));
    for (int i = 0; i < 30; ++i)
        clicks.push_back(point(1000 + i, 2000, "Immune cells"));
    clicks.push_back(point(9000, 9000, "Mitosis"));  // outside the region below
    clicks.push_back(polygon({{900, 900}, {1300, 900}, {900, 2100}}, "Tumour"));
    repo.addAll(slide.id, clicks, kPathologist);
    repo.add(point(5, 5, ""), kPathologist);

    const auto all = repo.countByClass(slide.id);
    EXPECT_EQ(all.at("Mitosis"), 13);
    EXPECT_EQ(all.at("Immune cells"), 30);
    EXPECT_EQ(all.at("Tumour"), 1);
    EXPECT_EQ(all.at(""), 1);

    const PixelBounds region{950, 950, 1200, 2050};
    const auto inRegion = repo.countByClass(slide.id, region);
    EXPECT_EQ(inRegion.at("Mitosis"), 12);
    EXPECT_EQ(inRegion.at("Immune cells"), 30);
    EXPECT_EQ(inRegion.at("Tumour"), 1);
    EXPECT_EQ(inRegion.count(""), 0u);

    const auto pointsOnly = repo.countByClass(slide.id, region, AnnotationShape::Point);
    EXPECT_EQ(pointsOnly.count("Tumour"), 0u);
    EXPECT_EQ(pointsOnly.at("Mitosis"), 12);
    EXPECT_EQ(repo.countByClass(slide.id, std::nullopt, AnnotationShape::Polygon).at("Tumour"), 1);
    EXPECT_TRUE(repo.countByClass(addSlide("b").id).empty());
}

// The R*Tree's answer equals a brute-force filter of every annotation's exact box, over random shapes and views,
// with a second slide whose annotations lie in the same pixel range and must never show up.
TEST_F(Annotations, ViewportQueryEqualsBruteForceOnRandomData)
{
    const auto other = addSlide("b");
    std::mt19937 rng(20261125);
    std::uniform_real_distribution<double> at(0, 20000), size(0.5, 400), unit(0, 1);
    auto randomAnnotation = [&](std::int64_t slideId) {
        Annotation a;
        a.slideId = slideId;
        const double x = at(rng), y = at(rng), w = size(rng), h = size(rng);
        switch (rng() % 4) {
            case 0:
                a.shape = AnnotationShape::Point;
                a.points = {{x, y}};
                break;
            case 1:
                a.shape = AnnotationShape::Ellipse;
                a.points = {{x + w, y}, {x, y + h}};
                break;
            case 2:
                a.shape = AnnotationShape::Ruler;
                a.points = {{x, y}, {x + w, y + h}};
                break;
            default:
                a.shape = AnnotationShape::Polygon;
                a.points = {{x, y}, {x + w, y + unit(rng) * h}, {x + unit(rng) * w, y + h}};
        }
        return a;
    };
    std::vector<Annotation> mine, theirs;
    for (int i = 0; i < 4000; ++i) {
        mine.push_back(randomAnnotation(slide.id));
        theirs.push_back(randomAnnotation(other.id));
    }
    const auto ids = repo.addAll(slide.id, mine, kPathologist);
    repo.addAll(other.id, theirs, kPathologist);

    for (int v = 0; v < 200; ++v) {
        const double x = at(rng) - 1000, y = at(rng) - 1000, w = unit(rng) * 4000, h = unit(rng) * 3000;
        const PixelBounds view{x, y, x + w, y + h};
        std::set<std::int64_t> expected, got;
        for (std::size_t i = 0; i < mine.size(); ++i)
            if (bounds(mine[i]).intersects(view))
                expected.insert(ids[i]);
        for (const auto& a : repo.inViewport(slide.id, view)) {
            EXPECT_EQ(a.slideId, slide.id);
            got.insert(a.id);
        }
        ASSERT_EQ(got, expected) << "view " << v;
    }
    // An exact edge: a view that ends where a box begins still sees it (touching counts).
    const auto b = bounds(mine[0]);
    EXPECT_EQ(repo.inViewport(slide.id, {b.minX - 10, b.minY - 10, b.minX, b.minY}).front().id, ids[0]);
    EXPECT_EQ(repo.inViewport(slide.id, {0, 0, 20000, 20000}, 25).size(), 25u);
}

TEST_F(Annotations, ClassesStartAsTheModelsDefaultsAndCanBeRenamedAndRecoloured)
{
    auto defaults = defaultAnnotationClasses();
    auto stored = repo.classes();
    ASSERT_EQ(stored.size(), defaults.size());
    std::sort(defaults.begin(), defaults.end(), [](auto& a, auto& b) { return a.name < b.name; });
    for (std::size_t i = 0; i < stored.size(); ++i) {
        EXPECT_EQ(stored[i].name, defaults[i].name);
        EXPECT_EQ(stored[i].colour, defaults[i].colour) << stored[i].name;
    }

    const auto a = repo.add(polygon({{0, 0}, {10, 0}, {0, 10}}, "Tumour"), kPathologist);
    auto tumour = *std::find_if(stored.begin(), stored.end(), [](auto& k) { return k.name == "Tumour"; });
    tumour.name = "Invasive carcinoma";
    tumour.colour = 0xE01010;
    repo.saveClass(tumour, kPathologist);
    EXPECT_EQ(repo.find(a.id)->className, "Invasive carcinoma");  // annotations follow the rename

    EXPECT_THROW(repo.saveClass({0, "STROMA", 0x123456}, kPathologist), UsageError);
    EXPECT_THROW(repo.saveClass({0, "  ", 0x123456}, kPathologist), UsageError);
    EXPECT_THROW(repo.saveClass({0, "Vessel", 0x1000000}, kPathologist), UsageError);
    const auto vessel = repo.saveClass({0, "Vessel", 0x2040FF}, kPathologist);
    EXPECT_GT(vessel.id, 0);
    EXPECT_EQ(repo.classes().size(), stored.size() + 1);
    EXPECT_EQ(AuditLog(db).forCase(c.id).back().action, "annotation.add");  // class changes are not a case's
}

TEST_F(Annotations, DeletingTheSlideTakesItsAnnotationsAndBoxes)
{
    repo.addAll(slide.id, {point(1, 1), point(2, 2), polygon({{0, 0}, {5, 0}, {0, 5}})}, kPathologist);
    EXPECT_EQ(rows("annotation_boxes"), 3);
    db.exec("DELETE FROM slides WHERE id = " + std::to_string(slide.id));
    EXPECT_EQ(rows("annotations"), 0);
    EXPECT_EQ(rows("annotation_boxes"), 0);
}

}  // namespace
