#include "store/review_repository.h"

#include <algorithm>
#include <cctype>

#include "model/error.h"
#include "model/json.h"

namespace consilium::store {
using namespace consilium::model;

std::string toJson(const PathologyFindings& f)
{
    return JsonObject()
        .add("diagnosis", f.diagnosis)
        .add("histologic_type", f.histologicType)
        .add("grade", f.grade)
        .add("pt", f.pT)
        .add("pn", f.pN)
        .add("stage_agreement", toString(f.stageAgreement))
        .add("grade_agreement", toString(f.gradeAgreement))
        .add("agreement_reasoning", f.agreementReasoning)
        .add("margins", f.margins)
        .add("biomarkers", f.biomarkers)
        .str();
}

std::string toJson(const RadiologyFindings& f)
{
    std::vector<std::string> studies;
    for (const auto& s : f.studies)
        studies.push_back(JsonObject()
                              .add("study_instance_uid", s.studyInstanceUid)
                              .add("study_date", s.studyDate)
                              .add("study", s.study)
                              .add("findings", s.findings)
                              .str());
    return JsonObject()
        .addRaw("studies", jsonArray(studies))
        .add("ct", f.cT)
        .add("cn", f.cN)
        .add("cm", f.cM)
        .add("stage_agreement", toString(f.stageAgreement))
        .add("agreement_reasoning", f.agreementReasoning)
        .str();
}

std::string toJson(const ChairFindings& f)
{
    std::vector<std::string> trials;
    for (const auto& t : f.trials)
        trials.push_back(JsonObject()
                             .add("registry_id", t.registryId)
                             .add("title", t.title)
                             .add("phase", t.phase)
                             .add("site", t.site)
                             .add("open_only_in_china", t.openOnlyInChina)
                             .add("key_eligibility", t.keyEligibility)
                             .str());
    return JsonObject()
        .add("intent", f.intent)
        .add("sequence", f.sequence)
        .add("alternatives", f.alternatives)
        .addRaw("trials", jsonArray(trials))
        .add("video_advised", f.videoAdvised)
        .str();
}

std::string toJson(const ReviewVersion& v)
{
    return JsonObject()
        .add("version", v.version)
        .add("pdf_sha256", v.pdfSha256)
        .add("stored_path", v.storedPath)
        .add("pages", v.pages)
        .add("finalized_by", v.finalizedBy)
        .add("finalized_at", v.finalizedAt)
        .add("amendment_reason", v.amendmentReason)
        .str();
}

namespace {

std::string sectionJson(const ReviewSection& s)
{
    return JsonObject()
        .add("section", toString(s.key))
        .add("status", toString(s.status))
        .add("body_md", s.bodyMarkdown)
        .str();
}

std::string keyImageJson(const KeyImage& k)
{
    return JsonObject()
        .add("id", k.id)
        .add("png_path", k.pngPath)
        .add("png_bytes", std::int64_t(k.png.size()))
        .add("caption", k.caption)
        .add("source", k.source)
        .add("position", k.position)
        .str();
}

bool blank(std::string_view s) { return s.find_first_not_of(" \t\r\n") == std::string_view::npos; }

std::string lowerRole(Role role)
{
    std::string r(displayName(role));
    for (auto& c : r)
        c = char(std::tolower(static_cast<unsigned char>(c)));
    return r;
}

std::string withArticle(Role role) { return "the " + lowerRole(role); }

void requireCase(Database& db, std::int64_t caseId)
{
    auto s = db.prepare("SELECT 1 FROM cases WHERE id = ?");
    s.bind(1, caseId);
    if (!s.step())
        throw Error("case " + std::to_string(caseId), "no such case");
}

ReviewVersion versionFromRow(Statement& s)
{
    return {s.integer(0),      s.integer(1), int(s.integer(2)), s.text(3), s.text(4),
            int(s.integer(5)), s.text(6),    s.text(7),         s.text(8)};
}

}  // namespace

// ---- reading --------------------------------------------------------------------------------------------------

ReviewFindings ReviewRepository::findings(std::int64_t caseId)
{
    requireCase(db_, caseId);
    ReviewFindings f;
    for (SectionKey key : kAllSections)
        f.sections.push_back({key, "", SectionStatus::Draft, "", ""});
    {
        auto s = db_.prepare(
            "SELECT section, body_md, status, updated_by, updated_at FROM review_sections "
            "WHERE case_id = ?");
        s.bind(1, caseId);
        while (s.step()) {
            const SectionKey key = sectionKeyFrom(s.text(0));
            auto& section = *std::find_if(f.sections.begin(), f.sections.end(), [&](auto& x) { return x.key == key; });
            section = {key, s.text(1), sectionStatusFrom(s.text(2)), s.text(3), s.text(4)};
        }
    }
    {
        auto s = db_.prepare(
            "SELECT diagnosis, histologic_type, grade, pt, pn, stage_agreement, grade_agreement, agreement_reasoning, "
            "margins, biomarkers FROM pathology_findings WHERE case_id = ?");
        s.bind(1, caseId);
        if (s.step())
            f.pathology = {s.text(0),
                           s.text(1),
                           s.text(2),
                           s.text(3),
                           s.text(4),
                           agreementFrom(s.text(5)),
                           agreementFrom(s.text(6)),
                           s.text(7),
                           s.text(8),
                           s.text(9)};
    }
    {
        auto s = db_.prepare(
            "SELECT ct, cn, cm, stage_agreement, agreement_reasoning FROM radiology_findings WHERE case_id = ?");
        s.bind(1, caseId);
        if (s.step()) {
            f.radiology.cT = s.text(0);
            f.radiology.cN = s.text(1);
            f.radiology.cM = s.text(2);
            f.radiology.stageAgreement = agreementFrom(s.text(3));
            f.radiology.agreementReasoning = s.text(4);
        }
        auto studies = db_.prepare(
            "SELECT study_instance_uid, study_date, study, findings FROM radiology_study_findings "
            "WHERE case_id = ? ORDER BY position, id");
        studies.bind(1, caseId);
        while (studies.step())
            f.radiology.studies.push_back({studies.text(0), studies.text(1), studies.text(2), studies.text(3)});
    }
    {
        auto s =
            db_.prepare("SELECT intent, sequence, alternatives, video_advised FROM chair_findings WHERE case_id = ?");
        s.bind(1, caseId);
        if (s.step()) {
            f.chair.intent = s.text(0);
            f.chair.sequence = s.text(1);
            f.chair.alternatives = s.text(2);
            if (auto v = s.optionalInteger(3))
                f.chair.videoAdvised = *v != 0;
        }
        auto trials = db_.prepare(
            "SELECT registry_id, title, phase, site, open_only_in_china, key_eligibility FROM trial_options "
            "WHERE case_id = ? ORDER BY position, id");
        trials.bind(1, caseId);
        while (trials.step())
            f.chair.trials.push_back({trials.text(0), trials.text(1), trials.text(2), trials.text(3),
                                      trials.integer(4) != 0, trials.text(5)});
    }
    return f;
}

// ---- who may write what -------------------------------------------------------------------------------------------

void ReviewRepository::requireOwner(std::int64_t caseId, SectionKey key, const Actor& actor, std::string_view what)
{
    requireCase(db_, caseId);
    const Role owner = sectionOwner(key);
    if (!actor.role)
        throw Error(actor.display(), "has no role: sign in as " + withArticle(owner) + " to edit " + std::string(what));
    if (*actor.role != owner)
        throw Error(actor.display(), "cannot edit " + std::string(what) + ": only " + withArticle(owner) +
                                         " writes it (signed in as " + lowerRole(*actor.role) + ")");
}

void ReviewRepository::saveSection(std::int64_t caseId, SectionKey key, const std::string& body, SectionStatus status,
                                   const Actor& actor)
{
    const std::string what = "the section '" + std::string(sectionTitle(key)) + "'";
    requireOwner(caseId, key, actor, what);
    if (status == SectionStatus::Ready && blank(body))
        throw UsageError(std::string(sectionTitle(key)), "an empty section cannot be marked ready");
    Transaction tx(db_);
    const ReviewFindings before = findings(caseId);
    const ReviewSection& old = before.section(key);
    const ReviewSection now{key, body, status, actor.name, utcNow()};
    db_.prepare(
           "INSERT INTO review_sections (case_id, section, body_md, status, updated_by, updated_at) "
           "VALUES (?,?,?,?,?,?) ON CONFLICT(case_id, section) DO UPDATE SET body_md = excluded.body_md, "
           "status = excluded.status, updated_by = excluded.updated_by, updated_at = excluded.updated_at")
        .bind(1, caseId)
        .bind(2, toString(key))
        .bind(3, body)
        .bind(4, toString(status))
        .bind(5, now.updatedBy)
        .bind(6, now.updatedAt)
        .run();
    AuditLog(db_).append(actor, caseId, "review.section", "review_section:" + std::string(toString(key)),
                         old.updatedAt.empty() ? "" : sectionJson(old), sectionJson(now));
    markReadyForSignOffWhenComplete(caseId, actor);
    tx.commit();
}

void ReviewRepository::savePathology(std::int64_t caseId, const PathologyFindings& f, const Actor& actor)
{
    requireOwner(caseId, SectionKey::Pathology, actor, "the pathology findings");
    if ((f.stageAgreement == Agreement::Disagree || f.gradeAgreement == Agreement::Disagree) &&
        blank(f.agreementReasoning))
        throw UsageError("pathology findings", "a disagreement with the referring stage or grade needs its reasoning");
    Transaction tx(db_);
    const auto before = findings(caseId).pathology;
    db_.prepare(
           "INSERT OR REPLACE INTO pathology_findings (case_id, diagnosis, histologic_type, grade, pt, pn, "
           "stage_agreement, grade_agreement, agreement_reasoning, margins, biomarkers) VALUES (?,?,?,?,?,?,?,?,?,?,?)")
        .bind(1, caseId)
        .bind(2, f.diagnosis)
        .bind(3, f.histologicType)
        .bind(4, f.grade)
        .bind(5, f.pT)
        .bind(6, f.pN)
        .bind(7, toString(f.stageAgreement))
        .bind(8, toString(f.gradeAgreement))
        .bind(9, f.agreementReasoning)
        .bind(10, f.margins)
        .bind(11, f.biomarkers)
        .run();
    AuditLog(db_).append(actor, caseId, "review.pathology", "pathology_findings:" + std::to_string(caseId),
                         before.empty() ? "" : toJson(before), toJson(f));
    tx.commit();
}

void ReviewRepository::saveRadiology(std::int64_t caseId, const RadiologyFindings& f, const Actor& actor)
{
    requireOwner(caseId, SectionKey::Radiology, actor, "the radiology findings");
    if (f.stageAgreement == Agreement::Disagree && blank(f.agreementReasoning))
        throw UsageError("radiology findings", "a disagreement with the referring stage needs its reasoning");
    for (const auto& s : f.studies)
        if (blank(s.study))
            throw UsageError("radiology findings", "each study finding names its study");
    Transaction tx(db_);
    const auto before = findings(caseId).radiology;
    db_.prepare(
           "INSERT OR REPLACE INTO radiology_findings (case_id, ct, cn, cm, stage_agreement, agreement_reasoning) "
           "VALUES (?,?,?,?,?,?)")
        .bind(1, caseId)
        .bind(2, f.cT)
        .bind(3, f.cN)
        .bind(4, f.cM)
        .bind(5, toString(f.stageAgreement))
        .bind(6, f.agreementReasoning)
        .run();
    db_.prepare("DELETE FROM radiology_study_findings WHERE case_id = ?").bind(1, caseId).run();
    int position = 0;
    for (const auto& s : f.studies)
        db_.prepare(
               "INSERT INTO radiology_study_findings (case_id, study_instance_uid, study_date, study, findings, "
               "position) VALUES (?,?,?,?,?,?)")
            .bind(1, caseId)
            .bind(2, s.studyInstanceUid)
            .bind(3, s.studyDate)
            .bind(4, s.study)
            .bind(5, s.findings)
            .bind(6, position++)
            .run();
    AuditLog(db_).append(actor, caseId, "review.radiology", "radiology_findings:" + std::to_string(caseId),
                         before.empty() ? "" : toJson(before), toJson(f));
    tx.commit();
}

void ReviewRepository::saveChair(std::int64_t caseId, const ChairFindings& f, const Actor& actor)
{
    requireOwner(caseId, SectionKey::Pathway, actor, "the board's recommendation");
    for (const auto& t : f.trials) {
        if (!plausibleRegistryId(t.registryId))
            throw UsageError(t.registryId.empty() ? "trial" : t.registryId,
                             "not a trial registry ID (NCT + 8 digits, ChiCTR…, or another registry's number)");
        if (blank(t.title))
            throw UsageError(t.registryId, "a trial option needs its title");
    }
    Transaction tx(db_);
    const auto before = findings(caseId).chair;
    db_.prepare(
           "INSERT OR REPLACE INTO chair_findings (case_id, intent, sequence, alternatives, video_advised) "
           "VALUES (?,?,?,?,?)")
        .bind(1, caseId)
        .bind(2, f.intent)
        .bind(3, f.sequence)
        .bind(4, f.alternatives)
        .bind(5, f.videoAdvised ? std::optional<std::int64_t>(*f.videoAdvised ? 1 : 0) : std::nullopt)
        .run();
    db_.prepare("DELETE FROM trial_options WHERE case_id = ?").bind(1, caseId).run();
    int position = 0;
    for (const auto& t : f.trials)
        db_.prepare(
               "INSERT INTO trial_options (case_id, registry_id, title, phase, site, open_only_in_china, "
               "key_eligibility, position) VALUES (?,?,?,?,?,?,?,?)")
            .bind(1, caseId)
            .bind(2, t.registryId)
            .bind(3, t.title)
            .bind(4, t.phase)
            .bind(5, t.site)
            .bind(6, t.openOnlyInChina ? 1 : 0)
            .bind(7, t.keyEligibility)
            .bind(8, position++)
            .run();
    AuditLog(db_).append(actor, caseId, "review.chair", "chair_findings:" + std::to_string(caseId), toJson(before),
                         toJson(f));
    tx.commit();
}

// When the last section is marked ready the case waits for the chair's sign-off (only from an earlier state).
void ReviewRepository::markReadyForSignOffWhenComplete(std::int64_t caseId, const Actor& actor)
{
    if (!findings(caseId).draftSections().empty())
        return;
    auto s = db_.prepare("SELECT status FROM cases WHERE id = ?");
    s.bind(1, caseId);
    s.step();
    const std::string status = s.text(0);
    if (status != "received" && status != "in-review")
        return;
    db_.prepare("UPDATE cases SET status = 'ready-for-sign-off' WHERE id = ?").bind(1, caseId).run();
    AuditLog(db_).append(actor, caseId, "case.status", "case:" + std::to_string(caseId),
                         JsonObject().add("status", status).str(),
                         JsonObject().add("status", "ready-for-sign-off").str());
}

// ---- key images ---------------------------------------------------------------------------------------------------

std::vector<KeyImage> ReviewRepository::keyImages(std::int64_t caseId)
{
    auto s = db_.prepare(
        "SELECT id, coalesce(png_path, ''), coalesce(png, ''), caption, source, position, added_by, added_at "
        "FROM key_images WHERE case_id = ? ORDER BY position, id");
    s.bind(1, caseId);
    std::vector<KeyImage> out;
    while (s.step())
        out.push_back(
            {s.integer(0), s.text(1), s.text(2), s.text(3), s.text(4), int(s.integer(5)), s.text(6), s.text(7)});
    return out;
}

std::size_t ReviewRepository::keyImageCount(std::int64_t caseId)
{
    auto s = db_.prepare("SELECT count(*) FROM key_images WHERE case_id = ?");
    s.bind(1, caseId);
    s.step();
    return std::size_t(s.integer(0));
}

KeyImage ReviewRepository::addKeyImage(std::int64_t caseId, KeyImage image, const Actor& actor)
{
    requireCase(db_, caseId);
    if (!actor.role)
        throw Error(actor.display(), "has no role: sign in as a reviewer to add a key image");
    if (image.pngPath.empty() && image.png.empty())
        throw UsageError("key image", "needs a PNG (a file in the case folder or the image itself)");
    Transaction tx(db_);
    auto next = db_.prepare("SELECT coalesce(max(position), -1) + 1 FROM key_images WHERE case_id = ?");
    next.bind(1, caseId);
    next.step();
    image.position = int(next.integer(0));
    image.addedBy = actor.display();
    image.addedAt = utcNow();
    auto insert = db_.prepare(
        "INSERT INTO key_images (case_id, png_path, png, caption, source, position, added_by, added_at) "
        "VALUES (?, ?, CAST(? AS BLOB), ?, ?, ?, ?, ?)");
    insert.bind(1, caseId).bind(2, image.pngPath.empty() ? std::nullopt : std::optional(image.pngPath));
    if (image.png.empty())
        insert.bindNull(3);
    else
        insert.bind(3, std::string_view(image.png));  // bound as text, cast to a BLOB byte for byte
    insert.bind(4, image.caption)
        .bind(5, image.source)
        .bind(6, image.position)
        .bind(7, image.addedBy)
        .bind(8, image.addedAt);
    insert.run();
    image.id = db_.lastInsertId();
    AuditLog(db_).append(actor, caseId, "review.key_image_add", "key_image:" + std::to_string(image.id), "",
                         keyImageJson(image));
    tx.commit();
    return image;
}

void ReviewRepository::removeKeyImage(std::int64_t caseId, std::int64_t imageId, const Actor& actor)
{
    if (!actor.role)
        throw Error(actor.display(), "has no role: sign in as a reviewer to remove a key image");
    Transaction tx(db_);
    const auto images = keyImages(caseId);
    const auto it = std::find_if(images.begin(), images.end(), [&](const auto& k) { return k.id == imageId; });
    if (it == images.end())
        throw Error("key image " + std::to_string(imageId), "not in this case");
    db_.prepare("DELETE FROM key_images WHERE id = ?").bind(1, imageId).run();
    AuditLog(db_).append(actor, caseId, "review.key_image_remove", "key_image:" + std::to_string(imageId),
                         keyImageJson(*it), "");
    tx.commit();
}

// ---- versions -------------------------------------------------------------------------------------------------

std::vector<ReviewVersion> ReviewRepository::versions(std::int64_t caseId)
{
    auto s = db_.prepare(
        "SELECT id, case_id, version, pdf_sha256, stored_path, pages, finalized_by, finalized_at, amendment_reason "
        "FROM review_versions WHERE case_id = ? ORDER BY version");
    s.bind(1, caseId);
    std::vector<ReviewVersion> out;
    while (s.step())
        out.push_back(versionFromRow(s));
    return out;
}

std::optional<ReviewVersion> ReviewRepository::latestVersion(std::int64_t caseId)
{
    auto all = versions(caseId);
    return all.empty() ? std::nullopt : std::optional(all.back());
}

void ReviewRepository::checkCanFinalize(std::int64_t caseId, const Actor& actor, const std::string& reason)
{
    requireCase(db_, caseId);
    if (!actor.role || *actor.role != Role::BoardChair)
        throw Error(actor.display(), "cannot finalize the review: only the board chair signs it");
    std::string drafts;
    for (SectionKey key : findings(caseId).draftSections())
        drafts += (drafts.empty() ? "" : ", ") + std::string(sectionTitle(key));
    if (!drafts.empty())
        throw Error("review", "cannot be finalized while sections are drafts: " + drafts);
    if (latestVersion(caseId) && blank(reason))
        throw UsageError("review", "is already finalized: an amendment needs its reason");
}

ReviewVersion ReviewRepository::recordVersion(std::int64_t caseId, const StoredFile& pdf, int pages, const Actor& actor,
                                              const std::string& reason, const std::string& finalizedAt)
{
    Transaction tx(db_);
    checkCanFinalize(caseId, actor, reason);
    const auto previous = latestVersion(caseId);
    ReviewVersion v{0,
                    caseId,
                    previous ? previous->version + 1 : 1,
                    pdf.sha256,
                    pdf.relativePath,
                    pages,
                    actor.display(),
                    finalizedAt,
                    previous ? reason : std::string()};
    db_.prepare(
           "INSERT INTO review_versions (case_id, version, pdf_sha256, stored_path, pages, finalized_by, "
           "finalized_at, amendment_reason) VALUES (?,?,?,?,?,?,?,?)")
        .bind(1, caseId)
        .bind(2, v.version)
        .bind(3, v.pdfSha256)
        .bind(4, v.storedPath)
        .bind(5, v.pages)
        .bind(6, v.finalizedBy)
        .bind(7, v.finalizedAt)
        .bind(8, v.amendmentReason)
        .run();
    v.id = db_.lastInsertId();
    auto status = db_.prepare("SELECT status FROM cases WHERE id = ?");
    status.bind(1, caseId);
    status.step();
    const std::string before = status.text(0);
    AuditLog audit(db_);
    audit.append(actor, caseId, v.version == 1 ? "review.finalize" : "review.amend",
                 "review_version:" + std::to_string(v.id), previous ? toJson(*previous) : "", toJson(v));
    if (before != "finalized") {
        db_.prepare("UPDATE cases SET status = 'finalized' WHERE id = ?").bind(1, caseId).run();
        audit.append(actor, caseId, "case.status", "case:" + std::to_string(caseId),
                     JsonObject().add("status", before).str(), JsonObject().add("status", "finalized").str());
    }
    tx.commit();
    return v;
}

// ---- for the documents ---------------------------------------------------------------------------------------

std::optional<ReviewedStudy> ReviewRepository::reviewedStudy(std::int64_t caseId)
{
    auto s = db_.prepare(
        "SELECT study_instance_uid, study_date, patient_name, patient_id FROM imaging_series "
        "WHERE case_id = ? AND patient_check <> 'mismatch' ORDER BY study_date DESC, id DESC LIMIT 1");
    s.bind(1, caseId);
    if (!s.step())
        return std::nullopt;
    return ReviewedStudy{s.text(0), s.text(1), s.text(2), s.text(3)};
}

std::string ReviewRepository::lastChangedAt(std::int64_t caseId)
{
    auto s = db_.prepare(
        "SELECT coalesce(max(at), (SELECT created_at FROM cases WHERE id = ?1)) FROM audit_log "
        "WHERE case_id = ?1 AND action IN ('review.section', 'review.pathology', 'review.radiology', 'review.chair', "
        "'review.key_image_add', 'review.key_image_remove')");
    s.bind(1, caseId);
    s.step();
    return s.text(0);
}

}  // namespace consilium::store
