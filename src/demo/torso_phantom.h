#pragma once
// A synthetic adult thorax and upper abdomen for the built-in demo case: a patient with non-small-cell lung cancer
// (a spiculated primary in the right lower lobe and an enlarged subcarinal lymph node).
//
// The phantom is a pure function of position in patient coordinates (LPS, mm: +x towards the patient's left,
// +y posterior, +z towards the head), so CT, PET and MR of any grid can be sampled from the same anatomy and a test
// can ask what value a voxel should hold. Edges are smooth (partial volume, wider for PET's coarser resolution)
// and the noise is hashed from the coordinates, so the same point always gives the same value.
// Standard library only; the methods are const and safe to call from several threads.
#include <array>

namespace consilium::demo {

class TorsoPhantom {
public:
    using Point = std::array<double, 3>;  // LPS, mm

    // The anatomy between these heights is complete; a field of view inside them shows no cut-off organs.
    static constexpr double kTopZ = 150.0;      // just above the lung apices and the clavicles
    static constexpr double kBottomZ = -175.0;  // upper abdomen: liver, stomach, spleen, colon, upper kidneys
    // Outer body outline (an adult of ~340 x 240 mm) for choosing a field of view.
    static constexpr double kBodyHalfWidthMm = 170.0;
    static constexpr double kBodyHalfDepthMm = 120.0;

    // Primary tumour in the right lower lobe: solid (35 HU) with a less dense, less avid necrotic core. Sized as the
    // demo's documents state after induction chemotherapy (31 mm at baseline, 28 mm now); the node is "unchanged at
    // 15 mm short axis".
    static constexpr Point kTumourCentre{-92.0, 42.0, -28.0};
    static constexpr double kTumourLongAxisDeg = 30.0;        // axial long axis, angle from +x towards +y
    static constexpr double kTumourLongestDiameterMm = 28.0;  // axial, through the centre (RECIST)
    static constexpr double kTumourShortDiameterMm = 21.0;    // axial, perpendicular to the long axis
    static constexpr double kTumourCraniocaudalMm = 22.0;
    static constexpr double kTumourSuvMax = 11.0;  // in the viable rim
    static constexpr double kTumourCoreSuv = 2.5;  // necrotic centre

    // Subcarinal (station 7) lymph node, target-eligible by RECIST 1.1 (short axis >= 15 mm).
    static constexpr Point kNodeCentre{-2.0, 8.0, 44.0};
    static constexpr double kNodeLongAxisDeg = 20.0;  // axial long axis, angle from +x towards +y
    static constexpr double kNodeLongAxisMm = 18.0;
    static constexpr double kNodeShortAxisMm = 15.0;
    static constexpr double kNodeCraniocaudalMm = 16.0;
    static constexpr double kNodeSuvMax = 6.0;

    // Reference uptake (SUVbw) of the organs that QC regions are drawn in.
    static constexpr double kBloodPoolSuv = 1.8;
    static constexpr double kLiverSuv = 2.2;
    static constexpr double kLungSuv = 0.5;
    static constexpr double kMuscleSuv = 0.8;
    static constexpr double kMyocardiumSuv = 3.6;

    // Hounsfield units of a non-contrast CT, with ~10 HU noise.
    double ctHu(double x, double y, double z) const;
    // FDG uptake as SUVbw, and as activity concentration given how many Bq/mL one SUV is at the scan time
    // (decayed injected dose / body weight in g).
    double petSuv(double x, double y, double z) const;
    double petBqPerMl(double x, double y, double z, double bqPerMlPerSuv) const
    {
        return petSuv(x, y, z) * bqPerMlPerSuv;
    }
    // Signal of a fat-suppressed T2-weighted fast spin echo (HASTE/SPAIR-like), 0..1500: fluid bright, tumour
    // and node intermediate-bright, muscle and suppressed fat dark, flowing blood and lung black.
    double mrT2Signal(double x, double y, double z) const;
};

}  // namespace consilium::demo
