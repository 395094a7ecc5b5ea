#include <gtest/gtest.h>

#include "model/error.h"
#include "process.h"
#include "report/encapsulated_pdf.h"
#include "report/review_document.h"
#include "review_fixtures.h"
#include "support.h"

using namespace consilium;
using namespace consilium::model;
using namespace consilium::testing;

TEST(ReviewDocument, EverySectionHeadingTheQuestionAndTheAnswerAreInThePdf)
{
    TempDir dir;
    const auto review = sampleReview(3);
    const auto result = report::compileReview(review, dir / "review.pdf");
    EXPECT_GE(result.pages, 2);
    if (!toolAvailable("pdftotext"))
        GTEST_SKIP() << "poppler-utils not installed";
    EXPECT_EQ(pdfPages(dir / "review.pdf", dir.path()), result.pages);
    const std::string text = pdfText(dir / "review.pdf", dir.path());
    int number = 1;
    for (SectionKey key : kAllSections)
        EXPECT_NE(text.find(std::to_string(number++) + " " + std::string(sectionTitle(key))), std::string::npos)
            << sectionTitle(key);
    for (const char* expected :
         {"Is surgery after induction an option, or should she have definitive chemoradiation?",
          "Definitive chemoradiation, then osimertinib.", "王秀英", "SO-2026-0042", "Dr Chen Wei", "Key images",
          "Signatures", "NCT01234567", "ChiCTR2600012345", "Open only in China", "Figure 2.", "Dr Priya Raman",
          "Chair of the tumour board", "Disagree"})
        EXPECT_NE(text.find(expected), std::string::npos) << expected;
    // The header and footer carry the case ID on every page, with "page X of Y".
    EXPECT_NE(text.find("page 1 of " + std::to_string(result.pages)), std::string::npos);
    EXPECT_NE(text.find("page " + std::to_string(result.pages) + " of " + std::to_string(result.pages)),
              std::string::npos);
    EXPECT_NE(text.find("SO-2026-0042 · DRAFT"), std::string::npos);
}

TEST(ReviewDocument, CallerTablesArePrintedInTheirSection)
{
    TempDir dir;
    auto review = sampleReview(1);
    report::ReviewTable recist;
    recist.section = SectionKey::Radiology;
    recist.title = "RECIST 1.1 target lesions";
    recist.columns = {"Lesion", "Baseline", "2026-09-28", "Change"};
    recist.rows = {{"Primary, right lower lobe (long axis)", "31 mm", "28 mm", "−10 %"},
                   {"Subcarinal node (short axis)", "15 mm", "15 mm", "0 %"},
                   {"**Sum of diameters**", "46 mm", "43 mm", "**−7 % (stable disease)**"}};
    recist.note = "Baseline from the referring letter of 18 November 2026.";
    review.tables = {recist};
    const std::string html = report::reviewHtml(review);
    const auto table = html.find("RECIST 1.1 target lesions");
    ASSERT_NE(table, std::string::npos);
    EXPECT_GT(table, html.find("section-radiology"));
    EXPECT_LT(table, html.find("section-pathway"));
    EXPECT_NE(html.find("<b>−7 % (stable disease)</b>"), std::string::npos);
    report::compileReview(review, dir / "review.pdf");
    if (!toolAvailable("pdftotext"))
        GTEST_SKIP() << "poppler-utils not installed";
    const std::string text = pdfText(dir / "review.pdf", dir.path());
    for (const char* expected : {"RECIST 1.1 target lesions", "Subcarinal node (short axis)", "stable disease",
                                 "Baseline from the referring letter"})
        EXPECT_NE(text.find(expected), std::string::npos) << expected;
}

TEST(ReviewDocument, SameInputsGiveTheSameBytes)
{
    TempDir dir;
    const auto review = sampleReview(4, 3);
    report::compileReview(review, dir / "a.pdf");
    report::compileReview(review, dir / "b.pdf");
    const std::string a = readBytes(dir / "a.pdf"), b = readBytes(dir / "b.pdf");
    ASSERT_GT(a.size(), 1000u);
    EXPECT_TRUE(a == b) << "two compiles of the same review differ";
    EXPECT_NE(a.find("/CreationDate (D:20261124100000"), std::string::npos);
    // A changed input changes the document.
    auto changed = review;
    changed.findings.sections[4].bodyMarkdown += "One more sentence.";
    report::compileReview(changed, dir / "c.pdf");
    EXPECT_NE(readBytes(dir / "c.pdf"), a);
}

TEST(ReviewDocument, PageBoundsWarningNamesSectionsToShortenLargestFirst)
{
    TempDir dir;
    auto review = sampleReview(2);
    review.findings.sections[1].bodyMarkdown.clear();  // imaging
    for (int i = 0; i < 60; ++i)
        review.findings.sections[1].bodyMarkdown += loremParagraph(i) + "\n\n";
    for (int i = 0; i < 25; ++i)
        review.findings.sections[0].bodyMarkdown += loremParagraph(i) + "\n\n";
    const auto result = report::compileReview(review, dir / "long.pdf", {report::Paper::A4, {5, 8}});
    ASSERT_GT(result.pages, 8);
    ASSERT_TRUE(result.warning.has_value());
    const std::string& w = *result.warning;
    EXPECT_NE(w.find("more than the 8 allowed: shorten"), std::string::npos) << w;
    const auto imaging = w.find("Imaging re-read"), pathology = w.find("Pathology re-review");
    ASSERT_NE(imaging, std::string::npos) << w;
    EXPECT_TRUE(pathology == std::string::npos || imaging < pathology) << w;
    EXPECT_GT(result.sectionPages.at(SectionKey::Radiology), result.sectionPages.at(SectionKey::Pathology));
    EXPECT_GT(result.sectionPages.at(SectionKey::Radiology), 3.0);
}

TEST(ReviewDocument, PageBoundsWarningAsksToExpandWhenTooShort)
{
    TempDir dir;
    auto review = sampleReview(1, 0);
    review.findings.sections[6].bodyMarkdown.clear();  // limitations: empty
    const auto result = report::compileReview(review, dir / "short.pdf");
    ASSERT_LT(result.pages, 5);
    ASSERT_TRUE(result.warning.has_value());
    EXPECT_NE(result.warning->find("fewer than the 5 expected: expand Limitations of this review"), std::string::npos)
        << *result.warning;
    // Bounds are configurable: the same document is fine with 1–8.
    EXPECT_FALSE(report::compileReview(review, dir / "short.pdf", {report::Paper::A4, {1, 8}}).warning);
}

TEST(ReviewDocument, PageBoundsWarningText)
{
    const std::vector<std::pair<std::string, double>> parts{{"A", 0.5}, {"B", 3.2}, {"C", 1.4}, {"D", 0.1}};
    EXPECT_FALSE(report::pageBoundsWarning(6, {5, 8}, parts));
    EXPECT_EQ(*report::pageBoundsWarning(10, {5, 8}, parts),
              "the review has 10 pages, more than the 8 allowed: shorten B (3.2 pages), C (1.4 pages)");
    EXPECT_EQ(*report::pageBoundsWarning(3, {5, 8}, parts),
              "the review has 3 pages, fewer than the 5 expected: expand D (0.1 pages), A (0.5 pages)");
}

TEST(ReviewDocument, UsLetterPaper)
{
    TempDir dir;
    report::compileReview(sampleReview(2), dir / "letter.pdf", {report::Paper::Letter, {}});
    if (!toolAvailable("pdfinfo"))
        GTEST_SKIP() << "poppler-utils not installed";
    const auto info = runProcess({"pdfinfo", (dir / "letter.pdf").string()}, dir / "err.txt");
    EXPECT_NE(info.out.find("612 x 792 pts (letter)"), std::string::npos) << info.out;
    EXPECT_THROW(report::paperFrom("a5"), UsageError);
}

TEST(EncapsulatedPdf, CarriesExactlyThePdfBytesAndPassesDciodvfy)
{
    TempDir dir;
    report::compileReview(sampleReview(2), dir / "review.pdf");
    const std::string pdf = readBytes(dir / "review.pdf");
    for (const char* extra : {"", "\n"}) {  // one odd and one even length: OB pads the odd one
        const std::string bytes = pdf + extra;
        const bool odd = bytes.size() % 2 == 1;
        report::DicomDocumentIdentity id;
        id.patientName = "Wang^Xiuying";
        id.patientId = "SH-77";
        id.patientBirthDate = "19610412";
        id.patientSex = "F";
        id.studyInstanceUid = "1.2.826.0.1.3680043.8.498.12345";
        id.studyDate = "20261027";
        id.studyTime = "091000";
        id.referringPhysicianName = "Chen^Wei";
        id.documentTitle = "Written multidisciplinary review SO-2026-0042, version 1";
        id.contentDateTime = "2026-11-25T09:30:00Z";
        const auto dcm = dir / "review.dcm";
        report::writeEncapsulatedPdf(bytes, id, dcm);
        EXPECT_TRUE(report::readEncapsulatedPdf(dcm) == bytes) << (odd ? "odd" : "even") << " length";
        if (!toolAvailable("dcmdump"))
            continue;
        const auto dump = runProcess({"dcmdump", dcm.string()}, dir / "err.txt").out;
        for (const char* expected : {"Wang^Xiuying", "SH-77", "1.2.826.0.1.3680043.8.498.12345", "application/pdf",
                                     "EncapsulatedPDFStorage", "(0008,0060) CS [DOC]"})
            EXPECT_NE(dump.find(expected), std::string::npos) << expected;
        if (!toolAvailable("dciodvfy")) {
            std::cout << "[ skipped ] dciodvfy not installed: the IOD check did not run\n";
            continue;
        }
        const auto check = runProcess({"sh", "-c", "dciodvfy '" + dcm.string() + "' 2>&1"}, dir / "err.txt");
        EXPECT_EQ(check.out.find("Error"), std::string::npos) << check.out;
        EXPECT_NE(check.out.find("EncapsulatedPDF"), std::string::npos) << check.out;
    }
    EXPECT_THROW(report::writeEncapsulatedPdf("not a pdf", {}, dir / "x.dcm"), Error);
}
