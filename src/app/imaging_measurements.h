#pragma once
// The radiologist's measurements of a case, for the slice views and the lesion panel: the tool in hand, what lies on
// each view's plane (in the view's item coordinates, to draw), adding a measurement from the points drawn (stored at
// once in patient coordinates, LPS mm, with the plane, series and nearest source image), ROI statistics (HU, or
// SUVbw with SUVmax and SUVpeak), lesions and their RECIST 1.1 evaluation, undo/redo, and the SR and CSV exports.
#include <QtQml/qqmlregistration.h>

#include <QObject>
#include <QPointer>
#include <QUrl>
#include <QVariantList>
#include <QVariantMap>
#include <map>
#include <optional>
#include <vector>

#include "model/measurement.h"
#include "model/recist.h"
#include "reading_session.h"
#include "slice_view.h"

namespace consilium::app {

class ImagingMeasurements : public QObject {
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(consilium::app::ReadingSession* session READ session WRITE setSession NOTIFY changed)
    // "" (none: the mouse drives the view), "line", "bidirectional", "ellipse", "polygon", "angle", "arrow".
    Q_PROPERTY(QString tool READ tool WRITE setTool NOTIFY toolChanged)
    Q_PROPERTY(QVariantList measurements READ measurements NOTIFY changed)
    Q_PROPERTY(QVariantList lesions READ lesions NOTIFY changed)
    Q_PROPERTY(QVariantMap recist READ recist NOTIFY changed)
    Q_PROPERTY(int selectedId READ selectedId WRITE select NOTIFY changed)
    Q_PROPERTY(bool canUndo READ canUndo NOTIFY changed)
    Q_PROPERTY(bool canRedo READ canRedo NOTIFY changed)
    Q_PROPERTY(QString error READ error NOTIFY changed)

public:
    explicit ImagingMeasurements(QObject* parent = nullptr);

    ReadingSession* session() const { return session_; }
    void setSession(ReadingSession* session);
    QString tool() const { return tool_; }
    void setTool(const QString& tool);
    QVariantList measurements() const;
    QVariantList lesions() const;
    QVariantMap recist() const;
    int selectedId() const { return selectedId_; }
    void select(int id);
    bool canUndo() const { return !undo_.empty(); }
    bool canRedo() const { return !redo_.empty(); }
    QString error() const { return error_; }

    // What the view shows of the measurements on its plane: [{id, kind, points: [{x, y}], closed, text, textX,
    // textY, selected}], item coordinates.
    Q_INVOKABLE QVariantList shapesOn(consilium::app::SliceView* view) const;
    // A measurement of the current tool from points drawn in `view` (item coordinates); returns its id or 0 (error()
    // says why). Bidirectional: the long axis ends, then two points across it (the short axis is made exactly
    // perpendicular, through the long axis). Ellipse: two opposite corners of its box.
    Q_INVOKABLE int add(consilium::app::SliceView* view, const QVariantList& itemPoints, const QString& label = {});
    // Moves handle `index` (a point of the selected measurement, as shapesOn lists them) to `itemPoint` in `view`:
    // on the measurement's own plane; a bidirectional keeps its axes perpendicular. Stored, with undo.
    Q_INVOKABLE bool moveHandle(consilium::app::SliceView* view, int index, QPointF itemPoint);
    Q_INVOKABLE void removeSelected();
    Q_INVOKABLE void undo();
    Q_INVOKABLE void redo();
    Q_INVOKABLE int addLesion(const QString& name, const QString& location, const QString& category, bool nodal);
    Q_INVOKABLE QString updateLesion(int lesionId, const QString& name, const QString& location,
                                     const QString& category, bool nodal);
    Q_INVOKABLE QString removeLesion(int lesionId);
    Q_INVOKABLE QString assignSelected(int lesionId);    // 0: no lesion
    Q_INVOKABLE QString exportReport(const QUrl& file);  // DICOM SR (TID 1500)
    Q_INVOKABLE QString exportCsv(const QUrl& file);
    Q_INVOKABLE void reload();

signals:
    void changed();
    void toolChanged();

private:
    struct Step {
        std::optional<model::Measurement> before, after;
    };
    void apply(Step& step, bool forward);
    void record(Step step);
    void fail(const QString& message);
    QString valuesText(const model::Measurement& m) const;
    std::optional<model::Measurement> find(std::int64_t id) const;

    QPointer<ReadingSession> session_;
    QString tool_;
    std::vector<model::Measurement> all_;
    std::vector<model::Lesion> lesions_;
    std::optional<model::RecistEvaluation> recist_;
    mutable std::map<std::int64_t, QString> statistics_;  // ROI statistics text, by measurement id
    int selectedId_ = 0;
    std::vector<Step> undo_, redo_;
    QString error_;
};

}  // namespace consilium::app
