#pragma once
// The case list: every second-opinion case with its status and how much time is left, filtered by a search text.
#include <QtQml/qqmlregistration.h>
#include <QAbstractListModel>
#include <QVariantMap>
#include <vector>

#include "model/case.h"

namespace consilium::app {

class CaseListModel : public QAbstractListModel {
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(QString search READ search WRITE setSearch NOTIFY searchChanged)
    Q_PROPERTY(int overdueCount READ overdueCount NOTIFY countsChanged)
    Q_PROPERTY(int openCount READ openCount NOTIFY countsChanged)
    Q_PROPERTY(int totalCount READ totalCount NOTIFY countsChanged)
    Q_PROPERTY(QString lastCreatedReference READ lastCreatedReference NOTIFY countsChanged)

public:
    enum Role {
        IdRole = Qt::UserRole + 1,
        ReferenceRole,
        PatientNameRole,
        PatientDetailsRole,
        DiagnosisRole,
        InstitutionRole,
        StatusRole,
        StatusTextRole,
        ReceivedOnRole,
        DueOnRole,
        DaysLeftRole,
        OverdueRole,
        ServiceTextRole,
        QuestionRole,
    };

    explicit CaseListModel(QObject* parent = nullptr);
    int rowCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;

    QString search() const { return search_; }
    void setSearch(const QString& text);
    int overdueCount() const;
    int openCount() const;
    int totalCount() const { return int(cases_.size()); }

    Q_INVOKABLE void reload();
    // Registers a case from the intake form's fields; returns the error to show, empty on success (the new case's
    // reference is then lastCreatedReference).
    Q_INVOKABLE QString createCase(const QVariantMap& fields);
    QString lastCreatedReference() const { return lastCreated_; }
    Q_INVOKABLE int rowOfReference(const QString& reference) const;

signals:
    void searchChanged();
    void countsChanged();

private:
    QString search_;
    QString lastCreated_;
    std::vector<model::Case> cases_;
    model::Date today_;
};

}  // namespace consilium::app
