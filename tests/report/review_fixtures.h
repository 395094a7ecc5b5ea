#pragma once
// A review document built in memory for the report tests: every section written, `paragraphs` paragraphs each,
// and key images of a given count, so a test can make it as long or as short as it needs.
#include <fstream>
#include <sstream>
#include <string>

#include "model/review.h"
#include "process.h"
#include "report/review_document.h"
#include "report/review_images.h"

namespace consilium::testing {

inline std::string loremParagraph(int n)
{
    return "Paragraph " + std::to_string(n) +
           " of the board's reasoning: the primary and the node were measured again, the stage was checked against "
           "the referring letters, and the options were weighed with the patient's wishes in mind. **The board** "
           "notes *why* this matters for the treatment that follows.";
}

inline std::string readBytes(const std::filesystem::path& file)
{
    std::ifstream in(file, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

inline std::string testPng(int size, int seed)
{
    std::vector<std::uint8_t> grey(std::size_t(size) * std::size_t(size));
    for (int y = 0; y < size; ++y)
        for (int x = 0; x < size; ++x)
            grey[std::size_t(y) * std::size_t(size) + std::size_t(x)] = std::uint8_t((x * 255 / size + y * seed) % 256);
    return report::encodePng(size, size, 1, grey);
}

inline report::ReviewDocument sampleReview(int paragraphs, int images = 2)
{
    using namespace consilium::model;
    report::ReviewDocument r;
    r.theCase.reference = "SO-2026-0042";
    r.theCase.patient.name = "王秀英 (Wang Xiuying)";
    r.theCase.patient.birthDate = parseIsoDate("1961-04-12");
    r.theCase.patient.sex = "F";
    r.theCase.patient.referringIdentifier = "SH-77";
    r.theCase.patient.country = "China";
    r.theCase.referringInstitution = "上海市胸科医院 (Shanghai Chest Hospital)";
    r.theCase.referringOncologist = "Dr Chen Wei";
    r.theCase.diagnosisAsReferred = "NSCLC, adenocarcinoma, cT2aN2M0 (IIIA)";
    r.theCase.question = "Is surgery after induction an option, or should she have definitive chemoradiation?";
    r.theCase.receivedOn = *parseIsoDate("2026-11-20");
    r.theCase.dueOn = *parseIsoDate("2026-12-04");
    r.findings.pathology.diagnosis = "Invasive adenocarcinoma";
    r.findings.pathology.gradeAgreement = Agreement::Disagree;
    r.findings.pathology.agreementReasoning = "Solid pattern 20 %.";
    r.findings.radiology.studies = {{"", "2026-10-27", "FDG PET/CT", "Avid primary, **SUVmax 11**."}};
    r.findings.radiology.cT = "cT2a";
    r.findings.chair.intent = "Curative";
    r.findings.chair.trials = {{"NCT01234567", "An international phase III study", "III", "Milan", false, "EGFR+"},
                               {"ChiCTR2600012345", "A phase II study in China", "II", "Shanghai", true, "N2"}};
    r.findings.chair.videoAdvised = true;
    for (SectionKey key : kAllSections) {
        std::string body;
        for (int i = 0; i < paragraphs; ++i)
            body += loremParagraph(i) + "\n\n";
        if (key == SectionKey::Answer)
            body = "**Definitive chemoradiation, then osimertinib.**\n\n" + body;
        r.findings.sections.push_back({key, body, SectionStatus::Ready, "Dr Amelia Rossi", "2026-11-24T10:00:00Z"});
    }
    for (int i = 0; i < images; ++i)
        r.images.push_back({testPng(256, i + 1), "Figure caption " + std::to_string(i + 1), "CT series 2"});
    r.signatures = {{"Dr Priya Raman", Role::Pathologist, "2026-11-24"},
                    {"Dr Jonas Berg", Role::Radiologist, "2026-11-24"},
                    {"Dr Amelia Rossi", Role::BoardChair, ""}};
    r.issuedOn = "2026-11-24";
    r.documentTime = "2026-11-24T10:00:00Z";
    return r;
}

inline int pdfPages(const std::filesystem::path& pdf, const std::filesystem::path& scratch)
{
    const auto info = runProcess({"pdfinfo", pdf.string()}, scratch / "pdfinfo.err");
    const auto at = info.out.find("Pages:");
    return at == std::string::npos ? -1 : std::stoi(info.out.substr(at + 6));
}

// pdftotext's text with line breaks and runs of spaces made single spaces, so a phrase split over lines is found.
inline std::string pdfText(const std::filesystem::path& pdf, const std::filesystem::path& scratch)
{
    std::string text = runProcess({"pdftotext", pdf.string(), "-"}, scratch / "pdftotext.err").out;
    for (auto at = text.find("\xC2\xA0"); at != std::string::npos; at = text.find("\xC2\xA0", at))
        text.replace(at, 2, " ");  // no-break spaces (after section numbers) read as spaces
    std::string flat;
    for (char c : text) {
        const char d = (c == '\n' || c == '\f' || c == '\r') ? ' ' : c;
        if (d == ' ' && !flat.empty() && flat.back() == ' ')
            continue;
        flat += d;
    }
    return flat;
}

}  // namespace consilium::testing
