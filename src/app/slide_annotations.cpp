#include "slide_annotations.h"

#include <QColor>
#include <algorithm>

#include "annotation_outline.h"
#include "model/error.h"
#include "qt_text.h"
#include "store/annotation_repository.h"
#include "workstation.h"

namespace consilium::app {

using model::Annotation;

namespace {

store::AnnotationRepository repository() { return store::AnnotationRepository(Workstation::instance()->database()); }

QString colourText(std::uint32_t rgb) { return QColor::fromRgb(QRgb(rgb)).name(); }

QString lengthText(double um)
{
    return um >= 1000 ? QStringLiteral("%1 mm").arg(um / 1000, 0, 'f', 2) : QStringLiteral("%1 µm").arg(um, 0, 'f', 1);
}

QString areaText(double um2)
{
    return um2 >= 1e5 ? QStringLiteral("%1 mm²").arg(um2 / 1e6, 0, 'f', 3)
                      : QStringLiteral("%1 µm²").arg(um2, 0, 'f', 0);
}

}  // namespace

SlideAnnotations::SlideAnnotations(QObject* parent) : QObject(parent) {}

SlideAnnotations::~SlideAnnotations() = default;

void SlideAnnotations::setSession(SlideSession* session)
{
    if (session == session_)
        return;
    session_ = session;
    emit slideChanged();
}

void SlideAnnotations::setSlideId(int id)
{
    if (id == slideId_)
        return;
    slideId_ = id;
    selected_.reset();
    undo_.clear();
    redo_.clear();
    reload();
    emit slideChanged();
    emit selectionChanged();
}

void SlideAnnotations::reload()
{
    try {
        classes_ = Workstation::instance() ? repository().classes() : std::vector<model::AnnotationClass>{};
    } catch (const std::exception& e) {
        fail(qs(e.what()));
    }
    // New marks start as tumour (what a re-review mostly outlines), not as the alphabetically first class.
    for (const model::AnnotationClass& c : classes_)
        if (currentClass_.isEmpty() && model::sameAnnotationClass(c.name, "Tumour"))
            currentClass_ = qs(c.name);
    if (currentClass_.isEmpty() && !classes_.empty())
        currentClass_ = qs(classes_.front().name);
    refreshCounts();
    emit classesChanged();
    emit changed();
}

std::optional<double> SlideAnnotations::mpp(bool x) const
{
    const auto tiles = session_ ? session_->tiles(slideId_) : nullptr;
    if (!tiles)
        return std::nullopt;
    const auto& info = tiles->slide().info();
    return x ? info.mppX : info.mppY;
}

bool SlideAnnotations::calibrated() const { return mpp(true) && mpp(false); }

QVariantList SlideAnnotations::classes() const
{
    QVariantList list;
    for (const model::AnnotationClass& c : classes_)
        list.append(QVariantMap{{"id", int(c.id)}, {"name", qs(c.name)}, {"colour", colourText(c.colour)}});
    return list;
}

void SlideAnnotations::setCurrentClass(const QString& name)
{
    if (name == currentClass_)
        return;
    currentClass_ = name;
    emit classesChanged();
}

std::uint32_t SlideAnnotations::colourOf(const std::string& className) const
{
    for (const model::AnnotationClass& c : classes_)
        if (c.name == className)
            return c.colour;
    return 0xC8C8C8;  // unclassified: light grey
}

QString SlideAnnotations::saveClass(int id, const QString& name, const QString& colour)
{
    const QColor c(colour);
    if (!c.isValid())
        return tr("%1 is not a colour").arg(colour);
    std::string before;
    for (const model::AnnotationClass& existing : classes_)
        if (existing.id == id)
            before = existing.name;
    try {
        repository().saveClass({id, name.trimmed().toStdString(), std::uint32_t(c.rgb() & 0xFFFFFF)},
                               Workstation::instance()->actor());
    } catch (const std::exception& e) {
        return qs(e.what());
    }
    if (!before.empty() && qs(before) == currentClass_)
        currentClass_ = name.trimmed();
    reload();
    if (selected_)
        selected_ = find(selected_->id);  // its class may have been renamed
    emit selectionChanged();
    return {};
}

std::map<std::string, std::uint32_t> SlideAnnotations::colours() const
{
    std::map<std::string, std::uint32_t> byName;
    for (const model::AnnotationClass& c : classes_)
        byName[c.name] = c.colour;
    return byName;
}

void SlideAnnotations::setFieldDiameterMm(double mm)
{
    if (mm <= 0 || mm == fieldDiameterMm_)
        return;
    fieldDiameterMm_ = mm;
    emit selectionChanged();
}

void SlideAnnotations::fail(const QString& message)
{
    error_ = message;
    emit errorChanged();
}

std::vector<Annotation> SlideAnnotations::inView(const model::PixelBounds& bounds) const
{
    if (slideId_ <= 0 || !Workstation::instance())
        return {};
    try {
        return repository().inViewport(slideId_, bounds);
    } catch (const std::exception&) {
        return {};  // a locked or damaged database: nothing drawn; the next write says why
    }
}

std::optional<Annotation> SlideAnnotations::find(std::int64_t id) const
{
    try {
        return repository().find(id);
    } catch (const std::exception&) {
        return std::nullopt;
    }
}

void SlideAnnotations::refreshCounts()
{
    counts_.clear();
    total_ = 0;
    if (slideId_ <= 0 || !Workstation::instance())
        return;
    try {
        // The counting tool's running totals: points per class.
        for (const auto& [name, count] :
             repository().countByClass(slideId_, std::nullopt, model::AnnotationShape::Point)) {
            counts_.emplace_back(name, int(count));
            total_ += int(count);
        }
    } catch (const std::exception& e) {
        fail(qs(e.what()));
    }
}

QVariantList SlideAnnotations::counts() const
{
    QVariantList list;
    for (const auto& [name, count] : counts_)
        list.append(QVariantMap{{"name", name.empty() ? tr("Unclassified") : qs(name)},
                                {"colour", colourText(colourOf(name))},
                                {"count", count}});
    return list;
}

QVariantMap SlideAnnotations::selected() const
{
    if (!selected_)
        return {};
    const Annotation& a = *selected_;
    const model::AnnotationMeasures m = model::measure(a, mpp(true), mpp(false));
    QStringList lines;
    const bool closed = model::isClosed(a.shape);
    if (a.shape == model::AnnotationShape::Ruler)
        lines << (m.lengthUm ? tr("Length %1").arg(lengthText(*m.lengthUm))
                             : tr("Length %1 px (uncalibrated: no µm)").arg(m.lengthPx, 0, 'f', 0));
    if (closed) {
        lines << (m.areaUm2 ? tr("Area %1").arg(areaText(*m.areaUm2))
                            : tr("Area %1 px² (uncalibrated: no µm²)").arg(m.areaPx, 0, 'f', 0));
        lines << (m.lengthUm ? tr("Perimeter %1").arg(lengthText(*m.lengthUm))
                             : tr("Perimeter %1 px").arg(m.lengthPx, 0, 'f', 0));
    }
    QVariantMap map{{"id", int(a.id)},
                    {"shape", qs(model::toString(a.shape))},
                    {"className", qs(a.className)},
                    {"label", qs(a.label)},
                    {"author", qs(a.author)},
                    {"measures", lines.join("\n")}};
    // Counting inside a region: mitoses per 10 HPF and per mm² (only with mpp: an area needs microns).
    if (closed && m.areaUm2 && *m.areaUm2 > 0) {
        int mitoses = 0;
        const model::PixelBounds b = model::bounds(a);
        for (const Annotation& p : inView(b))
            if (p.shape == model::AnnotationShape::Point && QString::fromStdString(p.className).startsWith("Mitos") &&
                distanceTo(a, p.points.front(), true) == 0)
                ++mitoses;
        const model::MitoticRate rate = model::mitoticRate(mitoses, *m.areaMm2(), fieldDiameterMm_);
        map["mitoses"] = tr("%1 %2 in %3 mm²: %4 per 10 HPF (%5 mm fields), %6 per mm²")
                             .arg(mitoses)
                             .arg(mitoses == 1 ? tr("mitosis") : tr("mitoses"))
                             .arg(*m.areaMm2(), 0, 'f', 2)
                             .arg(rate.per10Hpf, 0, 'f', 1)
                             .arg(fieldDiameterMm_, 0, 'f', 2)
                             .arg(rate.perMm2, 0, 'f', 1);
    }
    return map;
}

void SlideAnnotations::select(int id)
{
    if (id == selectedId())
        return;
    selected_ = id > 0 ? find(id) : std::nullopt;
    emit selectionChanged();
}

std::int64_t SlideAnnotations::add(Annotation annotation)
{
    if (!editable())
        return 0;
    annotation.slideId = slideId_;
    if (annotation.author.empty())
        annotation.author = Workstation::instance()->actor().name;
    if (annotation.className.empty())
        annotation.className = currentClass_.toStdString();
    try {
        model::validate(annotation);
        const Annotation stored = repository().add(annotation, Workstation::instance()->actor());
        record({std::nullopt, stored});
        if (stored.shape != model::AnnotationShape::Point) {
            selected_ = stored;  // a drawn shape is selected, to label or reclassify it at once
            emit selectionChanged();
        }
        return stored.id;
    } catch (const std::exception& e) {
        fail(qs(e.what()));
        return 0;
    }
}

bool SlideAnnotations::update(const Annotation& annotation)
{
    const auto before = find(annotation.id);
    if (!before || !editable())
        return false;
    try {
        model::validate(annotation);
        repository().update(annotation, Workstation::instance()->actor());
        record({before, annotation});
        return true;
    } catch (const std::exception& e) {
        fail(qs(e.what()));
        return false;
    }
}

void SlideAnnotations::removeSelected()
{
    if (!selected_ || !editable())
        return;
    try {
        const Annotation gone = *selected_;
        repository().remove(gone.id, Workstation::instance()->actor());
        record({gone, std::nullopt});
    } catch (const std::exception& e) {
        fail(qs(e.what()));
    }
}

void SlideAnnotations::setSelectedClass(const QString& name)
{
    if (!selected_)
        return;
    Annotation changedClass = *selected_;
    changedClass.className = name.toStdString();
    update(changedClass);
}

void SlideAnnotations::setSelectedLabel(const QString& label)
{
    if (!selected_ || qs(selected_->label) == label)
        return;
    Annotation relabelled = *selected_;
    relabelled.label = label.toStdString();
    update(relabelled);
}

// A new step clears what could be redone; the selection follows what the step left behind.
void SlideAnnotations::record(Step step)
{
    undo_.push_back(std::move(step));
    redo_.clear();
    const Step& last = undo_.back();
    if (last.after && selected_ && selected_->id == last.after->id)
        selected_ = last.after;
    if (!last.after && selected_ && last.before && selected_->id == last.before->id)
        selected_.reset();
    if (error_.size()) {
        error_.clear();
        emit errorChanged();
    }
    refreshCounts();
    emit selectionChanged();
    emit changed();
}

// Undoing an add removes it; undoing a removal stores it again (under a new id, which the steps that mention the old
// one are told about); undoing an edit stores the state before.
void SlideAnnotations::apply(Step& step, bool forward)
{
    const std::optional<Annotation>& from = forward ? step.before : step.after;
    const std::optional<Annotation>& to = forward ? step.after : step.before;
    const store::Actor& actor = Workstation::instance()->actor();
    if (to && !from) {
        const Annotation again = repository().add(*to, actor);
        const std::int64_t oldId = to->id;
        const auto renumber = [&](Step& s) {
            for (auto* a : {&s.before, &s.after})
                if (*a && (*a)->id == oldId)
                    (*a)->id = again.id;
        };
        for (auto* steps : {&undo_, &redo_})
            for (Step& s : *steps)
                renumber(s);
        renumber(step);
        selected_ = again;
    } else if (from && !to) {
        repository().remove(from->id, actor);
        if (selected_ && selected_->id == from->id)
            selected_.reset();
    } else if (to) {
        repository().update(*to, actor);
        selected_ = to;
    }
}

void SlideAnnotations::undo()
{
    if (undo_.empty())
        return;
    Step step = undo_.back();
    undo_.pop_back();
    try {
        apply(step, false);
    } catch (const std::exception& e) {
        fail(qs(e.what()));
    }
    redo_.push_back(step);
    refreshCounts();
    emit selectionChanged();
    emit changed();
}

void SlideAnnotations::redo()
{
    if (redo_.empty())
        return;
    Step step = redo_.back();
    redo_.pop_back();
    try {
        apply(step, true);
    } catch (const std::exception& e) {
        fail(qs(e.what()));
    }
    undo_.push_back(step);
    refreshCounts();
    emit selectionChanged();
    emit changed();
}

}  // namespace consilium::app
