#include "demo/demo_review.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <fstream>

#include "demo/torso_phantom.h"
#include "model/error.h"
#include "model/review.h"
#include "pathology/slide.h"
#include "report/review_images.h"
#include "store/case_files.h"
#include "store/review_repository.h"
#include "store/reviewer_repository.h"

namespace consilium::demo {
using namespace consilium::model;
namespace fs = std::filesystem;

namespace {

const store::Actor kPathologist{kDemoPathologist, Role::Pathologist};
const store::Actor kRadiologist{kDemoRadiologist, Role::Radiologist};
const store::Actor kChair{kDemoChair, Role::BoardChair};

// The bodies below are wrapped for reading in this file; a reviewer types a paragraph as one line, and the editor
// wraps it to its width. Joins the lines of each paragraph (a list item's continuation lines too), keeping list
// items, headings and blank lines where they are.
std::string asTyped(std::string_view wrapped)
{
    std::string out;
    bool joinable = false;  // the previous line is text that a following line continues
    for (std::size_t start = 0; start <= wrapped.size();) {
        const std::size_t end = std::min(wrapped.find('\n', start), wrapped.size());
        const std::string_view line = wrapped.substr(start, end - start);
        start = end + 1;
        const std::size_t first = line.find_first_not_of(' ');
        if (first == std::string_view::npos) {
            if (!out.empty() && !out.ends_with("\n\n"))
                out += out.ends_with('\n') ? "\n" : "\n\n";
            joinable = false;
            continue;
        }
        const std::string_view text = line.substr(first);
        const bool opens = text.starts_with("- ") || text.starts_with("#") ||
                           (text.size() > 2 && std::isdigit(static_cast<unsigned char>(text[0])) && text[1] == '.');
        if (joinable && !opens) {
            out += ' ';
            out += text;
        } else {
            if (!out.empty() && !out.ends_with('\n'))
                out += '\n';
            out += line;
        }
        joinable = true;
    }
    return out;
}

// ---- the pathologist --------------------------------------------------------------------------------------------

PathologyFindings pathologyFindings()
{
    PathologyFindings p;
    p.diagnosis =
        "Invasive non-mucinous adenocarcinoma of the lung, right lower lobe; metastatic to the subcarinal lymph node "
        "(station 7)";
    p.histologicType = "Acinar predominant: acinar about 60 %, solid 20 %, cribriform 15 %, lepidic 5 %";
    p.grade = "IASLC grade 3 (poorly differentiated): high-grade patterns in 20 % or more of the tumour";
    p.pT = "pTX (core biopsy; size from imaging)";
    p.pN = "N2 confirmed cytologically (EBUS-TBNA station 7 positive, 4R negative)";
    p.stageAgreement = Agreement::Agree;
    p.gradeAgreement = Agreement::Disagree;
    p.agreementReasoning =
        "The local report grades on the predominant pattern (G2). The IASLC grading adopted by the WHO 2021 "
        "classification makes a tumour grade 3 when high-grade patterns (solid, micropapillary, cribriform, complex "
        "glands) reach 20 %, whatever the predominant pattern; the solid nests and the cribriform focus do.";
    p.margins = "Not applicable (biopsy specimens)";
    p.biomarkers =
        "- **EGFR exon 19 deletion** (p.E746_A750del, VAF 32 %): a sensitising mutation; it predicts benefit from "
        "EGFR tyrosine kinase inhibitors and is the basis of the recommendation below.\n"
        "- **TP53 R273H** (VAF 28 %): a co-mutation associated with a shorter duration of response to EGFR "
        "inhibitors; it does not change the choice of treatment.\n"
        "- **PD-L1 (22C3) TPS 5 %** on a small biopsy. In EGFR-mutant disease PD-L1 does not predict benefit from "
        "immunotherapy and should not steer the decision.\n"
        "- TTF-1 and napsin A positive, p40 negative: the immunoprofile of a lung adenocarcinoma. ALK (D5F3) "
        "negative; ROS1, RET and NTRK fusions absent on the RNA panel.\n"
        "- Tumour content of the sequenced sample (40 %) was adequate; the negative results are reliable.";
    return p;
}

constexpr const char* kPathologyBody = R"(We reviewed the scanned H&E slide of core biopsy A1 (40× whole-slide image),
the local histopathology report AL26-S-10387 with its immunohistochemistry, and the NGS report LungPanel-52.

**We agree with the diagnosis.** The cores show an invasive adenocarcinoma forming acinar glands in a desmoplastic
stroma, with a cribriform focus and solid nests. The morphology, TTF-1 and napsin A positivity and p40 negativity
confirm a primary lung adenocarcinoma; there is no squamous or neuroendocrine component.

**We disagree with the grade.** Applying the IASLC grading system, the tumour is **grade 3**, not G2 (see the
reasoning above). On a biopsy the proportion of high-grade patterns is an estimate and the resection specimen, if
there is one, could change it. Grade 3 is associated with a higher risk of recurrence after surgery; it supports
systemic therapy as part of any curative plan rather than changing the plan itself.

**Stage.** A core biopsy cannot assign pT; the N2 category is confirmed by cytology of station 7, which we agree is
adequate (cohesive clusters of malignant cells with the same morphology). Station 4R is negative on the material
sent, but EBUS samples a node rather than clearing it.

Points for the treating team:

1. If the patient goes to surgery, the resection should be graded again on the whole tumour and the nodes examined
   by station.
2. If a later biopsy is taken at progression, it should be re-sequenced (EGFR resistance mechanisms such as MET
   amplification or C797S; histological transformation).
)";

// ---- the radiologist ----------------------------------------------------------------------------------------

RadiologyFindings radiologyFindings()
{
    RadiologyFindings r;
    r.studies = {
        {"", "2026-10-27", "FDG PET/CT, skull base to mid-thigh",
         "Spiculated right lower lobe mass, **28 × 21 mm** (axial), SUVmax **11.0** in its rim, with a less avid "
         "necrotic centre (SUV 2.5). Subcarinal (station 7) node **15 mm** short axis, SUVmax **6.0**. No other "
         "FDG-avid node (4R, 10R, 2R and contralateral stations below blood pool). No pleural effusion. Liver, "
         "adrenals and skeleton without FDG-avid lesions."},
        {"", "2026-10-29", "MR thorax and upper abdomen (T2 HASTE, fat-saturated)",
         "The mass abuts the posterior visceral pleura without chest-wall invasion or a fat-plane loss; the "
         "diaphragm is free. The subcarinal node is homogeneous. No adrenal or liver lesion."},
    };
    r.cT = "cT2a";
    r.cN = "cN2";
    r.cM = "cM0";
    r.stageAgreement = Agreement::Agree;
    return r;
}

constexpr const char* kRadiologyBody = R"(We re-read the FDG PET/CT of 27 October 2026 and the MR of 29 October 2026
in full, with our own measurements, and compared them with the figures in the referring letters.

**We agree with the stage: cT2a cN2 cM0, stage IIIA** (AJCC 8th edition). The primary measured 31 mm at baseline
(T2a); it is 28 mm now. Nodal disease is single-station N2 (subcarinal), which the 9th edition of the TNM
classification would record as N2a: the stage group stays IIIA.

**Response to induction.** Against the baseline figures in the referring letter, the sum of diameters of the two
target lesions (primary long axis, node short axis) falls from 46 mm to 43 mm, a decrease of 7 %: **stable disease**
by RECIST 1.1. The node is unchanged in size and remains avid; there is no imaging evidence of nodal downstaging.

Measurements and inputs:

- SUV is body-weight SUV (SUVbw) from the DICOM headers: 72 kg, 370 MBq FDG injected at 09:12, scan started
  60 minutes later; decay-corrected. Liver reference SUVmean 2.2, blood pool 1.8.
- Primary: long axis 28 mm, short axis 21 mm, craniocaudal 22 mm; SUVmax 11.0.
- Subcarinal node: short axis 15 mm, long axis 18 mm; SUVmax 6.0 (Deauville-like ratio to liver 2.7).

**Relevance for radiotherapy.** The primary and the node lie in one plausible radiation field; the estimated
involved-field volume is moderate and lung function (FEV1 82 %, DLCO 74 %) allows 60 Gy with standard lung
dose constraints.

**Not assessed.** The baseline CT of July 2026 and the brain MRI were not sent as images; we relied on their
reports. A contrast-enhanced brain MRI within four weeks of starting definitive treatment is advised.
)";

// ---- the board chair ----------------------------------------------------------------------------------------

ChairFindings chairFindings()
{
    ChairFindings c;
    c.intent = "Curative";
    c.sequence =
        "Definitive concurrent chemoradiation (60 Gy in 30 fractions with weekly carboplatin–paclitaxel or "
        "cisplatin–pemetrexed), then consolidation osimertinib 80 mg daily until progression";
    c.alternatives =
        "- **Right lower lobectomy with mediastinal dissection, then adjuvant osimertinib.** Technically feasible, "
        "but with N2 disease that did not respond to induction the chance of a complete (R0, N0 after resection) "
        "operation is low and the risk of recurrence high. The board would consider it only if invasive restaging "
        "(repeat EBUS or mediastinoscopy) showed station 7 cleared.\n"
        "- **Sequential rather than concurrent chemoradiation.** Less effective; reserved for patients who cannot "
        "tolerate concurrent treatment, which is not the case here.\n"
        "- **Durvalumab consolidation.** Not recommended: in EGFR-mutant disease it has shown no benefit and "
        "osimertinib after immunotherapy carries a risk of pneumonitis.";
    c.trials = {
        {"NCT07114520",
         "Consolidation osimertinib with or without local ablative radiotherapy to residual disease after "
         "chemoradiation for EGFR-mutant stage III NSCLC",
         "III", "Multicentre: Europe and Asia (recruiting in Seoul, Milan and Warsaw)", false,
         "EGFR exon 19 deletion or L858R; unresectable stage III; no progression after definitive chemoradiation; "
         "ECOG 0–1; enrolment within 6 weeks of radiotherapy"},
        {"ChiCTR2600087431",
         "Neoadjuvant osimertinib plus chemotherapy before lobectomy for single-station N2, EGFR-mutant lung "
         "adenocarcinoma",
         "II", "Shanghai and Guangzhou, China", true,
         "Resectable stage IIIA–IIIB (single-station N2); EGFR sensitising mutation; no prior EGFR inhibitor; at "
         "most 2 prior cycles of platinum doublet allowed; ECOG 0–1"},
    };
    c.videoAdvised = true;
    return c;
}

constexpr const char* kPathwayBody = R"(**Rationale.** Mrs Sadykova has a curable stage IIIA adenocarcinoma with an EGFR
exon 19 deletion and single-station N2 disease that did not respond to two cycles of platinum doublet. For this
situation the board recommends **definitive concurrent chemoradiation followed by osimertinib**:

1. Concurrent chemoradiation is the standard curative treatment for N2 disease that persists after induction; it
   treats the primary and the node together and avoids an operation unlikely to be complete.
2. Consolidation osimertinib after chemoradiation has prolonged progression-free survival substantially in
   EGFR-mutant unresectable stage III disease, and osimertinib reaches the brain, the commonest site of relapse.
3. The grade 3 histology and the TP53 co-mutation add to the risk of relapse: they argue for effective systemic
   consolidation rather than for surgery.

**Practical points.** Radiotherapy planning with 4D-CT and PET/CT fusion; target volumes from the PET/CT reviewed
here. Start osimertinib within 6 weeks of the end of radiotherapy once pneumonitis is excluded. Imaging every 3
months in the first 2 years, brain MRI every 6 months.
)";

constexpr const char* kTrialsBody = R"(The board looked for studies a patient with this profile could join, at home, in
Europe or Asia, including studies open only in China, since Mrs Sadykova is willing to travel there. Two are
notable. *(Demonstration case: the registry entries below are fictitious examples, not real studies.)*

- The first fits the recommended pathway: she would be screened after chemoradiation.
- The second applies only if surgery is chosen instead, and it would have to start before any further treatment.
)";

constexpr const char* kAnswerBody = R"(**Our answer: definitive concurrent chemoradiation followed by osimertinib, not a
right lower lobectomy.** With N2 disease that did not shrink after induction, surgery is unlikely to remove all the
disease and would not be followed by better outcomes than chemoradiation with osimertinib consolidation.

**Is there a trial she could join?** Yes: the international phase III study NCT07114520 would enrol her after
chemoradiation, at sites in Europe and Asia, without changing the recommended treatment. A phase II study open only in
China (ChiCTR2600087431) is an option only if she and her team prefer surgery after all.

We would reconsider surgery only if invasive mediastinal restaging showed that station 7 has cleared.
)";

constexpr const char* kTreatmentLocationBody = R"(**Chemoradiation and osimertinib can be given at home, in Almaty.**
The Almaty City Oncology Centre offers IMRT with 4D-CT planning, and concurrent chemoradiation does not need
travel. We recommend that the radiotherapy plan be peer-reviewed before treatment; our radiation oncologist can do
this remotely.

- **Osimertinib:** the board understands that access in Kazakhstan may depend on reimbursement; if it is not
  covered for consolidation, an access programme or the trial NCT07114520 are ways to obtain it.
- **Trial in Europe or Asia:** screening after chemoradiation would need one visit to a trial site, then visits
  every 6–8 weeks; the sponsor usually covers study treatment but not travel.
- **Trial in China:** the neoadjuvant study would need about 3 months in Shanghai or Guangzhou for treatment and
  surgery, at the patient's own cost for travel and stay.
)";

constexpr const char* kLimitationsBody = R"(This review is based on the records and images sent, without examining the
patient.

- The baseline CT of July 2026 and the brain MRI were not sent as images; their reports were used.
- Grading on biopsy cores estimates the proportion of high-grade patterns from a small sample.
- PD-L1 was measured on a small biopsy and may not represent the whole tumour.
- Trial eligibility and recruitment status must be confirmed with each study site.
)";

constexpr const char* kVideoBody = R"(A video consultation with the board is advised: the choice between surgery and
chemoradiation matters to the patient, and she should hear the reasoning and ask her questions. Dr Abenov's team is
invited to join; an interpreter for Kazakh or Russian can be arranged.
)";

// ---- key images -----------------------------------------------------------------------------------------------

// An axial plane of the phantom as the viewers show it: patient's right on the image's left, anterior at the top.
std::vector<std::uint8_t> axialSlice(int size, double fovMm, double z, const auto& value)
{
    std::vector<std::uint8_t> pixels(std::size_t(size) * std::size_t(size));
    const double step = fovMm / size;
    for (int row = 0; row < size; ++row)
        for (int col = 0; col < size; ++col) {
            const double x = -fovMm / 2 + (col + 0.5) * step;
            const double y = -fovMm / 2 + (row + 0.5) * step;
            pixels[std::size_t(row) * std::size_t(size) + std::size_t(col)] =
                std::uint8_t(std::clamp(value(x, y, z), 0.0, 1.0) * 255.0 + 0.5);
        }
    return pixels;
}

double windowed(double hu, double width, double level) { return (hu - (level - width / 2)) / width; }

store::StoredFile storePng(store::Database& db, const Case& c, const std::string& name, const std::string& png)
{
    const fs::path scratch = fs::temp_directory_path() / ("consilium-demo-" + name);
    std::ofstream(scratch, std::ios::binary) << png;
    const auto stored = store::CaseFiles(db.libraryRoot()).store(c.reference, "key-images", scratch);
    fs::remove(scratch);
    return stored;
}

void addKeyImage(store::Database& db, const Case& c, const std::string& name, const std::string& png,
                 const std::string& caption, const std::string& source, const store::Actor& actor)
{
    KeyImage k;
    k.pngPath = storePng(db, c, name, png).relativePath;
    k.caption = caption;
    k.source = source;
    store::ReviewRepository(db).addKeyImage(c.id, k, actor);
}

void addKeyImages(store::Database& db, const Case& c, const fs::path& slidePath)
{
    const TorsoPhantom phantom;
    const int size = 480;
    const double fov = 360.0;
    const double tumourZ = TorsoPhantom::kTumourCentre[2];
    const double nodeZ = TorsoPhantom::kNodeCentre[2];
    addKeyImage(db, c, "ct-lung.png",
                report::encodePng(size, size, 1,
                                  axialSlice(size, fov, tumourZ,
                                             [&](double x, double y, double z) {
                                                 return windowed(phantom.ctHu(x, y, z), 1500, -600);
                                             })),
                "Spiculated primary in the right lower lobe, 28 × 21 mm, abutting the posterior pleura.",
                "CT series 2 (PET/CT, 27 Oct 2026), axial at z = −28 mm, lung window W1500/L−600", kRadiologist);
    addKeyImage(db, c, "ct-mediastinum.png",
                report::encodePng(
                    size, size, 1,
                    axialSlice(size, fov, nodeZ,
                               [&](double x, double y, double z) { return windowed(phantom.ctHu(x, y, z), 400, 40); })),
                "Subcarinal (station 7) lymph node, 15 mm short axis, unchanged after induction.",
                "CT series 2, axial at z = +44 mm, mediastinal window W400/L40", kRadiologist);
    addKeyImage(db, c, "pet-primary.png",
                report::encodePng(size, size, 1,
                                  axialSlice(size, fov, tumourZ,
                                             [&](double x, double y, double z) {
                                                 return 1.0 - phantom.petSuv(x, y, z) / 8.0;  // inverted grey
                                             })),
                "FDG uptake in the rim of the primary (SUVmax 11.0) with a photopenic necrotic centre.",
                "PET series 3 (FDG, 27 Oct 2026), axial at z = −28 mm, SUVbw 0–8, inverted grey", kRadiologist);
    const auto slide = pathology::Slide::open(slidePath);
    const auto& levels = slide->info().levels;
    const int level = std::min<int>(2, int(levels.size()) - 1);
    const int w = 480, h = 480;  // square, as the other key images
    const double down = levels[std::size_t(level)].downsample;
    const auto region = slide->readRegion(level, std::int64_t(levels[0].width / 2 - w * down / 2),
                                          std::int64_t(levels[0].height / 2 - h * down / 2), w, h);
    addKeyImage(db, c, "slide-a1.png", report::encodePng(region.width, region.height, 3, region.rgb),
                "Core biopsy A1, H&E: acinar glands with solid nests in a desmoplastic stroma.",
                "Slide AL26-S-10387 A1, centre of the core, level " + std::to_string(level) + " (" +
                    std::to_string(int(std::lround(40.0 / down))) + "× equivalent)",
                kPathologist);
}

}  // namespace

void addDemoReview(store::Database& db, const Case& c, const fs::path& slide)
{
    // The board, as they would sign in: `consilium report finalize … --as "Dr Amelia Rossi"` finds her role.
    store::ReviewerRepository reviewers(db);
    for (const store::Actor* member : {&kPathologist, &kRadiologist, &kChair})
        reviewers.ensure(member->name, *member->role);
    store::ReviewRepository review(db);
    review.savePathology(c.id, pathologyFindings(), kPathologist);
    review.saveSection(c.id, SectionKey::Pathology, asTyped(kPathologyBody), SectionStatus::Ready, kPathologist);
    review.saveRadiology(c.id, radiologyFindings(), kRadiologist);
    review.saveSection(c.id, SectionKey::Radiology, asTyped(kRadiologyBody), SectionStatus::Ready, kRadiologist);
    addKeyImages(db, c, slide);

    review.saveChair(c.id, chairFindings(), kChair);
    review.saveSection(c.id, SectionKey::Pathway, asTyped(kPathwayBody), SectionStatus::Ready, kChair);
    review.saveSection(c.id, SectionKey::Trials, asTyped(kTrialsBody), SectionStatus::Ready, kChair);
    review.saveSection(c.id, SectionKey::Answer, asTyped(kAnswerBody), SectionStatus::Ready, kChair);
    review.saveSection(c.id, SectionKey::TreatmentLocation, asTyped(kTreatmentLocationBody), SectionStatus::Ready,
                       kChair);
    review.saveSection(c.id, SectionKey::Limitations, asTyped(kLimitationsBody), SectionStatus::Ready, kChair);
    // Left a draft: the chair marks it ready and finalizes (the demo of the sign-off).
    review.saveSection(c.id, SectionKey::VideoConsultation, asTyped(kVideoBody), SectionStatus::Draft, kChair);
}

}  // namespace consilium::demo
