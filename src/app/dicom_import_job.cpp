#include "dicom_import_job.h"

#include "imaging/dicom_import.h"
#include "model/error.h"
#include "store/case_repository.h"
#include "workstation.h"

namespace consilium::app {

DicomImportJob::DicomImportJob(QObject* parent) : QObject(parent) {}

DicomImportJob::~DicomImportJob()
{
    cancelRequested_ = true;
    if (worker_.joinable())
        worker_.join();
}

void DicomImportJob::setCaseReference(const QString& reference)
{
    if (reference == caseReference_)
        return;
    caseReference_ = reference;
    emit caseReferenceChanged();
}

void DicomImportJob::report(const QString& summary, const QStringList& details)
{
    // The card shows a few lines; the rest is summarised rather than flooding the overview.
    constexpr int kShown = 6;
    summary_ = summary;
    details_ = details.mid(0, kShown);
    if (details.size() > kShown)
        details_ << tr("… and %1 more").arg(details.size() - kShown);
    running_ = false;
    emit runningChanged();
    emit finished();
}

void DicomImportJob::start(const QList<QUrl>& urls)
{
    if (running_ || urls.isEmpty())
        return;
    if (worker_.joinable())
        worker_.join();
    std::vector<std::filesystem::path> paths;
    for (const QUrl& url : urls)
        paths.emplace_back(url.toLocalFile().toStdString());
    running_ = true;
    progress_ = 0;
    cancelRequested_ = false;
    emit runningChanged();
    emit progressChanged();

    const auto databaseFile = Workstation::instance()->database().file();
    const auto actor = Workstation::instance()->actor();
    const std::string reference = caseReference_.toStdString();
    worker_ = std::thread([this, databaseFile, actor, reference, paths] {
        QString summary;
        QStringList details;
        try {
            // SQLite connections are not shared across threads: the import has its own.
            auto db = store::Database::open(databaseFile);
            const auto c = store::CaseRepository(db).find(reference);
            const auto result = imaging::importDicomFiles(db, c.id, paths, actor, [this](int done, int total) {
                const double fraction = total > 0 ? double(done) / total : 1.0;
                QMetaObject::invokeMethod(
                    this,
                    [this, fraction] {
                        progress_ = fraction;
                        emit progressChanged();
                    },
                    Qt::QueuedConnection);
                return !cancelRequested_;
            });
            summary =
                tr("%1%2 images imported, %3 already in the case, %4 files skipped (not DICOM), %5 could not be read.")
                    .arg(result.cancelled ? tr("Cancelled: ") : QString())
                    .arg(result.imported)
                    .arg(result.alreadyPresent)
                    .arg(result.skippedNotDicom)
                    .arg(result.problems.size());
            for (const auto& p : result.problems)
                details << tr("Not imported — %1").arg(QString::fromStdString(p));
            for (const auto& m : result.patientMismatch)
                details << tr("Patient to confirm — %1").arg(QString::fromStdString(m));
        } catch (const std::exception& e) {  // nothing may escape the worker thread: it would abort the workstation
            summary = tr("Import failed: %1").arg(QString::fromStdString(e.what()));
        }
        QMetaObject::invokeMethod(
            this, [this, summary, details] { report(summary, details); }, Qt::QueuedConnection);
    });
}

}  // namespace consilium::app
