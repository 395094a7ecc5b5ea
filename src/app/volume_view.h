#pragma once
// The 3D view: a PET maximum-intensity projection that rotates like the clinical viewers, or volume rendering of
// CT/MR with a few presets, by VTK (vtkGPUVolumeRayCastMapper) on Qt's own OpenGL context through
// vtkGenericOpenGLRenderWindow (docs/architecture.md, "VTK inside QML"). Dragging renders at a lower resolution
// and the view refines when the mouse is released.
#include <QtQml/qqmlregistration.h>

#include <QPointer>
#include <QQuickFramebufferObject>
#include <QTimer>
#include <memory>

#include "reading_session.h"

namespace consilium::app {

class VolumeView : public QQuickFramebufferObject {
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(consilium::app::ReadingSession* session READ session WRITE setSession NOTIFY inputsChanged)
    Q_PROPERTY(QString seriesUid READ seriesUid WRITE setSeriesUid NOTIFY inputsChanged)
    Q_PROPERTY(QString mode READ mode WRITE setMode NOTIFY inputsChanged)        // "mip" or "vr"
    Q_PROPERTY(QString preset READ preset WRITE setPreset NOTIFY inputsChanged)  // a name from `presets`
    Q_PROPERTY(QStringList presets READ presets CONSTANT)
    Q_PROPERTY(bool rotating READ rotating WRITE setRotating NOTIFY rotatingChanged)
    Q_PROPERTY(double azimuth READ azimuth WRITE setAzimuth NOTIFY viewChanged)
    Q_PROPERTY(double elevation READ elevation WRITE setElevation NOTIFY viewChanged)
    Q_PROPERTY(bool interacting READ interacting NOTIFY viewChanged)
    Q_PROPERTY(QString status READ status NOTIFY statusChanged)
    Q_PROPERTY(QString windowText READ windowText NOTIFY statusChanged)
    Q_PROPERTY(bool ready READ ready NOTIFY statusChanged)

public:
    explicit VolumeView(QQuickItem* parent = nullptr);

    Renderer* createRenderer() const override;

    ReadingSession* session() const { return session_; }
    void setSession(ReadingSession* session);
    QString seriesUid() const { return seriesUid_; }
    void setSeriesUid(const QString& uid);
    QString mode() const { return mode_; }
    void setMode(const QString& mode);
    QString preset() const { return preset_; }
    void setPreset(const QString& preset);
    QStringList presets() const;
    bool rotating() const { return rotation_.isActive(); }
    void setRotating(bool on);
    double azimuth() const { return azimuth_; }
    void setAzimuth(double degrees);
    double elevation() const { return elevation_; }
    void setElevation(double degrees);
    bool interacting() const { return interacting_; }
    QString status() const { return status_; }
    QString windowText() const;
    bool ready() const { return status_.isEmpty() && volume() != nullptr; }

    // What the renderer copies in synchronize().
    std::shared_ptr<const imaging::Volume> volume() const;
    // The transfer-function range in stored units (MIP: the series' window, SUV converted back to Bq/mL).
    std::pair<double, double> mipRange() const;
    double zoom() const { return zoom_; }

signals:
    void inputsChanged();
    void rotatingChanged();
    void viewChanged();
    void statusChanged();

protected:
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void wheelEvent(QWheelEvent* event) override;

private:
    void refresh();

    QPointer<ReadingSession> session_;
    QString seriesUid_;
    QString mode_ = QStringLiteral("mip");
    QString preset_;
    double azimuth_ = 0;
    double elevation_ = 0;
    double zoom_ = 1;
    bool interacting_ = false;
    QString status_;
    QPointF lastMouse_;
    QTimer rotation_;
};

}  // namespace consilium::app
