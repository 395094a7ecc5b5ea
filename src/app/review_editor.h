#pragma once
// The written review of one case, as the reviewers edit it: each section's Markdown with its draft/ready state,
// the structured findings of each role, the key images, a compiled preview of the PDF (compiled off the UI thread,
// on its own database connection), and the chair's finalize, amend and export. The store decides who may write
// what; a refusal comes back as the text to show.
#include <QtQml/qqmlregistration.h>

#include <QObject>
#include <QString>
#include <QTemporaryDir>
#include <QThreadPool>
#include <QUrl>
#include <QVariantList>
#include <QVariantMap>
#include <memory>

#include "model/review.h"

namespace consilium::app {

class ReviewEditor : public QObject {
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(QString caseReference READ caseReference WRITE setCaseReference NOTIFY loaded)
    Q_PROPERTY(QString title READ title NOTIFY loaded)  // "SO-2026-0001 · Aigerim Sadykova"
    Q_PROPERTY(QString question READ question NOTIFY loaded)
    Q_PROPERTY(QVariantList sections READ sections NOTIFY loaded)
    Q_PROPERTY(QVariantMap pathology READ pathology NOTIFY loaded)
    Q_PROPERTY(QVariantMap radiology READ radiology NOTIFY loaded)
    Q_PROPERTY(QVariantMap chair READ chair NOTIFY loaded)
    Q_PROPERTY(QVariantList keyImages READ keyImages NOTIFY loaded)
    Q_PROPERTY(QVariantList versions READ versions NOTIFY loaded)
    Q_PROPERTY(bool allReady READ allReady NOTIFY loaded)
    Q_PROPERTY(bool isChair READ isChair NOTIFY loaded)
    Q_PROPERTY(QUrl preview READ preview NOTIFY previewChanged)  // the last compiled draft
    Q_PROPERTY(QString previewNote READ previewNote NOTIFY previewChanged)
    Q_PROPERTY(bool previewWarns READ previewWarns NOTIFY previewChanged)
    Q_PROPERTY(bool compiling READ compiling NOTIFY compilingChanged)
    Q_PROPERTY(QString paper READ paper WRITE setPaper NOTIFY previewChanged)  // "a4" or "letter"
    Q_PROPERTY(QString error READ error NOTIFY loaded)

public:
    explicit ReviewEditor(QObject* parent = nullptr);
    ~ReviewEditor() override;

    QString caseReference() const { return caseReference_; }
    void setCaseReference(const QString& reference);
    QString title() const { return title_; }
    QString question() const { return question_; }
    QVariantList sections() const;
    QVariantMap pathology() const;
    QVariantMap radiology() const;
    QVariantMap chair() const;
    QVariantList keyImages() const;
    QVariantList versions() const;
    bool allReady() const { return findings_.draftSections().empty(); }
    bool isChair() const;
    QUrl preview() const { return preview_; }
    QString previewNote() const { return previewNote_; }
    bool previewWarns() const { return previewWarns_; }
    bool compiling() const { return compiling_; }
    QString paper() const { return paper_; }
    void setPaper(const QString& paper);
    QString error() const { return error_; }

    Q_INVOKABLE QString sectionBody(const QString& key) const;
    // Each returns an empty string when saved, or why not (the store's refusal, a missing reasoning, …).
    Q_INVOKABLE QString saveSection(const QString& key, const QString& markdown, bool ready);
    Q_INVOKABLE QString savePathology(const QVariantMap& fields);
    Q_INVOKABLE QString saveRadiology(const QVariantMap& fields);
    Q_INVOKABLE QString saveChair(const QVariantMap& fields);
    Q_INVOKABLE QString removeKeyImage(int id);
    // Compiles the draft into a fresh file (the preview reloads); off the UI thread.
    Q_INVOKABLE void compilePreview();
    Q_INVOKABLE QString finalize(const QString& amendmentReason);
    Q_INVOKABLE QString exportPdf(const QUrl& file);
    Q_INVOKABLE QString exportDicom(const QUrl& file);
    Q_INVOKABLE void reload();

signals:
    void loaded();
    void previewChanged();
    void compilingChanged();
    void saved();  // something was written: the preview is out of date

private:
    // Runs `write`, reloads what it can have changed (the findings; key images and versions too when `everything`),
    // returns "" or the reason.
    QString attempt(const std::function<void()>& write, bool everything = false);
    void reloadFindings();
    void previewCompiled(const QString& file, int pages, const QString& warning, const QString& error);

    QString caseReference_;
    std::int64_t caseId_ = 0;
    QString title_;
    QString question_;
    model::ReviewFindings findings_;
    std::vector<model::KeyImage> keyImages_;
    std::vector<model::ReviewVersion> versions_;
    QString error_;
    QUrl preview_;
    QString previewNote_;
    bool previewWarns_ = false;
    bool compiling_ = false;
    bool compileAgain_ = false;
    int generation_ = 0;
    QString paper_ = QStringLiteral("a4");
    std::unique_ptr<QTemporaryDir> previews_;
    QThreadPool compiler_;
};

}  // namespace consilium::app
