// VTK headers first: they bring GLEW, which must precede Qt's OpenGL headers.
#include <vtkCamera.h>
#include <vtkColorTransferFunction.h>
#include <vtkFixedPointVolumeRayCastMapper.h>
#include <vtkGPUVolumeRayCastMapper.h>
#include <vtkGenericOpenGLRenderWindow.h>
#include <vtkImageData.h>
#include <vtkMatrix4x4.h>
#include <vtkNew.h>
#include <vtkOpenGLState.h>
#include <vtkPiecewiseFunction.h>
#include <vtkRenderer.h>
#include <vtkSmartPointer.h>
#include <vtkVolume.h>
#include <vtkVolumeProperty.h>

#include "volume_view.h"

#include "imaging/plane_sampler.h"

#include <QMouseEvent>
#include <QOpenGLContext>
#include <QOpenGLFunctions>
#include <QQuickOpenGLUtils>
#include <QQuickWindow>
#include <algorithm>
#include <cmath>
#include <cstring>

namespace consilium::app {

namespace {

struct VrPreset {
    const char* name;
    // (HU, r, g, b, opacity) control points
    std::vector<std::array<double, 5>> points;
};

const std::vector<VrPreset>& vrPresets()
{
    static const std::vector<VrPreset> presets{
        {"Soft tissue",
         {{-1000, 0, 0, 0, 0},
          {-200, 0.55, 0.25, 0.15, 0},
          {-50, 0.8, 0.45, 0.35, 0.12},
          {150, 0.95, 0.75, 0.6, 0.25},
          {400, 1, 0.95, 0.85, 0.6},
          {3000, 1, 1, 1, 0.8}}},
        {"Bone",
         {{-1000, 0, 0, 0, 0},
          {140, 0.6, 0.45, 0.3, 0},
          {250, 0.95, 0.85, 0.7, 0.35},
          {800, 1, 0.98, 0.92, 0.75},
          {3000, 1, 1, 1, 0.9}}},
        {"Lung",
         {{-1000, 0, 0, 0, 0},
          {-900, 0.55, 0.65, 0.8, 0.0},
          {-700, 0.75, 0.8, 0.95, 0.08},
          {-400, 0.9, 0.7, 0.6, 0.0},
          {200, 1, 0.9, 0.8, 0.0},
          {400, 1, 1, 1, 0.5},
          {3000, 1, 1, 1, 0.7}}},
    };
    return presets;
}

// Everything VTK, owned by the render thread.
class VolumeRenderer : public QQuickFramebufferObject::Renderer {
public:
    VolumeRenderer()
    {
        window_->SetMultiSamples(0);
        window_->SetReadyForRendering(true);
        window_->SetSupportsOpenGL(true);
        window_->SetIsCurrent(true);
        window_->SetFrameBlitModeToBlitToCurrent();
        window_->AddRenderer(renderer_);
        renderer_->AddVolume(volume_);
        volume_->SetProperty(property_);
        gpu_->SetAutoAdjustSampleDistances(false);
        cpu_->SetAutoAdjustSampleDistances(0);
        property_->SetInterpolationTypeToLinear();
        property_->SetColor(colour_);
        property_->SetScalarOpacity(opacity_);
    }

    void synchronize(QQuickFramebufferObject* item) override
    {
        auto* view = static_cast<VolumeView*>(item);
        const auto volume = view->volume();
        if (volume != source_) {
            source_ = volume;
            if (source_) {
                local_ = imaging::voxelFrameImage(*source_);
                gpu_->SetInputData(local_);
                cpu_->SetInputData(local_);
                // Voxel frame -> patient (LPS): the direction matrix (shear included) and the origin.
                vtkNew<vtkMatrix4x4> m;
                for (int r = 0; r < 3; ++r) {
                    for (int c = 0; c < 3; ++c)
                        m->SetElement(r, c, source_->direction[std::size_t(r * 3 + c)]);
                    m->SetElement(r, 3, source_->origin[std::size_t(r)]);
                }
                volume_->SetUserMatrix(m);
            }
        }
        mip_ = view->mode() == QLatin1String("mip");
        preset_ = view->preset();
        range_ = view->mipRange();
        azimuth_ = view->azimuth();
        elevation_ = view->elevation();
        zoom_ = view->zoom();
        interacting_ = view->interacting();
        size_ = (item->size() * item->window()->effectiveDevicePixelRatio()).toSize();
    }

    void render() override
    {
        if (!initialised_) {
            window_->InitializeFromCurrentContext();
            const auto* renderer =
                reinterpret_cast<const char*>(QOpenGLContext::currentContext()->functions()->glGetString(GL_RENDERER));
            softwareGl_ = renderer && (std::strstr(renderer, "llvmpipe") || std::strstr(renderer, "softpipe") ||
                                       std::strstr(renderer, "SWR"));
            volume_->SetMapper(mapper());
            initialised_ = true;
        }
        window_->SetSize(std::max(1, size_.width()), std::max(1, size_.height()));
        applyLook();
        window_->GetState()->Reset();
        window_->GetState()->Push();
        window_->Render();
        window_->GetState()->Pop();
        QQuickOpenGLUtils::resetOpenGLState();
    }

private:
    void applyLook()
    {
        volume_->SetVisibility(source_ != nullptr);
        if (!source_) {
            renderer_->SetBackground(0.05, 0.06, 0.08);
            return;
        }
        colour_->RemoveAllPoints();
        opacity_->RemoveAllPoints();
        if (mip_) {
            // PET MIP in inverted grey on white, as nuclear medicine reads it: hot is black.
            mapper()->SetBlendModeToMaximumIntensity();
            renderer_->SetBackground(1, 1, 1);
            const auto [low, high] = range_;
            colour_->AddRGBPoint(low, 1, 1, 1);
            colour_->AddRGBPoint(high, 0, 0, 0);
            opacity_->AddPoint(low, 0);
            opacity_->AddPoint(high, 1);
            property_->ShadeOff();
        } else {
            mapper()->SetBlendModeToComposite();
            renderer_->SetBackground(0.05, 0.06, 0.08);
            const auto& presets = vrPresets();
            auto it = std::find_if(presets.begin(), presets.end(),
                                   [&](const VrPreset& p) { return preset_ == QLatin1String(p.name); });
            const VrPreset& preset = it == presets.end() ? presets.front() : *it;
            for (const auto& p : preset.points) {
                colour_->AddRGBPoint(p[0], p[1], p[2], p[3]);
                opacity_->AddPoint(p[0], p[4]);
            }
            property_->ShadeOn();
            property_->SetAmbient(0.3);
            property_->SetDiffuse(0.7);
            property_->SetSpecular(0.2);
        }
        // Coarser while the user drags; full resolution once the mouse is released.
        const double finest = std::min({source_->spacing[0], source_->spacing[1], source_->spacing[2]});
        const float imageStep = interacting_ ? 2.5f : 1.0f, rayStep = float(finest * (interacting_ ? 1.5 : 0.7));
        gpu_->SetImageSampleDistance(imageStep);
        gpu_->SetSampleDistance(rayStep);
        cpu_->SetImageSampleDistance(imageStep);
        cpu_->SetSampleDistance(rayStep);
        placeCamera();
    }

    void placeCamera()
    {
        vtkCamera* camera = renderer_->GetActiveCamera();
        const Vec3 centre = imaging::volumeCentre(*source_);
        // Anterior view (patient's left on the screen's right, head up), turned about the patient's long axis.
        const double a = azimuth_ * M_PI / 180.0, e = elevation_ * M_PI / 180.0;
        const imaging::Vec3 toCamera{-std::sin(a) * std::cos(e), -std::cos(a) * std::cos(e), std::sin(e)};
        const double extent = std::max({source_->columns * source_->spacing[0], source_->rows * source_->spacing[1],
                                        source_->slices * source_->spacing[2]});
        const double distance = extent * 3;
        camera->SetFocalPoint(centre[0], centre[1], centre[2]);
        camera->SetPosition(centre[0] + toCamera[0] * distance, centre[1] + toCamera[1] * distance,
                            centre[2] + toCamera[2] * distance);
        camera->SetViewUp(0, 0, 1);
        camera->SetParallelProjection(true);
        camera->SetParallelScale(extent * 0.55 / zoom_);
        renderer_->ResetCameraClippingRange();
    }

    using Vec3 = imaging::Vec3;
    vtkNew<vtkGenericOpenGLRenderWindow> window_;
    vtkNew<vtkRenderer> renderer_;
    vtkNew<vtkVolume> volume_;
    // Which ray caster: on a software OpenGL (Mesa llvmpipe, as on this project's machines and under Xvfb) VTK's
    // CPU ray caster is 1.6-3.3x faster than the GPU one emulated on the CPU (build/bench/bench_mip,
    // docs/performance.md); on a real GPU the GPU ray caster wins. Decided once, from GL_RENDERER.
    vtkVolumeMapper* mapper() { return softwareGl_ ? static_cast<vtkVolumeMapper*>(cpu_) : gpu_; }
    vtkNew<vtkGPUVolumeRayCastMapper> gpu_;
    vtkNew<vtkFixedPointVolumeRayCastMapper> cpu_;
    bool softwareGl_ = false;
    vtkNew<vtkVolumeProperty> property_;
    vtkNew<vtkColorTransferFunction> colour_;
    vtkNew<vtkPiecewiseFunction> opacity_;
    vtkSmartPointer<vtkImageData> local_;
    std::shared_ptr<const imaging::Volume> source_;
    bool initialised_ = false;
    bool mip_ = true;
    QString preset_;
    std::pair<double, double> range_{0, 1};
    double azimuth_ = 0;
    double elevation_ = 0;
    double zoom_ = 1;
    bool interacting_ = false;
    QSize size_;
};

}  // namespace

VolumeView::VolumeView(QQuickItem* parent) : QQuickFramebufferObject(parent)
{
    setMirrorVertically(true);
    setAcceptedMouseButtons(Qt::LeftButton | Qt::RightButton);
    rotation_.setInterval(50);  // 20 frames a second, 4° each: a full turn in 4.5 s
    connect(&rotation_, &QTimer::timeout, this, [this] {
        if (isVisible() && volume())  // a hidden or empty view does not turn (nor render)
            setAzimuth(azimuth_ + 4);
    });
}

QQuickFramebufferObject::Renderer* VolumeView::createRenderer() const { return new VolumeRenderer; }

void VolumeView::setSession(ReadingSession* session)
{
    if (session == session_)
        return;
    if (session_)
        session_->disconnect(this);
    session_ = session;
    if (session_) {
        const auto loadEnded = [this](const QString& uid) {
            if (uid == seriesUid_)
                refresh();
        };
        connect(session_, &ReadingSession::volumeReady, this, loadEnded);
        connect(session_, &ReadingSession::loadFailed, this, loadEnded);
        connect(session_, &ReadingSession::windowChanged, this, [this](const QString& uid) {
            if (uid == seriesUid_) {
                emit statusChanged();
                update();
            }
        });
    }
    emit inputsChanged();
    refresh();
}

void VolumeView::setSeriesUid(const QString& uid)
{
    if (uid == seriesUid_)
        return;
    seriesUid_ = uid;
    emit inputsChanged();
    refresh();
}

void VolumeView::setMode(const QString& mode)
{
    if (mode == mode_)
        return;
    mode_ = mode;
    emit inputsChanged();
    update();
}

void VolumeView::setPreset(const QString& preset)
{
    if (preset == preset_)
        return;
    preset_ = preset;
    emit inputsChanged();
    update();
}

QStringList VolumeView::presets() const
{
    QStringList names;
    for (const auto& p : vrPresets())
        names << QString::fromLatin1(p.name);
    return names;
}

void VolumeView::setRotating(bool on)
{
    if (on == rotation_.isActive())
        return;
    on ? rotation_.start() : rotation_.stop();
    emit rotatingChanged();
}

void VolumeView::setAzimuth(double degrees)
{
    azimuth_ = std::fmod(degrees, 360.0);
    emit viewChanged();
    update();
}

void VolumeView::setElevation(double degrees)
{
    elevation_ = std::clamp(degrees, -89.0, 89.0);
    emit viewChanged();
    update();
}

QString VolumeView::windowText() const
{
    if (mode_ != QLatin1String("mip") || !session_)
        return preset_.isEmpty() ? presets().front() : preset_;
    const auto w = session_->window(seriesUid_);
    if (!w)
        return {};
    return tr("MIP %1 0–%2").arg(session_->unitText(seriesUid_)).arg(w->level + w->width / 2, 0, 'g', 3);
}

std::shared_ptr<const imaging::Volume> VolumeView::volume() const
{
    return session_ ? session_->volume(seriesUid_) : nullptr;
}

std::pair<double, double> VolumeView::mipRange() const
{
    if (!session_)
        return {0, 1};
    const auto w = session_->window(seriesUid_);
    if (!w)
        return {0, 1};
    const double f = session_->suvFactor(seriesUid_).value_or(1.0);
    const double high = (w->level + w->width / 2) / f;
    return {std::max(0.0, (w->level - w->width / 2) / f), std::max(high, 1e-6)};
}

void VolumeView::refresh()
{
    QString status;
    if (!session_ || seriesUid_.isEmpty())
        status = tr("Drop a series here");
    else if (!session_->isLoaded(seriesUid_)) {
        status = session_->loadError(seriesUid_);
        if (status.isEmpty()) {
            status = tr("Loading…");
            session_->load(seriesUid_);
        }
    }
    status_ = status;
    emit statusChanged();
    update();
}

void VolumeView::mousePressEvent(QMouseEvent* event)
{
    lastMouse_ = event->position();
    setRotating(false);
    interacting_ = true;
    emit viewChanged();
    event->accept();
}

void VolumeView::mouseMoveEvent(QMouseEvent* event)
{
    const QPointF d = event->position() - lastMouse_;
    lastMouse_ = event->position();
    if (event->buttons() & Qt::RightButton) {
        zoom_ = std::clamp(zoom_ * std::pow(1.01, -d.y()), 0.3, 10.0);
        update();
    } else {
        elevation_ = std::clamp(elevation_ + d.y() * 0.5, -89.0, 89.0);
        setAzimuth(azimuth_ - d.x() * 0.5);
    }
    event->accept();
}

void VolumeView::mouseReleaseEvent(QMouseEvent* event)
{
    interacting_ = false;
    emit viewChanged();
    update();  // the full-resolution frame
    event->accept();
}

void VolumeView::wheelEvent(QWheelEvent* event)
{
    zoom_ = std::clamp(zoom_ * std::pow(1.15, event->angleDelta().y() / 120.0), 0.3, 10.0);
    update();
    event->accept();
}

}  // namespace consilium::app
