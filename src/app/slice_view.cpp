#include "slice_view.h"

#include <QtQuick/qsgtexture_platform.h>
#include <QCursor>
#include <QKeyEvent>
#include <QMouseEvent>
#include <QOpenGLContext>
#include <QOpenGLFunctions>
#include <QQuickWindow>
#include <QSGGeometryNode>
#include <QSGMaterial>
#include <QSGMaterialShader>
#include <QSGTexture>
#include <algorithm>
#include <cmath>
#include <condition_variable>
#include <cstring>
#include <mutex>
#include <numbers>
#include <thread>

namespace consilium::app {

using imaging::PlaneOrientation;
using imaging::Vec3;
using imaging::operator+;
using imaging::operator-;
using imaging::operator*;

// ---------------------------------------------------------------------------------------------------------------
// The worker: samples the newest request, drops the ones it never got to.

struct FrameRequest {
    std::uint64_t generation = 0;
    std::shared_ptr<const imaging::Volume> base;
    std::shared_ptr<const imaging::Volume> overlay;
    imaging::PlaneGrid grid;
    imaging::Slab slab;
    float baseOutside = 0;
    bool wantBulk = false;  // also report the 1st and 99th percentile of the base values (auto window)
};

using Bulk = std::optional<std::pair<double, double>>;  // low, high percentile of a frame, stored units

struct SampledFrame {
    std::uint64_t generation = 0;
    imaging::PlaneGrid grid;
    std::vector<float> base;
    std::vector<float> overlay;  // empty: no fusion
};

class SliceSampling {
public:
    explicit SliceSampling(std::function<void(std::uint64_t, Bulk)> arrived)
        : arrived_(std::move(arrived)), thread_([this] { run(); })
    {
    }
    ~SliceSampling()
    {
        {
            std::lock_guard lock(mutex_);
            stop_ = true;
        }
        wake_.notify_one();
        thread_.join();
    }

    void request(FrameRequest r)
    {
        {
            std::lock_guard lock(mutex_);
            pending_ = std::move(r);
        }
        wake_.notify_one();
    }

    // The newest frame, if newer than `after` (moved out: each frame is uploaded once).
    std::optional<SampledFrame> take(std::uint64_t after)
    {
        std::lock_guard lock(mutex_);
        if (!latest_ || latest_->generation <= after)
            return std::nullopt;
        std::optional<SampledFrame> frame = std::move(latest_);
        latest_.reset();
        return frame;
    }

private:
    void run()
    {
        for (;;) {
            FrameRequest r;
            {
                std::unique_lock lock(mutex_);
                wake_.wait(lock, [&] { return stop_ || pending_; });
                if (stop_)
                    return;
                r = std::move(*pending_);
                pending_.reset();
            }
            SampledFrame frame;
            frame.generation = r.generation;
            frame.grid = r.grid;
            sampler(base_, r.base).sample(r.grid, r.slab, frame.base, r.baseOutside);
            if (r.overlay)
                sampler(overlay_, r.overlay).sample(r.grid, r.slab, frame.overlay, 0.0f);
            const Bulk bulk = r.wantBulk ? bulkOf(frame.base) : Bulk();
            {
                std::lock_guard lock(mutex_);
                latest_ = std::move(frame);
            }
            arrived_(r.generation, bulk);
        }
    }

    static imaging::PlaneSampler& sampler(std::unique_ptr<imaging::PlaneSampler>& slot,
                                          const std::shared_ptr<const imaging::Volume>& volume)
    {
        if (!slot || slot->volume() != volume)
            slot = std::make_unique<imaging::PlaneSampler>(volume);
        return *slot;
    }

    // Quantiles of a copy of the frame just sampled: the histogram of what the view shows, at no second sampling.
    Bulk bulkOf(std::vector<float> values) const
    {
        if (values.empty())
            return std::nullopt;
        return std::pair{model::quantile(values, 0.01), model::quantile(values, 0.99)};
    }

    std::function<void(std::uint64_t, Bulk)> arrived_;
    std::mutex mutex_;
    std::condition_variable wake_;
    std::optional<FrameRequest> pending_;
    std::optional<SampledFrame> latest_;
    bool stop_ = false;
    std::unique_ptr<imaging::PlaneSampler> base_;
    std::unique_ptr<imaging::PlaneSampler> overlay_;
    std::thread thread_;  // last: starts once everything above exists
};

// ---------------------------------------------------------------------------------------------------------------
// Scene graph: a float texture (GL_R32F, linear filtering) per layer and the window/colour-map shader.

namespace {

constexpr unsigned kGlR32f = 0x822E;
constexpr unsigned kGlRed = 0x1903;

// One single-channel float texture on Qt's OpenGL context; lives and dies on the render thread.
class FloatTexture {
public:
    ~FloatTexture()
    {
        delete texture_;
        if (id_ != 0 && QOpenGLContext::currentContext())
            QOpenGLContext::currentContext()->functions()->glDeleteTextures(1, &id_);
    }
    void upload(QQuickWindow* window, int width, int height, const float* values)
    {
        QOpenGLFunctions* gl = QOpenGLContext::currentContext()->functions();
        if (id_ == 0)
            gl->glGenTextures(1, &id_);
        gl->glBindTexture(GL_TEXTURE_2D, id_);
        gl->glPixelStorei(GL_UNPACK_ALIGNMENT, 4);
        if (size_ == QSize(width, height))  // the common case while scrolling: no reallocation
            gl->glTexSubImage2D(GL_TEXTURE_2D, 0, 0, 0, width, height, kGlRed, GL_FLOAT, values);
        else
            gl->glTexImage2D(GL_TEXTURE_2D, 0, GLint(kGlR32f), width, height, 0, kGlRed, GL_FLOAT, values);
        gl->glBindTexture(GL_TEXTURE_2D, 0);
        if (!texture_ || size_ != QSize(width, height)) {
            delete texture_;
            texture_ = QNativeInterface::QSGOpenGLTexture::fromNative(id_, window, QSize(width, height));
            texture_->setFiltering(QSGTexture::Linear);
            texture_->setHorizontalWrapMode(QSGTexture::ClampToEdge);
            texture_->setVerticalWrapMode(QSGTexture::ClampToEdge);
            size_ = QSize(width, height);
        }
    }
    QSGTexture* texture() const { return texture_; }

private:
    GLuint id_ = 0;
    QSize size_;
    QSGTexture* texture_ = nullptr;
};

struct SliceUniforms {
    float baseWindow[4] = {0, 1, 0, 0};
    float overlayWindow[4] = {0, 1, 0, 2};
    float flags[4] = {0, 0, 0, 0};
};

class SliceMaterial : public QSGMaterial {
public:
    SliceMaterial() { setFlag(Blending, false); }
    QSGMaterialType* type() const override
    {
        static QSGMaterialType type;
        return &type;
    }
    QSGMaterialShader* createShader(QSGRendererInterface::RenderMode) const override;
    int compare(const QSGMaterial* other) const override { return this == other ? 0 : (this < other ? -1 : 1); }

    FloatTexture base;
    FloatTexture overlay;
    SliceUniforms uniforms;
};

class SliceShader : public QSGMaterialShader {
public:
    SliceShader()
    {
        setShaderFileName(VertexStage, QStringLiteral(":/consilium/shaders/slice.vert.qsb"));
        setShaderFileName(FragmentStage, QStringLiteral(":/consilium/shaders/slice.frag.qsb"));
    }
    bool updateUniformData(RenderState& state, QSGMaterial* newMaterial, QSGMaterial*) override
    {
        QByteArray* buffer = state.uniformData();
        if (state.isMatrixDirty()) {
            const QMatrix4x4 m = state.combinedMatrix();
            std::memcpy(buffer->data(), m.constData(), 64);
        }
        if (state.isOpacityDirty()) {
            const float opacity = state.opacity();
            std::memcpy(buffer->data() + 64, &opacity, 4);
        }
        const auto* material = static_cast<SliceMaterial*>(newMaterial);
        std::memcpy(buffer->data() + 80, &material->uniforms, sizeof(SliceUniforms));
        return true;
    }
    void updateSampledImage(RenderState&, int binding, QSGTexture** texture, QSGMaterial* newMaterial,
                            QSGMaterial*) override
    {
        auto* material = static_cast<SliceMaterial*>(newMaterial);
        QSGTexture* t = binding == 1 ? material->base.texture() : material->overlay.texture();
        *texture = t ? t : material->base.texture();  // the overlay sampler needs something bound
    }
};

QSGMaterialShader* SliceMaterial::createShader(QSGRendererInterface::RenderMode) const { return new SliceShader; }

class SliceNode : public QSGGeometryNode {
public:
    SliceNode() : geometry_(QSGGeometry::defaultAttributes_TexturedPoint2D(), 4)
    {
        geometry_.setDrawingMode(QSGGeometry::DrawTriangleStrip);
        setGeometry(&geometry_);
        setMaterial(&material);
    }
    void place(const QPointF corners[4])  // top-left, top-right, bottom-left, bottom-right
    {
        auto* v = geometry_.vertexDataAsTexturedPoint2D();
        v[0].set(float(corners[0].x()), float(corners[0].y()), 0, 0);
        v[1].set(float(corners[1].x()), float(corners[1].y()), 1, 0);
        v[2].set(float(corners[2].x()), float(corners[2].y()), 0, 1);
        v[3].set(float(corners[3].x()), float(corners[3].y()), 1, 1);
        markDirty(DirtyGeometry);
    }
    SliceMaterial material;
    std::uint64_t shownGeneration = 0;
    imaging::PlaneGrid shownGrid;
    bool overlayShown = false;

private:
    QSGGeometry geometry_;
};

int colorMapIndex(const QString& name)
{
    static const QStringList names{"grey", "inverted-grey", "hot-iron", "rainbow"};
    return int(names.indexOf(name));
}

QString colorMapName(int index)
{
    static const QStringList names{"grey", "inverted-grey", "hot-iron", "rainbow"};
    return index >= 0 && index < names.size() ? names[index] : QString();
}

// 1, 2 or 5 × 10^n mm, the largest not above `mm`.
double niceLength(double mm)
{
    if (mm <= 0)
        return 0;
    const double power = std::pow(10.0, std::floor(std::log10(mm)));
    for (double m : {5.0, 2.0, 1.0})
        if (m * power <= mm)
            return m * power;
    return power;
}

}  // namespace

// ---------------------------------------------------------------------------------------------------------------
// Geometry of the view at this moment

struct SliceView::ViewGeometry {
    bool valid = false;
    imaging::ViewPlane plane;
    Vec3 centre;  // LPS point shown at the middle of the item
    double mmPerPixel = 1;
    double width = 0;
    double height = 0;
    imaging::SliceRange range;
    Vec3 focus;

    QPointF toItem(const Vec3& p) const
    {
        const Vec3 d = p - centre;
        return {width / 2 + imaging::dot(d, plane.right) / mmPerPixel,
                height / 2 + imaging::dot(d, plane.down) / mmPerPixel};
    }
    Vec3 toPatient(QPointF q) const
    {
        return centre + plane.right * ((q.x() - width / 2) * mmPerPixel) +
               plane.down * ((q.y() - height / 2) * mmPerPixel);
    }
};

SliceView::ViewGeometry SliceView::geometry() const
{
    ViewGeometry g;
    const auto volume = baseVolume();
    if (!volume || !session_ || width() < 2 || height() < 2)
        return g;
    g.valid = true;
    g.width = width();
    g.height = height();
    g.plane = session_->plane(orientation_);
    g.focus = session_->focus();
    g.range = imaging::sliceRange(*volume, g.plane.normal());
    // Fit: the volume's extent along the screen axes, with a small margin.
    const imaging::SliceRange across = imaging::sliceRange(*volume, g.plane.right);
    const imaging::SliceRange along = imaging::sliceRange(*volume, g.plane.down);
    const double fit = std::max((across.last - across.first) / g.width, (along.last - along.first) / g.height) * 1.04;
    g.mmPerPixel = std::max(1e-3, fit) / zoom_;
    const Vec3 middle = imaging::volumeCentre(*volume);
    const Vec3 d = middle - g.focus;
    g.centre = g.focus + g.plane.right * (imaging::dot(d, g.plane.right) + panMm_.x()) +
               g.plane.down * (imaging::dot(d, g.plane.down) + panMm_.y());
    return g;
}

// ---------------------------------------------------------------------------------------------------------------

SliceView::SliceView(QQuickItem* parent) : QQuickItem(parent)
{
    setFlag(ItemHasContents, true);
    setFlag(ItemIsFocusScope, true);
    setAcceptedMouseButtons(Qt::LeftButton | Qt::RightButton | Qt::MiddleButton);
    setAcceptHoverEvents(true);
    setActiveFocusOnTab(true);
    sampling_ = std::make_unique<SliceSampling>([this](std::uint64_t generation, Bulk bulk) {
        QMetaObject::invokeMethod(
            this, [this, generation, bulk] { frameArrived(generation, bulk); }, Qt::QueuedConnection);
    });
}

SliceView::~SliceView() { sampling_.reset(); }

void SliceView::setSession(ReadingSession* session)
{
    if (session == session_)
        return;
    if (session_)
        session_->disconnect(this);
    session_ = session;
    if (session_) {
        // The crosshair or a plane moved (every mouse move while dragging): only the view and its pixels change.
        connect(session_, &ReadingSession::geometryChanged, this, &SliceView::requestFrame);
        const auto loadEnded = [this](const QString& uid) {  // a volume arrived or failed: new status, new frame
            if (uid == seriesUid_ || uid == fusedUid_)
                refresh();
        };
        connect(session_, &ReadingSession::volumeReady, this, loadEnded);
        connect(session_, &ReadingSession::loadFailed, this, loadEnded);
        connect(session_, &ReadingSession::windowChanged, this, [this](const QString& uid) {
            if (uid == seriesUid_) {
                emit displayChanged();
                update();
            }
        });
    }
    emit inputsChanged();
    refresh();
}

void SliceView::setSeriesUid(const QString& uid)
{
    if (uid == seriesUid_)
        return;
    seriesUid_ = uid;
    zoom_ = 1;
    panMm_ = {};
    emit inputsChanged();
    refresh();
}

void SliceView::setFusedSeriesUid(const QString& uid)
{
    if (uid == fusedUid_)
        return;
    fusedUid_ = uid;
    fusedWindowSet_ = false;
    emit inputsChanged();
    refresh();
}

QString SliceView::orientation() const
{
    switch (orientation_) {
        case PlaneOrientation::Axial:
            return QStringLiteral("axial");
        case PlaneOrientation::Coronal:
            return QStringLiteral("coronal");
        case PlaneOrientation::Sagittal:
            return QStringLiteral("sagittal");
    }
    return {};
}

void SliceView::setOrientation(const QString& name)
{
    const PlaneOrientation o = name == QLatin1String("coronal")    ? PlaneOrientation::Coronal
                               : name == QLatin1String("sagittal") ? PlaneOrientation::Sagittal
                                                                   : PlaneOrientation::Axial;
    if (o == orientation_)
        return;
    orientation_ = o;
    panMm_ = {};
    emit inputsChanged();
    refresh();
}

QString SliceView::slabMode() const
{
    switch (slab_.mode) {
        case imaging::SlabMode::Maximum:
            return QStringLiteral("mip");
        case imaging::SlabMode::Minimum:
            return QStringLiteral("minip");
        case imaging::SlabMode::Mean:
            return QStringLiteral("mean");
        case imaging::SlabMode::None:
            break;
    }
    return QStringLiteral("none");
}

void SliceView::setSlabMode(const QString& mode)
{
    const imaging::SlabMode m = mode == QLatin1String("mip")     ? imaging::SlabMode::Maximum
                                : mode == QLatin1String("minip") ? imaging::SlabMode::Minimum
                                : mode == QLatin1String("mean")  ? imaging::SlabMode::Mean
                                                                 : imaging::SlabMode::None;
    if (m == slab_.mode)
        return;
    slab_.mode = m;
    emit inputsChanged();
    requestFrame();
}

void SliceView::setSlabThickness(double mm)
{
    mm = std::clamp(mm, 0.0, 200.0);
    if (mm == slab_.thicknessMm)
        return;
    slab_.thicknessMm = mm;
    emit inputsChanged();
    requestFrame();
}

QString SliceView::colorMap() const
{
    if (colorMap_ >= 0)
        return colorMapName(colorMap_);
    return isPet() ? QStringLiteral("inverted-grey") : QStringLiteral("grey");
}

void SliceView::setColorMap(const QString& name)
{
    colorMap_ = colorMapIndex(name);
    emit displayChanged();
    update();
}

QString SliceView::fusedColorMap() const { return colorMapName(fusedColorMap_); }

void SliceView::setFusedColorMap(const QString& name)
{
    fusedColorMap_ = std::max(0, colorMapIndex(name));
    emit displayChanged();
    update();
}

void SliceView::setInvert(bool on)
{
    if (on == invert_)
        return;
    invert_ = on;
    emit displayChanged();
    update();
}

void SliceView::setFusionOpacity(double opacity)
{
    fusionOpacity_ = std::clamp(opacity, 0.0, 1.0);
    emit displayChanged();
    update();
}

void SliceView::setFusedLow(double value)
{
    fusedLow_ = value;
    fusedWindowSet_ = true;
    emit displayChanged();
    update();
}

void SliceView::setFusedHigh(double value)
{
    fusedHigh_ = value;
    fusedWindowSet_ = true;
    emit displayChanged();
    update();
}

std::shared_ptr<const imaging::Volume> SliceView::baseVolume() const
{
    return session_ ? session_->volume(seriesUid_) : nullptr;
}

std::shared_ptr<const imaging::Volume> SliceView::fusedVolume() const
{
    if (!session_ || fusedUid_.isEmpty() || !session_->fusionRefusal(seriesUid_, fusedUid_).isEmpty())
        return nullptr;
    return session_->volume(fusedUid_);
}

std::optional<model::Window> SliceView::baseWindow() const
{
    return session_ ? session_->window(seriesUid_) : std::nullopt;
}

double SliceView::windowWidth() const { return baseWindow() ? baseWindow()->width : 0; }
double SliceView::windowLevel() const { return baseWindow() ? baseWindow()->level : 0; }

bool SliceView::isPet() const { return session_ && session_->modality(seriesUid_) == QLatin1String("PT"); }
bool SliceView::baseInSuv() const { return isPet() && session_->suvFactor(seriesUid_).has_value(); }
bool SliceView::fusedInSuv() const { return session_ && session_->suvFactor(fusedUid_).has_value(); }

QString SliceView::unitText() const { return session_ ? session_->unitText(seriesUid_) : QString(); }

QString SliceView::fusedUnitText() const { return fusedVolume() ? session_->unitText(fusedUid_) : QString(); }

QString SliceView::windowText() const
{
    const auto w = baseWindow();
    if (!w)
        return {};
    if (isPet())
        return tr("%1 %2–%3")
            .arg(unitText())
            .arg(w->level - w->width / 2, 0, 'g', 3)
            .arg(w->level + w->width / 2, 0, 'g', 4);
    return tr("W %1 L %2").arg(w->width, 0, 'f', 0).arg(w->level, 0, 'f', 0);
}

QString SliceView::seriesText() const
{
    if (!session_)
        return {};
    QString text = QStringLiteral("%1 %2").arg(session_->modality(seriesUid_), session_->description(seriesUid_));
    if (!fusedUid_.isEmpty() && fusedVolume())
        text += tr(" + %1 %2").arg(session_->modality(fusedUid_), session_->description(fusedUid_));
    return text;
}

void SliceView::setWindow(double width, double level)
{
    if (!session_ || seriesUid_.isEmpty())
        return;
    session_->setWindow(seriesUid_, {std::max(isPet() ? 1e-3 : 1.0, width), level});
}

bool SliceView::applyPreset(const QString& name)
{
    if (isPet()) {
        for (const auto& [label, w] : model::suvWindowPresets())
            if (QString::fromStdString(label) == name) {
                if (!baseInSuv())
                    return false;  // never an SUV window on raw values
                setWindow(w.high - w.low, (w.high + w.low) / 2);
                return true;
            }
        return false;
    }
    if (const auto preset = model::ctWindowPreset(name.toStdString())) {
        setWindow(preset->window.width, preset->window.level);
        return true;
    }
    return false;
}

void SliceView::autoWindow()
{
    autoWindowPending_ = true;  // the worker reports the histogram of the next frame; frameArrived applies it
    requestFrame();
}

void SliceView::applyBulk(double low, double high)
{
    model::Window w{std::max(1.0, high - low), (low + high) / 2};
    if (isPet())  // PET from zero, in SUV when available
        w = model::windowFromZeroTo(high * session_->suvFactor(seriesUid_).value_or(1.0));
    setWindow(w.width, w.level);
}

// ---------------------------------------------------------------------------------------------------------------
// Slices, zoom, pan, crosshair

int SliceView::sliceIndex() const
{
    const ViewGeometry g = geometry();
    return g.valid ? g.range.indexOf(imaging::dot(g.plane.normal(), g.focus)) : 0;
}

int SliceView::sliceCount() const
{
    const ViewGeometry g = geometry();
    return g.valid ? g.range.count() : 0;
}

QString SliceView::sliceText() const
{
    const ViewGeometry g = geometry();
    if (!g.valid)
        return {};
    QString text = tr("%1 / %2").arg(sliceIndex() + 1).arg(sliceCount());
    text += tr(" · %1 mm").arg(imaging::dot(g.plane.normal(), g.focus), 0, 'f', 1);  // position along the normal
    if (slab_.mode != imaging::SlabMode::None && slab_.thicknessMm > 0)
        text += tr(" · %1 slab %2 mm").arg(slabMode().toUpper()).arg(slab_.thicknessMm, 0, 'f', 0);
    if (session_ && session_->isOblique())
        text += tr(" · oblique");
    return text;
}

void SliceView::setSliceIndex(int index)
{
    const ViewGeometry g = geometry();
    if (!g.valid)
        return;
    index = std::clamp(index, 0, g.range.count() - 1);
    const Vec3 n = g.plane.normal();
    const double depth = g.range.first + index * g.range.step;
    session_->setFocus(g.focus + n * (depth - imaging::dot(n, g.focus)));
}

void SliceView::scrollSlices(int delta) { setSliceIndex(sliceIndex() + delta); }

void SliceView::zoomBy(double factor, QPointF about)
{
    const ViewGeometry before = geometry();
    if (!before.valid)
        return;
    if (about.x() < 0)
        about = {width() / 2, height() / 2};
    const Vec3 fixed = before.toPatient(about);
    zoom_ = std::clamp(zoom_ * factor, 0.25, 40.0);
    const ViewGeometry after = geometry();
    const Vec3 drift = fixed - after.toPatient(about);  // keep the point under the cursor where it was
    panMm_ += QPointF(imaging::dot(drift, after.plane.right), imaging::dot(drift, after.plane.down));
    emit viewChanged();
    requestFrame();
}

void SliceView::panBy(QPointF pixels)
{
    const ViewGeometry g = geometry();
    if (!g.valid)
        return;
    panMm_ -= pixels * g.mmPerPixel;
    emit viewChanged();
    requestFrame();
}

void SliceView::resetView()
{
    zoom_ = 1;
    panMm_ = {};
    if (session_)
        session_->resetGeometry(seriesUid_);
    emit viewChanged();
    requestFrame();
}

void SliceView::moveCrosshairTo(QPointF itemPoint)
{
    const ViewGeometry g = geometry();
    if (g.valid)
        session_->setFocus(g.toPatient(itemPoint));
}

void SliceView::rotatePlanes(double degrees)
{
    if (session_)
        session_->rotateOthers(orientation_, degrees);
}

QVector3D SliceView::patientPoint(QPointF itemPoint) const
{
    const ViewGeometry g = geometry();
    if (!g.valid)
        return {};
    const Vec3 p = g.toPatient(itemPoint);
    return QVector3D(float(p[0]), float(p[1]), float(p[2]));
}

QPointF SliceView::itemPoint(QVector3D patient) const
{
    const ViewGeometry g = geometry();
    return g.valid ? g.toItem({patient.x(), patient.y(), patient.z()}) : QPointF();
}

QPointF SliceView::crosshair() const
{
    const ViewGeometry g = geometry();
    return g.valid ? g.toItem(g.focus) : QPointF(-1, -1);
}

QVariantList SliceView::crosshairLines() const
{
    // Where the other two planes cut this one, in their conventional colours (axial red, coronal green, sagittal
    // yellow, as in 3D Slicer).
    QVariantList lines;
    if (!session_)
        return lines;
    const Vec3 n = session_->plane(orientation_).normal();
    const imaging::ViewPlane here = session_->plane(orientation_);
    static const char* colours[] = {"#e85a5a", "#5ac85a", "#e8c84a"};
    for (int o = 0; o < 3; ++o) {
        if (o == int(orientation_))
            continue;
        const Vec3 along = imaging::cross(n, session_->plane(PlaneOrientation(o)).normal());
        if (imaging::norm(along) < 1e-6)
            continue;
        const double angle =
            std::atan2(imaging::dot(along, here.down), imaging::dot(along, here.right)) * 180.0 / std::numbers::pi;
        lines.append(QVariantMap{{"angle", angle}, {"color", QString::fromLatin1(colours[o])}});
    }
    return lines;
}

QStringList SliceView::letters() const
{
    if (!session_)
        return {};
    const imaging::ViewPlane p = session_->plane(orientation_);
    const auto l = [](const Vec3& d) { return QString::fromStdString(imaging::orientationLetters(d)); };
    return {l(p.right * -1), l(p.down * -1), l(p.right), l(p.down)};  // left, top, right, bottom
}

double SliceView::scaleBarPixels() const
{
    const ViewGeometry g = geometry();
    if (!g.valid)
        return 0;
    return niceLength(g.width * g.mmPerPixel / 5) / g.mmPerPixel;
}

QString SliceView::scaleBarLabel() const
{
    const ViewGeometry g = geometry();
    if (!g.valid)
        return {};
    const double mm = niceLength(g.width * g.mmPerPixel / 5);
    return mm >= 10 ? tr("%1 cm").arg(mm / 10) : tr("%1 mm").arg(mm);
}

QString SliceView::valueText(const QString& uid, double stored) const
{
    const auto v = session_->volume(uid);
    if (!v)
        return {};
    if (v->modality == "PT") {
        const QString raw =
            QStringLiteral("%1 %2").arg(stored, 0, 'f', stored < 100 ? 2 : 0).arg(session_->storedUnitText(uid));
        if (const auto f = session_->suvFactor(uid))
            return tr("SUVbw %1 (%2)").arg(stored * *f, 0, 'f', 2).arg(raw);
        return tr("%1 (no SUV)").arg(raw);
    }
    if (v->modality == "CT")
        return tr("%1 HU").arg(stored, 0, 'f', 0);
    return tr("value %1").arg(stored, 0, 'g', 5);
}

void SliceView::updateReadout(QPointF itemPoint)
{
    const ViewGeometry g = geometry();
    QString text;
    if (g.valid && boundingRect().contains(itemPoint)) {
        const Vec3 p = g.toPatient(itemPoint);
        text = tr("%1, %2, %3 mm").arg(p[0], 0, 'f', 1).arg(p[1], 0, 'f', 1).arg(p[2], 0, 'f', 1);
        if (const auto value = imaging::voxelValueAt(*baseVolume(), p))
            text += QStringLiteral(" · ") + valueText(seriesUid_, *value);
        if (const auto fused = fusedVolume())
            if (const auto value = imaging::voxelValueAt(*fused, p))
                text += QStringLiteral(" · PET ") + valueText(fusedUid_, *value);
    }
    if (text != readout_) {
        readout_ = text;
        emit readoutChanged();
    }
}

// ---------------------------------------------------------------------------------------------------------------
// State -> frames

void SliceView::setStatus(const QString& status, const QString& notice)
{
    if (status == status_ && notice == notice_)
        return;
    status_ = status;
    notice_ = notice;
    emit statusChanged();
}

void SliceView::refresh()
{
    QString status, notice;
    if (!session_ || seriesUid_.isEmpty()) {
        status = tr("Drop a series here");
    } else if (!session_->isLoaded(seriesUid_)) {
        const QString failure = session_->loadError(seriesUid_);
        status = failure.isEmpty() ? tr("Loading…") : failure;
        if (failure.isEmpty())
            session_->load(seriesUid_);
    }
    if (!fusedUid_.isEmpty() && session_) {
        const QString refusal = session_->fusionRefusal(seriesUid_, fusedUid_);
        if (!refusal.isEmpty())
            notice = refusal;
        else if (!session_->isLoaded(fusedUid_))
            session_->load(fusedUid_);
        else if (!fusedInSuv())
            notice = tr("PET in %1, not SUV: %2").arg(fusedUnitText(), session_->suvUnavailableReason(fusedUid_));
        if (refusal.isEmpty() && session_->isLoaded(fusedUid_) && !fusedWindowSet_) {
            const auto w = session_->window(fusedUid_);
            if (w) {
                fusedLow_ = std::max(0.0, w->level - w->width / 2);
                fusedHigh_ = w->level + w->width / 2;
            }
        }
    } else if (isPet() && session_->isLoaded(seriesUid_) && !baseInSuv()) {
        notice = tr("Shown in %1, not SUV: %2").arg(unitText(), session_->suvUnavailableReason(seriesUid_));
    }
    setStatus(status, notice);
    emit displayChanged();
    requestFrame();  // emits viewChanged
}

void SliceView::requestFrame()
{
    const ViewGeometry g = geometry();
    if (!g.valid) {
        update();
        return;
    }
    const auto base = baseVolume();
    FrameRequest r;
    r.generation = ++requested_;
    r.base = base;
    r.overlay = fusedVolume();
    const qreal dpr = window() ? window()->effectiveDevicePixelRatio() : 1.0;
    // A thick slab costs a sample per voxel across it: while the mouse is down it is sampled at half the screen
    // resolution (a quarter of the work) and refined on release.
    const double coarse = drag_ != Drag::None && slab_.mode != imaging::SlabMode::None ? 2.0 : 1.0;
    r.grid = imaging::viewGrid(g.plane, g.centre, g.mmPerPixel / dpr, int(std::ceil(g.width * dpr)),
                               int(std::ceil(g.height * dpr)), imaging::finestSpacing(*base) * coarse);
    r.slab = slab_;
    r.baseOutside = base->modality == "PT" ? 0.0f : float(base->minimum);
    r.wantBulk = std::exchange(autoWindowPending_, false);
    if (ready_) {
        ready_ = false;
        emit readyChanged();
    }
    sampling_->request(std::move(r));
    emit viewChanged();
}

void SliceView::frameArrived(std::uint64_t generation, const std::optional<std::pair<double, double>>& bulk)
{
    update();
    if (bulk)
        applyBulk(bulk->first, bulk->second);
    if (generation == requested_ && !ready_) {
        ready_ = true;
        emit readyChanged();
    }
}

void SliceView::geometryChange(const QRectF& newGeometry, const QRectF& oldGeometry)
{
    QQuickItem::geometryChange(newGeometry, oldGeometry);
    if (newGeometry.size() != oldGeometry.size())
        requestFrame();
}

QSGNode* SliceView::updatePaintNode(QSGNode* oldNode, UpdatePaintNodeData*)
{
    auto* node = static_cast<SliceNode*>(oldNode);
    const ViewGeometry g = geometry();
    if (!g.valid || !QOpenGLContext::currentContext()) {  // the float textures need Qt Quick on OpenGL
        delete node;
        return nullptr;
    }
    if (!node)
        node = new SliceNode;
    if (auto frame = sampling_->take(node->shownGeneration)) {
        node->material.base.upload(window(), frame->grid.width, frame->grid.height, frame->base.data());
        node->overlayShown = !frame->overlay.empty();
        if (node->overlayShown)
            node->material.overlay.upload(window(), frame->grid.width, frame->grid.height, frame->overlay.data());
        node->shownGeneration = frame->generation;
        node->shownGrid = frame->grid;
    }
    if (!node->material.base.texture()) {  // nothing sampled yet
        delete node;
        return nullptr;
    }
    // Place the frame where its grid lies in the current view: while a newer frame is being sampled, a pan or zoom
    // already moves the old one.
    const imaging::PlaneGrid& grid = node->shownGrid;
    const Vec3 halfX = grid.xStep * 0.5, halfY = grid.yStep * 0.5;
    const Vec3 topLeft = grid.origin - halfX - halfY;
    const Vec3 spanX = grid.xStep * grid.width, spanY = grid.yStep * grid.height;
    const QPointF corners[4] = {g.toItem(topLeft), g.toItem(topLeft + spanX), g.toItem(topLeft + spanY),
                                g.toItem(topLeft + spanX + spanY)};
    node->place(corners);

    // Window edges in stored units: CT by the DICOM linear function, PET bounds divided by the SUV factor.
    SliceUniforms& u = node->material.uniforms;
    if (const auto w = baseWindow()) {
        double low, high;
        if (isPet()) {
            const double f = session_->suvFactor(seriesUid_).value_or(1.0);
            low = (w->level - w->width / 2) / f;
            high = (w->level + w->width / 2) / f;
        } else {
            low = w->level - 0.5 - (w->width - 1) / 2;
            high = w->level - 0.5 + (w->width - 1) / 2;
        }
        u.baseWindow[0] = float(low);
        u.baseWindow[1] = float(high);
    }
    u.baseWindow[2] = invert_ ? 1.0f : 0.0f;
    u.baseWindow[3] = float(colorMapIndex(colorMap()));
    const double fusedFactor = session_->suvFactor(fusedUid_).value_or(1.0);
    u.overlayWindow[0] = float(fusedLow_ / fusedFactor);
    u.overlayWindow[1] = float(fusedHigh_ / fusedFactor);
    u.overlayWindow[2] = float(fusionOpacity_);
    u.overlayWindow[3] = float(fusedColorMap_);
    u.flags[0] = node->overlayShown && fusedVolume() ? 1.0f : 0.0f;
    node->markDirty(QSGNode::DirtyMaterial);
    return node;
}

// ---------------------------------------------------------------------------------------------------------------
// Mouse and keys, as the reading-room workstations do it

void SliceView::mousePressEvent(QMouseEvent* event)
{
    forceActiveFocus(Qt::MouseFocusReason);
    lastMouse_ = event->position();
    const bool shift = event->modifiers() & Qt::ShiftModifier;
    const bool ctrl = event->modifiers() & Qt::ControlModifier;
    if (event->button() == Qt::LeftButton && shift)
        drag_ = Drag::Rotate;
    else if (event->button() == Qt::LeftButton && ctrl)
        drag_ = Drag::Pan;
    else if (event->button() == Qt::LeftButton)
        drag_ = Drag::Crosshair;
    else if (event->button() == Qt::RightButton && ctrl)
        drag_ = Drag::Zoom;
    else if (event->button() == Qt::RightButton)
        drag_ = Drag::Window;
    else
        drag_ = Drag::Pan;
    if (drag_ == Drag::Crosshair)
        moveCrosshairTo(event->position());
    event->accept();
}

void SliceView::mouseMoveEvent(QMouseEvent* event)
{
    const QPointF p = event->position();
    const QPointF delta = p - lastMouse_;
    switch (drag_) {
        case Drag::Crosshair:
            moveCrosshairTo(p);
            break;
        case Drag::Pan:
            panBy(delta);
            break;
        case Drag::Zoom:
            zoomBy(std::pow(1.01, -delta.y()));
            break;
        case Drag::Window:
            if (const auto w = baseWindow()) {
                // Sensitivity follows the current width, so both a brain window and a bone window feel the same.
                const double scale = std::max(w->width, isPet() ? 0.1 : 10.0) / 200.0;
                if (isPet()) {  // PET: dragging up lowers the upper SUV bound (hotter), the lower bound stays 0
                    const double high = std::max(0.1, w->level + w->width / 2 + delta.y() * scale);
                    setWindow(high, high / 2);
                } else {
                    setWindow(w->width + delta.x() * scale * 2, w->level + delta.y() * scale);
                }
            }
            break;
        case Drag::Rotate: {
            const QPointF c = crosshair();
            const double before = std::atan2(lastMouse_.y() - c.y(), lastMouse_.x() - c.x());
            const double after = std::atan2(p.y() - c.y(), p.x() - c.x());
            double degrees = (after - before) * 180.0 / std::numbers::pi;
            if (degrees > 180)
                degrees -= 360;
            if (degrees < -180)
                degrees += 360;
            rotatePlanes(degrees);
            break;
        }
        case Drag::None:
            break;
    }
    lastMouse_ = p;
    updateReadout(p);
    event->accept();
}

void SliceView::mouseReleaseEvent(QMouseEvent* event)
{
    const bool coarse = drag_ != Drag::None && slab_.mode != imaging::SlabMode::None;
    drag_ = Drag::None;
    if (coarse)
        requestFrame();  // the full-quality slab
    event->accept();
}

void SliceView::hoverMoveEvent(QHoverEvent* event) { updateReadout(event->position()); }

void SliceView::wheelEvent(QWheelEvent* event)
{
    const double notches = event->angleDelta().y() / 120.0;
    if (event->modifiers() & Qt::ControlModifier)
        zoomBy(std::pow(1.15, notches), event->position());
    else
        scrollSlices(notches > 0 ? -1 : (notches < 0 ? 1 : 0));
    updateReadout(event->position());
    event->accept();
}

void SliceView::keyPressEvent(QKeyEvent* event)
{
    const int count = std::max(1, sliceCount());
    const int page = std::max(1, count / 10);
    switch (event->key()) {
        case Qt::Key_Up:
        case Qt::Key_Left:
            scrollSlices(-1);
            break;
        case Qt::Key_Down:
        case Qt::Key_Right:
            scrollSlices(1);
            break;
        case Qt::Key_PageUp:
            scrollSlices(-page);
            break;
        case Qt::Key_PageDown:
            scrollSlices(page);
            break;
        case Qt::Key_Home:
            setSliceIndex(0);
            break;
        case Qt::Key_End:
            setSliceIndex(count - 1);
            break;
        case Qt::Key_Plus:
        case Qt::Key_Equal:
            zoomBy(1.25);
            break;
        case Qt::Key_Minus:
            zoomBy(0.8);
            break;
        case Qt::Key_R:
            resetView();
            break;
        case Qt::Key_I:
            setInvert(!invert_);
            break;
        case Qt::Key_A:
            autoWindow();
            break;
        default: {
            const QString key = event->text();
            if (key.size() == 1 && key[0].isDigit()) {
                if (isPet()) {
                    const auto& presets = model::suvWindowPresets();
                    const int i = key[0].digitValue() - 1;
                    if (i >= 0 && i < int(presets.size()))
                        applyPreset(QString::fromStdString(presets[std::size_t(i)].first));
                } else {
                    for (const auto& p : model::ctWindowPresets())
                        if (p.key == key[0].toLatin1())
                            applyPreset(QString::fromStdString(p.name));
                }
                break;
            }
            QQuickItem::keyPressEvent(event);
            return;
        }
    }
    event->accept();
}

imaging::ViewPlane SliceView::viewPlane() const { return session_->plane(orientation_); }

}  // namespace consilium::app
