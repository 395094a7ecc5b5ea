#pragma once
// The written multidisciplinary review: each reviewer's structured findings, the sections of the document in the
// order the referring oncologist reads them, the key images, and the finalized (signed) versions.
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/case.h"

namespace consilium::model {

// The document's sections, in the order of the review (clinical-reference.md section 6, issue 8).
enum class SectionKey {
    Pathology,          // pathology re-review, with the accuracy of stage and grade
    Radiology,          // imaging re-read by the board radiologist
    Pathway,            // recommended treatment pathway with rationale
    Trials,             // notable clinical-trial options, including studies open only in China
    Answer,             // the direct answer to the referring oncologist's question
    TreatmentLocation,  // where treatment could happen, and why
    Limitations,        // what this review could not assess
    VideoConsultation,  // whether a video consultation with the board is advised
};
inline constexpr std::array kAllSections{
    SectionKey::Pathology, SectionKey::Radiology,         SectionKey::Pathway,     SectionKey::Trials,
    SectionKey::Answer,    SectionKey::TreatmentLocation, SectionKey::Limitations, SectionKey::VideoConsultation};

std::string_view toString(SectionKey);             // "pathology", "treatment-location", …
SectionKey sectionKeyFrom(std::string_view text);  // UsageError naming the accepted keys
std::string_view sectionTitle(SectionKey);         // the heading printed in the review
Role sectionOwner(SectionKey);                     // who writes it: pathologist, radiologist or board chair

enum class SectionStatus { Draft, Ready };
std::string_view toString(SectionStatus);
SectionStatus sectionStatusFrom(std::string_view text);

// Agreement with what the referring centre reported: not stated yet, agree, or disagree (with reasoning).
enum class Agreement { NotStated, Agree, Disagree };
std::string_view toString(Agreement);  // "", "agree", "disagree"
Agreement agreementFrom(std::string_view text);

struct ReviewSection {
    SectionKey key = SectionKey::Pathology;
    std::string bodyMarkdown;  // the reviewer's prose: paragraphs, lists, **bold**, *emphasis*, headings
    SectionStatus status = SectionStatus::Draft;
    std::string updatedBy;  // the writer's name ("Dr Amelia Rossi"); empty when nobody has written it
    std::string updatedAt;  // ISO 8601 UTC
};

struct PathologyFindings {
    std::string diagnosis;
    std::string histologicType;
    std::string grade;
    std::string pT;
    std::string pN;
    Agreement stageAgreement = Agreement::NotStated;  // with the referring centre's stage
    Agreement gradeAgreement = Agreement::NotStated;  // and grade
    std::string agreementReasoning;                   // required when either is Disagree
    std::string margins;
    std::string biomarkers;  // IHC and molecular interpretation (NGS, IHC, FISH reports)
    bool empty() const;
};

struct StudyFinding {
    std::string studyInstanceUid;  // of the imported study, when the finding is about one
    std::string studyDate;         // YYYY-MM-DD
    std::string study;             // "FDG PET/CT, skull base to mid-thigh"
    std::string findings;
};

struct RadiologyFindings {
    std::vector<StudyFinding> studies;
    std::string cT;
    std::string cN;
    std::string cM;
    Agreement stageAgreement = Agreement::NotStated;
    std::string agreementReasoning;
    bool empty() const;
};

struct TrialOption {
    std::string registryId;  // "NCT04351555", "ChiCTR2400081234"
    std::string title;
    std::string phase;  // "III", "II/III"
    std::string site;   // where it recruits
    bool openOnlyInChina = false;
    std::string keyEligibility;
};

struct ChairFindings {
    std::string intent;        // "curative", "palliative"
    std::string sequence;      // "concurrent chemoradiation, then consolidation osimertinib"
    std::string alternatives;  // options considered and why not chosen
    std::vector<TrialOption> trials;
    std::optional<bool> videoAdvised;  // not decided yet when absent
};

// A picture the review shows, with where it came from (series/slice/window or slide/region).
struct KeyImage {
    std::int64_t id = 0;
    std::string pngPath;  // relative to the case library root; empty when the PNG is held as a blob
    std::string png;      // the PNG bytes when held in the database
    std::string caption;  // what the reader should see
    std::string source;   // "CT series 2, slice 64, lung window W1500/L-600"
    int position = 0;
    std::string addedBy;
    std::string addedAt;
};

// A finalized, locked version of the review as stored in the case folder.
struct ReviewVersion {
    std::int64_t id = 0;
    std::int64_t caseId = 0;
    int version = 0;
    std::string pdfSha256;
    std::string storedPath;  // relative to the case library root
    int pages = 0;
    std::string finalizedBy;
    std::string finalizedAt;
    std::string amendmentReason;  // empty for version 1
};

// Everything the reviewers have written for a case: what the review document is compiled from.
struct ReviewFindings {
    PathologyFindings pathology;
    RadiologyFindings radiology;
    ChairFindings chair;
    std::vector<ReviewSection> sections;  // one per SectionKey, in document order (Draft and empty when unwritten)
    const ReviewSection& section(SectionKey key) const;
    std::vector<SectionKey> draftSections() const;  // those not yet marked ready
};

// Registry IDs must look like one: NCT + 8 digits, ChiCTR + digits, or another registry's letters and digits.
bool plausibleRegistryId(std::string_view id);

}  // namespace consilium::model
