#include "treatment_history_model.h"

#include "model/error.h"
#include "qt_text.h"
#include "store/case_repository.h"
#include "workstation.h"

namespace consilium::app {
using namespace consilium::model;

namespace {

QString isoOrEmpty(const std::optional<Date>& d) { return d ? qs(formatIsoDate(*d)) : QString(); }

store::CaseRepository cases() { return store::CaseRepository(Workstation::instance()->database()); }

}  // namespace

int TreatmentHistoryModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(lines_.size());
}

QVariant TreatmentHistoryModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.row() >= int(lines_.size()))
        return {};
    const TreatmentLine& t = lines_[std::size_t(index.row())];
    switch (role) {
        case KindRole:
            return qs(toString(t.kind));
        case KindTextRole:
            return qs(displayName(t.kind));
        case RegimenRole:
            return qs(t.regimen);
        case DoseRole:
            return qs(t.dose);
        case StartedOnRole:
            return isoOrEmpty(t.startedOn);
        case EndedOnRole:
            return isoOrEmpty(t.endedOn);
        case PeriodRole:
            if (t.startedOn && t.endedOn && *t.startedOn != *t.endedOn)
                return humanDate(t.startedOn) + QStringLiteral(" – ") + humanDate(t.endedOn);
            return t.startedOn ? humanDate(t.startedOn) : QStringLiteral("date not given");
        case ResponseRole:
            return qs(t.response);
    }
    return {};
}

QHash<int, QByteArray> TreatmentHistoryModel::roleNames() const
{
    return {{KindRole, "kind"},     {KindTextRole, "kindText"},   {RegimenRole, "regimen"},
            {DoseRole, "dose"},     {StartedOnRole, "startedOn"}, {EndedOnRole, "endedOn"},
            {PeriodRole, "period"}, {ResponseRole, "response"}};
}

void TreatmentHistoryModel::load(std::int64_t caseId)
{
    beginResetModel();
    caseId_ = caseId;
    lines_ = caseId ? cases().treatmentHistory(caseId) : std::vector<TreatmentLine>{};
    endResetModel();
}

TreatmentLine TreatmentHistoryModel::fromFields(TreatmentLine line, const QVariantMap& f) const
{
    line.caseId = caseId_;
    line.kind = treatmentKindFrom(f.value("kind").toString().toStdString());
    line.regimen = f.value("regimen").toString().trimmed().toStdString();
    line.dose = f.value("dose").toString().trimmed().toStdString();
    line.startedOn = dateFromForm(f.value("startedOn"), "Start");
    line.endedOn = dateFromForm(f.value("endedOn"), "End");
    line.response = f.value("response").toString().trimmed().toStdString();
    if (line.regimen.empty())
        throw UsageError("Treatment", "say what was given or done (agent, regimen, site or operation)");
    return line;
}

QString TreatmentHistoryModel::add(const QVariantMap& fields)
{
    try {
        cases().addTreatmentLine(fromFields({}, fields), Workstation::instance()->actor());
        load(caseId_);
        return {};
    } catch (const Error& e) {
        return qs(e.what());
    }
}

QString TreatmentHistoryModel::update(int row, const QVariantMap& fields)
{
    if (row < 0 || row >= int(lines_.size()))
        return QStringLiteral("That treatment line is no longer there.");
    try {
        cases().updateTreatmentLine(fromFields(lines_[std::size_t(row)], fields), Workstation::instance()->actor());
        load(caseId_);
        return {};
    } catch (const Error& e) {
        return qs(e.what());
    }
}

QString TreatmentHistoryModel::remove(int row)
{
    if (row < 0 || row >= int(lines_.size()))
        return QStringLiteral("That treatment line is no longer there.");
    try {
        cases().removeTreatmentLine(lines_[std::size_t(row)].id, Workstation::instance()->actor());
        load(caseId_);
        return {};
    } catch (const Error& e) {
        return qs(e.what());
    }
}

}  // namespace consilium::app
