#include "model/recist.h"

#include <gtest/gtest.h>

namespace consilium::model {
namespace {

// ---- eligibility -----------------------------------------------------------------------------------------------

struct EligibilityRow {
    const char* what;
    bool nodal;
    std::optional<double> longAxis;
    std::optional<double> shortAxis;
    std::optional<double> sliceThickness;
    bool eligible;
    std::optional<NodeClass> nodeClass;
};

TEST(Recist, EligibilityTable)
{
    const EligibilityRow rows[] = {
        {"non-nodal 10 mm on 2.5 mm slices", false, 10.0, std::nullopt, 2.5, true, std::nullopt},
        {"non-nodal 9.9 mm", false, 9.9, std::nullopt, 2.5, false, std::nullopt},
        {"non-nodal 10 mm on 5 mm slices", false, 10.0, std::nullopt, 5.0, true, std::nullopt},
        {"non-nodal 12 mm on 8 mm slices (needs 16)", false, 12.0, std::nullopt, 8.0, false, std::nullopt},
        {"non-nodal 16 mm on 8 mm slices", false, 16.0, std::nullopt, 8.0, true, std::nullopt},
        {"non-nodal, unknown thickness", false, 10.0, std::nullopt, std::nullopt, true, std::nullopt},
        {"node short 15 mm", true, 22.0, 15.0, 2.5, true, NodeClass::TargetEligible},
        {"node short 14.9 mm", true, 22.0, 14.9, 2.5, false, NodeClass::PathologicalNonTarget},
        {"node short 10 mm", true, 12.0, 10.0, 2.5, false, NodeClass::PathologicalNonTarget},
        {"node short 9.9 mm", true, 12.0, 9.9, 2.5, false, NodeClass::Normal},
        {"node long 30 mm but no short axis", true, 30.0, std::nullopt, 2.5, false, std::nullopt},
    };
    for (const auto& r : rows) {
        LesionAssessment a;
        a.longAxisMm = r.longAxis;
        a.shortAxisMm = r.shortAxis;
        a.sliceThicknessMm = r.sliceThickness;
        const Eligibility e = targetEligibility(r.nodal, a);
        EXPECT_EQ(e.targetEligible, r.eligible) << r.what << ": " << e.reason;
        EXPECT_EQ(e.nodeClass, r.nodeClass) << r.what;
        EXPECT_FALSE(e.reason.empty()) << r.what;
    }
    LesionAssessment gone;
    gone.state = LesionState::Disappeared;
    EXPECT_FALSE(targetEligibility(false, gone).targetEligible);
}

TEST(Recist, DiameterThatEntersTheSum)
{
    LesionAssessment a;
    a.longAxisMm = 30;
    a.shortAxisMm = 17;
    EXPECT_EQ(recistDiameterMm(false, a), 30.0);
    EXPECT_EQ(recistDiameterMm(true, a), 17.0);
    a.state = LesionState::TooSmallToMeasure;
    EXPECT_EQ(recistDiameterMm(false, a), 5.0);
    a.state = LesionState::Disappeared;
    EXPECT_EQ(recistDiameterMm(true, a), 0.0);
    a.state = LesionState::NotEvaluated;
    EXPECT_FALSE(recistDiameterMm(false, a));
}

// ---- time points -----------------------------------------------------------------------------------------------

Lesion lesion(std::int64_t id, const char* organ, LesionCategory c = LesionCategory::Target, bool nodal = false)
{
    Lesion l;
    l.id = id;
    l.name = std::string("L") + std::to_string(id);
    l.location = organ;
    l.category = c;
    l.nodal = nodal;
    return l;
}

LesionAssessment measured(std::int64_t id, const char* t, double longAxis, std::optional<double> shortAxis = {})
{
    LesionAssessment a;
    a.lesionId = id;
    a.timePoint = t;
    a.longAxisMm = longAxis;
    a.shortAxisMm = shortAxis;
    a.sliceThicknessMm = 2.5;
    return a;
}

LesionAssessment state(std::int64_t id, const char* t, LesionState s)
{
    LesionAssessment a;
    a.lesionId = id;
    a.timePoint = t;
    a.state = s;
    return a;
}

struct ResponseRow {
    const char* what;
    std::vector<Lesion> lesions;
    std::vector<LesionAssessment> assessments;
    // Expected at the last time point.
    std::optional<double> sum;
    std::optional<double> nadir;
    std::optional<Response> target;
    std::optional<Response> nonTarget;
    Response overallResponse;
};

TEST(Recist, ResponseTable)
{
    const auto T = LesionCategory::Target;
    const auto NT = LesionCategory::NonTarget;
    const auto NEW = LesionCategory::New;
    const std::vector<ResponseRow> rows = {
        {"30 % decrease from baseline is PR",
         {lesion(1, "lung"), lesion(2, "liver")},
         {measured(1, "20260101", 30), measured(2, "20260101", 20), measured(1, "20260401", 21),
          measured(2, "20260401", 14)},
         35.0,
         50.0,
         Response::PR,
         std::nullopt,
         Response::PR},
        {"29 % decrease is SD",
         {lesion(1, "lung"), lesion(2, "liver")},
         {measured(1, "20260101", 30), measured(2, "20260101", 20), measured(1, "20260401", 21.5),
          measured(2, "20260401", 14)},
         35.5,
         50.0,
         Response::SD,
         std::nullopt,
         Response::SD},
        {"20 % over the nadir but only 4 mm: SD (the 5 mm rule)",
         {lesion(1, "lung")},
         {measured(1, "20260101", 20), measured(1, "20260301", 20), measured(1, "20260601", 24)},
         24.0,
         20.0,
         Response::SD,
         std::nullopt,
         Response::SD},
        {"25 % and 5 mm over the nadir: PD",
         {lesion(1, "lung")},
         {measured(1, "20260101", 40), measured(1, "20260301", 20), measured(1, "20260601", 25)},
         25.0,
         20.0,
         Response::PD,
         std::nullopt,
         Response::PD},
        {"nadir is the smallest earlier sum, not the baseline: +6 mm over nadir 30 is PD while below baseline",
         {lesion(1, "lung")},
         {measured(1, "20260101", 50), measured(1, "20260301", 30), measured(1, "20260601", 36)},
         36.0,
         30.0,
         Response::PD,
         std::nullopt,
         Response::PD},
        {"5 mm but only 10 % over the nadir: SD",
         {lesion(1, "lung")},
         {measured(1, "20260101", 50), measured(1, "20260601", 55)},
         55.0,
         50.0,
         Response::SD,
         std::nullopt,
         Response::SD},
        {"all non-nodal gone and node short axis < 10 mm: CR although the sum is 8 mm",
         {lesion(1, "lung"), lesion(2, "mediastinum", T, true)},
         {measured(1, "20260101", 30), measured(2, "20260101", 25, 18), state(1, "20260601", LesionState::Disappeared),
          measured(2, "20260601", 12, 8)},
         8.0,
         48.0,
         Response::CR,
         std::nullopt,
         Response::CR},
        {"node short axis still 10 mm: PR, not CR",
         {lesion(1, "lung"), lesion(2, "mediastinum", T, true)},
         {measured(1, "20260101", 30), measured(2, "20260101", 25, 18), state(1, "20260601", LesionState::Disappeared),
          measured(2, "20260601", 14, 10)},
         10.0,
         48.0,
         Response::PR,
         std::nullopt,
         Response::PR},
        {"too small to measure counts 5 mm",
         {lesion(1, "lung"), lesion(2, "liver")},
         {measured(1, "20260101", 20), measured(2, "20260101", 20),
          state(1, "20260601", LesionState::TooSmallToMeasure), measured(2, "20260601", 30)},
         35.0,
         40.0,
         Response::SD,
         std::nullopt,
         Response::SD},
        {"a new lesion is PD whatever the targets do",
         {lesion(1, "lung"), lesion(3, "bone", NEW)},
         {measured(1, "20260101", 30), measured(1, "20260601", 10), measured(3, "20260601", 8)},
         10.0,
         30.0,
         Response::PR,
         std::nullopt,
         Response::PD},
        {"non-target unequivocal progression is PD",
         {lesion(1, "lung"), lesion(4, "pleura", NT)},
         {measured(1, "20260101", 30), state(4, "20260101", LesionState::Present), measured(1, "20260601", 30),
          state(4, "20260601", LesionState::UnequivocalProgression)},
         30.0,
         30.0,
         Response::SD,
         Response::PD,
         Response::PD},
        {"targets CR with a non-target still present: PR",
         {lesion(1, "lung"), lesion(4, "pleura", NT)},
         {measured(1, "20260101", 30), state(4, "20260101", LesionState::Present),
          state(1, "20260601", LesionState::Disappeared), state(4, "20260601", LesionState::Present)},
         0.0,
         30.0,
         Response::CR,
         Response::NonCRNonPD,
         Response::PR},
        {"targets CR and non-targets gone (a nodal non-target < 10 mm counts as gone): CR",
         {lesion(1, "lung"), lesion(4, "pleura", NT), lesion(5, "hilum", NT, true)},
         {measured(1, "20260101", 30), state(4, "20260101", LesionState::Present), measured(5, "20260101", 14, 12),
          state(1, "20260601", LesionState::Disappeared), state(4, "20260601", LesionState::Disappeared),
          measured(5, "20260601", 11, 9)},
         0.0,
         30.0,
         Response::CR,
         Response::CR,
         Response::CR},
        {"a target not evaluated: NE",
         {lesion(1, "lung"), lesion(2, "liver")},
         {measured(1, "20260101", 30), measured(2, "20260101", 20), measured(1, "20260601", 25),
          state(2, "20260601", LesionState::NotEvaluated)},
         std::nullopt,
         50.0,
         Response::NotEvaluable,
         std::nullopt,
         Response::NotEvaluable},
        {"a target not evaluated but the others already progressed: PD",
         {lesion(1, "lung"), lesion(2, "liver")},
         {measured(1, "20260101", 30), measured(2, "20260101", 20), measured(1, "20260601", 62)},
         std::nullopt,
         50.0,
         Response::PD,
         std::nullopt,
         Response::PD},
        {"targets SD, a non-target not evaluated: SD",
         {lesion(1, "lung"), lesion(4, "pleura", NT)},
         {measured(1, "20260101", 30), state(4, "20260101", LesionState::Present), measured(1, "20260601", 28)},
         28.0,
         30.0,
         Response::SD,
         Response::NotEvaluable,
         Response::SD},
        {"non-targets only, still present: non-CR/non-PD",
         {lesion(4, "pleura", NT)},
         {state(4, "20260101", LesionState::Present), state(4, "20260601", LesionState::Present)},
         std::nullopt,
         std::nullopt,
         std::nullopt,
         Response::NonCRNonPD,
         Response::NonCRNonPD},
        {"reappearance after CR: +5 mm over a nadir of 0 is PD",
         {lesion(1, "lung")},
         {measured(1, "20260101", 20), state(1, "20260301", LesionState::Disappeared), measured(1, "20260601", 6)},
         6.0,
         0.0,
         Response::PD,
         std::nullopt,
         Response::PD},
    };
    for (const auto& r : rows) {
        const RecistEvaluation ev = evaluateRecist(r.lesions, r.assessments);
        ASSERT_GE(ev.timePoints.size(), 2u) << r.what;
        EXPECT_TRUE(ev.timePoints.front().baseline) << r.what;
        EXPECT_FALSE(ev.timePoints.front().overallResponse) << r.what;
        const TimePointResult& last = ev.timePoints.back();
        EXPECT_EQ(last.sumMm, r.sum) << r.what;
        EXPECT_EQ(last.nadirMm, r.nadir) << r.what;
        EXPECT_EQ(last.targetResponse, r.target) << r.what;
        EXPECT_EQ(last.nonTargetResponse, r.nonTarget) << r.what;
        ASSERT_TRUE(last.overallResponse) << r.what;
        EXPECT_EQ(toString(*last.overallResponse), toString(r.overallResponse)) << r.what;
    }
}

TEST(Recist, PercentChangesFromBaselineAndNadir)
{
    const auto ev =
        evaluateRecist({lesion(1, "lung"), lesion(2, "liver")},
                       {measured(1, "20260101", 30), measured(2, "20260101", 20), measured(1, "20260301", 15),
                        measured(2, "20260301", 10), measured(1, "20260601", 20), measured(2, "20260601", 12)});
    ASSERT_EQ(ev.timePoints.size(), 3u);
    EXPECT_EQ(ev.timePoints[0].sumMm, 50.0);
    EXPECT_FALSE(ev.timePoints[0].changeFromBaselinePercent);
    EXPECT_DOUBLE_EQ(*ev.timePoints[1].changeFromBaselinePercent, -50.0);
    EXPECT_EQ(toString(*ev.timePoints[1].overallResponse), "PR");
    // 32 mm: −36 % from baseline (still PR by size), +28 % and +7 mm over the nadir of 25: PD.
    const auto& last = ev.timePoints[2];
    EXPECT_EQ(last.nadirMm, 25.0);
    EXPECT_DOUBLE_EQ(*last.changeFromBaselinePercent, -36.0);
    EXPECT_DOUBLE_EQ(*last.changeFromNadirPercent, 28.0);
    EXPECT_DOUBLE_EQ(*last.changeFromNadirMm, 7.0);
    EXPECT_EQ(toString(*last.overallResponse), "PD");
}

TEST(Recist, TargetSelectionRules)
{
    std::vector<Lesion> lesions;
    std::vector<LesionAssessment> baseline;
    // Six targets, three in the lung, two nodes in different stations (one organ), one 8 mm lung lesion.
    const char* organs[] = {"lung", "Lung", "lung", "liver", "adrenal", "kidney"};
    for (int i = 0; i < 6; ++i) {
        lesions.push_back(lesion(i + 1, organs[i]));
        baseline.push_back(measured(i + 1, "20260101", i == 2 ? 8.0 : 20.0));
    }
    lesions.push_back(lesion(7, "subcarinal", LesionCategory::Target, true));
    lesions.push_back(lesion(8, "hilar", LesionCategory::Target, true));
    lesions.push_back(lesion(9, "paratracheal", LesionCategory::Target, true));
    baseline.push_back(measured(7, "20260101", 20, 16));
    baseline.push_back(measured(8, "20260101", 20, 15));
    baseline.push_back(measured(9, "20260101", 20, 12));
    lesions.push_back(lesion(10, "bone", LesionCategory::New));
    baseline.push_back(measured(10, "20260101", 12));
    const auto ev = evaluateRecist(lesions, baseline);
    auto has = [&](const std::string& text) {
        for (const auto& p : ev.selectionProblems)
            if (p.find(text) != std::string::npos)
                return true;
        return false;
    };
    EXPECT_TRUE(has("9 target lesions: at most 5")) << ::testing::PrintToString(ev.selectionProblems);
    EXPECT_TRUE(has("3 targets in lung")) << ::testing::PrintToString(ev.selectionProblems);
    EXPECT_TRUE(has("3 targets in lymph nodes")) << ::testing::PrintToString(ev.selectionProblems);
    EXPECT_TRUE(has("target 'L3' is not eligible")) << ::testing::PrintToString(ev.selectionProblems);
    EXPECT_TRUE(has("target 'L9' is not eligible")) << ::testing::PrintToString(ev.selectionProblems);
    EXPECT_FALSE(has("'L7'"));
    EXPECT_TRUE(has("'L10' is marked new")) << ::testing::PrintToString(ev.selectionProblems);
    EXPECT_EQ(ev.eligibility.size(), 9u);
}

TEST(Recist, NoAssessmentsNoTimePoints) { EXPECT_TRUE(evaluateRecist({lesion(1, "lung")}, {}).timePoints.empty()); }

}  // namespace
}  // namespace consilium::model
