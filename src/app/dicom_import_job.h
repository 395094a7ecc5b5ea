#pragma once
// A DICOM import started from the case overview: runs on its own thread with its own database connection, reports
// progress, can be cancelled, and says what it did (imported, skipped, broken, patients to confirm).
#include <QtQml/qqmlregistration.h>
#include <QObject>
#include <QStringList>
#include <QUrl>
#include <atomic>
#include <thread>

namespace consilium::app {

class DicomImportJob : public QObject {
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(QString caseReference READ caseReference WRITE setCaseReference NOTIFY caseReferenceChanged)
    Q_PROPERTY(bool running READ running NOTIFY runningChanged)
    Q_PROPERTY(double progress READ progress NOTIFY progressChanged)
    Q_PROPERTY(QString summary READ summary NOTIFY finished)
    Q_PROPERTY(QStringList details READ details NOTIFY finished)

public:
    explicit DicomImportJob(QObject* parent = nullptr);
    ~DicomImportJob() override;

    QString caseReference() const { return caseReference_; }
    void setCaseReference(const QString& reference);
    bool running() const { return running_; }
    double progress() const { return progress_; }
    QString summary() const { return summary_; }
    QStringList details() const { return details_; }

    // Files, folders or a DICOMDIR (as file URLs, from a dialog or a drop).
    Q_INVOKABLE void start(const QList<QUrl>& urls);
    Q_INVOKABLE void cancel() { cancelRequested_ = true; }

signals:
    void caseReferenceChanged();
    void runningChanged();
    void progressChanged();
    void finished();

private:
    void report(const QString& summary, const QStringList& details);
    QString caseReference_;
    bool running_ = false;
    double progress_ = 0;
    QString summary_;
    QStringList details_;
    std::atomic<bool> cancelRequested_{false};
    std::thread worker_;
};

}  // namespace consilium::app
