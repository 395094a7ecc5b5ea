#include "slide_view.h"

#include "slide_view_nodes.h"

#include <QCursor>
#include <QQuickWindow>
#include <QSGSimpleRectNode>
#include <QSGSimpleTextureNode>
#include <QSGTexture>
#include <QSGTransformNode>
#include <algorithm>
#include <chrono>
#include <cmath>
#include <unordered_map>

namespace consilium::app {

namespace {

using pathology::TileKey;

constexpr double kMaxZoom = 4.0;              // 400 % of the scan's own pixels
constexpr int kUploadsPerFrame = 48;          // new textures a frame may create; the rest wait a frame
constexpr std::size_t kTextureBudget = 1500;  // 128² RGBA tiles: about 100 MB of texture memory
constexpr double kFlickFriction = 325.0;      // ms: the velocity's time constant after release

int nextViewNumber()
{
    static std::atomic<int> n{1};
    return n++;
}

// Clockwise quarter turns in item coordinates (y down): (x, y) -> (-y, x) per turn.
QPointF turned(QPointF p, int turns)
{
    for (int i = 0; i < ((turns % 4) + 4) % 4; ++i)
        p = QPointF(-p.y(), p.x());
    return p;
}

// 1, 2 or 5 times a power of ten, at most `value`.
double niceBelow(double value)
{
    const double decade = std::pow(10.0, std::floor(std::log10(value)));
    for (double step : {5.0, 2.0, 1.0})
        if (step * decade <= value)
            return step * decade;
    return decade;
}

QString lengthText(double micrometres)
{
    if (micrometres >= 1000)
        return QStringLiteral("%1 mm").arg(micrometres / 1000.0, 0, 'g', 3);
    return QStringLiteral("%1 µm").arg(micrometres, 0, 'g', 3);
}

QRectF rectOf(const pathology::SlideRect& r) { return {r.x, r.y, r.width, r.height}; }

}  // namespace

SlideView::SlideView(QQuickItem* parent) : QQuickItem(parent), viewNumber_(nextViewNumber())
{
    setFlag(ItemHasContents);
    setFlag(ItemIsFocusScope);
    setActiveFocusOnTab(true);
    setClip(true);
    setAcceptedMouseButtons(Qt::LeftButton | Qt::RightButton);
    setAcceptHoverEvents(true);
    setCursor(Qt::OpenHandCursor);
    flick_.setInterval(16);
    connect(&flick_, &QTimer::timeout, this, &SlideView::flickStep);
    crowdWorker_.setMaxThreadCount(1);
    marksSettle_.setSingleShot(true);
    marksSettle_.setInterval(150);
    connect(&marksSettle_, &QTimer::timeout, this, [this] { queryAnnotationsIfNeeded(true); });
    status_ = tr("No slide");
}

SlideView::~SlideView()
{
    if (tiles_)
        tiles_->cancel(viewNumber_);
}

void SlideView::setSession(SlideSession* session)
{
    if (session == session_)
        return;
    if (session_)
        disconnect(session_, nullptr, this, nullptr);
    session_ = session;
    if (session_) {
        connect(session_, &SlideSession::slideOpened, this, &SlideView::onOpened);
        connect(session_, &SlideSession::slideFailed, this, &SlideView::onFailed);
        connect(session_, &SlideSession::tilesArrived, this, &QQuickItem::update);
    }
    attach();
    emit sourceChanged();
}

void SlideView::setSlideId(int id)
{
    if (id == slideId_)
        return;
    slideId_ = id;
    attach();
    emit sourceChanged();
}

void SlideView::attach()
{
    if (tiles_)
        tiles_->cancel(viewNumber_);
    tiles_.reset();
    shown_.clear();
    queried_ = {0, 0, -1, -1};
    draft_.reset();
    editing_.reset();
    sharp_ = false;
    status_ = slideId_ == 0 || !session_ ? tr("No slide") : tr("Opening the slide…");
    emit stateChanged();
    update();
    if (session_ && slideId_ != 0)
        session_->open(slideId_);
}

void SlideView::onOpened(int id)
{
    if (id != slideId_ || !session_ || tiles_)
        return;
    tiles_ = session_->tiles(id);
    if (!tiles_)
        return;
    status_.clear();
    fitted_ = true;
    emit stateChanged();
    fit();
}

void SlideView::onFailed(int id, const QString& message)
{
    if (id != slideId_)
        return;
    // A slide that fails mid-review (the file removed or cut short) keeps what is cached on screen, with the reason.
    status_ = message;
    emit stateChanged();
    update();
}

bool SlideView::calibrated() const { return tiles_ && tiles_->slide().info().calibrated(); }

QSizeF SlideView::slideSize() const
{
    if (!tiles_)
        return {};
    const auto& l = tiles_->pyramid().level(0);
    return QSizeF(double(l.width), double(l.height));
}

double SlideView::nativeMagnification() const
{
    if (!tiles_)
        return 0;
    const model::SlideInfo& info = tiles_->slide().info();
    if (info.objectivePower && *info.objectivePower > 0)
        return *info.objectivePower;
    // By convention 10× objective-equivalent is 1 µm a pixel (40× ≈ 0.25 µm). Only a display figure: it never
    // feeds a length, and without mpp there is none.
    if (info.calibrated() && *info.mppX > 0)
        return 10.0 / *info.mppX;
    return 0;
}

QString SlideView::magnificationText() const
{
    if (!tiles_)
        return {};
    const double m = magnification();
    if (m > 0)
        return QStringLiteral("%1×").arg(m, 0, 'f', m < 10 ? 1 : 0);
    return tr("%1 % of full resolution").arg(zoom_ * 100, 0, 'f', zoom_ < 0.1 ? 1 : 0);
}

double SlideView::scaleBarLength() const
{
    if (!tiles_ || zoom_ <= 0)
        return 0;
    const double level0 = 120.0 / zoom_;  // about 120 item pixels
    if (calibrated()) {
        const double mpp = *tiles_->slide().info().mppX;
        return niceBelow(level0 * mpp) / mpp * zoom_;
    }
    return niceBelow(level0) * zoom_;
}

QString SlideView::scaleBarText() const
{
    if (!tiles_ || zoom_ <= 0)
        return {};
    const double level0 = 120.0 / zoom_;
    if (calibrated())
        return lengthText(niceBelow(level0 * *tiles_->slide().info().mppX));
    return tr("%1 px (uncalibrated)").arg(niceBelow(level0), 0, 'g', 3);
}

QPointF SlideView::slidePoint(QPointF itemPoint) const
{
    const QPointF fromMiddle = itemPoint - QPointF(width() / 2, height() / 2);
    return centre_ + turned(fromMiddle, -quarterTurns_) / zoom_;
}

QPointF SlideView::itemPoint(QPointF slidePoint) const
{
    return QPointF(width() / 2, height() / 2) + turned((slidePoint - centre_) * zoom_, quarterTurns_);
}

QRectF SlideView::visibleRegion() const
{
    const QSizeF size = slideSize();
    if (size.isEmpty())
        return {};
    // Quarter turns keep the view's rectangle axis-aligned on the slide.
    const QRectF r = QRectF(slidePoint({0, 0}), slidePoint({width(), height()})).normalized();
    return {r.x() / size.width(), r.y() / size.height(), r.width() / size.width(), r.height() / size.height()};
}

double SlideView::fitZoom() const
{
    const QSizeF size = slideSize();
    if (size.isEmpty() || width() <= 0 || height() <= 0)
        return 1;
    const bool across = quarterTurns_ % 2 == 1;
    const double w = across ? size.height() : size.width();
    const double h = across ? size.width() : size.height();
    return std::min(width() / w, height() / h) * 0.96;
}

void SlideView::fit()
{
    const QSizeF size = slideSize();
    if (size.isEmpty())
        return;
    setView(QPointF(size.width() / 2, size.height() / 2), fitZoom(), QPointF(width() / 2, height() / 2));
    fitted_ = true;
}

void SlideView::setView(QPointF centre, double zoom, QPointF focus)
{
    const QSizeF size = slideSize();
    if (size.isEmpty())
        return;
    zoom_ = std::clamp(zoom, std::min(fitZoom() * 0.5, kMaxZoom), kMaxZoom);
    // The middle of the view stays on the slide: one can look at its edge, not lose it.
    centre_ = QPointF(std::clamp(centre.x(), 0.0, size.width()), std::clamp(centre.y(), 0.0, size.height()));
    fitted_ = false;
    emit viewChanged();
    update();
    requestTiles(focus);
    queryAnnotationsIfNeeded(false);
}

void SlideView::requestTiles(QPointF focusItemPoint)
{
    if (!tiles_ || width() <= 0 || height() <= 0)
        return;
    pathology::ViewportRequest request;
    request.level = tiles_->pyramid().levelForDownsample(1.0 / zoom_);
    const QRectF r = QRectF(slidePoint({0, 0}), slidePoint({width(), height()})).normalized();
    request.region = {r.x(), r.y(), r.width(), r.height()};
    const QPointF focus = slidePoint(focusItemPoint);
    request.centreX = focus.x();
    request.centreY = focus.y();
    request.generation = ++generation_;
    request.view = viewNumber_;
    request.prefetch = !flick_.isActive() && !dragging_;  // prefetch where the view settles, not where it passes
    tiles_->requestViewport(request);
}

void SlideView::zoomToMagnification(double magnification)
{
    const double native = nativeMagnification();
    if (native <= 0 || magnification <= 0)
        return;
    setView(centre_, magnification / native, QPointF(width() / 2, height() / 2));
}

void SlideView::zoomBy(double factor, QPointF itemPoint)
{
    if (!tiles_ || factor <= 0)
        return;
    const QPointF anchor = slidePoint(itemPoint);
    const double before = zoom_;
    const double wanted = std::clamp(zoom_ * factor, std::min(fitZoom() * 0.5, kMaxZoom), kMaxZoom);
    const QPointF fromMiddle = itemPoint - QPointF(width() / 2, height() / 2);
    setView(anchor - turned(fromMiddle, -quarterTurns_) / wanted, wanted, itemPoint);
    if (syncPartner_ && width() > 0 && height() > 0)
        syncPartner_->followZoom(zoom_ / before, QPointF(itemPoint.x() / width(), itemPoint.y() / height()));
}

void SlideView::panBy(QPointF itemDelta)
{
    if (!tiles_)
        return;
    setView(centre_ - turned(itemDelta, -quarterTurns_) / zoom_, zoom_, QPointF(width() / 2, height() / 2));
    if (syncPartner_)
        syncPartner_->followPan(itemDelta);
}

void SlideView::followPan(QPointF itemDelta)
{
    if (tiles_)
        setView(centre_ - turned(itemDelta, -quarterTurns_) / zoom_, zoom_, QPointF(width() / 2, height() / 2));
}

void SlideView::followZoom(double factor, QPointF normalisedItemPoint)
{
    if (!tiles_)
        return;
    const QPointF at(normalisedItemPoint.x() * width(), normalisedItemPoint.y() * height());
    const QPointF anchor = slidePoint(at);
    const double wanted = zoom_ * factor;
    setView(anchor - turned(at - QPointF(width() / 2, height() / 2), -quarterTurns_) / wanted, wanted, at);
}

void SlideView::centreOnNormalised(QPointF point)
{
    const QSizeF size = slideSize();
    centreOn(QPointF(point.x() * size.width(), point.y() * size.height()));
}

void SlideView::centreOn(QPointF level0)
{
    if (tiles_)
        setView(level0, zoom_, QPointF(width() / 2, height() / 2));
}

void SlideView::setQuarterTurns(int turns)
{
    turns = ((turns % 4) + 4) % 4;
    if (turns == quarterTurns_)
        return;
    const bool refit = fitted_;
    quarterTurns_ = turns;
    if (refit)
        fit();
    else
        setView(centre_, zoom_, QPointF(width() / 2, height() / 2));
}

void SlideView::setSyncPartner(SlideView* partner)
{
    if (partner == this || partner == syncPartner_)
        return;
    syncPartner_ = partner;
    emit syncPartnerChanged();
}

QVariantList SlideView::magnificationPresets() const
{
    QVariantList presets;
    const double native = nativeMagnification();
    if (native <= 0)
        return presets;
    for (double m : {1.0, 2.0, 5.0, 10.0, 20.0, 40.0})
        if (m <= native * 2 + 1e-9 && m / native <= kMaxZoom)
            presets.append(m);
    return presets;
}

void SlideView::geometryChange(const QRectF& now, const QRectF& before)
{
    QQuickItem::geometryChange(now, before);
    if (now.size() == before.size() || !tiles_)
        return;
    if (fitted_)
        fit();
    else
        setView(centre_, zoom_, QPointF(width() / 2, height() / 2));
}

void SlideView::mousePressEvent(QMouseEvent* event)
{
    forceActiveFocus(Qt::MouseFocusReason);
    flick_.stop();
    annotationGesture_ = pressForAnnotation(event);
    if (annotationGesture_) {
        event->accept();
        return;
    }
    dragging_ = true;
    lastMouse_ = event->position();
    velocity_ = {};
    moveClock_.start();
    setCursor(Qt::ClosedHandCursor);
    event->accept();
}

void SlideView::mouseMoveEvent(QMouseEvent* event)
{
    if (annotationGesture_) {
        moveForAnnotation(event);
        updateCursor(event->position());
        return;
    }
    if (!dragging_)
        return;
    const QPointF delta = event->position() - lastMouse_;
    lastMouse_ = event->position();
    const double ms = std::max<int>(moveClock_.restart(), 1);
    // Smoothed, so that the flick follows the last stretch of the drag rather than its last event.
    velocity_ = velocity_ * 0.6 + (delta / ms) * 0.4;
    panBy(delta);
    updateCursor(event->position());
}

void SlideView::mouseReleaseEvent(QMouseEvent* event)
{
    if (annotationGesture_) {
        annotationGesture_ = false;
        releaseForAnnotation(event);
        return;
    }
    dragging_ = false;
    setCursor(tool_ == "pan" ? Qt::OpenHandCursor : Qt::CrossCursor);
    // A pause before letting go means "stop here", not "throw".
    const bool paused = moveClock_.isValid() && moveClock_.elapsed() > 80;
    if (!paused && std::hypot(velocity_.x(), velocity_.y()) > 0.25) {
        flickClock_.start();
        flick_.start();
    } else {
        requestTiles(QPointF(width() / 2, height() / 2));  // with prefetch now that it rests
    }
}

void SlideView::flickStep()
{
    const double ms = std::max<int>(flickClock_.restart(), 1);
    velocity_ *= std::exp(-ms / kFlickFriction);
    if (std::hypot(velocity_.x(), velocity_.y()) < 0.02) {
        flick_.stop();
        requestTiles(QPointF(width() / 2, height() / 2));
        return;
    }
    panBy(velocity_ * ms);
}

void SlideView::mouseDoubleClickEvent(QMouseEvent* event)
{
    if (doubleClickForAnnotation(event))
        return;
    zoomBy(event->button() == Qt::RightButton ? 0.5 : 2.0, event->position());
}

void SlideView::wheelEvent(QWheelEvent* event)
{
    const QPoint steps = event->angleDelta();
    const double notches = steps.y() != 0 ? steps.y() / 120.0 : event->pixelDelta().y() / 50.0;
    if (notches != 0)
        zoomBy(std::pow(2.0, notches / 3.0), event->position());  // three notches double the magnification
    updateCursor(event->position());
    event->accept();
}

void SlideView::keyPressEvent(QKeyEvent* event)
{
    if (keyForAnnotation(event)) {
        event->accept();
        return;
    }
    const QPointF middle(width() / 2, height() / 2);
    const double step = std::min(width(), height()) / 4;
    switch (event->key()) {
        case Qt::Key_Plus:
        case Qt::Key_Equal:
            zoomBy(2.0, middle);
            break;
        case Qt::Key_Minus:
            zoomBy(0.5, middle);
            break;
        case Qt::Key_Left:
            panBy({step, 0});
            break;
        case Qt::Key_Right:
            panBy({-step, 0});
            break;
        case Qt::Key_Up:
            panBy({0, step});
            break;
        case Qt::Key_Down:
            panBy({0, -step});
            break;
        case Qt::Key_F:
        case Qt::Key_0:
            fit();
            break;
        case Qt::Key_R:
            rotateClockwise();
            break;
        default:
            event->ignore();
            return;
    }
    event->accept();
}

void SlideView::hoverMoveEvent(QHoverEvent* event)
{
    if (draft_ && draft_->shape == model::AnnotationShape::Polygon) {  // the rubber band follows the mouse
        draft_->points.back() = slidePixel(event->position());
        marksDirty_ = true;
        update();
    }
    updateCursor(event->position());
}

void SlideView::hoverLeaveEvent(QHoverEvent*)
{
    cursorText_.clear();
    emit cursorChanged();
}

void SlideView::updateCursor(QPointF at)
{
    if (!tiles_)
        return;
    const QPointF p = slidePoint(at);
    const QSizeF size = slideSize();
    QString text;
    if (p.x() >= 0 && p.y() >= 0 && p.x() < size.width() && p.y() < size.height()) {
        text = QStringLiteral("x %1, y %2 px").arg(int(p.x())).arg(int(p.y()));
        if (calibrated()) {
            const auto& info = tiles_->slide().info();
            text += QStringLiteral(" · %1, %2 mm")
                        .arg(p.x() * *info.mppX / 1000, 0, 'f', 3)
                        .arg(p.y() * *info.mppY / 1000, 0, 'f', 3);
        }
    }
    if (text != cursorText_) {
        cursorText_ = text;
        emit cursorChanged();
    }
}

void SlideView::publishFrame(bool sharp, double cpuMs)
{
    // Render thread: hand the figures to the GUI thread, at most one pending hand-over at a time.
    if (framePending_.exchange(true))
        return;
    QMetaObject::invokeMethod(
        this,
        [this, sharp, cpuMs] {
            framePending_ = false;
            sharp_ = sharp;
            frameCpuMs_ = cpuMs;
            emit frameDrawn();
        },
        Qt::QueuedConnection);
}

QSGNode* SlideView::updatePaintNode(QSGNode* old, UpdatePaintNodeData*)
{
    const auto started = std::chrono::steady_clock::now();
    auto* layer = static_cast<TileLayerNode*>(old);
    if (!tiles_) {
        delete layer;
        return nullptr;
    }
    if (!layer) {
        layer = new TileLayerNode;
        marksDirty_ = true;
    }
    if (layer->engine != tiles_.get()) {
        layer->textures.clear();
        layer->engine = tiles_.get();
    }
    ++layer->frame;
    layer->uploads = 0;
    layer->clearQuads();

    QMatrix4x4 m;
    m.translate(float(width() / 2), float(height() / 2));
    m.rotate(90.0f * float(quarterTurns_), 0, 0, 1);
    m.scale(float(zoom_));
    m.translate(float(-centre_.x()), float(-centre_.y()));
    layer->setMatrix(m);

    const pathology::TilePyramid& pyramid = tiles_->pyramid();
    const QSizeF size = slideSize();
    const auto bg = tiles_->slide().background();
    layer->paper->setRect(QRectF(QPointF(0, 0), size));
    layer->paper->setColor(QColor(bg[0], bg[1], bg[2]));

    const QRectF visible = QRectF(slidePoint({0, 0}), slidePoint({width(), height()})).normalized();
    const pathology::SlideRect region{visible.x(), visible.y(), visible.width(), visible.height()};
    const int wanted = pyramid.levelForDownsample(1.0 / zoom_);
    const int coarsest = pyramid.levelCount() - 1;
    bool sharp = true;
    bool more = false;

    // The underlay: the coarsest level (a tile or a few), so that nothing is ever a hole.
    const auto drawRange = [&](int level, bool isUnderlay) {
        const pathology::TileRange range = pyramid.tilesCovering(level, region);
        for (int row = range.row0; row < range.row1; ++row)
            for (int col = range.col0; col < range.col1; ++col) {
                const TileKey key{level, col, row};
                const QRectF target = rectOf(pyramid.bounds(key));
                if (const auto pixels = tiles_->tryGet(key)) {
                    if (QSGTexture* t = layer->texture(window(), key, pixels)) {
                        layer->addQuad(t, target, QRectF(0, 0, pixels->width, pixels->height));
                        continue;
                    }
                    more = true;
                }
                if (isUnderlay)
                    continue;
                sharp = false;
                const auto fallback = tiles_->bestAvailable(key);
                if (!fallback || fallback->key.level == coarsest)
                    continue;  // the underlay shows it
                if (QSGTexture* t = layer->texture(window(), fallback->key, fallback->pixels))
                    layer->addQuad(
                        t, target,
                        QRectF(fallback->sourceX, fallback->sourceY, fallback->sourceWidth, fallback->sourceHeight));
                else
                    more = true;
            }
    };
    if (wanted != coarsest)
        drawRange(coarsest, true);
    drawRange(wanted, false);
    layer->evict();
    updateMarks(layer);
    if (more)
        update();  // the upload budget ran out: the rest next frame

    const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
    publishFrame(sharp && !more, ms);
    return layer;
}

}  // namespace consilium::app
