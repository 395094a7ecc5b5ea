#include "review_editor.h"

#include <QFile>
#include <QPointer>
#include <filesystem>

#include "model/error.h"
#include "qt_text.h"
#include "report/review_workflow.h"
#include "store/case_files.h"
#include "store/case_repository.h"
#include "store/review_repository.h"
#include "workstation.h"

namespace consilium::app {

namespace {

std::string text(const QVariantMap& fields, const char* key) { return fields.value(key).toString().toStdString(); }

model::Agreement agreement(const QVariantMap& fields, const char* key)
{
    return model::agreementFrom(text(fields, key));
}

QString agreementText(model::Agreement a) { return qs(model::toString(a)); }

}  // namespace

ReviewEditor::ReviewEditor(QObject* parent) : QObject(parent), previews_(std::make_unique<QTemporaryDir>())
{
    compiler_.setMaxThreadCount(1);
}

ReviewEditor::~ReviewEditor() { compiler_.waitForDone(); }

void ReviewEditor::setCaseReference(const QString& reference)
{
    if (reference == caseReference_)
        return;
    caseReference_ = reference;
    reload();
}

void ReviewEditor::reload()
{
    error_.clear();
    try {
        store::Database& db = Workstation::instance()->database();
        const model::Case c = store::CaseRepository(db).find(caseReference_.toStdString());
        caseId_ = c.id;
        title_ = qs(c.reference) + QStringLiteral(" · ") + qs(c.patient.name);
        question_ = qs(c.question);
        store::ReviewRepository reviews(db);
        findings_ = reviews.findings(c.id);
        keyImages_ = reviews.keyImages(c.id);
        versions_ = reviews.versions(c.id);
    } catch (const std::exception& e) {
        error_ = qs(e.what());
    }
    emit loaded();
}

// After a reviewer's save (every pause in typing): the findings only, not the key images' pixels or the versions.
void ReviewEditor::reloadFindings()
{
    try {
        findings_ = store::ReviewRepository(Workstation::instance()->database()).findings(caseId_);
    } catch (const std::exception& e) {
        error_ = qs(e.what());
    }
    emit loaded();
}

bool ReviewEditor::isChair() const
{
    const auto& role = Workstation::instance()->actor().role;
    return role && *role == model::Role::BoardChair;
}

QVariantList ReviewEditor::sections() const
{
    QVariantList list;
    const auto& role = Workstation::instance()->actor().role;
    for (const model::ReviewSection& s : findings_.sections) {
        const model::Role owner = model::sectionOwner(s.key);
        list.append(QVariantMap{{"key", qs(model::toString(s.key))},
                                {"title", qs(model::sectionTitle(s.key))},
                                {"owner", qs(model::displayName(owner))},
                                {"editable", role && *role == owner},
                                {"ready", s.status == model::SectionStatus::Ready},
                                {"empty", s.bodyMarkdown.empty()},
                                {"updatedBy", qs(s.updatedBy)},
                                {"updatedAt", qs(s.updatedAt).left(16).replace('T', ' ')}});
    }
    return list;
}

QString ReviewEditor::sectionBody(const QString& key) const
{
    try {
        return qs(findings_.section(model::sectionKeyFrom(key.toStdString())).bodyMarkdown);
    } catch (const std::exception&) {
        return {};
    }
}

QVariantMap ReviewEditor::pathology() const
{
    const model::PathologyFindings& f = findings_.pathology;
    return {{"diagnosis", qs(f.diagnosis)},
            {"histologicType", qs(f.histologicType)},
            {"grade", qs(f.grade)},
            {"pT", qs(f.pT)},
            {"pN", qs(f.pN)},
            {"stageAgreement", agreementText(f.stageAgreement)},
            {"gradeAgreement", agreementText(f.gradeAgreement)},
            {"agreementReasoning", qs(f.agreementReasoning)},
            {"margins", qs(f.margins)},
            {"biomarkers", qs(f.biomarkers)}};
}

QVariantMap ReviewEditor::radiology() const
{
    const model::RadiologyFindings& f = findings_.radiology;
    QVariantList studies;
    for (const model::StudyFinding& s : f.studies)
        studies.append(QVariantMap{{"studyInstanceUid", qs(s.studyInstanceUid)},
                                   {"studyDate", qs(s.studyDate)},
                                   {"study", qs(s.study)},
                                   {"findings", qs(s.findings)}});
    return {{"studies", studies},
            {"cT", qs(f.cT)},
            {"cN", qs(f.cN)},
            {"cM", qs(f.cM)},
            {"stageAgreement", agreementText(f.stageAgreement)},
            {"agreementReasoning", qs(f.agreementReasoning)}};
}

QVariantMap ReviewEditor::chair() const
{
    const model::ChairFindings& f = findings_.chair;
    QVariantList trials;
    for (const model::TrialOption& t : f.trials)
        trials.append(QVariantMap{{"registryId", qs(t.registryId)},
                                  {"title", qs(t.title)},
                                  {"phase", qs(t.phase)},
                                  {"site", qs(t.site)},
                                  {"openOnlyInChina", t.openOnlyInChina},
                                  {"keyEligibility", qs(t.keyEligibility)}});
    return {{"intent", qs(f.intent)},
            {"sequence", qs(f.sequence)},
            {"alternatives", qs(f.alternatives)},
            {"trials", trials},
            {"videoAdvised", f.videoAdvised ? QString(*f.videoAdvised ? "yes" : "no") : QString()}};
}

QVariantList ReviewEditor::keyImages() const
{
    QVariantList list;
    const store::CaseFiles files(Workstation::instance()->database().libraryRoot());
    for (const model::KeyImage& k : keyImages_) {
        QUrl url;
        if (!k.pngPath.empty()) {
            url = QUrl::fromLocalFile(QString::fromStdString(files.absolute(k.pngPath).string()));
        } else if (!k.png.empty()) {
            const QString file = previews_->filePath(QStringLiteral("key-image-%1.png").arg(k.id));
            QFile out(file);
            if (!out.exists() && out.open(QIODevice::WriteOnly))
                out.write(k.png.data(), qint64(k.png.size()));
            url = QUrl::fromLocalFile(file);
        }
        list.append(QVariantMap{{"id", int(k.id)},
                                {"caption", qs(k.caption)},
                                {"source", qs(k.source)},
                                {"addedBy", qs(k.addedBy)},
                                {"url", url}});
    }
    return list;
}

QVariantList ReviewEditor::versions() const
{
    QVariantList list;
    const store::CaseFiles files(Workstation::instance()->database().libraryRoot());
    for (const model::ReviewVersion& v : versions_)
        list.append(
            QVariantMap{{"version", v.version},
                        {"sha256", qs(v.pdfSha256)},
                        {"pages", v.pages},
                        {"finalizedBy", qs(v.finalizedBy)},
                        {"finalizedAt", qs(v.finalizedAt).left(16).replace('T', ' ')},
                        {"amendmentReason", qs(v.amendmentReason)},
                        {"url", QUrl::fromLocalFile(QString::fromStdString(files.absolute(v.storedPath).string()))}});
    return list;
}

QString ReviewEditor::attempt(const std::function<void()>& write, bool everything)
{
    QString reason;
    try {
        write();
    } catch (const std::exception& e) {
        reason = qs(e.what());
    }
    if (everything)
        reload();
    else
        reloadFindings();
    if (reason.isEmpty())
        emit saved();
    return reason;
}

QString ReviewEditor::saveSection(const QString& key, const QString& markdown, bool ready)
{
    return attempt([&] {
        store::ReviewRepository(Workstation::instance()->database())
            .saveSection(caseId_, model::sectionKeyFrom(key.toStdString()), markdown.toStdString(),
                         ready ? model::SectionStatus::Ready : model::SectionStatus::Draft,
                         Workstation::instance()->actor());
    });
}

QString ReviewEditor::savePathology(const QVariantMap& fields)
{
    return attempt([&] {
        model::PathologyFindings f;
        f.diagnosis = text(fields, "diagnosis");
        f.histologicType = text(fields, "histologicType");
        f.grade = text(fields, "grade");
        f.pT = text(fields, "pT");
        f.pN = text(fields, "pN");
        f.stageAgreement = agreement(fields, "stageAgreement");
        f.gradeAgreement = agreement(fields, "gradeAgreement");
        f.agreementReasoning = text(fields, "agreementReasoning");
        f.margins = text(fields, "margins");
        f.biomarkers = text(fields, "biomarkers");
        store::ReviewRepository(Workstation::instance()->database())
            .savePathology(caseId_, f, Workstation::instance()->actor());
    });
}

QString ReviewEditor::saveRadiology(const QVariantMap& fields)
{
    return attempt([&] {
        model::RadiologyFindings f = findings_.radiology;  // the per-study findings are kept as they are
        f.cT = text(fields, "cT");
        f.cN = text(fields, "cN");
        f.cM = text(fields, "cM");
        f.stageAgreement = agreement(fields, "stageAgreement");
        f.agreementReasoning = text(fields, "agreementReasoning");
        if (fields.contains("studies")) {
            f.studies.clear();
            for (const QVariant& v : fields.value("studies").toList()) {
                const QVariantMap s = v.toMap();
                f.studies.push_back(
                    {text(s, "studyInstanceUid"), text(s, "studyDate"), text(s, "study"), text(s, "findings")});
            }
        }
        store::ReviewRepository(Workstation::instance()->database())
            .saveRadiology(caseId_, f, Workstation::instance()->actor());
    });
}

QString ReviewEditor::saveChair(const QVariantMap& fields)
{
    return attempt([&] {
        model::ChairFindings f = findings_.chair;
        f.intent = text(fields, "intent");
        f.sequence = text(fields, "sequence");
        f.alternatives = text(fields, "alternatives");
        const QString video = fields.value("videoAdvised").toString();
        f.videoAdvised = video == "yes" ? std::optional(true) : video == "no" ? std::optional(false) : std::nullopt;
        if (fields.contains("trials")) {
            f.trials.clear();
            for (const QVariant& v : fields.value("trials").toList()) {
                const QVariantMap t = v.toMap();
                f.trials.push_back({text(t, "registryId"), text(t, "title"), text(t, "phase"), text(t, "site"),
                                    t.value("openOnlyInChina").toBool(), text(t, "keyEligibility")});
            }
        }
        store::ReviewRepository(Workstation::instance()->database())
            .saveChair(caseId_, f, Workstation::instance()->actor());
    });
}

QString ReviewEditor::removeKeyImage(int id)
{
    return attempt(
        [&] {
            store::ReviewRepository(Workstation::instance()->database())
                .removeKeyImage(caseId_, id, Workstation::instance()->actor());
        },
        true);
}

void ReviewEditor::setPaper(const QString& paper)
{
    if (paper == paper_ || (paper != "a4" && paper != "letter"))
        return;
    paper_ = paper;
    emit previewChanged();
    compilePreview();
}

void ReviewEditor::compilePreview()
{
    if (caseId_ == 0)
        return;
    if (compiling_) {
        compileAgain_ = true;  // one more when this one ends: it compiles what was saved meanwhile
        return;
    }
    compiling_ = true;
    emit compilingChanged();
    const int generation = ++generation_;  // a fresh file each time: the preview reloads from a new URL
    const std::filesystem::path database = Workstation::instance()->databasePath().toStdString();
    const std::filesystem::path out =
        previews_->filePath(QStringLiteral("review-draft-%1.pdf").arg(generation)).toStdString();
    const std::int64_t caseId = caseId_;
    report::CompileOptions options;
    options.paper = report::paperFrom(paper_.toStdString());
    QPointer<ReviewEditor> self(this);
    compiler_.start([=]() mutable {
        int pages = 0;
        QString warning, error;
        try {
            // Its own connection: the UI thread keeps writing on the workstation's.
            store::Database db = store::Database::open(database);
            options.bounds = report::reviewPageBounds(db);
            const report::CompileResult result = report::compileCaseReview(db, caseId, out, options);
            pages = result.pages;
            if (result.warning)
                warning = qs(*result.warning);
        } catch (const std::exception& e) {
            error = qs(e.what());
        }
        QMetaObject::invokeMethod(
            self.data(),
            [self, file = QString::fromStdString(out.string()), pages, warning, error] {
                if (self)
                    self->previewCompiled(file, pages, warning, error);
            },
            Qt::QueuedConnection);
    });
}

void ReviewEditor::previewCompiled(const QString& file, int pages, const QString& warning, const QString& error)
{
    compiling_ = false;
    emit compilingChanged();
    if (error.isEmpty()) {
        const QString old = preview_.toLocalFile();
        preview_ = QUrl::fromLocalFile(file);
        if (!old.isEmpty() && old != file)
            QFile::remove(old);
        previewWarns_ = !warning.isEmpty();
        previewNote_ = warning.isEmpty() ? tr("Draft · %n page(s)", "", pages) : warning;
    } else {
        previewWarns_ = true;
        previewNote_ = tr("The draft could not be compiled: %1").arg(error);
    }
    emit previewChanged();
    if (compileAgain_) {
        compileAgain_ = false;
        compilePreview();
    }
}

QString ReviewEditor::finalize(const QString& amendmentReason)
{
    return attempt(
        [&] {
            store::Database& db = Workstation::instance()->database();
            report::CompileOptions options;
            options.paper = report::paperFrom(paper_.toStdString());
            options.bounds = report::reviewPageBounds(db);
            report::finalizeReview(db, caseId_, Workstation::instance()->actor(), amendmentReason.toStdString(),
                                   options);
        },
        true);
}

QString ReviewEditor::exportPdf(const QUrl& file)
{
    if (versions_.empty())
        return tr("The review has not been finalized yet: finalize it first, or compile a draft.");
    const store::CaseFiles files(Workstation::instance()->database().libraryRoot());
    const QString from = QString::fromStdString(files.absolute(versions_.back().storedPath).string());
    const QString to = file.toLocalFile();
    QFile::remove(to);
    if (!QFile::copy(from, to))
        return tr("%1: could not be written").arg(to);
    return {};
}

QString ReviewEditor::exportDicom(const QUrl& file)
{
    return attempt([&] {
        report::exportReviewDicom(Workstation::instance()->database(), caseId_, file.toLocalFile().toStdString(),
                                  Workstation::instance()->actor());
    });
}

}  // namespace consilium::app
