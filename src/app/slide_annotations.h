#pragma once
// A pathologist's annotations on one slide of a case, for the views and the QML panels: the classes and their
// colours, what lies in a view (an R*Tree query, so 100 000 marks on a slide cost nothing off screen), the selected
// annotation with its measurements (µm, µm², mm² from the slide's mpp; pixels and "uncalibrated" without), counts per
// class, the mitotic rate inside the selected region, and undo/redo of every add, edit and delete. Every change is
// written to the database at once, with the audit log.
#include <QtQml/qqmlregistration.h>

#include <QObject>
#include <QPointer>
#include <QVariantList>
#include <QVariantMap>
#include <map>
#include <optional>
#include <vector>

#include "model/annotation.h"
#include "slide_session.h"

namespace consilium::app {

class SlideAnnotations : public QObject {
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(consilium::app::SlideSession* session READ session WRITE setSession NOTIFY slideChanged)
    Q_PROPERTY(int slideId READ slideId WRITE setSlideId NOTIFY slideChanged)
    Q_PROPERTY(bool editable READ editable NOTIFY slideChanged)  // a case's slide (loose files are view-only)
    Q_PROPERTY(bool calibrated READ calibrated NOTIFY slideChanged)
    Q_PROPERTY(QVariantList classes READ classes NOTIFY classesChanged)  // [{name, colour}]
    Q_PROPERTY(QString currentClass READ currentClass WRITE setCurrentClass NOTIFY classesChanged)
    Q_PROPERTY(int selectedId READ selectedId NOTIFY selectionChanged)
    Q_PROPERTY(QVariantMap selected READ selected NOTIFY selectionChanged)
    Q_PROPERTY(QVariantList counts READ counts NOTIFY changed)  // points per class: [{name, colour, count}]
    Q_PROPERTY(int total READ total NOTIFY changed)
    Q_PROPERTY(double fieldDiameterMm READ fieldDiameterMm WRITE setFieldDiameterMm NOTIFY selectionChanged)
    Q_PROPERTY(bool canUndo READ canUndo NOTIFY changed)
    Q_PROPERTY(bool canRedo READ canRedo NOTIFY changed)
    Q_PROPERTY(QString error READ error NOTIFY errorChanged)

public:
    explicit SlideAnnotations(QObject* parent = nullptr);
    ~SlideAnnotations() override;

    SlideSession* session() const { return session_; }
    void setSession(SlideSession* session);
    int slideId() const { return slideId_; }
    void setSlideId(int id);
    bool editable() const { return slideId_ > 0; }
    bool calibrated() const;
    QVariantList classes() const;
    QString currentClass() const { return currentClass_; }
    void setCurrentClass(const QString& name);
    int selectedId() const { return selected_ ? int(selected_->id) : 0; }
    QVariantMap selected() const;
    QVariantList counts() const;
    int total() const { return total_; }
    double fieldDiameterMm() const { return fieldDiameterMm_; }
    void setFieldDiameterMm(double mm);
    bool canUndo() const { return !undo_.empty(); }
    bool canRedo() const { return !redo_.empty(); }
    QString error() const { return error_; }

    Q_INVOKABLE void select(int id);
    Q_INVOKABLE void removeSelected();
    Q_INVOKABLE void setSelectedClass(const QString& name);
    Q_INVOKABLE void setSelectedLabel(const QString& label);
    // Adds a class (id 0) or renames and recolours one ("#rrggbb"); its annotations follow. Returns "" or why not.
    Q_INVOKABLE QString saveClass(int id, const QString& name, const QString& colour);
    Q_INVOKABLE void undo();
    Q_INVOKABLE void redo();

    // --- for the views (C++) ---
    std::vector<model::Annotation> inView(const model::PixelBounds& bounds) const;
    std::uint32_t colourOf(const std::string& className) const;
    std::map<std::string, std::uint32_t> colours() const;  // by class name: for painting off the GUI thread
    // Stores a new annotation of the current class (validated; UsageError -> error()); returns its id or 0.
    std::int64_t add(model::Annotation annotation);
    // Replaces the stored geometry/class/label of annotation.id (a move, a vertex dragged).
    bool update(const model::Annotation& annotation);
    std::optional<model::Annotation> find(std::int64_t id) const;
    std::optional<model::Annotation> selection() const { return selected_; }

signals:
    void slideChanged();
    void classesChanged();
    void selectionChanged();
    void changed();  // something stored changed: views query again
    void errorChanged();

private:
    struct Step {
        std::optional<model::Annotation> before;  // absent: the step added `after`
        std::optional<model::Annotation> after;   // absent: the step removed `before`
    };
    void reload();
    void apply(Step& step, bool forward);  // renumbers ids when a removed annotation is stored again
    void record(Step step);
    void fail(const QString& message);
    void refreshCounts();
    std::optional<double> mpp(bool x) const;

    QPointer<SlideSession> session_;
    int slideId_ = 0;
    std::vector<model::AnnotationClass> classes_;
    QString currentClass_;
    std::optional<model::Annotation> selected_;
    std::vector<Step> undo_, redo_;
    std::vector<std::pair<std::string, int>> counts_;
    int total_ = 0;
    double fieldDiameterMm_ = 0.55;
    QString error_;
};

}  // namespace consilium::app
