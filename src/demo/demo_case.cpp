#include "demo/demo_case.h"

#include <chrono>
#include <cmath>
#include <ostream>

#include "demo/demo_documents.h"
#include "demo/demo_review.h"
#include "demo/torso_phantom.h"
#include "imaging/dicom_import.h"
#include "imaging/synthetic_series.h"
#include "model/error.h"
#include "pathology/slide_attachment.h"
#include "pathology/synthetic_slide.h"
#include "store/attachment_repository.h"
#include "store/case_repository.h"

namespace consilium::demo {
using namespace consilium::model;
namespace fs = std::filesystem;

namespace {

// F-18 FDG PET/CT: 72 kg, 370 MBq injected at 09:12, PET series starting 60 min later.
constexpr double kWeightKg = 72.0;
constexpr double kInjectedBq = 370.0e6;
constexpr double kHalfLifeS = 6586.2;
constexpr double kUptakeS = 3600.0;

double bqPerMlPerSuv()
{
    const double decayedDose = kInjectedBq * std::exp2(-kUptakeS / kHalfLifeS);
    return decayedDose / (kWeightKg * 1000.0);  // SUVbw: Bq/mL per g/mL
}

imaging::StudyIdentity studyIdentity(const char* date, const char* time, const char* description, const char* accession)
{
    imaging::StudyIdentity s;
    s.patientName = "Sadykova^Aigerim";
    s.patientId = kDemoPatientIdentifier;
    s.patientBirthDate = "19670314";
    s.patientSex = "F";
    s.studyInstanceUid = imaging::newUid();
    s.studyDate = date;
    s.studyTime = time;
    s.studyId = accession + 4;
    s.accessionNumber = accession;
    s.studyDescription = description;
    s.referringPhysicianName = "Abenov^Nurlan";
    s.institutionName = "Almaty City Oncology Centre";
    s.frameOfReferenceUid = imaging::newUid();
    s.patientWeightKg = kWeightKg;
    s.patientSizeM = 1.64;
    return s;
}

double secondsSince(std::chrono::steady_clock::time_point start)
{
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

void writeImaging(const fs::path& dir, std::ostream& progress)
{
    const TorsoPhantom phantom;
    auto t0 = std::chrono::steady_clock::now();

    // PET/CT: one study, one frame of reference, so PET can be fused onto CT.
    const auto petCt =
        studyIdentity("20261027", "091000", "PET/CT FDG whole body (skull base to mid-thigh)", "ACC26104412");
    imaging::SyntheticSeries ct;
    ct.modality = imaging::SyntheticModality::CT;
    ct.seriesNumber = 2;
    ct.seriesDescription = "CT thorax-abdomen 2.5 mm soft tissue (PET/CT, low dose)";
    ct.seriesDate = "20261027";
    ct.seriesTime = "100800";
    ct.columns = ct.rows = 512;
    ct.slices = 120;
    ct.spacingX = ct.spacingY = 0.78125;
    ct.sliceSpacing = 2.5;
    ct.firstVoxelLps = {-199.609375, -199.609375, -147.5};  // feet to head, inside the phantom
    ct.value = [&](double x, double y, double z) { return phantom.ctHu(x, y, z); };
    imaging::writeSyntheticSeries(petCt, ct, dir / "PETCT" / "CT");
    progress << "  CT   512 × 512 × 120 written (" << secondsSince(t0) << " s)\n";

    t0 = std::chrono::steady_clock::now();
    imaging::SyntheticSeries pet;
    pet.modality = imaging::SyntheticModality::PT;
    pet.seriesNumber = 3;
    pet.seriesDescription = "PET FDG AC (OSEM 3i21s, 4 mm)";
    pet.seriesDate = "20261027";
    pet.seriesTime = "101200";
    pet.columns = pet.rows = 144;
    pet.slices = 92;
    pet.spacingX = pet.spacingY = 4.0;
    pet.sliceSpacing = 3.27;
    pet.firstVoxelLps = {-286.0, -286.0, -150.0};
    const double scale = bqPerMlPerSuv();
    pet.value = [&phantom, scale](double x, double y, double z) { return phantom.petBqPerMl(x, y, z, scale); };
    pet.pet = imaging::PetDose{kInjectedBq, "20261027091200.000000", kHalfLifeS, "Fludeoxyglucose F^18^"};
    imaging::writeSyntheticSeries(petCt, pet, dir / "PETCT" / "PET");
    progress << "  PET  144 × 144 × 92 written (" << secondsSince(t0) << " s)\n";

    t0 = std::chrono::steady_clock::now();
    const auto mrStudy = studyIdentity("20261029", "143000", "MR thorax/upper abdomen staging", "ACC26104498");
    imaging::SyntheticSeries mr;
    mr.modality = imaging::SyntheticModality::MR;
    mr.seriesNumber = 5;
    mr.seriesDescription = "T2 HASTE axial fat-sat 5 mm";
    mr.seriesDate = "20261029";
    mr.seriesTime = "144500";
    mr.columns = mr.rows = 256;
    mr.slices = 56;
    mr.spacingX = mr.spacingY = 1.5625;
    mr.sliceSpacing = 5.0;
    mr.firstVoxelLps = {-199.21875, -199.21875, -140.0};
    mr.value = [&](double x, double y, double z) { return phantom.mrT2Signal(x, y, z); };
    imaging::writeSyntheticSeries(mrStudy, mr, dir / "MR");
    progress << "  MR   256 × 256 × 56 written (" << secondsSince(t0) << " s)\n";
}

CaseIntake demoIntake()
{
    CaseIntake in;
    in.patient.name = "Aigerim Sadykova (Айгерим Садыкова)";
    in.patient.birthDate = parseIsoDate("1967-03-14");
    in.patient.sex = "F";
    in.patient.referringIdentifier = kDemoPatientIdentifier;
    in.patient.country = "Kazakhstan";
    in.referringInstitution = "Almaty City Oncology Centre, Almaty, Kazakhstan";
    in.referringOncologist = "Dr Nurlan Abenov";
    in.diagnosisAsReferred =
        "Adenocarcinoma of the right lower lobe, cT2aN2M0, stage IIIA (AJCC 8th), EGFR exon 19 deletion, G2";
    in.question =
        "After two cycles of carboplatin–pemetrexed with stable disease, should she have a right lower lobectomy, or "
        "definitive concurrent chemoradiation followed by osimertinib — and is there a clinical trial she could join?";
    // The demo always looks current: received two business days ago.
    in.receivedOn = addBusinessDays(today(), -2);
    in.service = ServiceOrdered::WrittenReviewWithVideo;
    in.feeQuotedUsd = 2300;
    return in;
}

void addTreatmentHistory(store::CaseRepository& cases, std::int64_t caseId, const store::Actor& actor)
{
    const TreatmentLine lines[] = {
        {0, caseId, TreatmentKind::Surgery, "EBUS-TBNA (stations 4R, 7) and CT-guided core biopsy, right lower lobe",
         "", parseIsoDate("2026-07-30"), parseIsoDate("2026-07-30"),
         "Diagnostic: adenocarcinoma; station 7 positive, 4R negative", 0},
        {0, caseId, TreatmentKind::Systemic, "Carboplatin + pemetrexed (induction)",
         "AUC 5 + 500 mg/m² every 3 weeks × 2 cycles", parseIsoDate("2026-08-24"), parseIsoDate("2026-09-28"),
         "Stable disease (RECIST 1.1): primary 31 → 28 mm; grade 2 fatigue", 0},
    };
    for (const auto& line : lines)
        cases.addTreatmentLine(line, actor);
}

// A few other referrals in different states, so the case list looks like a working board's.
void addOtherReferrals(store::CaseRepository& cases, const store::Actor& actor)
{
    struct Other {
        const char* name;
        const char* birth;
        const char* sex;
        const char* country;
        const char* institution;
        const char* oncologist;
        const char* diagnosis;
        const char* question;
        int receivedBusinessDaysAgo;
        CaseStatus status;
    };
    const Other others[] = {
        {"Nguyễn Thị Lan", "1979-09-02", "F", "Viet Nam", "Hanoi Oncology Hospital", "Dr Tran Van Minh",
         "Invasive ductal carcinoma, left breast, cT2N1M0, ER+/PR+/HER2 2+ (FISH pending)",
         "Is neoadjuvant chemotherapy with a CDK4/6 inhibitor appropriate, or should she have surgery first?", 0,
         CaseStatus::Received},
        {"Батбаяр Ганболд", "1958-01-20", "M", "Mongolia", "National Cancer Center of Mongolia", "Dr Oyuntsetseg B.",
         "Sigmoid adenocarcinoma with synchronous liver metastases (segments 6 and 7), KRAS G12D",
         "Are the liver metastases resectable after conversion chemotherapy, and which regimen?", 12,
         CaseStatus::InReview},
        {"María José Ferreira", "1971-06-11", "F", "Portugal", "Hospital de Santo António, Porto", "Dr Rui Almeida",
         "High-grade serous ovarian carcinoma, FIGO IIIC, BRCA1 germline mutation",
         "Interval debulking after 3 cycles, or 3 more cycles first? Is PARP maintenance indicated?", 9,
         CaseStatus::ReadyForSignOff},
    };
    for (const Other& o : others) {
        CaseIntake in;
        in.patient.name = o.name;
        in.patient.birthDate = parseIsoDate(o.birth);
        in.patient.sex = o.sex;
        in.patient.country = o.country;
        in.referringInstitution = o.institution;
        in.referringOncologist = o.oncologist;
        in.diagnosisAsReferred = o.diagnosis;
        in.question = o.question;
        in.receivedOn = addBusinessDays(today(), -o.receivedBusinessDaysAgo);
        in.feeQuotedUsd = 1500;
        const Case c = cases.create(in, actor);
        if (o.status != CaseStatus::Received)
            cases.setStatus(c.id, o.status, actor);
    }
}

}  // namespace

std::optional<Case> findDemoCase(store::Database& db)
{
    auto s = db.prepare(
        "SELECT c.reference FROM cases c JOIN patients p ON p.id = c.patient_id "
        "WHERE p.referring_identifier = ? ORDER BY c.id LIMIT 1");
    s.bind(1, kDemoPatientIdentifier);
    if (!s.step())
        return std::nullopt;
    return store::CaseRepository(db).find(s.text(0));
}

Case createDemoCase(store::Database& db, const fs::path& referralDir, const store::Actor& actor, std::ostream& progress)
{
    progress << "Writing the referring centre's package to " << referralDir.string() << "\n";
    fs::create_directories(referralDir);
    writeImaging(referralDir / "dicom", progress);

    auto t0 = std::chrono::steady_clock::now();
    const fs::path slidePath = referralDir / "pathology" / "AL26-S-10387-A1_RLL-core-HE.svs";
    fs::create_directories(slidePath.parent_path());
    pathology::SyntheticSlideSpec spec;
    spec.labelText = "AL26-S-10387 A1 H&E";
    pathology::writeSyntheticSlide(spec, slidePath);
    progress << "  slide " << spec.width << " × " << spec.height << " px written ("
             << std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count() << " s)\n";

    const auto documents = writeDemoDocuments(referralDir / "documents");
    progress << "  " << documents.size() << " documents written\n";

    progress << "Registering the case and importing the files\n";
    store::CaseRepository cases(db);
    const Case c = cases.create(demoIntake(), actor);
    addTreatmentHistory(cases, c.id, actor);
    store::AttachmentRepository attachments(db);
    for (const auto& d : documents)
        attachments.attach(c.id, d.file, d.kind, d.title, actor);
    const auto report = imaging::importDicomFiles(db, c.id, {referralDir / "dicom"}, actor);
    if (!report.problems.empty())
        throw Error(referralDir.string(), "demo DICOM could not be imported: " + report.problems.front());
    progress << "  " << report.imported << " DICOM instances indexed\n";
    pathology::attachSlide(db, c.id, slidePath, "Core biopsy, right lower lobe — H&E (block A1)", actor);
    cases.setStatus(c.id, CaseStatus::InReview, actor);
    addDemoReview(db, c, slidePath);
    addOtherReferrals(cases, actor);
    return cases.get(c.id);
}

}  // namespace consilium::demo
