#pragma once
// One radiologist's reading of a case's imaging: the series on offer, the volumes loaded (off the UI thread, shared
// by every view), the linked MPR geometry (crosshair point and the obliquity of each plane), the window of each
// series, PET SUV, and the default hanging of the views. QML: `ReadingSession { caseReference: … }`.
#include <QtQml/qqmlregistration.h>

#include <QObject>
#include <QString>
#include <QThreadPool>
#include <QTimer>
#include <QVariantList>
#include <QVariantMap>
#include <QVector3D>
#include <atomic>
#include <map>
#include <memory>
#include <optional>

#include "imaging/view_plane.h"
#include "imaging/volume.h"
#include "model/suv.h"
#include "model/window_level.h"

namespace consilium::app {

class ReadingSession : public QObject {
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(QString caseReference READ caseReference WRITE setCaseReference NOTIFY seriesChanged)
    Q_PROPERTY(QString patientText READ patientText NOTIFY seriesChanged)
    Q_PROPERTY(QVariantList series READ series NOTIFY seriesChanged)
    Q_PROPERTY(QVariantMap hanging READ hanging NOTIFY seriesChanged)
    Q_PROPERTY(QString error READ error NOTIFY seriesChanged)
    Q_PROPERTY(bool loading READ loading NOTIFY loadStateChanged)
    Q_PROPERTY(double loadingProgress READ loadingProgress NOTIFY loadProgressChanged)
    Q_PROPERTY(QString loadingText READ loadingText NOTIFY loadStateChanged)
    Q_PROPERTY(QVector3D focus READ focusVector NOTIFY geometryChanged)

public:
    explicit ReadingSession(QObject* parent = nullptr);
    ~ReadingSession() override;

    QString caseReference() const { return caseReference_; }
    void setCaseReference(const QString& reference);
    QString patientText() const { return patientText_; }
    QVariantList series() const;
    QVariantMap hanging() const;
    QString error() const { return error_; }
    bool loading() const;
    double loadingProgress() const;
    QString loadingText() const;
    QVector3D focusVector() const;

    // A series from files or folders outside any case (`consilium snapshot`, tests): the series of the first
    // readable DICOM image among them. Returns its UID, or an empty string with error() set.
    Q_INVOKABLE QString addSeriesFromFiles(const QStringList& paths);
    // Starts loading the series' volume unless it is loaded or loading; volumeReady or loadFailed follows.
    Q_INVOKABLE void load(const QString& seriesUid);
    Q_INVOKABLE void cancelLoading();
    Q_INVOKABLE QVariantList seriesWithModality(const QString& modality) const;
    Q_INVOKABLE bool isLoaded(const QString& seriesUid) const;
    Q_INVOKABLE QString loadError(const QString& seriesUid) const;
    Q_INVOKABLE QString modality(const QString& seriesUid) const;
    Q_INVOKABLE QString description(const QString& seriesUid) const;
    // What the series' values are shown in: "HU", "SUVbw" for PET with SUV, else the stored unit ("Bq/mL", …).
    Q_INVOKABLE QString unitText(const QString& seriesUid) const;
    Q_INVOKABLE QString storedUnitText(const QString& seriesUid) const;  // never SUV: what the voxels hold
    // Empty when the PET can be fused over the CT; otherwise why not (different frame of reference, …).
    Q_INVOKABLE QString fusionRefusal(const QString& baseUid, const QString& overlayUid) const;
    // Crosshair back to the middle of the volume, planes back to axial/coronal/sagittal.
    Q_INVOKABLE void resetGeometry(const QString& seriesUid);

    // --- for the views (C++) ---
    std::int64_t caseId() const { return caseId_; }  // 0 outside a case (`consilium snapshot`)
    std::shared_ptr<const imaging::Volume> volume(const QString& seriesUid) const;
    // Bq/mL (or the PET's unit) -> SUVbw, when SUV is available for the series; else why not.
    std::optional<double> suvFactor(const QString& seriesUid) const;
    QString suvUnavailableReason(const QString& seriesUid) const;
    imaging::Vec3 focus() const { return focus_; }
    void setFocus(const imaging::Vec3& point);
    imaging::ViewPlane plane(imaging::PlaneOrientation orientation) const;
    // Tilts the other two planes about this view's normal (clinical oblique MPR: the view itself stays put).
    void rotateOthers(imaging::PlaneOrientation about, double degrees);
    bool isOblique() const;
    std::optional<model::Window> window(const QString& seriesUid) const;
    void setWindow(const QString& seriesUid, const model::Window& window);

signals:
    void seriesChanged();
    void loadStateChanged();
    void loadProgressChanged();  // while loading, a few times a second
    void volumeReady(const QString& seriesUid);
    void loadFailed(const QString& seriesUid, const QString& message);
    void geometryChanged();
    void windowChanged(const QString& seriesUid);

public:
    struct Series;  // public so that the .cpp's helpers can build one; its definition stays in the .cpp

private:
    void add(std::unique_ptr<Series> series);
    void reload();
    struct Loaded;
    void finishLoad(const QString& uid, Loaded loaded);
    Series* find(const QString& uid);
    const Series* find(const QString& uid) const;

    QString caseReference_;
    std::int64_t caseId_ = 0;
    QString patientText_;
    QString error_;
    std::map<QString, std::unique_ptr<Series>> series_;
    std::vector<QString> order_;  // browser order: by study, then series number
    imaging::Vec3 focus_{0, 0, 0};
    bool focusSet_ = false;
    std::array<imaging::Rotation, 3> rotations_{imaging::kNoRotation, imaging::kNoRotation, imaging::kNoRotation};
    std::map<QString, model::Window> windows_;
    QThreadPool pool_;
    QTimer progressTick_;  // loads report progress through atomics; this turns them into loadProgressChanged
};

}  // namespace consilium::app
