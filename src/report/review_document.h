#pragma once
// The written multidisciplinary review as a document: from the reviewers' findings to the PDF the referring
// oncologist receives. Pure input (no database): report/review_workflow.h gathers it for a case.
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "model/case.h"
#include "model/review.h"
#include "report/pdf_document.h"

namespace consilium::report {

// A table the caller supplies, printed at the end of a section: RECIST target lesions, SUV measurements with their
// inputs, … Generic rows so that the measurement features can feed the review without it knowing them.
struct ReviewTable {
    model::SectionKey section = model::SectionKey::Radiology;
    std::string title;  // "RECIST 1.1 target lesions"
    std::vector<std::string> columns;
    std::vector<std::vector<std::string>> rows;  // cells: one line of inline Markdown each
    std::string note;                            // inputs and method ("SUVbw: 72 kg, 370 MBq, 60 min uptake")
};

struct ReviewImage {
    std::string png;  // encoded image bytes (PNG or JPEG)
    std::string caption;
    std::string source;  // "CT series 2, slice 64, lung window" / "slide A1, region at 20×"
};

// A reviewer who signs: the chair's date is the finalization date, empty while the review is a draft.
struct Signature {
    std::string name;
    model::Role role = model::Role::BoardChair;
    std::string date;  // YYYY-MM-DD; empty: not signed yet
};

struct ReviewDocument {
    model::Case theCase;
    std::vector<model::TreatmentLine> treatmentHistory;
    std::vector<std::string> materialsReviewed;  // "Referral letter, Dr Abenov, 18 Nov 2026", "FDG PET/CT …"
    model::ReviewFindings findings;
    std::vector<ReviewImage> images;
    std::vector<ReviewTable> tables;
    std::vector<Signature> signatures;
    std::string boardName = "Consilium Multidisciplinary Tumour Board";
    std::string issuedOn;      // YYYY-MM-DD printed on the cover
    std::string documentTime;  // ISO 8601 UTC: the PDF's creation date, so the same inputs give the same bytes
    int version = 0;           // 0: a draft compile; 1: the review; 2…: amendments
    std::string amendmentReason;
};

struct PageBounds {
    int minPages = 5;
    int maxPages = 8;
};

struct CompileOptions {
    Paper paper = Paper::A4;
    PageBounds bounds;
};

struct CompileResult {
    int pages = 0;
    // Set when the page count is outside the bounds: which sections to shorten (largest first) or expand.
    std::optional<std::string> warning;
    std::map<model::SectionKey, double> sectionPages;  // how much of the document each section takes, in pages
};

// The document as Qt rich text (what typesetPdf lays out): the cover, the sections in the review's order, key images,
// tables, signatures. Images are referenced as "image:N" (N from 0) in ReviewDocument::images order.
std::string reviewHtml(const ReviewDocument& review);
PageSetup reviewPageSetup(const ReviewDocument& review, Paper paper);

// Typesets the review to `out`. Throws consilium::Error(out, reason) when it cannot be written.
CompileResult compileReview(const ReviewDocument& review, const std::filesystem::path& out,
                            const CompileOptions& options = {});

// The advice for a document of `pages` pages given how long each part is (title, pages), exposed for tests:
// above the bounds the largest parts come first (cutting them gains most), below them the thinnest sections.
std::optional<std::string> pageBoundsWarning(int pages, const PageBounds& bounds,
                                             const std::vector<std::pair<std::string, double>>& parts);

}  // namespace consilium::report
