#pragma once
// One 2D MPR view (axial, coronal or sagittal, oblique when the session tilts it), drawn as one scene-graph quad
// whose fragment shader applies the window and colour map (shaders/slice.frag). The volume is sampled on a worker
// thread at screen resolution (never finer than the voxels), so the UI thread never waits for pixels, and a window
// change costs no resampling at all. Overlays (crosshair, letters, scale bar, text) are QML, fed by the properties.
#include <QtQml/qqmlregistration.h>

#include <QPointF>
#include <QPointer>
#include <QQuickItem>
#include <QStringList>
#include <QVariantList>
#include <memory>

#include "imaging/plane_sampler.h"
#include "reading_session.h"

namespace consilium::app {

class SliceSampling;  // the worker thread (slice_view.cpp)

class SliceView : public QQuickItem {
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(consilium::app::ReadingSession* session READ session WRITE setSession NOTIFY inputsChanged)
    Q_PROPERTY(QString seriesUid READ seriesUid WRITE setSeriesUid NOTIFY inputsChanged)
    Q_PROPERTY(QString fusedSeriesUid READ fusedSeriesUid WRITE setFusedSeriesUid NOTIFY inputsChanged)
    Q_PROPERTY(QString orientation READ orientation WRITE setOrientation NOTIFY inputsChanged)
    Q_PROPERTY(QString slabMode READ slabMode WRITE setSlabMode NOTIFY inputsChanged)
    Q_PROPERTY(double slabThickness READ slabThickness WRITE setSlabThickness NOTIFY inputsChanged)
    Q_PROPERTY(QString colorMap READ colorMap WRITE setColorMap NOTIFY displayChanged)
    Q_PROPERTY(QString fusedColorMap READ fusedColorMap WRITE setFusedColorMap NOTIFY displayChanged)
    Q_PROPERTY(bool invert READ invert WRITE setInvert NOTIFY displayChanged)
    Q_PROPERTY(double fusionOpacity READ fusionOpacity WRITE setFusionOpacity NOTIFY displayChanged)
    Q_PROPERTY(double fusedLow READ fusedLow WRITE setFusedLow NOTIFY displayChanged)
    Q_PROPERTY(double fusedHigh READ fusedHigh WRITE setFusedHigh NOTIFY displayChanged)
    Q_PROPERTY(double windowWidth READ windowWidth NOTIFY displayChanged)
    Q_PROPERTY(double windowLevel READ windowLevel NOTIFY displayChanged)
    Q_PROPERTY(QString windowText READ windowText NOTIFY displayChanged)
    Q_PROPERTY(QString unitText READ unitText NOTIFY displayChanged)
    Q_PROPERTY(QString fusedUnitText READ fusedUnitText NOTIFY displayChanged)
    Q_PROPERTY(bool fusedInSuv READ fusedInSuv NOTIFY displayChanged)
    Q_PROPERTY(bool baseInSuv READ baseInSuv NOTIFY displayChanged)
    Q_PROPERTY(bool isPet READ isPet NOTIFY displayChanged)
    Q_PROPERTY(QString status READ status NOTIFY statusChanged)
    Q_PROPERTY(QString notice READ notice NOTIFY statusChanged)
    Q_PROPERTY(bool ready READ ready NOTIFY readyChanged)
    Q_PROPERTY(QString seriesText READ seriesText NOTIFY statusChanged)
    Q_PROPERTY(QStringList letters READ letters NOTIFY viewChanged)
    Q_PROPERTY(double scaleBarPixels READ scaleBarPixels NOTIFY viewChanged)
    Q_PROPERTY(QString scaleBarLabel READ scaleBarLabel NOTIFY viewChanged)
    Q_PROPERTY(int sliceIndex READ sliceIndex WRITE setSliceIndex NOTIFY viewChanged)
    Q_PROPERTY(int sliceCount READ sliceCount NOTIFY viewChanged)
    Q_PROPERTY(QString sliceText READ sliceText NOTIFY viewChanged)
    Q_PROPERTY(QPointF crosshair READ crosshair NOTIFY viewChanged)
    Q_PROPERTY(QVariantList crosshairLines READ crosshairLines NOTIFY viewChanged)
    Q_PROPERTY(double zoom READ zoom NOTIFY viewChanged)
    Q_PROPERTY(QString readout READ readout NOTIFY readoutChanged)

public:
    explicit SliceView(QQuickItem* parent = nullptr);
    ~SliceView() override;

    ReadingSession* session() const { return session_; }
    void setSession(ReadingSession* session);
    QString seriesUid() const { return seriesUid_; }
    // The plane the view shows now (C++: measurements are drawn on it). Needs a session.
    imaging::ViewPlane viewPlane() const;
    void setSeriesUid(const QString& uid);
    QString fusedSeriesUid() const { return fusedUid_; }
    void setFusedSeriesUid(const QString& uid);
    QString orientation() const;
    void setOrientation(const QString& name);
    QString slabMode() const;
    void setSlabMode(const QString& mode);
    double slabThickness() const { return slab_.thicknessMm; }
    void setSlabThickness(double mm);
    QString colorMap() const;
    void setColorMap(const QString& name);
    QString fusedColorMap() const;
    void setFusedColorMap(const QString& name);
    bool invert() const { return invert_; }
    void setInvert(bool on);
    double fusionOpacity() const { return fusionOpacity_; }
    void setFusionOpacity(double opacity);
    double fusedLow() const { return fusedLow_; }
    void setFusedLow(double value);
    double fusedHigh() const { return fusedHigh_; }
    void setFusedHigh(double value);
    double windowWidth() const;
    double windowLevel() const;
    QString windowText() const;
    QString unitText() const;
    QString fusedUnitText() const;
    bool fusedInSuv() const;
    bool baseInSuv() const;
    bool isPet() const;
    QString status() const { return status_; }
    QString notice() const { return notice_; }
    bool ready() const { return ready_; }
    QString seriesText() const;
    QStringList letters() const;
    double scaleBarPixels() const;
    QString scaleBarLabel() const;
    int sliceIndex() const;
    void setSliceIndex(int index);
    int sliceCount() const;
    QString sliceText() const;
    QPointF crosshair() const;
    QVariantList crosshairLines() const;
    double zoom() const { return zoom_; }
    QString readout() const { return readout_; }

    // Window in the display unit (HU, SUV when available, else the stored unit); shared by every view of the series.
    Q_INVOKABLE void setWindow(double width, double level);
    Q_INVOKABLE bool applyPreset(const QString& name);  // a CT preset name, or "SUV 0–5" / "SUV 0–10" for PET
    Q_INVOKABLE void autoWindow();                      // from the histogram of what the view shows
    Q_INVOKABLE void scrollSlices(int delta);
    Q_INVOKABLE void zoomBy(double factor, QPointF about = QPointF(-1, -1));
    Q_INVOKABLE void panBy(QPointF pixels);
    Q_INVOKABLE void resetView();  // zoom to fit, no pan, crosshair and planes reset
    Q_INVOKABLE void moveCrosshairTo(QPointF itemPoint);
    Q_INVOKABLE void rotatePlanes(double degrees);                // tilts the other views about this one's normal
    Q_INVOKABLE QVector3D patientPoint(QPointF itemPoint) const;  // LPS mm under an item point
    Q_INVOKABLE QPointF itemPoint(QVector3D patient) const;       // where an LPS point shows (on the plane)
    Q_INVOKABLE void updateReadout(QPointF itemPoint);

signals:
    void inputsChanged();
    void displayChanged();
    void statusChanged();
    void readyChanged();
    void viewChanged();
    void readoutChanged();

protected:
    QSGNode* updatePaintNode(QSGNode* node, UpdatePaintNodeData*) override;
    void geometryChange(const QRectF& newGeometry, const QRectF& oldGeometry) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void hoverMoveEvent(QHoverEvent* event) override;
    void wheelEvent(QWheelEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;

private:
    struct ViewGeometry;
    ViewGeometry geometry() const;
    std::shared_ptr<const imaging::Volume> baseVolume() const;
    std::shared_ptr<const imaging::Volume> fusedVolume() const;
    std::optional<model::Window> baseWindow() const;
    void refresh();  // inputs changed or a volume arrived: new status, then a new frame
    void requestFrame();
    void frameArrived(std::uint64_t generation, const std::optional<std::pair<double, double>>& bulk);
    void applyBulk(double low, double high);  // auto window from a frame's 1st/99th percentile (stored units)
    void setStatus(const QString& status, const QString& notice);
    QString valueText(const QString& uid, double stored) const;

    QPointer<ReadingSession> session_;
    QString seriesUid_;
    QString fusedUid_;
    imaging::PlaneOrientation orientation_ = imaging::PlaneOrientation::Axial;
    imaging::Slab slab_;
    int colorMap_ = -1;  // -1: by modality (grey for CT/MR, inverted grey for PET alone)
    int fusedColorMap_ = 2;
    bool invert_ = false;
    double fusionOpacity_ = 0.5;
    double fusedLow_ = 0;
    double fusedHigh_ = 5;
    bool fusedWindowSet_ = false;
    double zoom_ = 1;  // relative to fit
    QPointF panMm_;    // along the plane's right/down axes, from the volume's centre
    QString status_;
    QString notice_;
    bool ready_ = false;
    QString readout_;
    std::uint64_t requested_ = 0;
    bool autoWindowPending_ = false;

    enum class Drag { None, Crosshair, Window, Pan, Rotate, Zoom };
    Drag drag_ = Drag::None;
    QPointF lastMouse_;

    std::unique_ptr<SliceSampling> sampling_;
};

}  // namespace consilium::app
