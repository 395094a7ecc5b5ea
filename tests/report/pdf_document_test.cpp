#include <gtest/gtest.h>

#include <fstream>

#include "model/error.h"
#include "process.h"
#include "report/pdf_document.h"
#include "support.h"

using namespace consilium;
using namespace consilium::testing;

TEST(PdfDocument, PaginatesAndKeepsTextInAnyScript)
{
    TempDir dir;
    std::string html = "<h1>Review</h1><p>王秀英 · Айгерим · Ψαρράς</p>";
    for (int i = 0; i < 120; ++i)
        html += "<p>Paragraph " + std::to_string(i) + " of a long multidisciplinary review.</p>";
    const auto out = dir / "review.pdf";
    const int pages = report::writePdf(html, out, {.title = "Review", .author = "Consilium", .footer = "SO-2026-0001"});
    EXPECT_GE(pages, 2);
    std::ifstream in(out, std::ios::binary);
    std::string head(5, '\0');
    in.read(head.data(), 5);
    EXPECT_EQ(head, "%PDF-");
    if (!toolAvailable("pdfinfo"))
        GTEST_SKIP() << "poppler-utils not installed";
    auto info = runProcess({"pdfinfo", out.string()}, dir / "err.txt");
    EXPECT_NE(info.out.find("Pages:           " + std::to_string(pages)), std::string::npos) << info.out;
    EXPECT_NE(info.out.find("A4"), std::string::npos) << info.out;
    auto text = runProcess({"pdftotext", out.string(), "-"}, dir / "err.txt");
    EXPECT_NE(text.out.find("王秀英"), std::string::npos) << text.out.substr(0, 300);
    EXPECT_NE(text.out.find("page 2 of " + std::to_string(pages)), std::string::npos);
}

TEST(PdfDocument, UnwritableTargetIsNamed)
{
    const std::filesystem::path out = "/nonexistent-folder/review.pdf";
    try {
        report::writePdf("<p>x</p>", out, {});
        FAIL();
    } catch (const Error& e) {
        EXPECT_EQ(e.subject(), out.string());
    }
}
