#include "demo/torso_phantom.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <vector>

using consilium::demo::TorsoPhantom;

namespace {

constexpr double kPi = 3.14159265358979323846;
using Sampler = std::function<double(double, double, double)>;

// Median over an in-plane n x n patch (robust to noise and to a vessel crossing the patch).
double median(const Sampler& f, double x, double y, double z, double step = 2.0, int n = 5)
{
    std::vector<double> v;
    for (int i = 0; i < n; ++i)
        for (int j = 0; j < n; ++j)
            v.push_back(f(x + (i - n / 2) * step, y + (j - n / 2) * step, z));
    std::nth_element(v.begin(), v.begin() + long(v.size() / 2), v.end());
    return v[v.size() / 2];
}

// Distance from `centre` along the axial direction `degrees` to where the value first falls below `threshold`.
double extent(const Sampler& f, const TorsoPhantom::Point& centre, double degrees, double threshold)
{
    const double dx = std::cos(degrees * kPi / 180.0), dy = std::sin(degrees * kPi / 180.0);
    for (double t = 0.0; t < 60.0; t += 0.05)
        if (f(centre[0] + t * dx, centre[1] + t * dy, centre[2]) < threshold)
            return t;
    return 60.0;
}

double diameter(const Sampler& f, const TorsoPhantom::Point& centre, double degrees, double threshold)
{
    return extent(f, centre, degrees, threshold) + extent(f, centre, degrees + 180.0, threshold);
}

struct Phantom : ::testing::Test {
    TorsoPhantom phantom;
    Sampler ct = [this](double x, double y, double z) { return phantom.ctHu(x, y, z); };
    Sampler suv = [this](double x, double y, double z) { return phantom.petSuv(x, y, z); };
    Sampler mr = [this](double x, double y, double z) { return phantom.mrT2Signal(x, y, z); };
};

// Points inside organs, chosen from the phantom's layout (LPS mm).
constexpr double kLiver[] = {-60, -20, -150};
constexpr double kLung[] = {-100, 0, 20};
constexpr double kAorta[] = {19.8, 28.9, -60};  // descending aorta behind the heart
constexpr double kParaspinalMuscle[] = {18, 96, 0};
constexpr double kVertebralBody[] = {0, 52, 5};
constexpr double kSubcutaneousFat[] = {-162, 0, 0};
constexpr double kOutside[] = {0, -160, 0};

}  // namespace

TEST_F(Phantom, IsDeterministic)
{
    const TorsoPhantom other;
    for (double x : {-92.0, -30.5, 0.25, 17.0})
        for (double z : {-140.0, -28.0, 44.0, 120.0}) {
            EXPECT_EQ(phantom.ctHu(x, 20.0, z), phantom.ctHu(x, 20.0, z));
            EXPECT_EQ(phantom.ctHu(x, 20.0, z), other.ctHu(x, 20.0, z));
            EXPECT_EQ(phantom.petSuv(x, 20.0, z), other.petSuv(x, 20.0, z));
            EXPECT_EQ(phantom.mrT2Signal(x, 20.0, z), other.mrT2Signal(x, 20.0, z));
        }
    EXPECT_DOUBLE_EQ(phantom.petBqPerMl(-92, 42, -28, 4000.0), 4000.0 * phantom.petSuv(-92, 42, -28));
}

TEST_F(Phantom, CtTissuesHaveTheirHounsfieldUnits)
{
    auto at = [&](const double* p, double step = 2.0) { return median(ct, p[0], p[1], p[2], step); };
    EXPECT_NEAR(at(kOutside), -1000, 30);
    EXPECT_NEAR(at(kSubcutaneousFat, 1.0), -100, 20);
    EXPECT_NEAR(at(kParaspinalMuscle, 1.0), 40, 15);
    EXPECT_NEAR(at(kLung), -850, 80);
    EXPECT_NEAR(at(kLiver), 60, 15);
    EXPECT_NEAR(at(kAorta), 45, 15);
    EXPECT_NEAR(at(kVertebralBody, 1.5), 250, 40);  // cancellous bone in the middle of a vertebra
    // Some cortical bone somewhere in the chest wall at this level.
    double densest = -1000;
    for (double x = -170; x <= 170; x += 0.5)
        densest = std::max(densest, phantom.ctHu(x, 0.0, 0.0));
    EXPECT_GT(densest, 700);
    EXPECT_LT(densest, 1100);
}

TEST_F(Phantom, LiverOnlyBelowTheRightHemidiaphragm)
{
    EXPECT_NEAR(median(ct, -60, -20, -150), 60, 15);
    EXPECT_LT(median(ct, -60, -20, -20), -600);  // lung at the level of the tumour
}

TEST_F(Phantom, TumourIsASolidRightLowerLobeMassOfTheStatedSize)
{
    const auto& c = TorsoPhantom::kTumourCentre;
    EXPECT_LT(c[0], 0.0);  // patient's right
    EXPECT_GT(c[1], 0.0);  // posterior
    EXPECT_LT(c[2], 0.0);  // below the carina
    const double axis = TorsoPhantom::kTumourLongAxisDeg;
    // Lung/soft-tissue boundary is halfway between -850 and 35 HU.
    EXPECT_NEAR(diameter(ct, c, axis, -400), TorsoPhantom::kTumourLongestDiameterMm, 1.0);
    EXPECT_NEAR(diameter(ct, c, axis + 90, -400), TorsoPhantom::kTumourShortDiameterMm, 1.0);
    // No other axial direction is longer than the stated longest diameter (spicules are thin and short).
    for (double a = 0; a < 180; a += 7.5)
        EXPECT_LE(diameter(ct, c, a, -400), TorsoPhantom::kTumourLongestDiameterMm + 2.0) << a << " degrees";
    // Solid rim, less dense necrotic centre, aerated lung around it.
    const double r = TorsoPhantom::kTumourLongestDiameterMm / 2;
    const double ax = std::cos(axis * kPi / 180), ay = std::sin(axis * kPi / 180);
    const double rim = median(ct, c[0] + 0.7 * r * ax, c[1] + 0.7 * r * ay, c[2], 0.5, 3);
    EXPECT_NEAR(rim, 35, 15);
    EXPECT_LT(median(ct, c[0], c[1], c[2], 0.5, 3), rim - 8);
    EXPECT_LT(median(ct, c[0] + (r + 6) * ax, c[1] + (r + 6) * ay, c[2], 1.0, 3), -600);
    EXPECT_LT(median(ct, c[0] - (r + 6) * ax, c[1] - (r + 6) * ay, c[2], 1.0, 3), -600);
}

TEST_F(Phantom, SubcarinalNodeIsTargetSized)
{
    const auto& n = TorsoPhantom::kNodeCentre;
    EXPECT_NEAR(median(ct, n[0], n[1], n[2], 1.0, 3), 35, 15);
    // The node sits in mediastinal fat: its edge is halfway between 35 and -100 HU.
    const double axis = TorsoPhantom::kNodeLongAxisDeg;
    EXPECT_NEAR(diameter(ct, n, axis, -32), TorsoPhantom::kNodeLongAxisMm, 1.0);
    EXPECT_NEAR(diameter(ct, n, axis + 90, -32), TorsoPhantom::kNodeShortAxisMm, 1.0);
    EXPECT_GE(TorsoPhantom::kNodeShortAxisMm, 15.0);  // RECIST 1.1 target lymph node
}

TEST_F(Phantom, PetUptakeIsSuvRealistic)
{
    auto at = [&](const double* p) { return median(suv, p[0], p[1], p[2], 3.0); };
    EXPECT_NEAR(at(kLiver), TorsoPhantom::kLiverSuv, 0.35);
    EXPECT_NEAR(at(kAorta), TorsoPhantom::kBloodPoolSuv, 0.3);
    EXPECT_NEAR(at(kLung), TorsoPhantom::kLungSuv, 0.15);
    EXPECT_NEAR(median(suv, kParaspinalMuscle[0], kParaspinalMuscle[1], kParaspinalMuscle[2], 1.0, 3),
                TorsoPhantom::kMuscleSuv, 0.25);
    EXPECT_DOUBLE_EQ(phantom.petSuv(kOutside[0], kOutside[1], kOutside[2]), 0.0);
    EXPECT_GT(at(kLiver), at(kAorta));  // the usual reference order: liver above blood pool

    // SUVmax over a 1 mm grid around each lesion.
    auto suvMax = [&](const TorsoPhantom::Point& c, double half) {
        double best = 0;
        for (double dx = -half; dx <= half; dx += 1)
            for (double dy = -half; dy <= half; dy += 1)
                for (double dz = -half; dz <= half; dz += 1)
                    best = std::max(best, phantom.petSuv(c[0] + dx, c[1] + dy, c[2] + dz));
        return best;
    };
    EXPECT_NEAR(suvMax(TorsoPhantom::kTumourCentre, 18), TorsoPhantom::kTumourSuvMax, 0.8);
    EXPECT_NEAR(suvMax(TorsoPhantom::kNodeCentre, 12), TorsoPhantom::kNodeSuvMax, 0.5);
    const auto& c = TorsoPhantom::kTumourCentre;
    EXPECT_NEAR(phantom.petSuv(c[0], c[1], c[2]), TorsoPhantom::kTumourCoreSuv, 0.8);  // necrotic, less avid

    // The myocardium is avid: somewhere along the long axis of the heart, from its centre to beyond the apex.
    double heart = 0;
    for (double t = 0; t < 90; t += 1)
        heart = std::max(heart, phantom.petSuv(20 + 0.635 * t, -24 - 0.577 * t, -20 - 0.52 * t));
    EXPECT_NEAR(heart, TorsoPhantom::kMyocardiumSuv, 0.8);
}

TEST_F(Phantom, MrSignalStaysInRangeAndShowsTheLesions)
{
    double lowest = 1e9, highest = -1e9;
    for (double z = -170; z <= 130; z += 25)
        for (double y = -130; y <= 130; y += 6)
            for (double x = -180; x <= 180; x += 6) {
                const double s = phantom.mrT2Signal(x, y, z);
                lowest = std::min(lowest, s);
                highest = std::max(highest, s);
            }
    EXPECT_GE(lowest, 0.0);
    EXPECT_LE(highest, 1500.0);
    EXPECT_GT(highest, 1000.0);  // CSF or fluid somewhere
    const auto& t = TorsoPhantom::kTumourCentre;
    const auto& n = TorsoPhantom::kNodeCentre;
    EXPECT_GT(median(mr, t[0] + 10, t[1] + 5, t[2], 1.0, 3), 4 * median(mr, kLung[0], kLung[1], kLung[2]));
    EXPECT_GT(median(mr, n[0], n[1], n[2], 1.0, 3), 2 * median(mr, kSubcutaneousFat[0], 0, 0, 1.0, 3));
}
