#pragma once
// The treatment history of the open case, editable in place: each edit is stored (and audited) at once.
#include <QtQml/qqmlregistration.h>
#include <QAbstractListModel>
#include <QVariantMap>
#include <vector>

#include "model/case.h"

namespace consilium::app {

class TreatmentHistoryModel : public QAbstractListModel {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("Owned by CaseOverview")

public:
    enum Role {
        KindRole = Qt::UserRole + 1,
        KindTextRole,
        RegimenRole,
        DoseRole,
        StartedOnRole,
        EndedOnRole,
        PeriodRole,
        ResponseRole
    };

    explicit TreatmentHistoryModel(QObject* parent = nullptr) : QAbstractListModel(parent) {}
    int rowCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;

    void load(std::int64_t caseId);
    // Fields: kind (systemic|radiation|surgery), regimen, dose, startedOn, endedOn (YYYY-MM-DD or empty), response.
    // Each returns an error text for the form, empty on success.
    Q_INVOKABLE QString add(const QVariantMap& fields);
    Q_INVOKABLE QString update(int row, const QVariantMap& fields);
    Q_INVOKABLE QString remove(int row);

private:
    model::TreatmentLine fromFields(model::TreatmentLine line, const QVariantMap& fields) const;
    std::int64_t caseId_ = 0;
    std::vector<model::TreatmentLine> lines_;
};

}  // namespace consilium::app
