#pragma once
// RECIST 1.1 as pure rules (clinical-reference.md section 3; Eisenhauer et al., Eur J Cancer 2009): lesions that
// keep their identity across time points, what was seen of each at each time point, and from that the eligibility
// of targets, the sum of diameters, baseline, nadir, the changes and the response category.
//
// A time point is a study date ("YYYYMMDD", so text order is time order); the earliest is the baseline.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace consilium::model {

enum class LesionCategory { Target, NonTarget, New };
std::string toString(LesionCategory category);  // "target", "non-target", "new"
std::optional<LesionCategory> lesionCategoryFromString(std::string_view text);

// A lesion as the board follows it: the same row from baseline to the last follow-up.
struct Lesion {
    std::int64_t id = 0;  // 0 until stored
    std::int64_t caseId = 0;
    std::string name;      // "Right lower lobe primary"
    std::string location;  // organ or site in the clinic's words: "lung", "liver", "lymph node (subcarinal)"
    LesionCategory category = LesionCategory::Target;
    bool nodal = false;       // a lymph node: measured on its short axis; all nodes together are one organ
    std::string trackingUid;  // stable DICOM UID (SR Tracking Unique Identifier), filled by the store
    std::string reviewer;
    std::string createdAt;
    std::string updatedAt;
};

// What the reader recorded of one lesion at one time point.
enum class LesionState {
    Measured,                // diameters below
    TooSmallToMeasure,       // present but too small: counts 5 mm
    Disappeared,             // counts 0 mm
    Present,                 // a non-target seen, not measured
    UnequivocalProgression,  // a non-target's unequivocal progression
    NotEvaluated,            // not seen on this examination (not imaged, artefact)
};
std::string toString(LesionState state);  // "measured", "too-small", "disappeared", "present", "progression",
                                          // "not-evaluated"
std::optional<LesionState> lesionStateFromString(std::string_view text);

struct LesionAssessment {
    std::int64_t lesionId = 0;
    std::string timePoint;  // study date YYYYMMDD
    LesionState state = LesionState::Measured;
    std::optional<double> longAxisMm;
    std::optional<double> shortAxisMm;
    std::optional<double> sliceThicknessMm;  // of the series measured on (the measurability threshold depends on it)
};

// ---- lesion-level rules ----------------------------------------------------------------------------------------

enum class NodeClass { Normal, PathologicalNonTarget, TargetEligible };
// Short axis < 10 mm normal; 10 to < 15 mm pathological but non-target; ≥ 15 mm target-eligible.
NodeClass classifyNode(double shortAxisMm);
std::string toString(NodeClass c);  // "normal", "pathological non-target", "target-eligible"

// The smallest measurable longest diameter of a non-nodal lesion: 10 mm on slices of 5 mm or less, else twice the
// slice thickness. Unknown thickness: 10 mm.
double measurableThresholdMm(std::optional<double> sliceThicknessMm);

struct Eligibility {
    bool targetEligible = false;
    std::optional<NodeClass> nodeClass;  // nodes only
    std::string reason;                  // why (not) eligible, in words for the lesion table
};
Eligibility targetEligibility(bool nodal, const LesionAssessment& baseline);

// The diameter that enters the sum: short axis of a node, longest diameter otherwise; 5 mm when too small, 0 when
// disappeared; absent when not measured or not evaluated.
std::optional<double> recistDiameterMm(bool nodal, const LesionAssessment& a);

// ---- time-point rules ------------------------------------------------------------------------------------------

enum class Response { CR, PR, SD, PD, NonCRNonPD, NotEvaluable };
std::string toString(Response r);  // "CR", "PR", "SD", "PD", "non-CR/non-PD", "NE"

struct TimePointResult {
    std::string timePoint;
    bool baseline = false;
    std::optional<double> sumMm;    // absent when a target was not evaluated
    std::optional<double> nadirMm;  // smallest sum before this time point, baseline included (not at baseline)
    std::optional<double> changeFromBaselinePercent;
    std::optional<double> changeFromNadirPercent;  // absent when the nadir is 0
    std::optional<double> changeFromNadirMm;
    bool newLesions = false;
    std::optional<Response> targetResponse;     // absent at baseline and when there are no targets
    std::optional<Response> nonTargetResponse;  // absent at baseline and when there are no non-targets
    std::optional<Response> overallResponse;    // absent at baseline
    std::vector<std::string> notes;             // why a value is missing or NE, in words
};

struct LesionEligibility {
    std::int64_t lesionId = 0;
    Eligibility eligibility;
};

struct RecistEvaluation {
    // What makes the target selection break the rules: more than 5 targets, more than 2 in one organ (nodes count
    // as one organ), a target not eligible at baseline or not measured there, a "new" lesion seen at baseline.
    std::vector<std::string> selectionProblems;
    std::vector<LesionEligibility> eligibility;  // every target and non-target, at baseline
    std::vector<TimePointResult> timePoints;     // in time order, baseline first
};

// One assessment per lesion and time point is expected; when there are several, the last one given is used and a
// note says so. Lesions without any assessment are ignored.
RecistEvaluation evaluateRecist(const std::vector<Lesion>& lesions, const std::vector<LesionAssessment>& assessments);

}  // namespace consilium::model
