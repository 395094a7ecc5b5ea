#pragma once
// The written review in the database: each reviewer's findings and sections, key images and finalized versions.
// Who may write what is decided here, not in the GUI: the pathologist writes the pathology re-review, the
// radiologist the imaging re-read, the board chair everything else and is the only one who finalizes. Every change
// is audited in its transaction; a finalized version is locked (and triggers keep plain SQL from changing it).
#include <optional>
#include <string>
#include <vector>

#include "model/review.h"
#include "store/audit_log.h"
#include "store/case_files.h"
#include "store/database.h"

namespace consilium::store {

// The imaging study a review answers (the case's most recent imported study) and the patient as its headers name
// them: what a DICOM copy of the review needs to file beside the images in the referring PACS.
struct ReviewedStudy {
    std::string studyInstanceUid;
    std::string studyDate;    // DICOM DA
    std::string patientName;  // DICOM PN as imported
    std::string patientId;
};

class ReviewRepository {
public:
    explicit ReviewRepository(Database& db) : db_(db) {}

    // All findings of a case; sections nobody has written yet come back empty and Draft, in document order.
    model::ReviewFindings findings(std::int64_t caseId);

    // Each throws Error("<who>", "cannot edit …: only the <role> writes it") when the actor may not write it.
    // A section records the writer's name (its owner's role is fixed): the review's signatures come from it.
    void saveSection(std::int64_t caseId, model::SectionKey key, const std::string& bodyMarkdown,
                     model::SectionStatus status, const Actor& actor);
    void savePathology(std::int64_t caseId, const model::PathologyFindings& findings, const Actor& actor);
    void saveRadiology(std::int64_t caseId, const model::RadiologyFindings& findings, const Actor& actor);
    void saveChair(std::int64_t caseId, const model::ChairFindings& findings, const Actor& actor);

    // Key images, in the order the review shows them. Any reviewer may add one (from the viewers).
    std::vector<model::KeyImage> keyImages(std::int64_t caseId);
    std::size_t keyImageCount(std::int64_t caseId);  // without reading the images
    model::KeyImage addKeyImage(std::int64_t caseId, model::KeyImage image, const Actor& actor);
    void removeKeyImage(std::int64_t caseId, std::int64_t imageId, const Actor& actor);

    std::vector<model::ReviewVersion> versions(std::int64_t caseId);  // oldest first
    std::optional<model::ReviewVersion> latestVersion(std::int64_t caseId);

    // Throws when `actor` may not finalize now: not the board chair, a section still a draft (named), or an
    // amendment without a reason. Called before compiling, and again by recordVersion inside its transaction.
    void checkCanFinalize(std::int64_t caseId, const Actor& actor, const std::string& amendmentReason);
    // Records the signed PDF (already stored in the case folder) as the next version, locks it, sets the case
    // finalized and audits it, in one transaction. `finalizedAt` is the signing time printed in the PDF.
    model::ReviewVersion recordVersion(std::int64_t caseId, const StoredFile& pdf, int pages, const Actor& actor,
                                       const std::string& amendmentReason, const std::string& finalizedAt);

    std::optional<ReviewedStudy> reviewedStudy(std::int64_t caseId);
    // The time of the latest change to the review's content (sections, findings, key images), ISO 8601 UTC: the
    // date a draft compile carries, so that compiling unchanged findings twice gives the same bytes.
    std::string lastChangedAt(std::int64_t caseId);

private:
    void requireOwner(std::int64_t caseId, model::SectionKey key, const Actor& actor, std::string_view what);
    void markReadyForSignOffWhenComplete(std::int64_t caseId, const Actor& actor);
    Database& db_;
};

std::string toJson(const model::PathologyFindings& f);
std::string toJson(const model::RadiologyFindings& f);
std::string toJson(const model::ChairFindings& f);
std::string toJson(const model::ReviewVersion& v);

}  // namespace consilium::store
