#include "demo/demo_documents.h"

#include "report/pdf_document.h"

namespace consilium::demo {
namespace fs = std::filesystem;

namespace {

constexpr const char* kStyle = R"(<style>
  body { color: #1a1a1a; }
  h1 { font-size: 15pt; color: #0b3d62; margin: 0; }
  h2 { font-size: 11pt; color: #0b3d62; margin-top: 14px; margin-bottom: 4px; }
  p { margin-top: 0; margin-bottom: 7px; line-height: 130%; }
  td, th { padding: 3px 6px; vertical-align: top; }
  th { background-color: #e8eef4; text-align: left; }
  .muted { color: #555555; }
  .small { font-size: 8pt; }
</style>)";

std::string letterhead(const std::string& department)
{
    return std::string(kStyle) +
           R"(<table width="100%" cellspacing="0"><tr><td width="68%"><h1>Almaty City Oncology Centre</h1>
<span class="muted">)" +
           department + R"(<br/>Abay Avenue 91, 050000 Almaty, Kazakhstan · +7 727 000 0000</span></td>
<td align="right" class="small muted">Государственное учреждение<br/>«Алматинский городской онкологический центр»</td></tr></table>
<hr/>)";
}

const std::string kPatientBlock = R"(<table cellspacing="0">
<tr><td class="muted">Patient</td><td><b>Aigerim Sadykova (Айгерим Садыкова)</b></td></tr>
<tr><td class="muted">Date of birth</td><td>14 March 1967 (59 years), female</td></tr>
<tr><td class="muted">Hospital number</td><td>ALM-ONC-2026-04412</td></tr></table>)";

std::string referralLetter()
{
    return letterhead("Department of Thoracic Oncology") + R"(
<p align="right">Almaty, 18 November 2026</p>
<p>To the Multidisciplinary Thoracic Tumour Board<br/>Second Opinion Service</p>
)" + kPatientBlock +
           R"(
<h2>Request for a multidisciplinary second opinion</h2>
<p>Dear colleagues,</p>
<p>I would be grateful for your board's opinion on Mrs Sadykova, a 59-year-old former teacher (never smoker, ECOG 0,
FEV1 82 % and DLCO 74 % predicted) with a <b>non-small-cell lung cancer of the right lower lobe</b>.</p>
<p>She presented in July 2026 with a persistent cough. CT showed a 31 mm spiculated mass in the right lower lobe
and an enlarged subcarinal node. CT-guided core biopsy confirmed an <b>invasive non-mucinous adenocarcinoma</b>,
acinar predominant, reported locally as moderately differentiated (G2). EBUS-TBNA showed metastatic adenocarcinoma in
<b>station 7</b>; station 4R was negative. Staging FDG PET/CT (27 October 2026) showed an avid primary (SUVmax about
11) and subcarinal node (SUVmax about 6) with no distant disease; brain MRI was negative. Our stage is
<b>cT2aN2M0, IIIA</b> (AJCC 8th edition).</p>
<p>Next-generation sequencing found an <b>EGFR exon 19 deletion</b> (p.E746_A750del) with a TP53 co-mutation;
PD-L1 TPS is 5 %. ALK and ROS1 are negative.</p>
<p>She received two cycles of carboplatin–pemetrexed (24 August to 28 September 2026). Restaging shows
<b>stable disease</b> (primary 31 → 28 mm, node unchanged). Our thoracic surgeon considers a right lower lobectomy
technically feasible; our radiation oncologist favours definitive concurrent chemoradiation.</p>
<h2>Our question</h2>
<p><b>Should she have a right lower lobectomy, or definitive concurrent chemoradiation followed by osimertinib — and is
there a clinical trial she could join?</b> The patient is willing to travel, including to China, for a trial.</p>
<p>Enclosed: the PET/CT and MR in DICOM, the scanned biopsy slide, the pathology and NGS reports, and my previous
clinic letter. The patient has consented to the transfer of her records for this opinion.</p>
<p>With kind regards,</p>
<p><b>Dr Nurlan Abenov</b><br/>Consultant Medical Oncologist<br/>Almaty City Oncology Centre<br/>
<span class="muted">n.abenov@example.kz</span></p>
)";
}

std::string clinicLetter()
{
    return letterhead("Department of Thoracic Oncology — outpatient clinic") + R"(
<p align="right">Almaty, 5 October 2026</p>
<p>To Dr Saule Tulegenova, general practitioner, Medeu district polyclinic</p>
)" + kPatientBlock +
           R"(
<h2>Clinic letter after induction chemotherapy</h2>
<p><b>Diagnosis:</b> adenocarcinoma of the right lower lobe, cT2aN2 (station 7) M0, stage IIIA; EGFR exon 19 deletion.</p>
<p><b>Treatment so far:</b> carboplatin AUC 5 and pemetrexed 500 mg/m² every three weeks, two cycles
(24 August and 14 September 2026), with folic acid and vitamin B12 supplementation.</p>
<p><b>Tolerance:</b> grade 2 fatigue, grade 1 nausea; no neutropenic fever. Creatinine clearance 88 mL/min.</p>
<p><b>Response:</b> CT on 28 September shows the primary at 28 mm (31 mm at baseline, −10 %) and the subcarinal node
unchanged at 15 mm short axis: stable disease by RECIST 1.1.</p>
<p><b>Plan:</b> discussed at our tumour board on 2 October; opinions were divided between lobectomy and definitive
chemoradiation. We will obtain a PET/CT and ask an international board for a second opinion. Mrs Sadykova agrees.</p>
<p>Kind regards,<br/><b>Dr Nurlan Abenov</b>, Consultant Medical Oncologist</p>
)";
}

std::string pathologyReport()
{
    return letterhead("Department of Pathology") + R"(
<h2>Histopathology report AL26-S-10387</h2>
)" + kPatientBlock +
           R"(
<table cellspacing="0"><tr><td class="muted">Received</td><td>30 July 2026</td><td class="muted">Reported</td><td>4 August 2026</td></tr></table>
<h2>Specimens</h2>
<p>A1: CT-guided core biopsy, right lower lobe, 3 cores (up to 14 mm). B1: EBUS-TBNA, station 7. B2: EBUS-TBNA, station 4R.</p>
<h2>Microscopy</h2>
<p>A1: Cores of lung parenchyma infiltrated by an adenocarcinoma forming acinar glands with a cribriform focus and
<b>solid nests in about 20 %</b> of the tumour, in a desmoplastic stroma. Nuclei are moderately pleomorphic;
mitoses up to 4 per 2 mm². No lymphovascular invasion is seen in the cores.</p>
<p>B1: Clusters of malignant epithelial cells with the same morphology in a background of lymphocytes.
B2: Lymphocytes and anthracotic macrophages only.</p>
<h2>Immunohistochemistry</h2>
<table cellspacing="0" border="0">
<tr><th>Marker</th><th>Result</th></tr>
<tr><td>TTF-1 (8G7G3/1)</td><td>positive, diffuse</td></tr>
<tr><td>Napsin A</td><td>positive</td></tr>
<tr><td>p40</td><td>negative</td></tr>
<tr><td>PD-L1 (22C3)</td><td>TPS 5 %</td></tr>
<tr><td>ALK (D5F3)</td><td>negative</td></tr>
</table>
<h2>Diagnosis</h2>
<p><b>A1: Invasive non-mucinous adenocarcinoma, acinar predominant, moderately differentiated (G2).</b><br/>
B1: Metastatic adenocarcinoma, consistent with lung primary. B2: Negative for malignancy.</p>
<p class="small muted">Reported by Dr G. Zhaksylykova, consultant pathologist. Slide A1 scanned at 40× for teleconsultation.</p>
)";
}

std::string ngsReport()
{
    return letterhead("Molecular Diagnostics Laboratory") + R"(
<h2>Tumour next-generation sequencing report — LungPanel-52 (DNA + RNA)</h2>
)" + kPatientBlock +
           R"(
<table cellspacing="0"><tr><td class="muted">Sample</td><td>AL26-S-10387 A1 (FFPE core biopsy), tumour content 40 %</td></tr>
<tr><td class="muted">Method</td><td>Amplicon-based NGS, 52 genes, mean depth 1 450×; RNA fusion panel</td></tr>
<tr><td class="muted">Reported</td><td>19 August 2026</td></tr></table>
<h2>Clinically relevant findings</h2>
<table cellspacing="0" width="100%">
<tr><th>Gene</th><th>Alteration</th><th>VAF</th><th>Tier (AMP/ASCO/CAP)</th></tr>
<tr><td><b>EGFR</b></td><td>exon 19 deletion c.2235_2249del, p.E746_A750del</td><td>32 %</td><td>IA — sensitising</td></tr>
<tr><td>TP53</td><td>c.818G&gt;A, p.R273H</td><td>28 %</td><td>IIC — prognostic</td></tr>
</table>
<h2>Negative for</h2>
<p>EGFR T790M and exon 20 insertions; KRAS, BRAF V600E, ERBB2, MET exon 14 skipping; ALK, ROS1, RET and NTRK1–3 fusions.</p>
<h2>Other biomarkers</h2>
<p>Tumour mutational burden 4 mutations/Mb (low). Microsatellite stable. PD-L1 (22C3) TPS 5 % (pathology report).</p>
<h2>Interpretation</h2>
<p>The EGFR exon 19 deletion predicts sensitivity to EGFR tyrosine kinase inhibitors. A co-occurring TP53 mutation is
associated with a shorter duration of response. Germline testing is not indicated by these findings.</p>
<p class="small muted">Validated by Dr A. Serikbayeva, PhD, clinical molecular biologist.</p>
)";
}

}  // namespace

std::vector<DemoDocument> writeDemoDocuments(const fs::path& dir)
{
    fs::create_directories(dir);
    const std::string footer = "Aigerim Sadykova · ALM-ONC-2026-04412 · confidential medical information";
    struct Spec {
        const char* file;
        model::AttachmentKind kind;
        const char* title;
        std::string html;
    };
    const Spec specs[] = {
        {"2026-11-18_referral-letter_Dr-Abenov.pdf", model::AttachmentKind::Letter,
         "Referral letter, Dr Abenov, 18 Nov 2026", referralLetter()},
        {"2026-10-05_clinic-letter_Dr-Abenov.pdf", model::AttachmentKind::Letter,
         "Clinic letter after induction, Dr Abenov, 5 Oct 2026", clinicLetter()},
        {"AL26-S-10387_pathology-report.pdf", model::AttachmentKind::PathologyReport,
         "Histopathology report AL26-S-10387 (biopsy and EBUS)", pathologyReport()},
        {"AL26-M-2291_NGS-LungPanel-52.pdf", model::AttachmentKind::Genomic,
         "NGS LungPanel-52: EGFR exon 19 deletion, TP53 R273H", ngsReport()},
    };
    std::vector<DemoDocument> out;
    for (const Spec& s : specs) {
        const fs::path file = dir / s.file;
        report::writePdf(s.html, file, {.title = s.title, .author = "Almaty City Oncology Centre", .footer = footer});
        out.push_back({file, s.kind, s.title});
    }
    return out;
}

}  // namespace consilium::demo
