#include "case_overview.h"

#include "model/error.h"
#include "qt_text.h"
#include "store/attachment_repository.h"
#include "store/case_repository.h"
#include "store/imaging_index.h"
#include "store/slide_repository.h"
#include "workstation.h"

namespace consilium::app {
using namespace consilium::model;

namespace {

QVariantMap detailsOf(const Case& c, Date asOf)
{
    return {{"reference", qs(c.reference)},
            {"patientName", qs(c.patient.name)},
            {"patientDetails", patientDetails(c.patient, asOf)},
            {"patientIdentifier", qs(c.patient.referringIdentifier)},
            {"institution", qs(c.referringInstitution)},
            {"oncologist", qs(c.referringOncologist)},
            {"diagnosis", qs(c.diagnosisAsReferred)},
            {"question", qs(c.question)},
            {"receivedOn", humanDate(c.receivedOn)},
            {"dueOn", humanDate(c.dueOn)},
            {"daysLeft", businessDaysLeft(c, asOf)},
            {"overdue", isOverdue(c, asOf)},
            {"status", qs(toString(c.status))},
            {"statusText", qs(displayName(c.status))},
            {"statusIndex", int(c.status)},  // position in statuses(), which lists them in enum order
            {"serviceText", qs(displayName(c.service))},
            {"fee", c.feeQuotedUsd ? QStringLiteral("USD %L1").arg(*c.feeQuotedUsd) : QString()}};
}

QVariantMap documentOf(const Attachment& a, const store::AttachmentRepository& repo)
{
    return {{"title", qs(a.title)},
            {"kind", qs(toString(a.kind))},
            {"kindText", qs(displayName(a.kind))},
            {"originalName", qs(a.originalName)},
            {"mediaType", qs(a.mediaType)},
            {"isPdf", a.mediaType == "application/pdf"},
            {"size", humanSize(a.sizeBytes)},
            {"url", QUrl::fromLocalFile(qs(repo.absolutePath(a).string()))}};
}

QVariantMap seriesOf(const SeriesSummary& s)
{
    QString geometry = QStringLiteral("%1 × %2").arg(s.columns).arg(s.rows);
    if (s.pixelSpacing)
        geometry +=
            QStringLiteral(" · %1 × %2 mm").arg((*s.pixelSpacing)[1], 0, 'g', 3).arg((*s.pixelSpacing)[0], 0, 'g', 3);
    if (s.sliceThickness)
        geometry += QStringLiteral(" · %1 mm slices").arg(*s.sliceThickness, 0, 'g', 3);
    return {{"id", qint64(s.id)},
            {"modality", qs(s.modality)},
            {"description", qs(s.seriesDescription)},
            {"study", qs(s.studyDescription)},
            {"studyDate", dicomDate(s.studyDate)},
            {"images", s.instanceCount},
            {"geometry", geometry},
            {"size", humanSize(s.sizeBytes)},
            {"seriesNumber", s.seriesNumber},
            {"thumbnail", QStringLiteral("image://series/%1").arg(s.id)},
            {"seriesUid", qs(s.seriesInstanceUid)},
            {"patientToConfirm", s.patientCheck == "mismatch"},
            {"patientNote", qs(s.patientNote)}};
}

QVariantMap slideOf(const CaseSlide& s)
{
    const auto& info = s.info;
    QString size;
    if (!info.levels.empty())
        size = QStringLiteral("%1 × %2 px").arg(info.levels[0].width).arg(info.levels[0].height);
    QString calibration = QStringLiteral("uncalibrated (no microns per pixel in the file)");
    if (info.calibrated() && !info.levels.empty())
        calibration = QStringLiteral("%1 µm/px · %2 × %3 mm")
                          .arg(*info.mppX, 0, 'g', 4)
                          .arg(double(info.levels[0].width) * *info.mppX / 1000.0, 0, 'f', 1)
                          .arg(double(info.levels[0].height) * *info.mppY / 1000.0, 0, 'f', 1);
    QStringList associated;
    for (const auto& a : info.associatedImages)
        associated << qs(a);
    return {{"id", qint64(s.id)},
            {"title", qs(s.title)},
            {"originalName", qs(s.originalName)},
            {"vendor", qs(info.vendor)},
            {"size", size},
            {"levels", int(info.levels.size())},
            {"calibration", calibration},
            {"calibrated", info.calibrated()},
            {"objective", info.objectivePower ? QStringLiteral("%1×").arg(*info.objectivePower) : QString()},
            {"associated", associated.join(", ")},
            {"fileSize", humanSize(s.sizeBytes)},
            {"thumbnail", QStringLiteral("image://slide/%1").arg(s.id)}};
}

}  // namespace

CaseOverview::CaseOverview(QObject* parent) : QObject(parent) {}

void CaseOverview::setReference(const QString& reference)
{
    if (reference == reference_)
        return;
    reference_ = reference;
    emit referenceChanged();
    reload();
}

QVariantList CaseOverview::statuses() const
{
    QVariantList out;
    for (auto s : {CaseStatus::Received, CaseStatus::InReview, CaseStatus::ReadyForSignOff, CaseStatus::Finalized})
        out.append(QVariantMap{{"value", qs(toString(s))}, {"text", qs(displayName(s))}});
    return out;
}

void CaseOverview::reload()
{
    auto& db = Workstation::instance()->database();
    details_.clear();
    documents_.clear();
    series_.clear();
    slides_.clear();
    error_.clear();
    caseId_ = 0;
    try {
        if (!reference_.isEmpty()) {
            const Case c = store::CaseRepository(db).find(reference_.toStdString());
            caseId_ = c.id;
            details_ = detailsOf(c, today());
            store::AttachmentRepository attachments(db);
            for (const auto& a : attachments.forCase(c.id))
                documents_.append(documentOf(a, attachments));
            for (const auto& s : store::ImagingIndex(db).series(c.id))
                series_.append(seriesOf(s));
            for (const auto& s : store::SlideRepository(db).forCase(c.id))
                slides_.append(slideOf(s));
        }
    } catch (const Error& e) {
        error_ = qs(e.what());
    }
    history_.load(caseId_);
    emit loaded();
}

QString CaseOverview::setStatus(const QString& status)
{
    try {
        store::CaseRepository(Workstation::instance()->database())
            .setStatus(caseId_, caseStatusFrom(status.toStdString()), Workstation::instance()->actor());
        reload();
        return {};
    } catch (const Error& e) {
        return qs(e.what());
    }
}

QString CaseOverview::confirmPatient(const QString& seriesUid)
{
    try {
        store::ImagingIndex(Workstation::instance()->database())
            .confirmPatient(caseId_, seriesUid.toStdString(), Workstation::instance()->actor());
        reload();
        return {};
    } catch (const Error& e) {
        return qs(e.what());
    }
}

QString CaseOverview::attachDocuments(const QList<QUrl>& files, const QString& kind)
{
    try {
        store::AttachmentRepository attachments(Workstation::instance()->database());
        const AttachmentKind k = attachmentKindFrom(kind.toStdString());
        for (const QUrl& url : files)
            attachments.attach(caseId_, url.toLocalFile().toStdString(), k, "", Workstation::instance()->actor());
        reload();
        return {};
    } catch (const Error& e) {
        reload();
        return qs(e.what());
    }
}

}  // namespace consilium::app
