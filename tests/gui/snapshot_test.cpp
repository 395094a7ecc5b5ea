// `consilium snapshot`: the viewer's own items rendered into a PNG by the real executable (under the suite's Xvfb),
// on the demo case's referral files and on the real PET/CT of ../shared, with the pixels checked where the
// picture must show something, and the refusals and usage errors.
#include <gtest/gtest.h>

#include <QColor>
#include <QImage>
#include <cstdlib>

#include "process.h"
#include "support.h"

using namespace consilium::testing;
namespace fs = std::filesystem;

namespace {

struct Snapshot : ::testing::Test {
    TempDir dir;
    fs::path referral;

    void SetUp() override
    {
        if (!std::getenv("DISPLAY"))
            GTEST_SKIP() << "needs an X display (scripts/test.sh runs the suite under Xvfb)";
        if (const char* db = std::getenv("CONSILIUM_DEMO_DB"))
            referral = fs::path(db).parent_path() / "referral" / "dicom";
    }

    ProcessResult snapshot(std::vector<std::string> args)
    {
        args.insert(args.begin(), {CONSILIUM_BINARY, "snapshot"});
        return runProcess(args, dir / "stderr.txt");
    }

    void requireDemo()
    {
        if (referral.empty() || !fs::exists(referral / "PETCT" / "CT"))
            GTEST_SKIP() << "the demo case fixture (CONSILIUM_DEMO_DB) is not there";
    }
};

// Pixels whose hue is warm and saturated: PET uptake in hot iron over grey CT.
int warmPixels(const QImage& image)
{
    int n = 0;
    for (int y = 0; y < image.height(); y += 2)
        for (int x = 0; x < image.width(); x += 2) {
            const QColor c = image.pixelColor(x, y);
            n += c.red() > 180 && c.red() - c.blue() > 80;
        }
    return n;
}

}  // namespace

TEST_F(Snapshot, FusionOfTheDemoPetCtShowsHotUptakeAtTheRequestedSize)
{
    requireDemo();
    const fs::path png = dir / "fusion.png";
    const auto r =
        snapshot({"--series", (referral / "PETCT" / "CT").string(), "--pet", (referral / "PETCT" / "PET").string(),
                  "--view", "fusion", "--slice", "50", "--size", "500x400", "--out", png.string()});
    ASSERT_EQ(r.exitCode, 0) << r.err;
    const QImage image(QString::fromStdString(png.string()));
    ASSERT_EQ(image.size(), QSize(500, 400));
    EXPECT_GT(warmPixels(image), 200) << "slice 50 crosses the demo tumour (SUVmax 11) and the heart";
}

TEST_F(Snapshot, PetMipIsInvertedGreyOnWhiteWithTheLesionDark)
{
    requireDemo();
    const fs::path png = dir / "mip.png";
    const auto r =
        snapshot({"--series", (referral / "PETCT" / "CT").string(), "--pet", (referral / "PETCT" / "PET").string(),
                  "--view", "mip", "--size", "400x400", "--out", png.string()});
    ASSERT_EQ(r.exitCode, 0) << r.err;
    const QImage image(QString::fromStdString(png.string()));
    ASSERT_EQ(image.size(), QSize(400, 400));
    int white = 0, black = 0;
    for (int y = 0; y < 400; y += 2)
        for (int x = 0; x < 400; x += 2) {
            const int g = qGray(image.pixel(x, y));
            white += g > 245;
            black += g < 30;
        }
    EXPECT_GT(white, 20000) << "the background of a PET MIP is white";
    EXPECT_GT(black, 30) << "the tumour (SUV 11) and the node (SUV 6) are black at SUV 0–5";
}

TEST_F(Snapshot, VolumeRenderingOfTheDemoCtWithABonePreset)
{
    requireDemo();
    const fs::path png = dir / "bone.png";
    const auto r = snapshot({"--series", (referral / "PETCT" / "CT").string(), "--view", "volume", "--preset", "bone",
                             "--size", "300x300", "--out", png.string()});
    ASSERT_EQ(r.exitCode, 0) << r.err;
    const QImage image(QString::fromStdString(png.string()));
    int bright = 0;
    for (int y = 0; y < 300; y += 2)
        for (int x = 0; x < 300; x += 2)
            bright += qGray(image.pixel(x, y)) > 120;
    EXPECT_GT(bright, 300) << "ribs and spine, lit, on the dark background";
    const auto unknown = snapshot({"--series", (referral / "PETCT" / "CT").string(), "--view", "volume", "--preset",
                                   "spleen", "--out", (dir / "x.png").string()});
    EXPECT_EQ(unknown.exitCode, 2) << unknown.err;
}

TEST_F(Snapshot, PresetAndSliceOutOfRangeAndUsageErrors)
{
    requireDemo();
    const std::string ct = (referral / "PETCT" / "CT").string();
    const auto lung = snapshot({"--series", ct, "--view", "coronal", "--preset", "lung", "--size", "300x300", "--out",
                                (dir / "lung.png").string()});
    EXPECT_EQ(lung.exitCode, 0) << lung.err;
    const auto slice =
        snapshot({"--series", ct, "--view", "axial", "--slice", "999", "--out", (dir / "x.png").string()});
    EXPECT_EQ(slice.exitCode, 1);
    EXPECT_NE(slice.err.find("slice 999 asked, the axial view has 1 to 120"), std::string::npos) << slice.err;
    const auto suv =
        snapshot({"--series", ct, "--view", "axial", "--preset", "suv5", "--out", (dir / "x.png").string()});
    EXPECT_EQ(suv.exitCode, 1) << "an SUV window on CT";
    const auto view = snapshot({"--series", ct, "--view", "oblique", "--out", (dir / "x.png").string()});
    EXPECT_EQ(view.exitCode, 2);
    const auto fusion = snapshot({"--series", ct, "--view", "fusion", "--out", (dir / "x.png").string()});
    EXPECT_EQ(fusion.exitCode, 2) << "fusion needs --pet";
    const auto missing =
        snapshot({"--series", (dir / "absent").string(), "--view", "axial", "--out", (dir / "x.png").string()});
    EXPECT_EQ(missing.exitCode, 1);
    EXPECT_NE(missing.err.find("absent: no such file or folder"), std::string::npos) << missing.err;
    EXPECT_FALSE(fs::exists(dir / "x.png"));
}

TEST_F(Snapshot, RealPetCtFusesAndTheMrIsRefused)
{
    CONSILIUM_REQUIRE_SHARED("dicom/series/STS_001_PT_FDG_GE-DiscoveryST");
    CONSILIUM_REQUIRE_SHARED("dicom/series/STS_001_CT_cropped_GE-DiscoveryST");
    CONSILIUM_REQUIRE_SHARED("dicom/series/STS_001_MR_T2FS_Siemens-Avanto");
    const fs::path series = sharedData() / "dicom/series";
    const fs::path png = dir / "sts.png";
    const auto r = snapshot({"--series", (series / "STS_001_CT_cropped_GE-DiscoveryST").string(), "--pet",
                             (series / "STS_001_PT_FDG_GE-DiscoveryST").string(), "--view", "fusion", "--size",
                             "400x400", "--out", png.string()});
    ASSERT_EQ(r.exitCode, 0) << r.err;
    const QImage image(QString::fromStdString(png.string()));
    ASSERT_EQ(image.size(), QSize(400, 400));
    int lit = 0;
    for (int y = 0; y < 400; y += 4)
        for (int x = 0; x < 400; x += 4)
            lit += qGray(image.pixel(x, y)) > 40;
    EXPECT_GT(lit, 500) << "the cropped CT with its PET is drawn";

    // The MR was acquired on another day: its own frame of reference, so no fusion.
    const auto refused = snapshot({"--series", (series / "STS_001_MR_T2FS_Siemens-Avanto").string(), "--pet",
                                   (series / "STS_001_PT_FDG_GE-DiscoveryST").string(), "--view", "fusion", "--out",
                                   (dir / "mr.png").string()});
    EXPECT_EQ(refused.exitCode, 1);
    EXPECT_NE(refused.err.find("different Frames of Reference"), std::string::npos) << refused.err;
}
