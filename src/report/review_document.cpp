#include "report/review_document.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "model/dates.h"
#include "report/review_markdown.h"

namespace consilium::report {
using namespace consilium::model;

namespace {

// Navy headings, quiet greys, one accent for what the reader must not miss: the house style of a cancer centre's
// letters rather than a web page. Sizes are points on paper.
constexpr const char* kStyle = R"(<style>
  body { color: #1b1b1b; }
  h1 { font-size: 17pt; color: #0b3d62; font-weight: 600; margin-top: 10px; margin-bottom: 4px; }
  h2 { font-size: 12.5pt; color: #0b3d62; font-weight: 600; margin-top: 18px; margin-bottom: 6px; }
  h3 { font-size: 10.5pt; color: #0b3d62; font-weight: 600; margin-top: 10px; margin-bottom: 3px; }
  h4, h5 { font-size: 9.5pt; color: #1b1b1b; font-weight: 600; margin-top: 8px; margin-bottom: 2px; }
  p { margin-top: 0px; margin-bottom: 6px; line-height: 128%; }
  li { margin-bottom: 3px; line-height: 125%; }
  td, th { padding: 4px 6px; vertical-align: top; }
  th { text-align: left; font-weight: 600; }
  .label { color: #4a5a6a; }
  .muted { color: #666666; }
  .small { font-size: 8pt; }
  .caption { font-size: 8pt; color: #333333; }
  .draft { color: #a05a00; font-size: 9pt; font-weight: normal; }
  .flag { color: #9b1c1c; font-weight: 600; }
</style>)";

constexpr const char* kNavy = "#0b3d62";
constexpr const char* kPale = "#eef3f8";
constexpr const char* kRule = "#c9d4de";

std::string esc(std::string_view s) { return escapeHtml(s); }
std::string inl(std::string_view s) { return inlineMarkdownToHtml(s); }

// Air between a table and the text after it (Qt's rich text gives tables no bottom margin).
std::string spacer() { return "<p style=\"font-size: 4pt; margin: 0\">&nbsp;</p>"; }

std::string anchorName(SectionKey key) { return "section-" + std::string(toString(key)); }

// "14 March 1967"
std::string longDate(const std::string& iso)
{
    static const char* months[] = {"January", "February", "March",     "April",   "May",      "June",
                                   "July",    "August",   "September", "October", "November", "December"};
    const auto d = parseIsoDate(iso.substr(0, 10));
    if (!d)
        return iso;
    return std::to_string(unsigned(d->day())) + " " + months[unsigned(d->month()) - 1] + " " +
           std::to_string(int(d->year()));
}

std::string longDate(const std::optional<Date>& d) { return d ? longDate(formatIsoDate(*d)) : std::string(); }

std::string ageAndSex(const Patient& p, const std::string& onIso)
{
    std::string out;
    const auto on = parseIsoDate(onIso.substr(0, 10));
    if (p.birthDate && on) {
        int years = int(on->year()) - int(p.birthDate->year());
        if (std::make_pair(unsigned(on->month()), unsigned(on->day())) <
            std::make_pair(unsigned(p.birthDate->month()), unsigned(p.birthDate->day())))
            --years;
        out = std::to_string(years) + " years";
    }
    const char* sex = p.sex == "F" ? "female" : p.sex == "M" ? "male" : p.sex == "O" ? "other" : "";
    if (*sex)
        out += (out.empty() ? "" : ", ") + std::string(sex);
    return out;
}

std::string roleWords(Role role)
{
    switch (role) {
        case Role::Pathologist:
            return "Pathologist";
        case Role::Radiologist:
            return "Radiologist";
        case Role::BoardChair:
            return "Chair of the tumour board";
    }
    return "";
}

std::string agreementWords(Agreement a)
{
    switch (a) {
        case Agreement::Agree:
            return "<b>Agree</b> with the referring centre";
        case Agreement::Disagree:
            return "<span class=\"flag\">Disagree</span> with the referring centre";
        case Agreement::NotStated:
            break;
    }
    return "<span class=\"muted\">not stated</span>";
}

// A two-column table of labelled facts; rows with an empty value are left out.
std::string factTable(const std::vector<std::pair<std::string, std::string>>& rows, int labelWidth = 28)
{
    std::string html = std::string(
                           "<table width=\"100%\" cellspacing=\"0\" cellpadding=\"4\" style=\"border-top: 1px "
                           "solid ") +
                       kRule + "\">";
    int n = 0;
    for (const auto& [label, value] : rows) {
        if (value.empty())
            continue;
        // Kept on one page (with the heading above it) when typeset, as short tables are.
        const std::string keep = n == 0 ? "<a name=\"keep-together\"></a>" : "";
        html += std::string("<tr") + (n++ % 2 ? "" : std::string(" bgcolor=\"") + kPale + "\"") + "><td width=\"" +
                std::to_string(labelWidth) + "%\" class=\"label\">" + keep + esc(label) + "</td><td>" + value +
                "</td></tr>";
    }
    return n == 0 ? std::string() : html + "</table>\n";
}

std::string dataTable(const std::vector<std::string>& columns, const std::vector<std::vector<std::string>>& rows,
                      const std::vector<int>& widths = {})
{
    std::string html =
        "<table width=\"100%\" cellspacing=\"0\" cellpadding=\"4\"><tr bgcolor=\"" + std::string(kNavy) + "\">";
    for (std::size_t i = 0; i < columns.size(); ++i)
        html += "<th" + (i < widths.size() ? " width=\"" + std::to_string(widths[i]) + "%\"" : std::string()) +
                "><font color=\"#ffffff\">" + (i == 0 ? "<a name=\"keep-together\"></a>" : "") + esc(columns[i]) +
                "</font></th>";
    html += "</tr>";
    int n = 0;
    for (const auto& row : rows) {
        html += std::string("<tr") + (n++ % 2 ? std::string(" bgcolor=\"") + kPale + "\"" : "") + ">";
        for (const auto& cell : row)
            html += "<td>" + cell + "</td>";
        html += "</tr>";
    }
    return html + "</table>\n";
}

std::string tablesFor(const ReviewDocument& r, SectionKey key)
{
    std::string html;
    for (const ReviewTable& t : r.tables) {
        if (t.section != key)
            continue;
        std::vector<std::vector<std::string>> rows;
        for (const auto& row : t.rows) {
            std::vector<std::string> cells;
            for (const auto& c : row)
                cells.push_back(inl(c));
            rows.push_back(cells);
        }
        html += "<h4>" + esc(t.title) + "</h4>" + dataTable(t.columns, rows);
        if (!t.note.empty())
            html += "<p class=\"caption\">" + inl(t.note) + "</p>";
    }
    return html;
}

std::string body(const ReviewSection& s)
{
    if (s.bodyMarkdown.find_first_not_of(" \t\r\n") == std::string::npos)
        return "<p class=\"muted\"><i>Not written yet.</i></p>\n";
    return markdownToHtml(s.bodyMarkdown, 3);
}

// ---- the cover ------------------------------------------------------------------------------------------------

std::string statusLine(const ReviewDocument& r)
{
    if (r.version == 0)
        return "<p><span class=\"draft\"><b>DRAFT</b> — compiled for the board on " + esc(longDate(r.issuedOn)) +
               "; not signed and not for clinical use.</span></p>";
    std::string line = "<p class=\"muted\">Final report, version " + std::to_string(r.version) + ", signed " +
                       esc(longDate(r.issuedOn)) + ".";
    if (r.version > 1)
        line += " <b>Amended:</b> " + esc(r.amendmentReason);
    return line + "</p>";
}

// The first paragraph of the chair's answer: the cover leads with it, as the referring oncologist reads it first.
std::string answerInBrief(const ReviewDocument& r)
{
    const std::string& answer = r.findings.section(SectionKey::Answer).bodyMarkdown;
    const auto end = answer.find("\n\n");
    const std::string first = answer.substr(0, end);
    return first.find_first_not_of(" \t\r\n") == std::string::npos ? "" : markdownToHtml(first, 4);
}

std::string box(const std::string& inner)
{
    return "<table width=\"100%\" cellspacing=\"0\" cellpadding=\"9\" bgcolor=\"" + std::string(kPale) + "\"><tr><td>" +
           inner + "</td></tr></table>";
}

std::string cover(const ReviewDocument& r)
{
    const Case& c = r.theCase;
    std::string html = std::string(kStyle);
    html += "<table width=\"100%\" cellspacing=\"0\"><tr><td width=\"74%\"><span style=\"font-size: 14pt; color: " +
            std::string(kNavy) + "; font-weight: 600\">" + esc(r.boardName) +
            "</span><br/><span class=\"muted\">International second-opinion service</span></td>"
            "<td align=\"right\" class=\"muted\">Case reference<br/><span style=\"font-size: 13pt; color: " +
            std::string(kNavy) + "; font-weight: 600\">" + esc(c.reference) + "</span></td></tr></table>";
    html += "<hr/>";
    html += "<h1>Written multidisciplinary review</h1>";
    html += statusLine(r);

    const std::string dob = c.patient.birthDate ? longDate(c.patient.birthDate) : "";
    const std::string age = ageAndSex(c.patient, r.issuedOn);
    const std::string patient =
        "<h3>Patient</h3>" + factTable({{"Name", "<b>" + esc(c.patient.name) + "</b>"},
                                        {"Born", esc(dob + (age.empty() ? "" : " (" + age + ")"))},
                                        {"Record number", esc(c.patient.referringIdentifier)},
                                        {"Country", esc(c.patient.country)}},
                                       34);
    const std::string referral =
        "<h3>Referral</h3>" + factTable({{"Centre", esc(c.referringInstitution)},
                                         {"Oncologist", esc(c.referringOncologist)},
                                         {"Received", esc(longDate(formatIsoDate(c.receivedOn)))},
                                         {"Service", esc(std::string(displayName(c.service)))}},
                                        30);
    html += "<table width=\"100%\" cellspacing=\"0\" cellpadding=\"0\"><tr><td width=\"49%\">" + patient +
            "</td><td width=\"2%\"></td><td width=\"49%\">" + referral + "</td></tr></table>";
    html += "<h3>Diagnosis as referred</h3><p>" + esc(c.diagnosisAsReferred) + "</p>";
    html += "<h3>The question put to the board</h3>" +
            box("<span style=\"font-size: 11pt\"><i>“" + esc(c.question) + "”</i></span>");
    if (const std::string brief = answerInBrief(r); !brief.empty())
        html += "<h3>The board's answer in brief</h3>" + box(brief) +
                "<p class=\"small muted\">The full answer, with its reasons, is in section 5.</p>";

    html += "<h3>Contents</h3><table width=\"100%\" cellspacing=\"0\" cellpadding=\"2\"><tr><td width=\"50%\">";
    int n = 1;
    for (SectionKey key : kAllSections) {
        html += "<span class=\"muted\">" + std::to_string(n) + "</span>&nbsp;&nbsp;" + esc(sectionTitle(key)) + "<br/>";
        if (n++ == 4)
            html += "</td><td width=\"50%\">";
    }
    html += "</td></tr></table>";
    // The body of the review starts on a page of its own.
    html += "<p style=\"page-break-after: always\"></p>";

    html += "<h2><a name=\"background\">Background</a></h2>";
    if (!r.materialsReviewed.empty()) {
        html += "<h4>Materials reviewed</h4><ul>";
        for (const auto& m : r.materialsReviewed)
            html += "<li class=\"small\">" + esc(m) + "</li>";
        html += "</ul>";
    }
    if (!r.treatmentHistory.empty()) {
        html += "<h4>Treatment so far, as referred</h4>";
        std::vector<std::vector<std::string>> rows;
        for (const auto& t : r.treatmentHistory) {
            std::string when = t.startedOn ? formatIsoDate(*t.startedOn) : "";
            if (t.endedOn && t.endedOn != t.startedOn)
                when += " – " + formatIsoDate(*t.endedOn);
            rows.push_back(
                {esc(when),
                 esc(t.regimen) + (t.dose.empty() ? "" : "<br/><span class=\"muted\">" + esc(t.dose) + "</span>"),
                 esc(t.response)});
        }
        html += dataTable({"When", "Treatment", "Outcome as documented"}, rows, {22, 44, 34});
    }
    return html;
}

// ---- the sections ---------------------------------------------------------------------------------------------

std::string heading(const ReviewDocument& r, SectionKey key, int number)
{
    const ReviewSection& s = r.findings.section(key);
    std::string html = "<h2><a name=\"" + anchorName(key) + "\">" + std::to_string(number) + "&nbsp;&nbsp;" +
                       esc(sectionTitle(key)) + "</a>";
    if (s.status == SectionStatus::Draft)
        html += " <span class=\"draft\">— draft</span>";
    return html + "</h2>\n";
}

std::string pathology(const ReviewDocument& r)
{
    const PathologyFindings& p = r.findings.pathology;
    std::string html =
        factTable({{"Diagnosis", "<b>" + inl(p.diagnosis) + "</b>"},
                   {"Histologic type", inl(p.histologicType)},
                   {"Grade", inl(p.grade)},
                   {"pT", esc(p.pT)},
                   {"pN", esc(p.pN)},
                   {"Margins", inl(p.margins)},
                   {"Referring stage",
                    p.stageAgreement == Agreement::NotStated ? std::string() : agreementWords(p.stageAgreement)},
                   {"Referring grade",
                    p.gradeAgreement == Agreement::NotStated ? std::string() : agreementWords(p.gradeAgreement)},
                   {"Why", inl(p.agreementReasoning)}});
    if (p.diagnosis.empty())
        html = factTable({{"Diagnosis", ""}});  // nothing structured yet
    if (!p.biomarkers.empty())
        html += "<h4>Immunohistochemistry and molecular findings</h4>" + markdownToHtml(p.biomarkers, 4);
    return html;
}

std::string radiology(const ReviewDocument& r)
{
    const RadiologyFindings& f = r.findings.radiology;
    std::string html;
    if (!f.studies.empty()) {
        std::vector<std::vector<std::string>> rows;
        for (const auto& s : f.studies)
            rows.push_back({esc(s.studyDate), "<b>" + esc(s.study) + "</b>", markdownToHtml(s.findings, 4)});
        html += dataTable({"Date", "Study", "Findings on re-read"}, rows, {14, 24, 62});
    }
    std::string stage = esc(f.cT + (f.cN.empty() ? "" : " " + f.cN) + (f.cM.empty() ? "" : " " + f.cM));
    if (!stage.empty() || f.stageAgreement != Agreement::NotStated)
        html += spacer() + factTable({{"Clinical stage on re-read", "<b>" + stage + "</b>"},
                                      {"Referring clinical stage", f.stageAgreement == Agreement::NotStated
                                                                       ? std::string()
                                                                       : agreementWords(f.stageAgreement)},
                                      {"Why", inl(f.agreementReasoning)}});
    return html;
}

std::string pathway(const ReviewDocument& r)
{
    const ChairFindings& c = r.findings.chair;
    return factTable({{"Intent", "<b>" + inl(c.intent) + "</b>"}, {"Sequence", inl(c.sequence)}}, 22);
}

std::string alternatives(const ReviewDocument& r)
{
    const ChairFindings& c = r.findings.chair;
    return c.alternatives.empty() ? "" : "<h4>Alternatives considered</h4>" + markdownToHtml(c.alternatives, 4);
}

std::string trials(const ReviewDocument& r)
{
    const auto& list = r.findings.chair.trials;
    if (list.empty())
        return "";
    std::vector<std::vector<std::string>> rows;
    for (const TrialOption& t : list) {
        std::string site = esc(t.site);
        if (t.openOnlyInChina)
            site += "<br/><span class=\"flag\">Open only in China</span>";
        rows.push_back({"<b>" + esc(t.registryId) + "</b>",
                        inl(t.title) + "<br/><span class=\"muted\">Phase " + esc(t.phase) + "</span>", site,
                        inl(t.keyEligibility)});
    }
    return dataTable({"Registry ID", "Study", "Where", "Key eligibility"}, rows, {20, 34, 19, 27}) +
           "<p class=\"caption\">Eligibility must be confirmed by the trial site; recruitment status changes. "
           "Registry entries were checked on the date of this review.</p>";
}

std::string videoConsultation(const ReviewDocument& r)
{
    const auto& advised = r.findings.chair.videoAdvised;
    if (!advised)
        return "";
    return factTable({{"Video consultation with the board", *advised ? "<b>Advised</b>" : "<b>Not needed</b>"}}, 40);
}

std::string sections(const ReviewDocument& r)
{
    std::string html;
    int number = 1;
    for (SectionKey key : kAllSections) {
        html += heading(r, key, number++);
        const ReviewSection& s = r.findings.section(key);
        switch (key) {
            case SectionKey::Pathology:
                html += pathology(r) + spacer() + body(s);
                break;
            case SectionKey::Radiology:
                html += radiology(r) + spacer() + body(s);
                break;
            case SectionKey::Pathway:
                html += pathway(r) + spacer() + body(s) + alternatives(r);
                break;
            case SectionKey::Trials:
                html += body(s) + trials(r);
                break;
            case SectionKey::VideoConsultation:
                html += videoConsultation(r) + spacer() + body(s);
                break;
            default:
                html += body(s);
        }
        html += tablesFor(r, key);
    }
    return html;
}

// Two pictures to a row, each with its caption and where it came from.
std::string keyImages(const ReviewDocument& r)
{
    if (r.images.empty())
        return "";
    std::string html = "<h2><a name=\"key-images\">Key images</a></h2>";
    // One table per row of two figures, marked so that typesetting never splits a figure from its caption.
    for (std::size_t i = 0; i < r.images.size(); i += 2) {
        html += "<table width=\"100%\" cellspacing=\"0\" cellpadding=\"6\"><tr>";
        for (std::size_t j = i; j < i + 2; ++j) {
            html += "<td width=\"50%\" align=\"center\">";
            if (j == i)
                html += "<a name=\"keep-together-figures-" + std::to_string(i / 2) + "\"></a>";
            if (j < r.images.size()) {
                const ReviewImage& image = r.images[j];
                html += "<img src=\"image:" + std::to_string(j) +
                        "\" width=\"260\"/><br/>"
                        "<span class=\"caption\"><b>Figure " +
                        std::to_string(j + 1) + ".</b> " + inl(image.caption) + "</span>";
                if (!image.source.empty())
                    html += "<br/><span class=\"small muted\">" + esc(image.source) + "</span>";
            }
            html += "</td>";
        }
        html += "</tr></table>\n";
    }
    return html;
}

std::string signatures(const ReviewDocument& r)
{
    std::string html = "<h2><a name=\"signatures\">Signatures</a></h2>";
    std::vector<std::vector<std::string>> rows;
    for (const Signature& s : r.signatures)
        rows.push_back({"<b>" + esc(s.name) + "</b>", esc(roleWords(s.role)),
                        s.date.empty() ? "<span class=\"draft\">not signed</span>" : esc(longDate(s.date))});
    // Kept on one page with its heading: a signature never stands alone at the top of a page.
    if (!rows.empty())
        rows.front().front() = "<a name=\"keep-together-signatures\"></a>" + rows.front().front();
    // The closing words are the table's last row, so they stay on the signatures' page.
    std::string table = dataTable({"Name", "Role", "Signed"}, rows, {40, 34, 26});
    table.erase(table.rfind("</table>"));
    html += table +
            "<tr><td colspan=\"3\" class=\"small muted\">This review was prepared by the members of the board "
            "named above, each for their own section, and compiled and signed by the chair of the board. It is "
            "based on the materials listed under Background, without an examination of the patient, and is advice "
            "to the treating oncologist, who remains responsible for the patient's care.</td></tr></table>\n";
    return html;
}

}  // namespace

std::string reviewHtml(const ReviewDocument& r)
{
    return "<html><body>" + cover(r) + sections(r) + keyImages(r) + signatures(r) + "</body></html>";
}

PageSetup reviewPageSetup(const ReviewDocument& r, Paper paper)
{
    PageSetup setup;
    setup.title = "Written multidisciplinary review " + r.theCase.reference;
    setup.author = r.boardName;
    setup.header = r.boardName + " · written multidisciplinary review";
    setup.headerRight = r.theCase.reference + (r.version == 0 ? " · DRAFT" : " · version " + std::to_string(r.version));
    setup.footer = r.theCase.reference + " · " + r.theCase.patient.name + " · confidential medical information";
    setup.marginMm = 18.0;
    setup.baseFontPt = 9.5;
    setup.fontFamily = "Noto Sans";
    setup.paper = paper;
    setup.creationDate = r.documentTime;
    setup.keepHeadingsWithTextMm = 28.0;
    for (std::size_t i = 0; i < r.images.size(); ++i)
        setup.images["image:" + std::to_string(i)] = r.images[i].png;
    return setup;
}

std::optional<std::string> pageBoundsWarning(int pages, const PageBounds& bounds,
                                             const std::vector<std::pair<std::string, double>>& parts)
{
    const bool tooLong = pages > bounds.maxPages;
    if (!tooLong && pages >= bounds.minPages)
        return std::nullopt;
    auto ordered = parts;
    std::stable_sort(ordered.begin(), ordered.end(),
                     [&](const auto& a, const auto& b) { return tooLong ? a.second > b.second : a.second < b.second; });
    const double gap = tooLong ? pages - bounds.maxPages : bounds.minPages - pages;
    std::string text = "the review has " + std::to_string(pages) + (pages == 1 ? " page" : " pages") + ", " +
                       (tooLong ? "more than the " + std::to_string(bounds.maxPages) + " allowed: shorten "
                                : "fewer than the " + std::to_string(bounds.minPages) + " expected: expand ");
    double covered = 0;
    int named = 0;
    for (const auto& [title, size] : ordered) {
        char amount[32];
        std::snprintf(amount, sizeof amount, "%.1f", size);
        text += (named++ ? ", " : "") + title + " (" + amount + (size == 1.0 ? " page)" : " pages)");
        covered += tooLong ? size : 1.0;  // expanding: each thin section can grow by about a page
        if (covered >= gap && named >= 2)
            break;
    }
    return text;
}

CompileResult compileReview(const ReviewDocument& r, const std::filesystem::path& out, const CompileOptions& options)
{
    const PdfLayout layout = typesetPdf(reviewHtml(r), out, reviewPageSetup(r, options.paper));
    CompileResult result;
    result.pages = layout.pages;
    // A section runs from its anchor to the next anchor (the next section, the key images, the signatures).
    std::vector<std::pair<std::string, double>> starts;
    for (const auto& [name, at] : layout.anchors)
        if (!name.starts_with("keep-together"))  // typesetting marks, not parts of the document
            starts.emplace_back(name, at);
    std::sort(starts.begin(), starts.end(), [](const auto& a, const auto& b) { return a.second < b.second; });
    const auto extentOf = [&](const std::string& name) {
        for (std::size_t i = 0; i < starts.size(); ++i)
            if (starts[i].first == name)
                return i + 1 < starts.size() ? starts[i + 1].second - starts[i].second : 0.0;
        return 0.0;
    };
    std::vector<std::pair<std::string, double>> parts;
    for (SectionKey key : kAllSections) {
        result.sectionPages[key] = extentOf(anchorName(key));
        parts.emplace_back(std::string(sectionTitle(key)), result.sectionPages[key]);
    }
    if (!r.images.empty())
        parts.emplace_back("Key images", extentOf("key-images"));
    result.warning = pageBoundsWarning(result.pages, options.bounds, parts);
    return result;
}

}  // namespace consilium::report
