#include "report/pdf_document.h"

#include <unistd.h>

#include <QAbstractTextDocumentLayout>
#include <QDir>
#include <QFile>
#include <QGuiApplication>
#include <QPainter>
#include <QPdfWriter>
#include <QTextDocument>
#include <memory>

#include "model/error.h"

namespace consilium::report {

struct HeadlessGuiContext::Owned {
    int argc = 1;
    char name[16] = "consilium";
    char* argv[2] = {name, nullptr};
    std::unique_ptr<QGuiApplication> app;
};

HeadlessGuiContext::HeadlessGuiContext()
{
    if (QCoreApplication::instance())
        return;
    // A command-line run has no display: text layout needs only fonts, which the offscreen platform provides.
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    // Qt warns on every run without a session runtime folder (cron, CI, ssh): give it a private one.
    if (qEnvironmentVariableIsEmpty("XDG_RUNTIME_DIR")) {
        const QByteArray dir = QDir::tempPath().toUtf8() + "/consilium-runtime-" + QByteArray::number(getuid());
        QDir().mkpath(QString::fromUtf8(dir));
        QFile::setPermissions(QString::fromUtf8(dir), QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
        qputenv("XDG_RUNTIME_DIR", dir);
    }
    owned_ = new Owned;
    owned_->app = std::make_unique<QGuiApplication>(owned_->argc, owned_->argv);
}

HeadlessGuiContext::~HeadlessGuiContext() { delete owned_; }

int writePdf(const std::string& html, const std::filesystem::path& out, const PageSetup& setup)
{
    HeadlessGuiContext gui;
    QPdfWriter writer(QString::fromStdString(out.string()));
    writer.setPageSize(QPageSize(QPageSize::A4));
    writer.setResolution(300);
    writer.setPageMargins(QMarginsF(setup.marginMm, setup.marginMm, setup.marginMm, setup.marginMm + 6),
                          QPageLayout::Millimeter);
    writer.setTitle(QString::fromStdString(setup.title));
    writer.setCreator(QString::fromStdString(setup.author));

    QPainter painter;
    if (!painter.begin(&writer))
        throw Error(out.string(), "cannot be written (folder missing or not writable)");

    // Lay the document out at the printer's resolution so that point sizes come out as printed.
    const QRectF page = writer.pageLayout().paintRectPixels(writer.resolution());
    QTextDocument doc;
    QFont font("DejaVu Sans");
    font.setPointSizeF(setup.baseFontPt);
    doc.setDefaultFont(font);
    doc.documentLayout()->setPaintDevice(&writer);
    doc.setHtml(QString::fromStdString(html));
    doc.setPageSize(page.size());
    doc.setDocumentMargin(0);

    const int pages = doc.pageCount();
    const double footerGap = writer.resolution() * 4.0 / 25.4;  // 4 mm below the text block
    QFont footerFont("DejaVu Sans");
    footerFont.setPointSizeF(7.5);
    for (int i = 0; i < pages; ++i) {
        if (i > 0)
            writer.newPage();
        painter.save();
        painter.translate(0, -i * page.height());
        doc.drawContents(&painter, QRectF(0, i * page.height(), page.width(), page.height()));
        painter.restore();
        painter.setFont(footerFont);
        painter.setPen(QColor(90, 90, 90));
        const QString footer =
            QString::fromStdString(setup.footer) + QStringLiteral("    page %1 of %2").arg(i + 1).arg(pages);
        painter.drawText(QRectF(0, page.height() + footerGap, page.width(), footerGap * 3),
                         Qt::AlignLeft | Qt::AlignTop, footer);
    }
    if (!painter.end())
        throw Error(out.string(), "writing the PDF failed");
    return pages;
}

}  // namespace consilium::report
