#include "case_list_model.h"

#include "model/error.h"
#include "qt_text.h"
#include "store/case_repository.h"
#include "workstation.h"

namespace consilium::app {
using namespace consilium::model;

CaseListModel::CaseListModel(QObject* parent) : QAbstractListModel(parent) { reload(); }

int CaseListModel::rowCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : int(cases_.size()); }

QVariant CaseListModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.row() >= int(cases_.size()))
        return {};
    const Case& c = cases_[std::size_t(index.row())];
    switch (role) {
        case IdRole:
            return qint64(c.id);
        case ReferenceRole:
            return qs(c.reference);
        case PatientNameRole:
            return qs(c.patient.name);
        case PatientDetailsRole:
            return patientDetails(c.patient, today_);
        case DiagnosisRole:
            return qs(c.diagnosisAsReferred);
        case InstitutionRole:
            return qs(c.referringInstitution);
        case StatusRole:
            return qs(toString(c.status));
        case StatusTextRole:
            return qs(displayName(c.status));
        case ReceivedOnRole:
            return humanDate(c.receivedOn);
        case DueOnRole:
            return humanDate(c.dueOn);
        case DaysLeftRole:
            return businessDaysLeft(c, today_);
        case OverdueRole:
            return isOverdue(c, today_);
        case ServiceTextRole:
            return qs(displayName(c.service));
        case QuestionRole:
            return qs(c.question);
    }
    return {};
}

QHash<int, QByteArray> CaseListModel::roleNames() const
{
    return {{IdRole, "caseId"},
            {ReferenceRole, "reference"},
            {PatientNameRole, "patientName"},
            {PatientDetailsRole, "patientDetails"},
            {DiagnosisRole, "diagnosis"},
            {InstitutionRole, "institution"},
            {StatusRole, "status"},
            {StatusTextRole, "statusText"},
            {ReceivedOnRole, "receivedOn"},
            {DueOnRole, "dueOn"},
            {DaysLeftRole, "daysLeft"},
            {OverdueRole, "overdue"},
            {ServiceTextRole, "serviceText"},
            {QuestionRole, "question"}};
}

void CaseListModel::setSearch(const QString& text)
{
    if (text == search_)
        return;
    search_ = text;
    emit searchChanged();
    reload();
}

int CaseListModel::overdueCount() const
{
    return int(std::count_if(cases_.begin(), cases_.end(), [&](const Case& c) { return isOverdue(c, today_); }));
}

int CaseListModel::openCount() const
{
    return int(
        std::count_if(cases_.begin(), cases_.end(), [](const Case& c) { return c.status != CaseStatus::Finalized; }));
}

void CaseListModel::reload()
{
    beginResetModel();
    today_ = today();
    cases_ = store::CaseRepository(Workstation::instance()->database()).list(search_.trimmed().toStdString());
    endResetModel();
    emit countsChanged();
}

int CaseListModel::rowOfReference(const QString& reference) const
{
    for (std::size_t i = 0; i < cases_.size(); ++i)
        if (qs(cases_[i].reference) == reference)
            return int(i);
    return -1;
}

QString CaseListModel::createCase(const QVariantMap& f)
{
    auto text = [&](const char* key) { return f.value(key).toString().trimmed().toStdString(); };
    try {
        CaseIntake in;
        in.patient.name = text("patientName");
        in.patient.birthDate = dateFromForm(f.value("birthDate"), "Date of birth");
        in.patient.sex = text("sex");
        in.patient.referringIdentifier = text("patientId");
        in.patient.country = text("country");
        in.referringInstitution = text("institution");
        in.referringOncologist = text("oncologist");
        in.diagnosisAsReferred = text("diagnosis");
        in.question = text("question");
        in.receivedOn = dateFromForm(f.value("receivedOn"), "Received");
        in.service =
            f.value("withVideo").toBool() ? ServiceOrdered::WrittenReviewWithVideo : ServiceOrdered::WrittenReview;
        if (const std::string fee = text("feeUsd"); !fee.empty()) {
            bool ok = false;
            const qint64 usd = QString::fromStdString(fee).toLongLong(&ok);
            if (!ok || usd < 0)
                throw UsageError("Fee", "'" + fee + "' is not a whole number of US dollars");
            in.feeQuotedUsd = usd;
        }
        const Case c =
            store::CaseRepository(Workstation::instance()->database()).create(in, Workstation::instance()->actor());
        lastCreated_ = qs(c.reference);
        reload();
        return {};
    } catch (const Error& e) {
        return qs(e.what());
    }
}

}  // namespace consilium::app
