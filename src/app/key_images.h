#pragma once
// Key images for the written review, captured in the viewers: the view as shown (overlays, scale bar, marks) at the
// screen's own resolution, with a caption and where it came from. QML: `KeyImages { caseReference: … }` and
// `item.grabToImage(r => keyImages.add(r.image, caption, source))`.
#include <QtQml/qqmlregistration.h>

#include <QImage>
#include <QObject>
#include <QString>
#include <QVariant>

namespace consilium::app {

class KeyImages : public QObject {
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(QString caseReference READ caseReference WRITE setCaseReference NOTIFY changed)
    Q_PROPERTY(int count READ count NOTIFY changed)

public:
    explicit KeyImages(QObject* parent = nullptr);
    QString caseReference() const { return caseReference_; }
    void setCaseReference(const QString& reference);
    int count() const { return count_; }

    // Stores the image (PNG) in the review's key images. Returns an empty string, or why not.
    Q_INVOKABLE QString add(const QVariant& image, const QString& caption, const QString& source);

signals:
    void changed();

private:
    void refresh();
    QString caseReference_;
    int count_ = 0;
};

}  // namespace consilium::app
