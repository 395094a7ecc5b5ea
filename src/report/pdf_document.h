#pragma once
// Typesets an HTML document (Qt rich text) onto A4 pages as PDF: the letterheads of the demo case's documents now,
// the written review later. Works without a GUI: a headless Qt GUI context is created when none exists.
#include <filesystem>
#include <string>

namespace consilium::report {

struct PageSetup {
    std::string title;   // PDF metadata title
    std::string author;  // PDF metadata creator
    std::string footer;  // printed at the bottom of every page, with "page N of M"
    double marginMm = 18.0;
    double baseFontPt = 10.0;
};

// Writes `html` to `out` as a paginated A4 PDF. Returns the page count. Throws consilium::Error(out, reason).
int writePdf(const std::string& html, const std::filesystem::path& out, const PageSetup& setup);

// Makes sure a QGuiApplication exists for text layout and fonts (offscreen when the caller is a CLI command).
class HeadlessGuiContext {
public:
    HeadlessGuiContext();
    ~HeadlessGuiContext();
    HeadlessGuiContext(const HeadlessGuiContext&) = delete;
    HeadlessGuiContext& operator=(const HeadlessGuiContext&) = delete;

private:
    struct Owned;
    Owned* owned_ = nullptr;
};

}  // namespace consilium::report
