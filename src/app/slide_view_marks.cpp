// SlideView, annotating: the annotation tools on the mouse and keys, and the annotations drawn over the tiles as
// line geometry — one node per colour, rebuilt only when what is shown changes or the zoom does (a pan moves the
// transform, not the vertices), so thousands of marks cost one draw call per class.
#include <QPainter>
#include <QSGFlatColorMaterial>
#include <QSGGeometryNode>
#include <QSGSimpleTextureNode>
#include <cmath>
#include <map>

#include "store/annotation_repository.h"
#include "workstation.h"

#include "annotation_outline.h"
#include "slide_view.h"
#include "slide_view_nodes.h"

namespace consilium::app {

using model::Annotation;
using model::AnnotationShape;
using model::PixelPoint;

namespace {

constexpr double kPickPx = 6;    // how near (item pixels) a click must be to pick a mark or a handle
constexpr double kMarkerPx = 6;  // half the size of a point's cross, item pixels
constexpr double kHandlePx = 4;  // half the size of a vertex handle, item pixels
constexpr std::size_t kMaxLabels = 300;
// Above this many segments the marks are painted into one texture (see rasterNode).
constexpr std::size_t kGeometrySegments = 20000;
constexpr std::uint32_t kSelectedColour = 0x00E5FF;  // cyan: reads on stain and on glass
constexpr std::uint32_t kDraftColour = 0xFFD54F;

std::optional<AnnotationShape> shapeOfTool(const QString& tool)
{
    if (tool == "point")
        return AnnotationShape::Point;
    if (tool == "ruler")
        return AnnotationShape::Ruler;
    if (tool == "rectangle")
        return AnnotationShape::Rectangle;
    if (tool == "ellipse")
        return AnnotationShape::Ellipse;
    if (tool == "polygon")
        return AnnotationShape::Polygon;
    if (tool == "freehand")
        return AnnotationShape::Freehand;
    return std::nullopt;
}

// Lines of `width` item pixels as triangles (the scene graph's line width is 1 on most graphics APIs): each segment
// becomes a quad whose half-width is given in level-0 pixels, so the node is rebuilt when the zoom changes.
QSGGeometryNode* coloured(QSGGeometry* geometry, std::uint32_t colour)
{
    auto* material = new QSGFlatColorMaterial;
    material->setColor(QColor::fromRgb(QRgb(colour)));
    auto* node = new QSGGeometryNode;
    node->setGeometry(geometry);
    node->setMaterial(material);
    node->setFlags(QSGNode::OwnsGeometry | QSGNode::OwnsMaterial);
    return node;
}

QSGGeometryNode* lineNode(const std::vector<PixelPoint>& segments, std::uint32_t colour, double halfWidth)
{
    auto* geometry = new QSGGeometry(QSGGeometry::defaultAttributes_Point2D(), int(segments.size() / 2 * 6));
    geometry->setDrawingMode(QSGGeometry::DrawTriangles);
    QSGGeometry::Point2D* v = geometry->vertexDataAsPoint2D();
    for (std::size_t i = 0; i + 1 < segments.size(); i += 2) {
        const PixelPoint a = segments[i], b = segments[i + 1];
        const double length = std::hypot(b.x - a.x, b.y - a.y);
        // Extended by half the width at both ends, so that the corners of an outline close.
        const double ux = length > 0 ? (b.x - a.x) / length * halfWidth : halfWidth,
                     uy = length > 0 ? (b.y - a.y) / length * halfWidth : 0;
        const double nx = -uy, ny = ux;
        const PixelPoint a0{a.x - ux + nx, a.y - uy + ny}, a1{a.x - ux - nx, a.y - uy - ny};
        const PixelPoint b0{b.x + ux + nx, b.y + uy + ny}, b1{b.x + ux - nx, b.y + uy - ny};
        for (const PixelPoint& p : {a0, a1, b0, b0, a1, b1})
            (v++)->set(float(p.x), float(p.y));
    }
    return coloured(geometry, colour);
}

void appendSquare(PixelPoint c, double r, std::vector<PixelPoint>& segments)
{
    const PixelPoint a{c.x - r, c.y - r}, b{c.x + r, c.y - r}, d{c.x + r, c.y + r}, e{c.x - r, c.y + r};
    segments.insert(segments.end(), {a, b, b, d, d, e, e, a});
}

// A crowd of marks (thousands of cells or mitoses) painted by QPainter into one image over the queried region, at
// the view's zoom: a software rasterizer draws one textured quad far faster than tens of thousands of thin
// triangles, and a pan inside the region only moves it. Runs on the view's worker thread, never on the GUI's.
QImage paintCrowd(const std::vector<Annotation>& marks, const std::map<std::string, std::uint32_t>& colours,
                  const model::PixelBounds& region, double zoom)
{
    const QSize size(std::max(1, int(std::ceil((region.maxX - region.minX) * zoom))),
                     std::max(1, int(std::ceil((region.maxY - region.minY) * zoom))));
    QImage image(size, QImage::Format_RGBA8888_Premultiplied);
    image.fill(Qt::transparent);
    std::map<std::uint32_t, std::vector<QLineF>> byColour;
    std::vector<PixelPoint> segments;
    for (const Annotation& a : marks) {
        segments.clear();
        appendOutline(a, kMarkerPx / zoom, segments);
        const auto c = colours.find(a.className);
        auto& lines = byColour[c == colours.end() ? 0xC8C8C8 : c->second];
        for (std::size_t i = 0; i + 1 < segments.size(); i += 2)
            lines.emplace_back((segments[i].x - region.minX) * zoom, (segments[i].y - region.minY) * zoom,
                               (segments[i + 1].x - region.minX) * zoom, (segments[i + 1].y - region.minY) * zoom);
    }
    QPainter painter(&image);
    for (const auto& [colour, lines] : byColour) {
        painter.setPen(QPen(QColor::fromRgb(QRgb(colour)), 1.5));
        painter.drawLines(lines.data(), int(lines.size()));
    }
    return image;
}

std::size_t segmentCount(const std::vector<Annotation>& marks)
{
    std::size_t n = 0;
    for (const Annotation& a : marks)
        n += a.shape == AnnotationShape::Ellipse ? 64 : std::max<std::size_t>(a.points.size(), 2);
    return n;
}

}  // namespace

// The worker's own connection to the database: the GUI thread's is not to be shared. Opened on first use, on the
// worker (the pool has one thread), and closed with the view.
struct SlideView::CrowdReader {
    std::filesystem::path database;
    std::optional<store::Database> db;
};

void SlideView::startCrowd(const model::PixelBounds& region, double zoom, bool force)
{
    if (crowdBusy_) {
        crowdAgain_ = true;  // once this one is in, look again at where the view is then
        crowdAgainForced_ = crowdAgainForced_ || force;
        return;
    }
    if (!crowdReader_)
        crowdReader_ =
            std::make_shared<CrowdReader>(CrowdReader{Workstation::instance()->databasePath().toStdString(), {}});
    crowdBusy_ = true;
    const std::map<std::string, std::uint32_t> colours = annotations_->colours();
    QPointer<SlideView> self(this);
    crowdWorker_.start([self, reader = crowdReader_, slide = std::int64_t(slideId_), region, zoom, colours] {
        std::vector<Annotation> marks;
        QImage image;
        try {
            if (!reader->db)
                reader->db.emplace(store::Database::open(reader->database));
            marks = store::AnnotationRepository(*reader->db).inViewport(slide, region);
            if (segmentCount(marks) > kGeometrySegments)
                image = paintCrowd(marks, colours, region, zoom);
        } catch (const std::exception&) {
            // A locked or damaged database: nothing new to draw; the next change says why.
        }
        QMetaObject::invokeMethod(
            self.data(),
            [self, marks = std::move(marks), image = std::move(image), region, zoom]() mutable {
                if (self)
                    self->crowdReady(std::move(marks), std::move(image), region, zoom);
            },
            Qt::QueuedConnection);
    });
}

void SlideView::crowdReady(std::vector<Annotation> marks, QImage image, const model::PixelBounds& region, double zoom)
{
    crowdBusy_ = false;
    if (!annotations_ || annotations_->slideId() != slideId_ || !tiles_) {
        crowdAgain_ = crowdAgainForced_ = false;  // the view moved on to another slide meanwhile
        queryAnnotations();
        return;
    }
    shown_ = std::move(marks);
    queried_ = region;
    queriedZoom_ = zoom;
    rasterMarks_ = !image.isNull();
    crowdImage_ = std::move(image);
    crowdRegion_ = region;
    crowdFresh_ = true;
    marksDirty_ = true;
    update();
    emit annotationsShownChanged();
    if (crowdAgain_) {
        crowdAgain_ = false;
        const bool forced = crowdAgainForced_;
        crowdAgainForced_ = false;
        queryAnnotationsIfNeeded(forced);
    }
}

void SlideView::setAnnotations(SlideAnnotations* annotations)
{
    if (annotations == annotations_)
        return;
    if (annotations_)
        disconnect(annotations_, nullptr, this, nullptr);
    annotations_ = annotations;
    if (annotations_) {
        connect(annotations_, &SlideAnnotations::changed, this, &SlideView::queryAnnotations);
        connect(annotations_, &SlideAnnotations::slideChanged, this, &SlideView::queryAnnotations);
        connect(annotations_, &SlideAnnotations::classesChanged, this, &SlideView::queryAnnotations);
        connect(annotations_, &SlideAnnotations::selectionChanged, this, [this] {
            marksDirty_ = true;
            update();
        });
    }
    queryAnnotations();
    emit annotationsChanged();
}

void SlideView::setTool(const QString& tool)
{
    if (tool == tool_)
        return;
    tool_ = tool;
    draft_.reset();
    marksDirty_ = true;
    setCursor(tool_ == "pan" ? Qt::OpenHandCursor : Qt::CrossCursor);
    update();
    emit toolChanged();
}

PixelPoint SlideView::slidePixel(QPointF itemPoint) const
{
    const QPointF p = slidePoint(itemPoint);
    return {p.x(), p.y()};
}

void SlideView::queryAnnotations() { queryAnnotationsIfNeeded(true); }

// The marks of a region a quarter of a view wider on every side than what is visible: a pan within it costs no query
// and no new geometry (the transform moves), so thousands of marks pan as smoothly as none. Zooming rebuilds the
// geometry anyway (line widths and point crosses keep their screen size), so it queries again too.
void SlideView::queryAnnotationsIfNeeded(bool force)
{
    if (!annotations_ || !tiles_ || annotations_->slideId() != slideId_ || width() <= 0 || height() <= 0) {
        if (!shown_.empty()) {
            shown_.clear();
            marksDirty_ = true;
            update();
            emit annotationsShownChanged();
        }
        return;
    }
    // What is visible of the slide (and of a cross's reach beyond its edges): marks lie nowhere else.
    const QSizeF size = slideSize();
    const double reach = (kMarkerPx + 2) / zoom_;
    const QRectF r = QRectF(slidePoint({0, 0}), slidePoint({width(), height()}))
                         .normalized()
                         .intersected(QRectF(-reach, -reach, size.width() + 2 * reach, size.height() + 2 * reach));
    const bool inside = !r.isEmpty() && queried_.minX <= r.left() && queried_.minY <= r.top() &&
                        queried_.maxX >= r.right() && queried_.maxY >= r.bottom();
    if (!force && inside && (queriedZoom_ == zoom_ || rasterMarks_)) {
        // A crowd painted into a texture stretches with the zoom for a moment (as a coarse tile does) and is
        // painted again sharp once the zoom rests; the few marks drawn as geometry are rebuilt at once.
        if (queriedZoom_ != zoom_)
            marksSettle_.start();
        emit annotationsShownChanged();  // the labels move with the view
        return;
    }
    marksSettle_.stop();
    // A margin of a few pixels besides: a point's cross and a line's width reach past the box they are stored with.
    const double mx = r.width() / 4 + (kMarkerPx + 2) / zoom_, my = r.height() / 4 + (kMarkerPx + 2) / zoom_;
    // No further than the slide (plus a cross's reach): a fitted slide's crowd texture is then the slide's size, not
    // the view's and its margin, which the software rasterizer would blend every frame.
    const model::PixelBounds region{std::max(r.left() - mx, -reach), std::max(r.top() - my, -reach),
                                    std::min(r.right() + mx, size.width() + reach),
                                    std::min(r.bottom() + my, size.height() + reach)};
    if (rasterMarks_) {
        startCrowd(region, zoom_, force);  // the painted crowd stays on screen until the new one is in
        return;
    }
    queried_ = region;
    queriedZoom_ = zoom_;
    shown_ = annotations_->inView(queried_);
    if (segmentCount(shown_) > kGeometrySegments) {
        rasterMarks_ = true;
        startCrowd(region, zoom_, force);
        return;
    }
    marksDirty_ = true;
    update();
    emit annotationsShownChanged();
}

QVariantList SlideView::labels() const
{
    QVariantList list;
    for (const Annotation& a : shown_) {
        if (a.label.empty() || a.points.empty())
            continue;
        const model::PixelBounds b = model::bounds(a);
        const QPointF at = itemPoint(QPointF((b.minX + b.maxX) / 2, b.minY));
        if (at.x() < -200 || at.y() < -50 || at.x() > width() + 200 || at.y() > height() + 50)
            continue;  // queried with a margin: not in view
        list.append(QVariantMap{{"x", at.x()}, {"y", at.y()}, {"text", QString::fromStdString(a.label)}});
        if (std::size_t(list.size()) >= kMaxLabels)
            break;
    }
    return list;
}

bool SlideView::pressForAnnotation(QMouseEvent* event)
{
    if (!annotations_ || !tiles_ || event->button() != Qt::LeftButton)
        return false;
    const PixelPoint p = slidePixel(event->position());
    const double pick = kPickPx / zoom_;
    if (const auto shape = shapeOfTool(tool_)) {
        if (!annotations_->editable())
            return false;
        if (*shape == AnnotationShape::Point) {
            Annotation a;
            a.shape = AnnotationShape::Point;
            a.points = {p};
            annotations_->add(std::move(a));
            return true;
        }
        if (*shape == AnnotationShape::Polygon) {
            if (!draft_) {
                draft_ = Annotation{};
                draft_->shape = AnnotationShape::Polygon;
                draft_->points = {p};
            }
            draft_->points.push_back(p);  // the rubber-band point that follows the mouse
        } else {
            draft_ = Annotation{};
            draft_->shape = *shape;
            draft_->points = {p, p};
        }
        marksDirty_ = true;
        update();
        return true;
    }
    // The pan tool: a handle of the selection, the selection itself, another mark, or else the slide (pan).
    if (const auto selected = annotations_->selection(); selected && annotations_->editable()) {
        const std::vector<PixelPoint>& points = selected->points;
        const bool reshapable = selected->shape != AnnotationShape::Point;
        for (std::size_t i = 0; reshapable && i < points.size(); ++i)
            if (std::hypot(points[i].x - p.x, points[i].y - p.y) <= pick) {
                editing_ = selected;
                editingVertex_ = int(i);
                editAnchor_ = p;
                return true;
            }
        if (distanceTo(*selected, p, true) <= pick) {
            editing_ = selected;
            editingVertex_ = -1;
            editAnchor_ = p;
            return true;
        }
    }
    const Annotation* nearest = nullptr;
    double best = pick;
    for (const Annotation& a : shown_) {
        const double d = distanceTo(a, p, false);
        if (d <= best) {
            best = d;
            nearest = &a;
        }
    }
    if (!nearest)  // not near any outline: the smallest closed mark around the point
        for (const Annotation& a : shown_)
            if (model::isClosed(a.shape) && distanceTo(a, p, true) == 0) {
                const auto b = model::bounds(a);
                if (!nearest || (b.maxX - b.minX) * (b.maxY - b.minY) < [&] {
                        const auto n = model::bounds(*nearest);
                        return (n.maxX - n.minX) * (n.maxY - n.minY);
                    }())
                    nearest = &a;
            }
    if (nearest) {
        annotations_->select(int(nearest->id));
        if (annotations_->editable()) {
            editing_ = *nearest;
            editingVertex_ = -1;
            editAnchor_ = p;
        }
        return true;
    }
    if (annotations_->selectedId() != 0)
        annotations_->select(0);
    return false;  // pan
}

bool SlideView::moveForAnnotation(QMouseEvent* event)
{
    const PixelPoint p = slidePixel(event->position());
    if (draft_) {
        if (draft_->shape == AnnotationShape::Freehand) {
            const PixelPoint last = draft_->points.back();
            if (std::hypot(p.x - last.x, p.y - last.y) * zoom_ >= 2)
                draft_->points.push_back(p);
        } else {
            draft_->points.back() = p;
        }
        marksDirty_ = true;
        update();
        return true;
    }
    if (editing_) {
        const double dx = p.x - editAnchor_.x, dy = p.y - editAnchor_.y;
        editAnchor_ = p;
        if (editingVertex_ >= 0) {
            editing_->points[std::size_t(editingVertex_)].x += dx;
            editing_->points[std::size_t(editingVertex_)].y += dy;
        } else {
            for (PixelPoint& q : editing_->points) {
                q.x += dx;
                q.y += dy;
            }
        }
        marksDirty_ = true;
        update();
        return true;
    }
    return false;
}

bool SlideView::releaseForAnnotation(QMouseEvent*)
{
    if (draft_ && draft_->shape != AnnotationShape::Polygon) {
        finishDraft();
        return true;
    }
    if (draft_)
        return true;  // a polygon goes on until a double-click or Enter
    if (editing_) {
        const auto stored = annotations_ ? annotations_->find(editing_->id) : std::nullopt;
        if (annotations_ && stored && stored->points != editing_->points)
            annotations_->update(*editing_);
        editing_.reset();
        marksDirty_ = true;
        update();
        return true;
    }
    return false;
}

bool SlideView::doubleClickForAnnotation(QMouseEvent*)
{
    if (!draft_ || draft_->shape != AnnotationShape::Polygon)
        return tool_ != "pan";  // a double-click with a drawing tool never zooms
    // The double-click's presses each added a point where it happened: keep one, plus the rubber band that
    // finishDraft() drops.
    auto& points = draft_->points;
    while (points.size() > 1 && points[points.size() - 1] == points[points.size() - 2])
        points.pop_back();
    points.push_back(points.back());
    finishDraft();
    return true;
}

void SlideView::finishDraft()
{
    if (!draft_ || !annotations_)
        return;
    Annotation a = std::move(*draft_);
    draft_.reset();
    marksDirty_ = true;
    update();
    if (a.shape == AnnotationShape::Polygon && a.points.size() > 1)
        a.points.pop_back();  // the rubber-band point
    if (a.shape == AnnotationShape::Freehand)
        a.points = model::simplifyOutline(a.points, 0.75 / zoom_);  // within ¾ of a screen pixel of the hand
    if (a.shape == AnnotationShape::Ruler || a.shape == AnnotationShape::Rectangle ||
        a.shape == AnnotationShape::Ellipse) {
        const double extent = std::hypot(a.points[1].x - a.points[0].x, a.points[1].y - a.points[0].y) * zoom_;
        if (extent < 3)
            return;  // a click, not a shape
    }
    if ((a.shape == AnnotationShape::Polygon || a.shape == AnnotationShape::Freehand) && a.points.size() < 3)
        return;
    annotations_->add(std::move(a));
}

bool SlideView::keyForAnnotation(QKeyEvent* event)
{
    if (!annotations_)
        return false;
    if (event->matches(QKeySequence::Undo)) {
        annotations_->undo();
        return true;
    }
    if (event->matches(QKeySequence::Redo) ||
        (event->key() == Qt::Key_Z && event->modifiers() == (Qt::ControlModifier | Qt::ShiftModifier))) {
        annotations_->redo();
        return true;
    }
    switch (event->key()) {
        case Qt::Key_Escape:
            if (draft_) {
                draft_.reset();
                marksDirty_ = true;
                update();
            } else {
                annotations_->select(0);
            }
            return true;
        case Qt::Key_Return:
        case Qt::Key_Enter:
            if (draft_ && draft_->shape == AnnotationShape::Polygon) {
                finishDraft();
                return true;
            }
            return false;
        case Qt::Key_Delete:
        case Qt::Key_Backspace:
            annotations_->removeSelected();
            return true;
        default:
            return false;
    }
}

void SlideView::updateMarks(TileLayerNode* layer)
{
    if (!marksDirty_ && (marksZoom_ == zoom_ || rasterMarks_))
        return;
    marksDirty_ = false;
    marksZoom_ = zoom_;
    while (QSGNode* child = layer->marks->firstChild()) {
        layer->marks->removeChildNode(child);
        delete child;
    }
    if (crowdFresh_ || !rasterMarks_) {
        while (QSGNode* child = layer->crowd->firstChild()) {
            layer->crowd->removeChildNode(child);
            delete child;
        }
    }
    if (crowdFresh_ && rasterMarks_ && !crowdImage_.isNull()) {
        auto* node = new QSGSimpleTextureNode;
        node->setTexture(window()->createTextureFromImage(crowdImage_));
        node->setOwnsTexture(true);
        node->setRect(QRectF(crowdRegion_.minX, crowdRegion_.minY, crowdRegion_.maxX - crowdRegion_.minX,
                             crowdRegion_.maxY - crowdRegion_.minY));
        node->setFiltering(QSGTexture::Linear);
        layer->crowd->appendChildNode(node);
        crowdImage_ = QImage();  // uploaded: the texture holds it now
    }
    crowdFresh_ = false;
    if (!annotations_)
        return;
    const double marker = kMarkerPx / zoom_;
    const int selectedId = annotations_->selectedId();
    if (!rasterMarks_) {
        std::map<std::uint32_t, std::vector<PixelPoint>> byColour;
        for (const Annotation& a : shown_) {
            if (editing_ && a.id == editing_->id)
                continue;
            appendOutline(a, marker, byColour[annotations_->colourOf(a.className)]);
        }
        for (auto& [colour, segments] : byColour)
            if (!segments.empty())
                layer->marks->appendChildNode(lineNode(segments, colour, 1.0 / zoom_));
    }

    // The selection on top, in white with its handles; then what is being drawn.
    const std::optional<Annotation> selected =
        editing_ ? editing_ : (selectedId != 0 ? annotations_->selection() : std::optional<Annotation>());
    if (selected) {
        std::vector<PixelPoint> segments;
        appendOutline(*selected, marker, segments);
        if (selected->shape != AnnotationShape::Point)
            for (const PixelPoint& p : selected->points)
                appendSquare(p, kHandlePx / zoom_, segments);
        layer->marks->appendChildNode(lineNode(segments, kSelectedColour, 1.5 / zoom_));
    }
    if (draft_) {
        std::vector<PixelPoint> segments;
        Annotation open = *draft_;
        if (open.shape == AnnotationShape::Polygon || open.shape == AnnotationShape::Freehand)
            open.shape = AnnotationShape::Ruler;  // drawn open until it is finished
        const std::vector<PixelPoint> v = outlineVertices(*draft_);
        if (open.shape == AnnotationShape::Ruler && draft_->shape != AnnotationShape::Ruler)
            for (std::size_t i = 0; i + 1 < v.size(); ++i)
                segments.insert(segments.end(), {v[i], v[i + 1]});
        else
            appendOutline(*draft_, marker, segments);
        if (!segments.empty())
            layer->marks->appendChildNode(lineNode(segments, kDraftColour, 1.0 / zoom_));
    }
}

}  // namespace consilium::app
