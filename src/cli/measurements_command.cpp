#include "cli/measurements_command.h"

#include <charconv>
#include <ostream>
#include <sstream>

#include "cli/arguments.h"
#include "imaging/measurement_csv.h"
#include "imaging/measurement_sr.h"
#include "imaging/roi_statistics.h"
#include "model/error.h"
#include "model/json.h"
#include "store/case_repository.h"
#include "store/measurement_repository.h"

namespace consilium::cli {
using namespace consilium::model;

namespace {

double parseNumber(const std::string& text, const std::string& what)
{
    double value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || ec != std::errc() || end != text.data() + text.size())
        throw UsageError("--points", "'" + text + "' is not a number (" + what + ")");
    return value;
}

// "x,y,z;x,y,z;…" in LPS mm.
std::vector<Point3> parsePoints(const std::string& text)
{
    std::vector<Point3> points;
    std::istringstream in(text);
    for (std::string item; std::getline(in, item, ';');) {
        std::istringstream coordinates(item);
        std::vector<std::string> parts;
        for (std::string c; std::getline(coordinates, c, ',');)
            parts.push_back(c);
        if (parts.size() != 3)
            throw UsageError("--points", "'" + item + "' is not X,Y,Z");
        points.push_back({parseNumber(parts[0], "x"), parseNumber(parts[1], "y"), parseNumber(parts[2], "z")});
    }
    if (points.empty())
        throw UsageError("--points", "no points given");
    return points;
}

std::string optionalNumber(const std::optional<double>& v) { return v ? jsonNumber(*v) : "null"; }

std::string valuesText(const MeasurementValues& v)
{
    std::ostringstream s;
    s.precision(4);
    if (v.lengthMm)
        s << *v.lengthMm << " mm";
    if (v.angleDegrees)
        s << *v.angleDegrees << "°";
    if (v.longAxisMm && v.shortAxisMm)
        s << *v.longAxisMm << " × " << *v.shortAxisMm << " mm";
    if (v.areaMm2)
        s << (v.longAxisMm ? ", " : "") << *v.areaMm2 << " mm²";
    return s.str();
}

std::string measurementJson(const Measurement& m, const MeasurementValues& v)
{
    std::string json = toJson(m);
    json.pop_back();
    JsonObject values;
    values.add("length_mm", v.lengthMm)
        .add("angle_deg", v.angleDegrees)
        .add("long_axis_mm", v.longAxisMm)
        .add("short_axis_mm", v.shortAxisMm)
        .add("area_mm2", v.areaMm2);
    return json + ",\"time_point\":" + jsonQuote(m.studyDate) + ",\"values\":" + values.str() + "}";
}

Lesion lesionNamed(store::MeasurementRepository& repo, std::int64_t caseId, const std::string& name)
{
    for (const auto& l : repo.lesions(caseId))
        if (l.name == name)
            return l;
    throw UsageError("lesion '" + name + "'", "the case has no lesion of that name");
}

int list(store::Database& db, std::int64_t caseId, const Arguments& a, std::ostream& out)
{
    store::MeasurementRepository repo(db);
    const auto lesions = repo.lesions(caseId);
    const auto measurements = repo.forCase(caseId);
    auto lesionName = [&](const std::optional<std::int64_t>& id) -> std::string {
        for (const auto& l : lesions)
            if (id == l.id)
                return l.name;
        return "";
    };
    if (a.flag("--json")) {
        std::vector<std::string> l, m;
        for (const auto& x : lesions)
            l.push_back(store::toJson(x));
        for (const auto& x : measurements)
            m.push_back(measurementJson(x, measurementValues(x)));
        out << "{\"lesions\":" << jsonArray(l) << ",\"measurements\":" << jsonArray(m) << "}\n";
        return 0;
    }
    for (const auto& x : measurements) {
        out << x.id << "  " << x.studyDate << "  " << toString(x.kind) << "  " << valuesText(measurementValues(x));
        if (x.lesionId)
            out << "  [" << lesionName(x.lesionId) << "]";
        if (!x.label.empty())
            out << "  \"" << x.label << "\"";
        out << "\n";
    }
    if (measurements.empty())
        out << "No measurements.\n";
    return 0;
}

int add(store::Database& db, std::int64_t caseId, const Arguments& a, std::ostream& out, const store::Actor& actor)
{
    store::MeasurementRepository repo(db);
    Measurement m;
    const auto kind = measurementKindFromString(a.require("--kind"));
    if (!kind)
        throw UsageError("--kind", "'" + *a.value("--kind") +
                                       "' is not line, angle, ellipse, polygon, bidirectional "
                                       "or arrow");
    m.kind = *kind;
    m.seriesInstanceUid = a.require("--series");
    m.label = a.value("--label").value_or("");
    const auto points = parsePoints(a.require("--points"));
    const auto image = repo.nearestSourceImage(caseId, m.seriesInstanceUid, points.front());
    if (!image)
        throw UsageError("series " + m.seriesInstanceUid, "has no image with a position in this case");
    m.plane = image->plane;
    m.sopInstanceUid = image->sopInstanceUid;
    for (const auto& p : points)
        m.points.push_back(projectOntoPlane(m.plane, p));
    if (const auto name = a.value("--lesion")) {
        std::optional<Lesion> lesion;
        for (const auto& l : repo.lesions(caseId))
            if (l.name == *name)
                lesion = l;
        if (!lesion) {
            Lesion l;
            l.name = *name;
            l.location = a.value("--location").value_or("");
            const auto category = lesionCategoryFromString(a.value("--category").value_or("target"));
            if (!category)
                throw UsageError("--category", "'" + *a.value("--category") + "' is not target, non-target or new");
            l.category = *category;
            l.nodal = a.flag("--nodal");
            lesion = repo.addLesion(caseId, l, actor);
        }
        m.lesionId = lesion->id;
    }
    const Measurement stored = repo.add(caseId, m, actor);
    out << "Measurement " << stored.id << " (" << toString(stored.kind) << ") " << valuesText(measurementValues(stored))
        << " on " << stored.studyDate << ", image " << stored.sopInstanceUid << "\n";
    return 0;
}

int observe(store::Database& db, std::int64_t caseId, const Arguments& a, std::ostream& out, const store::Actor& actor)
{
    store::MeasurementRepository repo(db);
    store::LesionObservation o;
    o.lesionId = lesionNamed(repo, caseId, a.require("--lesion")).id;
    o.timePoint = a.require("--time-point");
    const auto state = lesionStateFromString(a.require("--state"));
    if (!state || *state == LesionState::Measured)
        throw UsageError("--state", "'" + *a.value("--state") +
                                        "' is not too-small, disappeared, present, progression or not-evaluated");
    o.state = *state;
    o.note = a.value("--note").value_or("");
    repo.setObservation(caseId, o, actor);
    out << "Recorded: " << *a.value("--lesion") << " " << toString(o.state) << " on " << o.timePoint << "\n";
    return 0;
}

std::string timePointJson(const TimePointResult& t)
{
    JsonObject o;
    o.add("time_point", t.timePoint).add("baseline", t.baseline);
    o.add("sum_mm", t.sumMm).add("nadir_mm", t.nadirMm);
    o.add("change_from_baseline_percent", t.changeFromBaselinePercent)
        .add("change_from_nadir_percent", t.changeFromNadirPercent)
        .add("change_from_nadir_mm", t.changeFromNadirMm)
        .add("new_lesions", t.newLesions);
    auto response = [&](const char* key, const std::optional<Response>& r) {
        if (r)
            o.add(key, toString(*r));
        else
            o.addNull(key);
    };
    response("target_response", t.targetResponse);
    response("non_target_response", t.nonTargetResponse);
    response("overall_response", t.overallResponse);
    std::vector<std::string> notes;
    for (const auto& n : t.notes)
        notes.push_back(jsonQuote(n));
    o.addRaw("notes", jsonArray(notes));
    return o.str();
}

int recist(store::Database& db, std::int64_t caseId, const Arguments& a, std::ostream& out)
{
    store::MeasurementRepository repo(db);
    const auto lesions = repo.lesions(caseId);
    const RecistEvaluation ev = repo.evaluateRecist(caseId);
    if (a.flag("--json")) {
        std::vector<std::string> problems, eligibility, timePoints;
        for (const auto& p : ev.selectionProblems)
            problems.push_back(jsonQuote(p));
        for (const auto& e : ev.eligibility) {
            JsonObject o;
            o.add("lesion_id", e.lesionId).add("target_eligible", e.eligibility.targetEligible);
            if (e.eligibility.nodeClass)
                o.add("node_class", toString(*e.eligibility.nodeClass));
            else
                o.addNull("node_class");
            o.add("reason", e.eligibility.reason);
            eligibility.push_back(o.str());
        }
        for (const auto& t : ev.timePoints)
            timePoints.push_back(timePointJson(t));
        out << "{\"selection_problems\":" << jsonArray(problems) << ",\"eligibility\":" << jsonArray(eligibility)
            << ",\"time_points\":" << jsonArray(timePoints) << "}\n";
        return 0;
    }
    for (const auto& l : lesions) {
        out << l.name << " (" << toString(l.category) << (l.nodal ? ", node" : "")
            << (l.location.empty() ? "" : ", " + l.location) << ")";
        for (const auto& e : ev.eligibility)
            if (e.lesionId == l.id)
                out << ": " << e.eligibility.reason;
        out << "\n";
    }
    for (const auto& p : ev.selectionProblems)
        out << "  ! " << p << "\n";
    // The text is for reading: millimetres to 0.1, percentages to 0.1 (the JSON keeps every digit).
    const auto tenth = [](const std::optional<double>& v) {
        std::ostringstream s;
        s.setf(std::ios::fixed);
        s.precision(1);
        if (v)
            s << *v;
        else
            s << "—";
        return s.str();
    };
    for (const auto& t : ev.timePoints) {
        out << t.timePoint << (t.baseline ? " baseline" : "") << "  sum " << tenth(t.sumMm) << " mm";
        if (!t.baseline) {
            out << "  nadir " << tenth(t.nadirMm) << " mm";
            if (t.changeFromBaselinePercent)
                out << "  " << (*t.changeFromBaselinePercent >= 0 ? "+" : "") << tenth(t.changeFromBaselinePercent)
                    << " % from baseline";
            if (t.overallResponse)
                out << "  → " << toString(*t.overallResponse);
        }
        out << "\n";
        for (const auto& n : t.notes)
            out << "  " << n << "\n";
    }
    if (ev.timePoints.empty())
        out << "No lesion assessed.\n";
    return 0;
}

int exportMeasurements(store::Database& db, std::int64_t caseId, const Arguments& a, std::ostream& out,
                       const store::Actor& actor)
{
    const std::string format = a.require("--format");
    const std::filesystem::path file = a.require("--out");
    if (format == "sr") {
        const auto summary = imaging::writeMeasurementReport(db, caseId, file, actor.name);
        out << "SR written: " << file.string() << " (" << summary.groups << " measurement groups, " << summary.images
            << " images referenced"
            << (summary.leftOut ? ", " + std::to_string(summary.leftOut) + " arrows left out" : "") << ")\n";
        return 0;
    }
    if (format == "csv") {
        const int rows = imaging::writeMeasurementCsv(db, caseId, file);
        out << "CSV written: " << file.string() << " (" << rows << " measurements)\n";
        return 0;
    }
    throw UsageError("--format", "'" + format + "' is not sr or csv");
}

}  // namespace

int measurementsCommand(store::Database& db, const std::vector<std::string>& args, std::ostream& out,
                        const store::Actor& actor)
{
    if (args.empty())
        throw UsageError("measurements", "needs a subcommand: list, add, remove, observe, recist or export");
    const std::string sub = args[0];
    if (sub != "list" && sub != "add" && sub != "remove" && sub != "observe" && sub != "recist" && sub != "export")
        throw UsageError("measurements " + sub, "unknown subcommand (list, add, remove, observe, recist, export)");
    const std::vector<std::string> rest(args.begin() + 1, args.end());
    const Arguments a(rest,
                      {"--series", "--kind", "--points", "--lesion", "--location", "--category", "--label",
                       "--time-point", "--state", "--note", "--format", "--out"},
                      {"--json", "--nodal"});
    const std::size_t expected = sub == "remove" ? 2 : 1;
    if (a.positional().size() != expected)
        throw UsageError("measurements " + sub,
                         sub == "remove" ? "takes a case ID and a measurement ID" : "takes exactly one case ID");
    const Case c = store::CaseRepository(db).find(a.positional()[0]);
    if (sub == "list")
        return list(db, c.id, a, out);
    if (sub == "add")
        return add(db, c.id, a, out, actor);
    if (sub == "remove") {
        long long id = 0;
        const std::string& text = a.positional()[1];
        const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
        if (ec != std::errc() || end != text.data() + text.size())
            throw UsageError("measurements remove", "'" + text + "' is not a measurement ID");
        store::MeasurementRepository(db).remove(c.id, id, actor);
        out << "Measurement " << id << " deleted\n";
        return 0;
    }
    if (sub == "observe")
        return observe(db, c.id, a, out, actor);
    if (sub == "recist")
        return recist(db, c.id, a, out);
    return exportMeasurements(db, c.id, a, out, actor);
}

}  // namespace consilium::cli
