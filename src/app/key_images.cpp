#include "key_images.h"

#include <QBuffer>

#include "qt_text.h"
#include "store/case_repository.h"
#include "store/review_repository.h"
#include "workstation.h"

namespace consilium::app {

KeyImages::KeyImages(QObject* parent) : QObject(parent) {}

void KeyImages::setCaseReference(const QString& reference)
{
    if (reference == caseReference_)
        return;
    caseReference_ = reference;
    refresh();
}

void KeyImages::refresh()
{
    count_ = 0;
    try {
        store::Database& db = Workstation::instance()->database();
        const model::Case c = store::CaseRepository(db).find(caseReference_.toStdString());
        count_ = int(store::ReviewRepository(db).keyImageCount(c.id));
    } catch (const std::exception&) {
        // Not a case (a loose file in a viewer): nothing to count; add() says why.
    }
    emit changed();
}

QString KeyImages::add(const QVariant& image, const QString& caption, const QString& source)
{
    const QImage picture = image.value<QImage>();
    if (picture.isNull())
        return tr("Nothing was captured.");
    if (caption.trimmed().isEmpty())
        return tr("A key image needs a caption: say what the reader should see.");
    QByteArray png;
    QBuffer buffer(&png);
    buffer.open(QIODevice::WriteOnly);
    picture.save(&buffer, "PNG");
    try {
        store::Database& db = Workstation::instance()->database();
        const model::Case c = store::CaseRepository(db).find(caseReference_.toStdString());
        model::KeyImage k;
        k.png.assign(png.constData(), std::size_t(png.size()));
        k.caption = caption.trimmed().toStdString();
        k.source = source.toStdString();
        store::ReviewRepository(db).addKeyImage(c.id, std::move(k), Workstation::instance()->actor());
    } catch (const std::exception& e) {
        return qs(e.what());
    }
    refresh();
    return {};
}

}  // namespace consilium::app
