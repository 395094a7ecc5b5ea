#pragma once
// Typesets an HTML document (Qt rich text) onto A4 or US Letter pages as PDF: the letterheads of the demo case's
// documents and the written review. Works without a GUI: a headless Qt GUI context is created when none exists.
#include <filesystem>
#include <map>
#include <string>

namespace consilium::report {

enum class Paper { A4, Letter };
Paper paperFrom(std::string_view text);  // "a4" or "letter"; UsageError otherwise
std::string_view toString(Paper paper);  // "a4", "letter"

struct PageSetup {
    std::string title;   // PDF metadata title
    std::string author;  // PDF metadata creator
    std::string footer;  // printed at the bottom of every page, with "page N of M"
    double marginMm = 18.0;
    double baseFontPt = 10.0;
    std::string fontFamily = "DejaVu Sans";  // of the text; the header and footer keep DejaVu Sans
    Paper paper = Paper::A4;
    std::string header{};       // printed left at the top of every page, above a thin rule; none when empty
    std::string headerRight{};  // printed right in the same line
    // When set ("2026-11-25T09:30:00Z"), the PDF's creation date: the same inputs then give the same bytes.
    // Empty: Qt writes the time of writing.
    std::string creationDate{};
    // Pictures the HTML shows: <img src="NAME"> takes the encoded image (PNG, JPEG) stored under NAME.
    std::map<std::string, std::string> images{};
    // A heading that would start within this distance of a page's foot moves to the next page with its text
    // (0: headings are left where the text flow puts them, as in the demo letters).
    double keepHeadingsWithTextMm = 0.0;
};

// Where the typeset document's pieces landed.
struct PdfLayout {
    int pages = 0;
    // Each `<a name="…">` anchor's vertical position in pages from the top of the document (1.5 = half-way down
    // page 2); the end of the document is under the name "" (the last page's fill).
    std::map<std::string, double> anchors;
};

// Writes `html` to `out` as a paginated PDF. Throws consilium::Error(out, reason).
PdfLayout typesetPdf(const std::string& html, const std::filesystem::path& out, const PageSetup& setup);
// The same, returning only the page count (the demo's letters).
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
