#pragma once
// Everything a case received, for the overview page: intake, the question, documents, treatment history,
// the imaging series and the slides with their key facts.
#include <QtQml/qqmlregistration.h>
#include <QObject>
#include <QUrl>
#include <QVariantList>
#include <QVariantMap>

#include "treatment_history_model.h"

namespace consilium::app {

class CaseOverview : public QObject {
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(QString reference READ reference WRITE setReference NOTIFY referenceChanged)
    Q_PROPERTY(QVariantMap details READ details NOTIFY loaded)
    Q_PROPERTY(QVariantList documents READ documents NOTIFY loaded)
    Q_PROPERTY(QVariantList series READ series NOTIFY loaded)
    Q_PROPERTY(QVariantList slides READ slides NOTIFY loaded)
    Q_PROPERTY(QVariantList statuses READ statuses CONSTANT)
    Q_PROPERTY(consilium::app::TreatmentHistoryModel* treatmentHistory READ treatmentHistory CONSTANT)
    Q_PROPERTY(QString error READ error NOTIFY loaded)

public:
    explicit CaseOverview(QObject* parent = nullptr);

    QString reference() const { return reference_; }
    void setReference(const QString& reference);
    QVariantMap details() const { return details_; }
    QVariantList documents() const { return documents_; }
    QVariantList series() const { return series_; }
    QVariantList slides() const { return slides_; }
    QVariantList statuses() const;
    TreatmentHistoryModel* treatmentHistory() { return &history_; }
    QString error() const { return error_; }

    Q_INVOKABLE void reload();
    Q_INVOKABLE QString setStatus(const QString& status);
    // The user states that a series flagged as another patient's belongs to this case (audited).
    Q_INVOKABLE QString confirmPatient(const QString& seriesUid);
    // Copies dropped or chosen files into the case as documents of `kind`; returns an error text, empty on success.
    Q_INVOKABLE QString attachDocuments(const QList<QUrl>& files, const QString& kind);

signals:
    void referenceChanged();
    void loaded();

private:
    QString reference_;
    std::int64_t caseId_ = 0;
    QVariantMap details_;
    QVariantList documents_, series_, slides_;
    QString error_;
    TreatmentHistoryModel history_;
};

}  // namespace consilium::app
