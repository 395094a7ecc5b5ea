#include "cli/annotations_command.h"

#include <charconv>
#include <ostream>
#include <sstream>

#include "cli/arguments.h"
#include "model/error.h"
#include "model/json.h"
#include "pathology/annotation_exchange.h"
#include "store/annotation_repository.h"
#include "store/case_repository.h"
#include "store/slide_repository.h"

namespace consilium::cli {
using namespace consilium::model;

namespace {

// The slide of the case named by its id, its title or its original file name.
CaseSlide slideOfCase(store::Database& db, const std::string& caseText, const std::string& slideText)
{
    const Case c = store::CaseRepository(db).find(caseText);
    const auto slides = store::SlideRepository(db).forCase(c.id);
    std::int64_t id = 0;
    const auto [end, ec] = std::from_chars(slideText.data(), slideText.data() + slideText.size(), id);
    const bool isNumber = ec == std::errc() && end == slideText.data() + slideText.size();
    for (const auto& s : slides)
        if ((isNumber && s.id == id) || s.title == slideText || s.originalName == slideText)
            return s;
    std::string known;
    for (const auto& s : slides)
        known += (known.empty() ? "" : ", ") + std::to_string(s.id) + " '" +
                 (s.title.empty() ? s.originalName : s.title) + "'";
    throw UsageError(
        "slide " + slideText,
        "not a slide of " + c.reference + (known.empty() ? " (it has no slides)" : " (its slides: " + known + ")"));
}

std::string number(double value, int precision)
{
    std::ostringstream s;
    s.precision(precision);
    s << value;
    return s.str();
}

std::string measuresText(const Annotation& a, const AnnotationMeasures& m)
{
    const bool calibrated = m.lengthUm.has_value();
    if (a.shape == AnnotationShape::Point)
        return "";
    if (a.shape == AnnotationShape::Ruler)
        return calibrated ? number(*m.lengthUm, 6) + " µm" : number(m.lengthPx, 6) + " px (uncalibrated)";
    if (calibrated)
        return number(*m.areaMm2(), 4) + " mm², perimeter " + number(*m.lengthUm, 6) + " µm";
    return number(m.areaPx, 6) + " px², perimeter " + number(m.lengthPx, 6) + " px (uncalibrated)";
}

std::string countsText(const std::map<std::string, std::int64_t>& counts)
{
    std::string out;
    for (const auto& [name, n] : counts)
        out +=
            (out.empty() ? "" : ", ") + (name.empty() ? std::string("unclassified") : name) + " " + std::to_string(n);
    return out;
}

std::string annotationJson(const Annotation& a, const AnnotationMeasures& m)
{
    std::vector<std::string> points;
    for (const auto& p : a.points)
        points.push_back(jsonArray({jsonNumber(p.x), jsonNumber(p.y)}));
    JsonObject o;
    o.add("id", a.id)
        .add("shape", toString(a.shape))
        .add("class", a.className)
        .add("label", a.label)
        .add("author", a.author)
        .add("created_at", a.createdAt)
        .add("updated_at", a.updatedAt)
        .addRaw("points", jsonArray(points))
        .add("length_px", m.lengthPx)
        .add("area_px", m.areaPx)
        .add("length_um", m.lengthUm)
        .add("area_um2", m.areaUm2);
    return o.str();
}

int list(store::Database& db, const std::vector<std::string>& args, std::ostream& out)
{
    Arguments a(args, {}, {"--json"});
    if (a.positional().size() != 2)
        throw UsageError("annotations list", "takes a case ID and a slide");
    const CaseSlide slide = slideOfCase(db, a.positional()[0], a.positional()[1]);
    store::AnnotationRepository repo(db);
    const auto annotations = repo.forSlide(slide.id);
    const auto counts = repo.countByClass(slide.id);
    if (a.flag("--json")) {
        std::vector<std::string> items;
        for (const auto& x : annotations)
            items.push_back(annotationJson(x, measure(x, slide.info.mppX, slide.info.mppY)));
        JsonObject totals;
        for (const auto& [name, n] : counts)
            totals.add(name, n);
        out << JsonObject()
                   .add("slide_id", slide.id)
                   .add("calibrated", slide.info.calibrated())
                   .addRaw("annotations", jsonArray(items))
                   .addRaw("counts", totals.str())
                   .str()
            << "\n";
        return 0;
    }
    for (const auto& x : annotations) {
        out << x.id << "  " << toString(x.shape) << "  " << (x.className.empty() ? "unclassified" : x.className);
        if (!x.label.empty())
            out << "  \"" << x.label << "\"";
        if (const auto m = measuresText(x, measure(x, slide.info.mppX, slide.info.mppY)); !m.empty())
            out << "  " << m;
        out << "\n";
    }
    if (annotations.empty())
        out << "No annotations on this slide.\n";
    else
        out << annotations.size() << " annotations: " << countsText(counts) << "\n";
    return 0;
}

int importAnnotations(store::Database& db, const std::vector<std::string>& args, std::ostream& out,
                      const store::Actor& actor)
{
    Arguments a(args, {}, {});
    if (a.positional().size() != 3)
        throw UsageError("annotations import", "takes a case ID, a slide and a GeoJSON or ASAP XML file");
    const CaseSlide slide = slideOfCase(db, a.positional()[0], a.positional()[1]);
    const std::filesystem::path file = a.positional()[2];
    auto read = pathology::readAnnotationFile(file);  // all checked before anything is stored
    std::map<std::string, std::int64_t> counts;
    for (auto& x : read.annotations) {
        x.slideId = slide.id;
        if (x.author.empty())  // the file does not say who drew it: the person importing vouches for it
            x.author = actor.name;
        ++counts[x.className];
    }
    store::AnnotationRepository(db).addAll(slide.id, read.annotations, actor, read.classes, file.filename().string());
    out << read.annotations.size() << " annotations imported onto slide " << slide.id;
    if (!counts.empty())
        out << " (" << countsText(counts) << ")";
    out << "\n";
    for (const auto& note : read.notes)
        out << "  note: " << note << "\n";
    return 0;
}

int exportGeoJson(store::Database& db, const std::vector<std::string>& args, std::ostream& out)
{
    Arguments a(args, {"--out"}, {});
    if (a.positional().size() != 2)
        throw UsageError("annotations export", "takes a case ID and a slide");
    const std::filesystem::path file = a.require("--out");
    const CaseSlide slide = slideOfCase(db, a.positional()[0], a.positional()[1]);
    store::AnnotationRepository repo(db);
    const auto annotations = repo.forSlide(slide.id);
    pathology::writeGeoJson(file, annotations, repo.classes(), slide.info.mppX, slide.info.mppY);
    out << annotations.size() << " annotations → " << file.string()
        << (slide.info.calibrated() ? "" : " (uncalibrated slide: measurements in pixels)") << "\n";
    return 0;
}

}  // namespace

int annotationsCommand(store::Database& db, const std::vector<std::string>& args, std::ostream& out,
                       const store::Actor& actor)
{
    if (args.empty())
        throw UsageError("annotations", "needs a subcommand: list, import or export");
    const std::vector<std::string> rest(args.begin() + 1, args.end());
    if (args[0] == "list")
        return list(db, rest, out);
    if (args[0] == "import")
        return importAnnotations(db, rest, out, actor);
    if (args[0] == "export")
        return exportGeoJson(db, rest, out);
    throw UsageError("annotations " + args[0], "unknown subcommand (list, import, export)");
}

}  // namespace consilium::cli
