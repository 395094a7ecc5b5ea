#include "report/review_workflow.h"

#include <unistd.h>

#include <fstream>
#include <map>
#include <sstream>

#include "model/error.h"
#include "model/json.h"
#include "model/sha256.h"
#include "report/encapsulated_pdf.h"
#include "report/measurement_tables.h"
#include "store/attachment_repository.h"
#include "store/case_files.h"
#include "store/case_repository.h"
#include "store/imaging_index.h"
#include "store/review_repository.h"
#include "store/slide_repository.h"

namespace consilium::report {
using namespace consilium::model;
namespace fs = std::filesystem;

namespace {

std::string readFile(const fs::path& file)
{
    std::ifstream in(file, std::ios::binary);
    if (!in)
        throw Error(file.string(), "cannot be read");
    std::ostringstream bytes;
    bytes << in.rdbuf();
    return bytes.str();
}

int settingInt(store::Database& db, const char* key, int fallback)
{
    auto s = db.prepare("SELECT value FROM settings WHERE key = ?");
    s.bind(1, key);
    if (!s.step())
        return fallback;
    try {
        return std::stoi(s.text(0));
    } catch (const std::exception&) {
        return fallback;
    }
}

// "20261027" → "27 Oct 2026"
std::string shortDicomDate(const std::string& da)
{
    static const char* months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    if (da.size() != 8)
        return da;
    const int month = std::stoi(da.substr(4, 2));
    if (month < 1 || month > 12)
        return da;
    return std::to_string(std::stoi(da.substr(6, 2))) + " " + months[month - 1] + " " + da.substr(0, 4);
}

// What the board had in hand: the documents, the imaging study by study, the slides.
std::vector<std::string> materialsReviewed(store::Database& db, std::int64_t caseId)
{
    std::vector<std::string> out;
    for (const auto& a : store::AttachmentRepository(db).forCase(caseId))
        out.push_back(std::string(displayName(a.kind)) + ": " + (a.title.empty() ? a.originalName : a.title));
    std::vector<std::string> studyOrder;
    std::map<std::string, std::string> studies;
    for (const auto& s : store::ImagingIndex(db).series(caseId)) {
        std::string& line = studies[s.studyInstanceUid];
        if (line.empty()) {
            studyOrder.push_back(s.studyInstanceUid);
            line = "DICOM imaging: " + (s.studyDescription.empty() ? s.modality : s.studyDescription) + ", " +
                   shortDicomDate(s.studyDate) + " —";
        } else {
            line += ";";
        }
        line += " " + (s.seriesDescription.empty() ? s.modality : s.seriesDescription) + " (" +
                std::to_string(s.instanceCount) + " images)";
    }
    for (const auto& uid : studyOrder)
        out.push_back(studies[uid]);
    for (const auto& s : store::SlideRepository(db).forCase(caseId))
        out.push_back("Whole-slide image: " + (s.title.empty() ? s.originalName : s.title) + " (" + s.info.vendor +
                      ")");
    return out;
}

std::vector<ReviewImage> keyImages(store::Database& db, std::int64_t caseId)
{
    const store::CaseFiles files(db.libraryRoot());
    std::vector<ReviewImage> out;
    for (const auto& k : store::ReviewRepository(db).keyImages(caseId))
        out.push_back({k.png.empty() ? readFile(files.absolute(k.pngPath)) : k.png, k.caption, k.source});
    return out;
}

// The pathologist and the radiologist sign their sections when they mark them ready; the chair signs by finalizing.
std::vector<Signature> signatures(const ReviewFindings& f)
{
    const auto sectionSignature = [&](SectionKey key) {
        const ReviewSection& s = f.section(key);
        return Signature{s.updatedBy.empty() ? "—" : s.updatedBy, sectionOwner(key),
                         s.status == SectionStatus::Ready ? s.updatedAt.substr(0, 10) : ""};
    };
    Signature chair{"—", Role::BoardChair, ""};
    std::string latest;
    for (SectionKey key : kAllSections) {
        const ReviewSection& s = f.section(key);
        if (sectionOwner(key) == Role::BoardChair && !s.updatedBy.empty() && s.updatedAt > latest) {
            latest = s.updatedAt;
            chair.name = s.updatedBy;
        }
    }
    return {sectionSignature(SectionKey::Pathology), sectionSignature(SectionKey::Radiology), chair};
}

// "Dr Nurlan Abenov" → "Abenov^Nurlan^^Dr": DICOM's family^given^middle^prefix form, so the PACS files and sorts
// the name. A name without spaces (王秀英) or already in DICOM form is kept as written.
std::string dicomPersonName(const std::string& name)
{
    if (name.find('^') != std::string::npos)
        return name;
    std::vector<std::string> words;
    std::istringstream in(name);
    for (std::string w; in >> w;)
        words.push_back(w);
    if (words.size() < 2)
        return name;
    std::string prefix;
    for (const char* title : {"Dr", "Dr.", "Prof", "Prof.", "Professor", "Mr", "Mrs", "Ms"})
        if (words.front() == title) {
            prefix = words.front();
            words.erase(words.begin());
            break;
        }
    if (words.empty())
        return name;
    std::string given;
    for (std::size_t i = 0; i + 1 < words.size(); ++i)
        given += (given.empty() ? "" : " ") + words[i];
    std::string pn = words.back() + "^" + given;
    if (!prefix.empty())
        pn += "^^" + prefix;
    return pn;
}

}  // namespace

PageBounds reviewPageBounds(store::Database& db)
{
    return {settingInt(db, "review_min_pages", 5), settingInt(db, "review_max_pages", 8)};
}

ReviewDocument gatherReview(store::Database& db, std::int64_t caseId, const std::vector<ReviewTable>& tables)
{
    store::CaseRepository cases(db);
    store::ReviewRepository reviews(db);
    ReviewDocument doc;
    doc.theCase = cases.get(caseId);
    doc.treatmentHistory = cases.treatmentHistory(caseId);
    doc.materialsReviewed = materialsReviewed(db, caseId);
    doc.findings = reviews.findings(caseId);
    doc.images = keyImages(db, caseId);
    doc.tables = tables;
    // The imaging re-read's RECIST and region tables come with the case, whoever compiles it.
    for (ReviewTable& t : measurementTables(db, caseId))
        doc.tables.push_back(std::move(t));
    doc.signatures = signatures(doc.findings);
    doc.documentTime = reviews.lastChangedAt(caseId);
    doc.issuedOn = doc.documentTime.substr(0, 10);
    return doc;
}

CompileResult compileCaseReview(store::Database& db, std::int64_t caseId, const fs::path& out,
                                const CompileOptions& options, const std::vector<ReviewTable>& tables)
{
    return compileReview(gatherReview(db, caseId, tables), out, options);
}

FinalizedReview finalizeReview(store::Database& db, std::int64_t caseId, const store::Actor& actor,
                               const std::string& amendmentReason, const CompileOptions& options,
                               const std::vector<ReviewTable>& tables)
{
    store::ReviewRepository reviews(db);
    reviews.checkCanFinalize(caseId, actor, amendmentReason);  // before any work: a refusal leaves nothing behind
    const auto previous = reviews.latestVersion(caseId);
    const std::string signedAt = store::utcNow();

    ReviewDocument doc = gatherReview(db, caseId, tables);
    doc.version = previous ? previous->version + 1 : 1;
    doc.amendmentReason = previous ? amendmentReason : "";
    doc.documentTime = signedAt;
    doc.issuedOn = signedAt.substr(0, 10);
    doc.signatures.back() = {actor.name, Role::BoardChair, doc.issuedOn};

    // Typeset beside its final place, then store it under its hash; the scratch file goes either way.
    store::CaseFiles files(db.libraryRoot());
    const fs::path scratch =
        files.absolute(doc.theCase.reference + "/review/.compiling-" + std::to_string(::getpid()) + ".pdf");
    fs::create_directories(scratch.parent_path());
    FinalizedReview result;
    store::StoredFile stored;
    try {
        result.compile = compileReview(doc, scratch, options);
        stored = files.store(doc.theCase.reference, "review", scratch);
    } catch (...) {
        fs::remove(scratch);
        throw;
    }
    fs::remove(scratch);
    result.pdf = files.absolute(stored.relativePath);
    // Locked on disk as in the database: nobody writes to a signed review.
    std::error_code ignored;
    fs::permissions(result.pdf, fs::perms::owner_read | fs::perms::group_read | fs::perms::others_read,
                    fs::perm_options::replace, ignored);
    result.version = reviews.recordVersion(caseId, stored, result.compile.pages, actor, amendmentReason, signedAt);
    return result;
}

ReviewVersion exportReviewDicom(store::Database& db, std::int64_t caseId, const fs::path& out,
                                const store::Actor& actor)
{
    store::ReviewRepository reviews(db);
    const Case c = store::CaseRepository(db).get(caseId);
    const auto version = reviews.latestVersion(caseId);
    if (!version)
        throw Error(c.reference, "the review has not been finalized yet: the board chair finalizes it first");
    const fs::path pdfPath = store::CaseFiles(db.libraryRoot()).absolute(version->storedPath);
    const std::string pdf = readFile(pdfPath);
    if (sha256Hex(pdf) != version->pdfSha256)
        throw Error(pdfPath.string(), "no longer matches the SHA-256 recorded when it was signed");

    DicomDocumentIdentity id;
    id.patientName = c.patient.name;
    id.patientId = c.patient.referringIdentifier;
    if (c.patient.birthDate) {
        const std::string iso = formatIsoDate(*c.patient.birthDate);
        id.patientBirthDate = iso.substr(0, 4) + iso.substr(5, 2) + iso.substr(8, 2);
    }
    id.patientSex = c.patient.sex;
    // Filed with the imaging it answers, under the identity the referring PACS gave the patient; without imaging it
    // opens a study of its own, numbered by the case.
    if (const auto study = reviews.reviewedStudy(caseId); !study) {
        id.studyId = c.reference.substr(0, 16);
    } else {
        id.studyInstanceUid = study->studyInstanceUid;
        id.studyDate = study->studyDate;
        if (!study->patientName.empty())
            id.patientName = study->patientName;
        if (!study->patientId.empty())
            id.patientId = study->patientId;
    }
    id.referringPhysicianName = dicomPersonName(c.referringOncologist);
    id.documentTitle =
        "Written multidisciplinary review " + c.reference + ", version " + std::to_string(version->version);
    id.contentDateTime = version->finalizedAt;
    id.instanceNumber = version->version;
    writeEncapsulatedPdf(pdf, id, out);

    store::Transaction tx(db);
    store::AuditLog(db).append(actor, caseId, "review.export_dicom", "review_version:" + std::to_string(version->id),
                               "", JsonObject().add("version", version->version).add("file", out.string()).str());
    tx.commit();
    return *version;
}

}  // namespace consilium::report
