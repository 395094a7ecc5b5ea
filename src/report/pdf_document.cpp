#include "report/pdf_document.h"

#include <unistd.h>

#include <QAbstractTextDocumentLayout>
#include <QByteArray>
#include <QDir>
#include <QFile>
#include <QGuiApplication>
#include <QImage>
#include <QPainter>
#include <QPdfWriter>
#include <QTextBlock>
#include <QTextCursor>
#include <QTextDocument>
#include <QTextLayout>
#include <QTextTable>
#include <QUrl>
#include <cmath>
#include <memory>
#include <optional>
#include <set>
#include <vector>

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

Paper paperFrom(std::string_view text)
{
    if (text == "a4")
        return Paper::A4;
    if (text == "letter")
        return Paper::Letter;
    throw UsageError("--paper", "'" + std::string(text) + "' is not one of: a4, letter");
}

std::string_view toString(Paper paper) { return paper == Paper::Letter ? "letter" : "a4"; }

namespace {

double pixelsPerMm(const QPdfWriter& writer) { return writer.resolution() / 25.4; }

// What may not be left split across a page's foot: headings (kept with the text after them) and tables marked
// with an anchor named "keep-together…" (a figure with its caption). Numbered in document order: headings by
// block, tables by their place among the top-level frames.
struct PageBreakKey {
    bool table = false;
    int index = 0;
    auto operator<=>(const PageBreakKey&) const = default;
};

bool markedKeepTogether(QTextDocument& doc, const QTextTable* table)
{
    for (QTextBlock b = doc.findBlock(table->firstPosition()); b.isValid() && b.position() <= table->lastPosition();
         b = b.next())
        for (auto it = b.begin(); !it.atEnd(); ++it)
            for (const QString& name : it.fragment().charFormat().anchorNames())
                if (name.startsWith(QLatin1String("keep-together")))
                    return true;
    return false;
}

std::vector<QTextTable*> topLevelTables(QTextDocument& doc)
{
    std::vector<QTextTable*> tables;
    for (QTextFrame* frame : doc.rootFrame()->childFrames())
        if (auto* table = qobject_cast<QTextTable*>(frame))
            tables.push_back(table);
    return tables;
}

// The first (highest on its page) heading or kept table of a laid-out document that needs a page break before it.
std::optional<PageBreakKey> firstToMove(QTextDocument& doc, double pageHeight, double minimumRoom,
                                        const std::set<PageBreakKey>& done)
{
    auto* layout = doc.documentLayout();
    std::optional<PageBreakKey> first;
    double firstTop = 0;
    const auto consider = [&](PageBreakKey key, const QRectF& rect, double room) {
        const double pageTop = std::floor(rect.top() / pageHeight) * pageHeight;
        // A kept table longer than half a page may still split: moving it would leave too large a gap.
        const bool stranded = pageTop + pageHeight - rect.bottom() < room && rect.top() - pageTop > 1.0 &&
                              rect.height() < pageHeight * 0.5;
        if (stranded && !done.count(key) && (!first || rect.top() < firstTop)) {
            first = key;
            firstTop = rect.top();
        }
    };
    std::map<int, int> headingOfBlock;  // block number → heading index
    for (QTextBlock block = doc.begin(); block.isValid(); block = block.next())
        if (block.blockFormat().headingLevel() > 0) {
            const int index = int(headingOfBlock.size());
            headingOfBlock[block.blockNumber()] = index;
            consider({false, index}, layout->blockBoundingRect(block), minimumRoom);
        }
    const auto tables = topLevelTables(doc);
    for (std::size_t i = 0; i < tables.size(); ++i)
        if (markedKeepTogether(doc, tables[i]))
            consider({true, int(i)}, layout->frameBoundingRect(tables[i]), 0.0);
    // A kept table right under its heading moves with it: the break goes before the heading.
    if (first && first->table) {
        const QTextBlock before = doc.findBlock(tables[std::size_t(first->index)]->firstPosition() - 1);
        if (const auto it = headingOfBlock.find(before.blockNumber());
            it != headingOfBlock.end() && !done.count({false, it->second}))
            first = PageBreakKey{false, it->second};
    }
    return first;
}

void applyPageBreaks(QTextDocument& doc, const std::set<PageBreakKey>& breaks)
{
    int index = 0;
    for (QTextBlock block = doc.begin(); block.isValid(); block = block.next()) {
        if (block.blockFormat().headingLevel() == 0)
            continue;
        if (breaks.count({false, index++})) {
            QTextBlockFormat format;
            format.setPageBreakPolicy(QTextFormat::PageBreak_AlwaysBefore);
            QTextCursor(block).mergeBlockFormat(format);
        }
    }
    const auto tables = topLevelTables(doc);
    for (std::size_t i = 0; i < tables.size(); ++i)
        if (breaks.count({true, int(i)})) {
            QTextTableFormat format = tables[i]->format();
            format.setPageBreakPolicy(QTextFormat::PageBreak_AlwaysBefore);
            tables[i]->setFormat(format);
        }
}

std::map<std::string, double> anchorPositions(QTextDocument& doc, double pageHeight)
{
    std::map<std::string, double> anchors;
    auto* layout = doc.documentLayout();
    for (QTextBlock block = doc.begin(); block.isValid(); block = block.next()) {
        for (auto it = block.begin(); !it.atEnd(); ++it) {
            for (const QString& name : it.fragment().charFormat().anchorNames()) {
                const QTextLayout* lines = block.layout();
                const QRectF rect = layout->blockBoundingRect(block);
                double y = rect.top();
                if (lines && lines->lineCount() > 0)
                    y += lines->lineForTextPosition(it.fragment().position() - block.position()).y();
                anchors.emplace(name.toStdString(), y / pageHeight);
            }
        }
    }
    anchors[""] = doc.documentLayout()->documentSize().height() / pageHeight;
    return anchors;
}

// QPdfWriter stamps the time of writing as the creation date (Qt 6.4 has no setter): overwrite it in place with a
// date of the same length, so no cross-reference offset moves.
void fixCreationDate(const std::filesystem::path& out, const std::string& isoUtc)
{
    QFile file(QString::fromStdString(out.string()));
    if (!file.open(QIODevice::ReadWrite))
        throw Error(out.string(), "cannot be reopened to fix its creation date");
    QByteArray bytes = file.readAll();
    const QByteArray key = "/CreationDate (D:";
    const qsizetype at = bytes.indexOf(key);
    const qsizetype end = at < 0 ? -1 : bytes.indexOf(')', at);
    if (at < 0 || end < 0)
        return;
    QByteArray date;
    for (char c : isoUtc)
        if (c >= '0' && c <= '9')
            date += c;
    date = date.left(14).leftJustified(14, '0');
    const qsizetype length = end - (at + key.size());
    date += length == 15 ? QByteArray("Z") : QByteArray("+00'00'");
    if (date.size() != length)
        return;  // a form Qt did not write before: leave it rather than break the file
    bytes.replace(at + key.size(), length, date);
    file.seek(0);
    file.write(bytes);
}

}  // namespace

PdfLayout typesetPdf(const std::string& html, const std::filesystem::path& out, const PageSetup& setup)
{
    HeadlessGuiContext gui;
    PdfLayout result;
    {
        QPdfWriter writer(QString::fromStdString(out.string()));
        writer.setPageSize(QPageSize(setup.paper == Paper::Letter ? QPageSize::Letter : QPageSize::A4));
        writer.setResolution(300);
        const double mm = pixelsPerMm(writer);
        const double top = setup.header.empty() && setup.headerRight.empty() ? setup.marginMm : setup.marginMm + 4;
        writer.setPageMargins(QMarginsF(setup.marginMm, top, setup.marginMm, setup.marginMm + 6),
                              QPageLayout::Millimeter);
        writer.setTitle(QString::fromStdString(setup.title));
        writer.setCreator(QString::fromStdString(setup.author));

        QPainter painter;
        if (!painter.begin(&writer))
            throw Error(out.string(), "cannot be written (folder missing or not writable)");

        // Lay the document out at the printer's resolution so that point sizes come out as printed.
        const QRectF page = writer.pageLayout().paintRectPixels(writer.resolution());
        QTextDocument doc;
        QFont font(QString::fromStdString(setup.fontFamily));
        font.setPointSizeF(setup.baseFontPt);
        // A letter spacing Qt sees as non-zero (invisible at 300 dpi) turns off the fi/fl ligatures, so the PDF's
        // text stays searchable and copyable as typed ("definitive", not "deﬁnitive").
        font.setLetterSpacing(QFont::AbsoluteSpacing, 0.05);
        doc.setDefaultFont(font);
        doc.documentLayout()->setPaintDevice(&writer);
        for (const auto& [name, bytes] : setup.images)
            doc.addResource(QTextDocument::ImageResource, QUrl(QString::fromStdString(name)),
                            QImage::fromData(QByteArray::fromRawData(bytes.data(), qsizetype(bytes.size()))));
        // Qt has no "keep with next": a heading left at the foot of a page, or a kept table split by one, gets a page
        // break before it. Changing a laid-out document's formats does not lay it out again reliably (text went
        // missing), so the document is set afresh with the breaks applied before layout, moving the first
        // offender each time.
        std::set<PageBreakKey> breaks;
        for (int pass = 0;; ++pass) {
            doc.setHtml(QString::fromStdString(html));
            applyPageBreaks(doc, breaks);
            doc.setPageSize(page.size());
            doc.setDocumentMargin(0);
            if (setup.keepHeadingsWithTextMm <= 0 || pass == 16)
                break;
            const auto next = firstToMove(doc, page.height(), setup.keepHeadingsWithTextMm * mm, breaks);
            if (!next)
                break;
            breaks.insert(*next);
        }

        const int pages = doc.pageCount();
        result.pages = pages;
        result.anchors = anchorPositions(doc, page.height());
        const double footerGap = 4.0 * mm;  // 4 mm below the text block
        QFont marginFont("DejaVu Sans");
        marginFont.setPointSizeF(7.5);
        for (int i = 0; i < pages; ++i) {
            if (i > 0)
                writer.newPage();
            painter.save();
            painter.translate(0, -i * page.height());
            doc.drawContents(&painter, QRectF(0, i * page.height(), page.width(), page.height()));
            painter.restore();
            painter.setFont(marginFont);
            painter.setPen(QColor(90, 90, 90));
            if (!setup.header.empty() || !setup.headerRight.empty()) {
                const QRectF line(0, -9.0 * mm, page.width(), 5.0 * mm);
                painter.drawText(line, Qt::AlignLeft | Qt::AlignBottom, QString::fromStdString(setup.header));
                painter.drawText(line, Qt::AlignRight | Qt::AlignBottom, QString::fromStdString(setup.headerRight));
                painter.setPen(QPen(QColor(11, 61, 98), 0.25 * mm));
                painter.drawLine(QPointF(0, -3.0 * mm), QPointF(page.width(), -3.0 * mm));
                painter.setPen(QColor(90, 90, 90));
            }
            const QString footer =
                QString::fromStdString(setup.footer) + QStringLiteral("    page %1 of %2").arg(i + 1).arg(pages);
            painter.drawText(QRectF(0, page.height() + footerGap, page.width(), footerGap * 3),
                             Qt::AlignLeft | Qt::AlignTop, footer);
        }
        if (!painter.end())
            throw Error(out.string(), "writing the PDF failed");
    }
    if (!setup.creationDate.empty())
        fixCreationDate(out, setup.creationDate);
    return result;
}

int writePdf(const std::string& html, const std::filesystem::path& out, const PageSetup& setup)
{
    return typesetPdf(html, out, setup).pages;
}

}  // namespace consilium::report
