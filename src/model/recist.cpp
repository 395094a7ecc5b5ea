#include "model/recist.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <sstream>

namespace consilium::model {

namespace {

constexpr double kTooSmallMm = 5.0;  // present but too small to measure
constexpr double kNodeNormalBelowMm = 10.0;
constexpr double kNodeTargetFromMm = 15.0;
constexpr double kPdRelative = 1.2;    // ≥ 20 % over the nadir …
constexpr double kPdAbsoluteMm = 5.0;  // … and ≥ 5 mm
constexpr double kPrRelative = 0.7;    // ≥ 30 % below the baseline sum
constexpr int kMaxTargets = 5;
constexpr int kMaxTargetsPerOrgan = 2;
constexpr const char* kNodesOrgan = "lymph nodes";
// Diameters come from patient-space coordinates: 15 mm drawn can compute as 14.999999999999998. Thresholds are
// compared with this slack so rounding noise never changes a category (it is far below any reading precision).
constexpr double kSlackMm = 1e-6;

std::string mm(double value)
{
    std::ostringstream s;
    s.precision(3);
    s << value << " mm";
    return s.str();
}

// The organ a target counts against: all nodes are one organ; other locations compared without case.
std::string organOf(const Lesion& l)
{
    if (l.nodal)
        return kNodesOrgan;
    std::string organ = l.location;
    std::transform(organ.begin(), organ.end(), organ.begin(), [](unsigned char c) { return std::tolower(c); });
    return organ;
}

bool isProgression(double sum, double nadir)
{
    return sum - nadir >= kPdAbsoluteMm - kSlackMm && sum >= kPdRelative * nadir - kSlackMm;
}

using AssessmentsByLesion = std::map<std::int64_t, std::map<std::string, LesionAssessment>>;

struct TargetOutcome {
    std::optional<double> sum;
    double knownSum = 0;
    bool allGoneOrNormal = true;  // every non-nodal target 0 mm and every nodal target < 10 mm
};

TargetOutcome targetsAt(const std::vector<const Lesion*>& targets, const AssessmentsByLesion& byLesion,
                        const std::string& timePoint, std::vector<std::string>& notes)
{
    TargetOutcome out;
    bool allKnown = true;
    for (const Lesion* l : targets) {
        const auto& perTime = byLesion.at(l->id);
        const auto it = perTime.find(timePoint);
        std::optional<double> d;
        if (it != perTime.end())
            d = recistDiameterMm(l->nodal, it->second);
        if (!d) {
            allKnown = false;
            out.allGoneOrNormal = false;
            notes.push_back("target '" + l->name + "' has no diameter at this time point");
            continue;
        }
        out.knownSum += *d;
        if (l->nodal ? *d >= kNodeNormalBelowMm - kSlackMm : *d > kSlackMm)
            out.allGoneOrNormal = false;
    }
    if (allKnown)
        out.sum = out.knownSum;
    return out;
}

std::optional<Response> nonTargetsAt(const std::vector<const Lesion*>& nonTargets, const AssessmentsByLesion& byLesion,
                                     const std::string& timePoint, std::vector<std::string>& notes)
{
    if (nonTargets.empty())
        return std::nullopt;
    bool progression = false, allGone = true, allEvaluated = true;
    for (const Lesion* l : nonTargets) {
        const auto& perTime = byLesion.at(l->id);
        const auto it = perTime.find(timePoint);
        if (it == perTime.end() || it->second.state == LesionState::NotEvaluated) {
            allEvaluated = false;
            allGone = false;
            notes.push_back("non-target '" + l->name + "' was not evaluated at this time point");
            continue;
        }
        const LesionAssessment& a = it->second;
        if (a.state == LesionState::UnequivocalProgression)
            progression = true;
        // A node that became normal (short axis < 10 mm) counts as gone, as for targets.
        const bool normalNode = l->nodal && a.state == LesionState::Measured && a.shortAxisMm &&
                                *a.shortAxisMm < kNodeNormalBelowMm - kSlackMm;
        if (a.state != LesionState::Disappeared && !normalNode)
            allGone = false;
    }
    if (progression)
        return Response::PD;
    if (!allEvaluated)
        return Response::NotEvaluable;
    return allGone ? Response::CR : Response::NonCRNonPD;
}

// RECIST 1.1 tables 1 (targets, with or without non-targets) and 2 (non-targets only).
Response overall(std::optional<Response> target, std::optional<Response> nonTarget, bool newLesions)
{
    if (newLesions || target == Response::PD || nonTarget == Response::PD)
        return Response::PD;
    if (!target) {
        if (!nonTarget)
            return Response::NotEvaluable;
        return *nonTarget;  // CR, non-CR/non-PD or NE
    }
    switch (*target) {
        case Response::CR:
            return !nonTarget || nonTarget == Response::CR ? Response::CR : Response::PR;
        case Response::PR:
        case Response::SD:
        case Response::NotEvaluable:
            return *target;
        default:
            return Response::NotEvaluable;
    }
}

}  // namespace

std::string toString(LesionCategory category)
{
    switch (category) {
        case LesionCategory::Target:
            return "target";
        case LesionCategory::NonTarget:
            return "non-target";
        case LesionCategory::New:
            return "new";
    }
    return "target";
}

std::optional<LesionCategory> lesionCategoryFromString(std::string_view text)
{
    for (auto c : {LesionCategory::Target, LesionCategory::NonTarget, LesionCategory::New})
        if (toString(c) == text)
            return c;
    return std::nullopt;
}

std::string toString(LesionState state)
{
    switch (state) {
        case LesionState::Measured:
            return "measured";
        case LesionState::TooSmallToMeasure:
            return "too-small";
        case LesionState::Disappeared:
            return "disappeared";
        case LesionState::Present:
            return "present";
        case LesionState::UnequivocalProgression:
            return "progression";
        case LesionState::NotEvaluated:
            return "not-evaluated";
    }
    return "measured";
}

std::optional<LesionState> lesionStateFromString(std::string_view text)
{
    for (auto s : {LesionState::Measured, LesionState::TooSmallToMeasure, LesionState::Disappeared,
                   LesionState::Present, LesionState::UnequivocalProgression, LesionState::NotEvaluated})
        if (toString(s) == text)
            return s;
    return std::nullopt;
}

NodeClass classifyNode(double shortAxisMm)
{
    if (shortAxisMm >= kNodeTargetFromMm - kSlackMm)
        return NodeClass::TargetEligible;
    if (shortAxisMm >= kNodeNormalBelowMm - kSlackMm)
        return NodeClass::PathologicalNonTarget;
    return NodeClass::Normal;
}

std::string toString(NodeClass c)
{
    switch (c) {
        case NodeClass::Normal:
            return "normal";
        case NodeClass::PathologicalNonTarget:
            return "pathological non-target";
        case NodeClass::TargetEligible:
            return "target-eligible";
    }
    return "normal";
}

double measurableThresholdMm(std::optional<double> sliceThicknessMm)
{
    return sliceThicknessMm && *sliceThicknessMm > 5.0 ? 2.0 * *sliceThicknessMm : 10.0;
}

Eligibility targetEligibility(bool nodal, const LesionAssessment& baseline)
{
    Eligibility e;
    if (baseline.state != LesionState::Measured) {
        e.reason = "not measured at baseline (" + toString(baseline.state) + ")";
        return e;
    }
    if (nodal) {
        if (!baseline.shortAxisMm) {
            e.reason = "a node is measured on its short axis: draw a bidirectional measurement";
            return e;
        }
        e.nodeClass = classifyNode(*baseline.shortAxisMm);
        e.targetEligible = *e.nodeClass == NodeClass::TargetEligible;
        e.reason = "short axis " + mm(*baseline.shortAxisMm) + ": " + toString(*e.nodeClass) +
                   (e.targetEligible                    ? " (≥ 15 mm)"
                    : *e.nodeClass == NodeClass::Normal ? " (< 10 mm)"
                                                        : " (10 to < 15 mm)");
        return e;
    }
    if (!baseline.longAxisMm) {
        e.reason = "no longest diameter measured";
        return e;
    }
    const double threshold = measurableThresholdMm(baseline.sliceThicknessMm);
    e.targetEligible = *baseline.longAxisMm >= threshold - kSlackMm;
    e.reason = "longest diameter " + mm(*baseline.longAxisMm) + (e.targetEligible ? " ≥ " : " < ") + mm(threshold) +
               (e.targetEligible ? ": measurable" : ": non-measurable");
    return e;
}

std::optional<double> recistDiameterMm(bool nodal, const LesionAssessment& a)
{
    switch (a.state) {
        case LesionState::Measured:
            return nodal ? a.shortAxisMm : a.longAxisMm;
        case LesionState::TooSmallToMeasure:
            return kTooSmallMm;
        case LesionState::Disappeared:
            return 0.0;
        default:
            return std::nullopt;
    }
}

std::string toString(Response r)
{
    switch (r) {
        case Response::CR:
            return "CR";
        case Response::PR:
            return "PR";
        case Response::SD:
            return "SD";
        case Response::PD:
            return "PD";
        case Response::NonCRNonPD:
            return "non-CR/non-PD";
        case Response::NotEvaluable:
            return "NE";
    }
    return "NE";
}

RecistEvaluation evaluateRecist(const std::vector<Lesion>& lesions, const std::vector<LesionAssessment>& assessments)
{
    RecistEvaluation ev;
    AssessmentsByLesion byLesion;
    std::set<std::string> timePoints;
    std::vector<std::string> duplicateNotes;
    for (const auto& a : assessments) {
        auto& slot = byLesion[a.lesionId];
        if (slot.count(a.timePoint))
            duplicateNotes.push_back("lesion " + std::to_string(a.lesionId) + " has more than one assessment on " +
                                     a.timePoint + ": the last one is used");
        slot[a.timePoint] = a;
        timePoints.insert(a.timePoint);
    }
    if (timePoints.empty())
        return ev;
    const std::string baseline = *timePoints.begin();

    std::vector<const Lesion*> targets, nonTargets, newLesions;
    for (const auto& l : lesions) {
        if (!byLesion.count(l.id))
            continue;
        (l.category == LesionCategory::Target      ? targets
         : l.category == LesionCategory::NonTarget ? nonTargets
                                                   : newLesions)
            .push_back(&l);
    }

    // Selection at baseline.
    if (int(targets.size()) > kMaxTargets)
        ev.selectionProblems.push_back(std::to_string(targets.size()) + " target lesions: at most " +
                                       std::to_string(kMaxTargets));
    std::map<std::string, int> perOrgan;
    for (const Lesion* l : targets)
        ++perOrgan[organOf(*l)];
    for (const auto& [organ, n] : perOrgan)
        if (n > kMaxTargetsPerOrgan)
            ev.selectionProblems.push_back(std::to_string(n) + " targets in " + (organ.empty() ? "one organ" : organ) +
                                           ": at most " + std::to_string(kMaxTargetsPerOrgan) + " per organ");
    for (const auto* group : {&targets, &nonTargets}) {
        for (const Lesion* l : *group) {
            const auto& perTime = byLesion.at(l->id);
            const auto it = perTime.find(baseline);
            LesionEligibility le{l->id, {}};
            if (it == perTime.end())
                le.eligibility.reason = "not assessed at baseline (" + baseline + ")";
            else
                le.eligibility = targetEligibility(l->nodal, it->second);
            if (l->category == LesionCategory::Target && !le.eligibility.targetEligible)
                ev.selectionProblems.push_back("target '" + l->name + "' is not eligible: " + le.eligibility.reason);
            ev.eligibility.push_back(le);
        }
    }
    for (const Lesion* l : newLesions)
        if (byLesion.at(l->id).count(baseline))
            ev.selectionProblems.push_back("'" + l->name + "' is marked new but was recorded at baseline");

    std::optional<double> baselineSum;
    std::optional<double> nadir;
    for (const auto& t : timePoints) {
        TimePointResult r;
        r.timePoint = t;
        r.baseline = t == baseline;
        if (r.baseline)
            r.notes = duplicateNotes;
        const TargetOutcome targetOutcome = targetsAt(targets, byLesion, t, r.notes);
        r.sumMm = targets.empty() ? std::nullopt : targetOutcome.sum;
        if (r.baseline) {
            baselineSum = r.sumMm;
            nadir = r.sumMm;
            ev.timePoints.push_back(r);
            continue;
        }
        for (const Lesion* l : newLesions) {
            const auto& perTime = byLesion.at(l->id);
            const auto it = perTime.find(t);
            if (it != perTime.end() && it->second.state != LesionState::Disappeared &&
                it->second.state != LesionState::NotEvaluated)
                r.newLesions = true;
        }
        if (!targets.empty()) {
            r.nadirMm = nadir;
            if (!baselineSum || !nadir) {
                r.targetResponse = Response::NotEvaluable;
                r.notes.push_back("no complete baseline sum of diameters");
            } else if (r.sumMm) {
                const double sum = *r.sumMm;
                r.changeFromNadirMm = sum - *nadir;
                if (*baselineSum > 0)
                    r.changeFromBaselinePercent = (sum - *baselineSum) / *baselineSum * 100.0;
                if (*nadir > 0)
                    r.changeFromNadirPercent = (sum - *nadir) / *nadir * 100.0;
                // PD is decided first: a rise of ≥ 20 % and ≥ 5 mm over the nadir is progression even when every
                // node is still under 10 mm.
                if (isProgression(sum, *nadir))
                    r.targetResponse = Response::PD;
                else if (targetOutcome.allGoneOrNormal)
                    r.targetResponse = Response::CR;
                else if (sum <= kPrRelative * *baselineSum + kSlackMm)
                    r.targetResponse = Response::PR;
                else
                    r.targetResponse = Response::SD;
                nadir = std::min(*nadir, sum);
            } else if (isProgression(targetOutcome.knownSum, *nadir)) {
                // The missing targets can only add to the sum: progression is already certain.
                r.targetResponse = Response::PD;
                r.changeFromNadirMm = targetOutcome.knownSum - *nadir;
            } else {
                r.targetResponse = Response::NotEvaluable;
            }
        }
        r.nonTargetResponse = nonTargetsAt(nonTargets, byLesion, t, r.notes);
        if (r.newLesions)
            r.notes.push_back("new lesion(s): progression");
        r.overallResponse = overall(r.targetResponse, r.nonTargetResponse, r.newLesions);
        ev.timePoints.push_back(r);
    }
    return ev;
}

}  // namespace consilium::model
