#include "store/annotation_repository.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>

#include "model/error.h"
#include "model/json.h"

namespace consilium::store {
using model::Annotation;
using model::AnnotationClass;
using model::PixelBounds;
using model::PixelPoint;

namespace {

// The points column is the doubles as they lie in memory; that is the documented little-endian layout only here.
static_assert(std::endian::native == std::endian::little, "annotations.points is little-endian IEEE 754");
static_assert(sizeof(PixelPoint) == 16);

std::string_view pointBytes(const std::vector<PixelPoint>& points)
{
    return {reinterpret_cast<const char*>(points.data()), points.size() * sizeof(PixelPoint)};
}

std::vector<PixelPoint> pointsFrom(std::string_view bytes)
{
    std::vector<PixelPoint> points(bytes.size() / sizeof(PixelPoint));
    std::memcpy(points.data(), bytes.data(), points.size() * sizeof(PixelPoint));
    return points;
}

constexpr const char* kColumns =
    "a.id, a.slide_id, a.shape, a.points, c.name, a.label, a.author, a.created_at, a.updated_at";
constexpr const char* kFrom = " FROM annotations a LEFT JOIN annotation_classes c ON c.id = a.class_id ";

Annotation annotationFromRow(const Statement& s, std::vector<PixelPoint> points, std::string className)
{
    Annotation a;
    a.id = s.integer(0);
    a.slideId = s.integer(1);
    a.shape = model::annotationShapeFrom(s.text(2));
    a.points = std::move(points);
    a.className = std::move(className);
    a.label = s.text(5);
    a.author = s.text(6);
    a.createdAt = s.text(7);
    a.updatedAt = s.text(8);
    return a;
}

Annotation annotationFromRow(const Statement& s) { return annotationFromRow(s, pointsFrom(s.blob(3)), s.text(4)); }

std::string auditJson(const Annotation& a)
{
    std::vector<std::string> points;
    points.reserve(a.points.size());
    for (const PixelPoint& p : a.points)
        points.push_back(model::jsonArray({model::jsonNumber(p.x), model::jsonNumber(p.y)}));
    model::JsonObject o;
    o.add("slide_id", a.slideId)
        .add("shape", toString(a.shape))
        .add("class", a.className)
        .add("label", a.label)
        .add("author", a.author)
        .addRaw("points", model::jsonArray(points));
    return o.str();
}

std::string entity(std::int64_t id) { return "annotation:" + std::to_string(id); }

// The R*Tree's constraint for "box intersects `view` on this slide"; parameters ?1 slide, ?2–?5 the view.
constexpr const char* kBoxIntersects =
    "b.min_slide <= ?1 AND b.max_slide >= ?1 AND b.min_x <= ?4 AND b.max_x >= ?2 AND b.min_y <= ?5 AND b.max_y >= ?3";

void bindView(Statement& s, std::int64_t slideId, const PixelBounds& view)
{
    s.bind(1, slideId).bind(2, view.minX).bind(3, view.minY).bind(4, view.maxX).bind(5, view.maxY);
}

void writeBox(Statement& insertBox, std::int64_t id, std::int64_t slideId, const PixelBounds& b)
{
    insertBox.reset();
    insertBox.bind(1, id)
        .bind(2, double(slideId) - 0.25)  // a slab, not a plane: see db/0008_annotations.sql
        .bind(3, double(slideId) + 0.25)
        .bind(4, b.minX)
        .bind(5, b.maxX)
        .bind(6, b.minY)
        .bind(7, b.maxY)
        .run();
}

// Position along a Hilbert curve over a 2¹⁶ × 2¹⁶ grid: boxes near each other on the slide are near each other
// in this order.
std::uint64_t hilbertIndex(std::uint32_t x, std::uint32_t y)
{
    std::uint64_t d = 0;
    for (std::uint32_t s = 1u << 15; s > 0; s >>= 1) {
        const std::uint32_t rx = (x & s) ? 1 : 0, ry = (y & s) ? 1 : 0;
        d += std::uint64_t(s) * s * ((3 * rx) ^ ry);
        if (ry == 0) {
            if (rx == 1) {
                x = s - 1 - x;
                y = s - 1 - y;
            }
            std::swap(x, y);
        }
    }
    return d;
}

// The order to store an import in: along a Hilbert curve through the centres of the boxes. The R*Tree then inserts
// each box into the nodes the previous one touched, and the rows of the annotations a view shows lie on a few pages
// instead of one page each (file order scatters both over the whole slide).
std::vector<std::size_t> spatialOrder(const std::vector<PixelBounds>& boxes)
{
    PixelBounds all{INFINITY, INFINITY, -INFINITY, -INFINITY};
    for (const auto& b : boxes)
        all = {std::min(all.minX, b.minX), std::min(all.minY, b.minY), std::max(all.maxX, b.maxX),
               std::max(all.maxY, b.maxY)};
    const double sx = 65535 / std::max(all.maxX - all.minX, 1.0), sy = 65535 / std::max(all.maxY - all.minY, 1.0);
    std::vector<std::pair<std::uint64_t, std::size_t>> keyed;
    keyed.reserve(boxes.size());
    for (std::size_t i = 0; i < boxes.size(); ++i) {
        const auto& b = boxes[i];
        keyed.push_back({hilbertIndex(std::uint32_t(((b.minX + b.maxX) / 2 - all.minX) * sx),
                                      std::uint32_t(((b.minY + b.maxY) / 2 - all.minY) * sy)),
                         i});
    }
    std::sort(keyed.begin(), keyed.end());
    std::vector<std::size_t> order;
    order.reserve(keyed.size());
    for (const auto& [key, i] : keyed)
        order.push_back(i);
    return order;
}

// OR REPLACE (an edited annotation's new box) makes the R*Tree look the id up first: new ids skip that.
constexpr const char* kReplaceBox =
    "INSERT OR REPLACE INTO annotation_boxes (id, min_slide, max_slide, min_x, max_x, min_y, max_y) "
    "VALUES (?,?,?,?,?,?,?)";
constexpr const char* kInsertBox =
    "INSERT INTO annotation_boxes (id, min_slide, max_slide, min_x, max_x, min_y, max_y) VALUES (?,?,?,?,?,?,?)";

// The library's classes, resolved by name as the clinic means them (letter case aside, Tumor = Tumour).
class ClassResolver {
public:
    explicit ClassResolver(std::vector<AnnotationClass> classes) : classes_(std::move(classes)) {}

    const AnnotationClass* find(std::string_view name) const
    {
        for (const auto& c : classes_)
            if (model::sameAnnotationClass(c.name, name))
                return &c;
        return nullptr;
    }

    // NULL for unclassified; an unknown class is a UsageError.
    std::optional<std::int64_t> idOf(const std::string& name) const
    {
        if (name.empty())
            return std::nullopt;
        if (const auto* c = find(name))
            return c->id;
        throw UsageError("annotation class '" + name + "'", "not a class of this library");
    }

    const AnnotationClass& add(Database& db, std::string name, std::uint32_t colour)
    {
        db.prepare("INSERT INTO annotation_classes (name, colour) VALUES (?, ?)")
            .bind(1, name)
            .bind(2, std::int64_t(colour))
            .run();
        classes_.push_back({db.lastInsertId(), std::move(name), colour});
        return classes_.back();
    }

private:
    std::vector<AnnotationClass> classes_;
};

std::int64_t caseOfSlide(Database& db, std::int64_t slideId)
{
    auto s = db.prepare("SELECT case_id FROM slides WHERE id = ?");
    s.bind(1, slideId);
    if (!s.step())
        throw Error("slide " + std::to_string(slideId), "no such slide");
    return s.integer(0);
}

void checkAnnotationClassName(const std::string& name)
{
    if (name.find_first_not_of(" \t\r\n") == std::string::npos)
        throw UsageError("annotation class", "needs a name");
}

}  // namespace

Annotation AnnotationRepository::add(Annotation a, const Actor& actor)
{
    model::validate(a);
    Transaction tx(db_);
    const std::int64_t caseId = caseOfSlide(db_, a.slideId);
    const ClassResolver resolver(classes());
    const auto classId = resolver.idOf(a.className);
    if (a.id != 0 && find(a.id))
        throw UsageError(entity(a.id), "that id is in use; only a removed annotation can be put back under its id");
    const std::string now = utcNow();
    if (a.id == 0 || a.createdAt.empty())
        a.createdAt = now;
    a.updatedAt = now;
    if (classId)
        a.className = resolver.find(a.className)->name;
    const std::string_view bytes = pointBytes(a.points);
    auto insert = db_.prepare(
        "INSERT INTO annotations (id, slide_id, shape, points, class_id, label, author, created_at, updated_at) "
        "VALUES (?,?,?,?,?,?,?,?,?)");
    if (a.id != 0)
        insert.bind(1, a.id);
    insert.bind(2, a.slideId)
        .bind(3, toString(a.shape))
        .bindBlob(4, bytes.data(), bytes.size())
        .bind(5, classId)
        .bind(6, a.label)
        .bind(7, a.author)
        .bind(8, a.createdAt)
        .bind(9, a.updatedAt)
        .run();
    a.id = db_.lastInsertId();
    auto box = db_.prepare(kInsertBox);
    writeBox(box, a.id, a.slideId, model::bounds(a));
    AuditLog(db_).append(actor, caseId, "annotation.add", entity(a.id), "", auditJson(a));
    tx.commit();
    return a;
}

std::vector<std::int64_t> AnnotationRepository::addAll(std::int64_t slideId, std::vector<Annotation> annotations,
                                                       const Actor& actor,
                                                       const std::vector<AnnotationClass>& fileClasses,
                                                       std::string_view source)
{
    for (std::size_t i = 0; i < annotations.size(); ++i) {
        try {
            model::validate(annotations[i]);
        } catch (const UsageError& e) {
            throw UsageError("annotation " + std::to_string(i + 1) + " of " + std::to_string(annotations.size()),
                             e.reason());
        }
    }
    Transaction tx(db_);
    const std::int64_t caseId = caseOfSlide(db_, slideId);
    ClassResolver resolver(classes());
    struct Resolved {
        std::optional<std::int64_t> id;
        std::string name;  // the library's spelling
    };
    std::map<std::string, Resolved> classIds;    // by the name as written, resolved once
    std::map<std::string, std::int64_t> counts;  // by the library's name, for the audit
    const std::string now = utcNow();
    auto insert = db_.prepare(
        "INSERT INTO annotations (slide_id, shape, points, class_id, label, author, created_at, updated_at) "
        "VALUES (?,?,?,?,?,?,?,?)");
    auto box = db_.prepare(kInsertBox);
    std::vector<PixelBounds> boxes;
    boxes.reserve(annotations.size());
    for (const Annotation& a : annotations)
        boxes.push_back(model::bounds(a));
    std::vector<std::int64_t> ids(annotations.size());
    for (const std::size_t i : spatialOrder(boxes)) {
        const Annotation& a = annotations[i];
        auto known = classIds.find(a.className);
        if (known == classIds.end()) {
            Resolved resolved;
            if (!a.className.empty()) {
                const AnnotationClass* c = resolver.find(a.className);
                if (!c) {
                    checkAnnotationClassName(a.className);
                    std::uint32_t colour = AnnotationClass{}.colour;
                    for (const auto& hint : fileClasses)
                        if (model::sameAnnotationClass(hint.name, a.className))
                            colour = hint.colour & 0xFFFFFF;
                    c = &resolver.add(db_, a.className, colour);
                }
                resolved = {c->id, c->name};
            }
            known = classIds.emplace(a.className, resolved).first;
        }
        const std::string_view bytes = pointBytes(a.points);
        insert.reset();
        insert.bind(1, slideId)
            .bind(2, toString(a.shape))
            .bindBlob(3, bytes.data(), bytes.size())
            .bind(4, known->second.id)
            .bind(5, a.label)
            .bind(6, a.author)
            .bind(7, a.createdAt.empty() ? now : a.createdAt)
            .bind(8, now)
            .run();
        ids[i] = db_.lastInsertId();
        writeBox(box, ids[i], slideId, boxes[i]);
        ++counts[known->second.name];
    }
    model::JsonObject byClass;
    for (const auto& [name, n] : counts)
        byClass.add(name.empty() ? "(unclassified)" : name, n);
    model::JsonObject after;
    after.add("slide_id", slideId)
        .add("count", std::int64_t(ids.size()))
        .addRaw("by_class", byClass.str())
        .add("source", source);
    if (!ids.empty())
        after.add("first_id", *std::min_element(ids.begin(), ids.end()))
            .add("last_id", *std::max_element(ids.begin(), ids.end()));
    AuditLog(db_).append(actor, caseId, "annotation.import", "slide:" + std::to_string(slideId), "", after.str());
    tx.commit();
    return ids;
}

Annotation AnnotationRepository::update(const Annotation& changed, const Actor& actor)
{
    model::validate(changed);
    Transaction tx(db_);
    const auto before = find(changed.id);
    if (!before)
        throw Error(entity(changed.id), "no such annotation (it may have been removed)");
    const ClassResolver resolver(classes());
    const auto classId = resolver.idOf(changed.className);
    Annotation after = *before;
    after.shape = changed.shape;
    after.points = changed.points;
    after.className = classId ? resolver.find(changed.className)->name : "";
    after.label = changed.label;
    after.updatedAt = utcNow();
    const std::string_view bytes = pointBytes(after.points);
    db_.prepare("UPDATE annotations SET shape = ?, points = ?, class_id = ?, label = ?, updated_at = ? WHERE id = ?")
        .bind(1, toString(after.shape))
        .bindBlob(2, bytes.data(), bytes.size())
        .bind(3, classId)
        .bind(4, after.label)
        .bind(5, after.updatedAt)
        .bind(6, after.id)
        .run();
    auto box = db_.prepare(kReplaceBox);
    writeBox(box, after.id, after.slideId, model::bounds(after));
    AuditLog(db_).append(actor, caseOfSlide(db_, after.slideId), "annotation.update", entity(after.id),
                         auditJson(*before), auditJson(after));
    tx.commit();
    return after;
}

void AnnotationRepository::remove(std::int64_t annotationId, const Actor& actor)
{
    Transaction tx(db_);
    const auto before = find(annotationId);
    if (!before)
        throw Error(entity(annotationId), "no such annotation (it may have been removed already)");
    db_.prepare("DELETE FROM annotations WHERE id = ?").bind(1, annotationId).run();  // the trigger drops the box
    AuditLog(db_).append(actor, caseOfSlide(db_, before->slideId), "annotation.remove", entity(annotationId),
                         auditJson(*before), "");
    tx.commit();
}

std::optional<Annotation> AnnotationRepository::find(std::int64_t annotationId)
{
    auto s = db_.prepare(std::string("SELECT ") + kColumns + kFrom + "WHERE a.id = ?");
    s.bind(1, annotationId);
    return s.step() ? std::optional(annotationFromRow(s)) : std::nullopt;
}

std::vector<Annotation> AnnotationRepository::forSlide(std::int64_t slideId)
{
    auto s = db_.prepare(std::string("SELECT ") + kColumns + kFrom + "WHERE a.slide_id = ? ORDER BY a.id");
    s.bind(1, slideId);
    std::vector<Annotation> out;
    while (s.step())
        out.push_back(annotationFromRow(s));
    return out;
}

std::vector<Annotation> AnnotationRepository::inViewport(std::int64_t slideId, const PixelBounds& view,
                                                         std::size_t limit)
{
    // The view's hot path (a few hundred rows, every time it moves): class names from a map of the library's few
    // classes rather than a join per row; CROSS JOIN keeps the R*Tree as the outer loop, the rest are primary-key
    // lookups.
    std::map<std::int64_t, std::string> classNames;
    for (auto& c : classes())
        classNames.emplace(c.id, std::move(c.name));
    auto s = db_.prepare(
        std::string("SELECT a.id, a.slide_id, a.shape, a.points, a.class_id, a.label, a.author, a.created_at, "
                    "a.updated_at FROM annotation_boxes b CROSS JOIN annotations a ON a.id = b.id WHERE ") +
        kBoxIntersects);
    bindView(s, slideId, view);
    std::vector<Annotation> out;
    while ((limit == 0 || out.size() < limit) && s.step()) {
        Annotation probe;
        probe.points = pointsFrom(s.blob(3));
        if (!model::bounds(probe).intersects(view))  // the R*Tree's float boxes are a little larger than exact
            continue;
        const auto name = s.isNull(4) ? classNames.end() : classNames.find(s.integer(4));
        out.push_back(annotationFromRow(s, std::move(probe.points), name == classNames.end() ? "" : name->second));
    }
    return out;
}

std::map<std::string, std::int64_t> AnnotationRepository::countByClass(std::int64_t slideId,
                                                                       const std::optional<PixelBounds>& within,
                                                                       std::optional<model::AnnotationShape> shape)
{
    std::map<std::string, std::int64_t> counts;
    if (!within) {
        auto s = db_.prepare(
            "SELECT coalesce(c.name, ''), count(*) FROM annotations a "
            "LEFT JOIN annotation_classes c ON c.id = a.class_id "
            "WHERE a.slide_id = ?1 AND (?2 IS NULL OR a.shape = ?2) GROUP BY a.class_id");
        s.bind(1, slideId);
        if (shape)
            s.bind(2, toString(*shape));
        while (s.step())
            counts[s.text(0)] += s.integer(1);
        return counts;
    }
    auto s = db_.prepare(
        "SELECT coalesce(c.name, ''), a.points FROM annotation_boxes b CROSS JOIN annotations a ON a.id = b.id "
        "LEFT JOIN annotation_classes c ON c.id = a.class_id WHERE " +
        std::string(kBoxIntersects) + " AND (?6 IS NULL OR a.shape = ?6)");
    bindView(s, slideId, *within);
    if (shape)
        s.bind(6, toString(*shape));
    while (s.step()) {
        Annotation probe;
        probe.points = pointsFrom(s.blob(1));
        if (model::bounds(probe).intersects(*within))
            ++counts[s.text(0)];
    }
    return counts;
}

std::vector<AnnotationClass> AnnotationRepository::classes()
{
    auto s = db_.prepare("SELECT id, name, colour FROM annotation_classes ORDER BY name");
    std::vector<AnnotationClass> out;
    while (s.step())
        out.push_back({s.integer(0), s.text(1), std::uint32_t(s.integer(2))});
    return out;
}

AnnotationClass AnnotationRepository::saveClass(AnnotationClass c, const Actor& actor)
{
    checkAnnotationClassName(c.name);
    if (c.colour > 0xFFFFFF)
        throw UsageError("annotation class '" + c.name + "'", "the colour must be 0xRRGGBB");
    Transaction tx(db_);
    std::optional<AnnotationClass> before;
    for (const auto& other : classes()) {
        if (other.id == c.id)
            before = other;
        else if (model::sameAnnotationClass(other.name, c.name))
            throw UsageError("annotation class '" + c.name + "'", "the library already has '" + other.name + "'");
    }
    if (c.id != 0 && !before)
        throw Error("annotation class " + std::to_string(c.id), "no such class");
    auto json = [](const AnnotationClass& x) {
        return model::JsonObject().add("name", x.name).add("colour", std::int64_t(x.colour)).str();
    };
    if (before) {
        db_.prepare("UPDATE annotation_classes SET name = ?, colour = ? WHERE id = ?")
            .bind(1, c.name)
            .bind(2, std::int64_t(c.colour))
            .bind(3, c.id)
            .run();
    } else {
        db_.prepare("INSERT INTO annotation_classes (name, colour) VALUES (?, ?)")
            .bind(1, c.name)
            .bind(2, std::int64_t(c.colour))
            .run();
        c.id = db_.lastInsertId();
    }
    AuditLog(db_).append(actor, std::nullopt, before ? "annotation_class.update" : "annotation_class.add",
                         "annotation_class:" + std::to_string(c.id), before ? json(*before) : "", json(c));
    tx.commit();
    return c;
}

}  // namespace consilium::store
