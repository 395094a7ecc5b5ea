#include "cli/report_command.h"

#include <fstream>
#include <ostream>
#include <sstream>

#include "cli/arguments.h"
#include "model/error.h"
#include "model/json.h"
#include "report/review_workflow.h"
#include "store/case_repository.h"
#include "store/review_repository.h"
#include "store/reviewer_repository.h"

namespace consilium::cli {
using namespace consilium::model;
namespace fs = std::filesystem;

namespace {

std::string readText(const fs::path& file)
{
    std::ifstream in(file, std::ios::binary);
    if (!in)
        throw Error(file.string(), "cannot be read");
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

std::vector<std::string> splitBars(const std::string& text, std::size_t parts, const std::string& option)
{
    std::vector<std::string> out;
    std::size_t start = 0;
    for (;;) {
        const auto bar = text.find('|', start);
        out.push_back(text.substr(start, bar == std::string::npos ? std::string::npos : bar - start));
        if (bar == std::string::npos)
            break;
        start = bar + 1;
    }
    if (out.size() != parts)
        throw UsageError(option, "'" + text + "' needs " + std::to_string(parts) + " fields separated by '|'");
    return out;
}

// A --study or --trial may repeat: Arguments keeps the last, so repeated ones are gathered here first.
std::vector<std::string> takeRepeated(std::vector<std::string>& args, const std::string& option)
{
    std::vector<std::string> values, rest;
    for (std::size_t i = 0; i < args.size(); ++i) {
        if (args[i] == option) {
            if (i + 1 >= args.size())
                throw UsageError(option, "needs a value");
            values.push_back(args[++i]);
        } else if (args[i].starts_with(option + "=")) {
            values.push_back(args[i].substr(option.size() + 1));
        } else {
            rest.push_back(args[i]);
        }
    }
    args = rest;
    return values;
}

Case caseArgument(store::Database& db, const Arguments& a, const std::string& command, std::size_t count = 1)
{
    if (a.positional().size() != count)
        throw UsageError("report " + command, count == 1 ? "takes one case ID" : "takes a case ID and a section");
    return store::CaseRepository(db).find(a.positional()[0]);
}

// The reviewer named by --as, registered with --role when given; otherwise looked up among the reviewers (the board
// chair's role first, since finalizing needs it).
store::Actor reviewer(store::Database& db, const Arguments& a)
{
    const std::string name = a.require("--as");
    store::ReviewerRepository reviewers(db);
    if (const auto role = a.value("--role"))
        return {reviewers.ensure(name, roleFrom(*role)).name, roleFrom(*role)};
    std::optional<Role> found;
    for (const auto& r : reviewers.all())
        if (r.name == name && (!found || r.role == Role::BoardChair))
            found = r.role;
    if (!found)
        throw Error(name,
                    "is not a registered reviewer (name them once with --role radiologist, pathologist or "
                    "board-chair)");
    return {name, *found};
}

std::string statusJson(const ReviewFindings& f, const std::vector<ReviewVersion>& versions, const Case& c)
{
    std::vector<std::string> sections, done;
    for (const auto& s : f.sections)
        sections.push_back(JsonObject()
                               .add("section", toString(s.key))
                               .add("title", sectionTitle(s.key))
                               .add("owner", toString(sectionOwner(s.key)))
                               .add("status", toString(s.status))
                               .add("updated_by", s.updatedBy)
                               .add("updated_at", s.updatedAt)
                               .add("characters", std::int64_t(s.bodyMarkdown.size()))
                               .str());
    for (const auto& v : versions)
        done.push_back(store::toJson(v));
    return JsonObject()
        .add("case", c.reference)
        .add("case_status", toString(c.status))
        .addRaw("sections", jsonArray(sections))
        .addRaw("versions", jsonArray(done))
        .str();
}

int status(store::Database& db, const std::vector<std::string>& args, std::ostream& out)
{
    Arguments a(args, {}, {"--json"});
    const Case c = caseArgument(db, a, "status");
    store::ReviewRepository reviews(db);
    const auto f = reviews.findings(c.id);
    const auto versions = reviews.versions(c.id);
    if (a.flag("--json")) {
        out << statusJson(f, versions, c) << "\n";
        return 0;
    }
    out << c.reference << " — review (" << displayName(c.status) << ")\n";
    for (const auto& s : f.sections)
        out << "  " << (s.status == SectionStatus::Ready ? "ready " : "draft ") << sectionTitle(s.key)
            << (s.updatedBy.empty() ? "  (not written)" : "  — " + s.updatedBy + ", " + s.updatedAt) << "\n";
    for (const auto& v : versions)
        out << "  version " << v.version << "  " << v.finalizedAt << "  " << v.finalizedBy << "  sha256 "
            << v.pdfSha256.substr(0, 16) << "…" << (v.amendmentReason.empty() ? "" : "  amended: " + v.amendmentReason)
            << "\n";
    return 0;
}

int section(store::Database& db, const std::vector<std::string>& args, std::ostream& out)
{
    Arguments a(args, {"--as", "--role", "--file", "--text"}, {"--ready"});
    const Case c = caseArgument(db, a, "section", 2);
    const SectionKey key = sectionKeyFrom(a.positional()[1]);
    if (a.value("--file").has_value() == a.value("--text").has_value())
        throw UsageError("report section", "give the body with either --file or --text");
    const std::string body = a.value("--file") ? readText(*a.value("--file")) : *a.value("--text");
    const auto status = a.flag("--ready") ? SectionStatus::Ready : SectionStatus::Draft;
    store::ReviewRepository(db).saveSection(c.id, key, body, status, reviewer(db, a));
    out << c.reference << "  " << sectionTitle(key) << ": " << toString(status) << "\n";
    return 0;
}

void set(std::string& field, const Arguments& a, const char* option)
{
    if (auto v = a.value(option))
        field = *v;
}

int pathology(store::Database& db, const std::vector<std::string>& args, std::ostream& out)
{
    Arguments a(args,
                {"--as", "--role", "--diagnosis", "--type", "--grade", "--pt", "--pn", "--stage-agreement",
                 "--grade-agreement", "--reasoning", "--margins", "--biomarkers-file"},
                {});
    const Case c = caseArgument(db, a, "pathology");
    store::ReviewRepository reviews(db);
    PathologyFindings f = reviews.findings(c.id).pathology;
    set(f.diagnosis, a, "--diagnosis");
    set(f.histologicType, a, "--type");
    set(f.grade, a, "--grade");
    set(f.pT, a, "--pt");
    set(f.pN, a, "--pn");
    set(f.agreementReasoning, a, "--reasoning");
    set(f.margins, a, "--margins");
    if (auto v = a.value("--stage-agreement"))
        f.stageAgreement = agreementFrom(*v);
    if (auto v = a.value("--grade-agreement"))
        f.gradeAgreement = agreementFrom(*v);
    if (auto file = a.value("--biomarkers-file"))
        f.biomarkers = readText(*file);
    reviews.savePathology(c.id, f, reviewer(db, a));
    out << c.reference << "  pathology findings saved\n";
    return 0;
}

int radiology(store::Database& db, std::vector<std::string> args, std::ostream& out)
{
    const auto studies = takeRepeated(args, "--study");
    Arguments a(args, {"--as", "--role", "--ct", "--cn", "--cm", "--stage-agreement", "--reasoning"}, {});
    const Case c = caseArgument(db, a, "radiology");
    store::ReviewRepository reviews(db);
    RadiologyFindings f = reviews.findings(c.id).radiology;
    set(f.cT, a, "--ct");
    set(f.cN, a, "--cn");
    set(f.cM, a, "--cm");
    set(f.agreementReasoning, a, "--reasoning");
    if (auto v = a.value("--stage-agreement"))
        f.stageAgreement = agreementFrom(*v);
    if (!studies.empty()) {
        f.studies.clear();
        for (const auto& s : studies) {
            const auto parts = splitBars(s, 3, "--study");
            f.studies.push_back({"", parts[0], parts[1], parts[2]});
        }
    }
    reviews.saveRadiology(c.id, f, reviewer(db, a));
    out << c.reference << "  radiology findings saved\n";
    return 0;
}

int chair(store::Database& db, std::vector<std::string> args, std::ostream& out)
{
    const auto trials = takeRepeated(args, "--trial");
    Arguments a(args, {"--as", "--role", "--intent", "--sequence", "--alternatives", "--video"}, {});
    const Case c = caseArgument(db, a, "chair");
    store::ReviewRepository reviews(db);
    ChairFindings f = reviews.findings(c.id).chair;
    set(f.intent, a, "--intent");
    set(f.sequence, a, "--sequence");
    set(f.alternatives, a, "--alternatives");
    if (auto v = a.value("--video")) {
        if (*v != "yes" && *v != "no")
            throw UsageError("--video", "'" + *v + "' is not one of: yes, no");
        f.videoAdvised = *v == "yes";
    }
    if (!trials.empty()) {
        f.trials.clear();
        for (const auto& t : trials) {
            const auto p = splitBars(t, 6, "--trial");
            if (p[4] != "china-only" && p[4] != "open")
                throw UsageError("--trial", "the fifth field is 'china-only' or 'open', not '" + p[4] + "'");
            f.trials.push_back({p[0], p[1], p[2], p[3], p[4] == "china-only", p[5]});
        }
    }
    reviews.saveChair(c.id, f, reviewer(db, a));
    out << c.reference << "  board chair's findings saved\n";
    return 0;
}

report::CompileOptions compileOptions(store::Database& db, const Arguments& a)
{
    report::CompileOptions o;
    o.bounds = report::reviewPageBounds(db);
    if (auto p = a.value("--paper"))
        o.paper = report::paperFrom(*p);
    if (auto n = a.integer("--min-pages", "a number of pages"))
        o.bounds.minPages = int(*n);
    if (auto n = a.integer("--max-pages", "a number of pages"))
        o.bounds.maxPages = int(*n);
    if (o.bounds.minPages < 1 || o.bounds.maxPages < o.bounds.minPages)
        throw UsageError("page bounds", "need 1 ≤ --min-pages ≤ --max-pages");
    return o;
}

int compile(store::Database& db, const std::vector<std::string>& args, std::ostream& out)
{
    Arguments a(args, {"--out", "--paper", "--min-pages", "--max-pages"}, {});
    const Case c = caseArgument(db, a, "compile");
    const fs::path file = a.require("--out");
    const auto options = compileOptions(db, a);
    const auto result = report::compileCaseReview(db, c.id, file, options);
    out << c.reference << "  " << result.pages << " pages (" << toString(options.paper) << ") → " << file.string()
        << "\n";
    if (result.warning)
        out << "warning: " << *result.warning << "\n";
    return 0;
}

int finalize(store::Database& db, const std::vector<std::string>& args, std::ostream& out)
{
    Arguments a(args, {"--as", "--reason", "--paper"}, {});
    const Case c = caseArgument(db, a, "finalize");
    const auto actor = reviewer(db, a);
    const auto result =
        report::finalizeReview(db, c.id, actor, a.value("--reason").value_or(""), compileOptions(db, a));
    out << c.reference << "  version " << result.version.version << " finalized by " << result.version.finalizedBy
        << ", " << result.compile.pages << " pages\n  sha256 " << result.version.pdfSha256 << "\n  "
        << result.pdf.string() << "\n";
    if (result.compile.warning)
        out << "warning: " << *result.compile.warning << "\n";
    return 0;
}

int exportDicom(store::Database& db, const std::vector<std::string>& args, std::ostream& out,
                const store::Actor& commandLine)
{
    Arguments a(args, {"--out"}, {});
    const Case c = caseArgument(db, a, "export-dicom");
    const fs::path file = a.require("--out");
    const auto version = report::exportReviewDicom(db, c.id, file, commandLine);
    out << c.reference << "  version " << version.version << " → " << file.string() << " (Encapsulated PDF)\n";
    return 0;
}

}  // namespace

int reportCommand(store::Database& db, const std::vector<std::string>& args, std::ostream& out,
                  const store::Actor& commandLine)
{
    const char* subcommands = "status, section, pathology, radiology, chair, compile, finalize, export-dicom";
    if (args.empty())
        throw UsageError("report", std::string("needs a subcommand: ") + subcommands);
    const std::string sub = args[0];
    const std::vector<std::string> rest(args.begin() + 1, args.end());
    if (sub == "status")
        return status(db, rest, out);
    if (sub == "section")
        return section(db, rest, out);
    if (sub == "pathology")
        return pathology(db, rest, out);
    if (sub == "radiology")
        return radiology(db, rest, out);
    if (sub == "chair")
        return chair(db, rest, out);
    if (sub == "compile")
        return compile(db, rest, out);
    if (sub == "finalize")
        return finalize(db, rest, out);
    if (sub == "export-dicom")
        return exportDicom(db, rest, out, commandLine);
    throw UsageError("report " + sub, std::string("unknown subcommand (") + subcommands + ")");
}

}  // namespace consilium::cli
