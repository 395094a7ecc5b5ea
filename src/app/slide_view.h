#pragma once
// A whole-slide image on screen: the tiles of one SlideSession slide drawn as scene-graph textures (no QML item per
// tile), zoomed to the cursor, panned with a kinetic flick, rotated by quarter turns. It never shows a hole: while
// the sharp tile loads, the best coarser cached tile is stretched in its place, over the coarsest level as an
// underlay. Navigation can be linked to a second view (serial sections side by side).
//
// View state: `centre` (the level-0 pixel at the middle of the item), `zoom` (item pixels per level-0 pixel) and
// `quarterTurns` (clockwise). Magnification is objective-equivalent: the scan's objective power times the zoom, or
// 10 µm / mpp when the file has mpp but no objective power, unknown when it has neither.
#include <QtQml/qqmlregistration.h>

#include <QElapsedTimer>
#include <QImage>
#include <QPointF>
#include <QPointer>
#include <QQuickItem>
#include <QRectF>
#include <QThreadPool>
#include <QTimer>
#include <atomic>
#include <map>
#include <memory>
#include <optional>
#include <vector>

#include "model/annotation.h"
#include "slide_annotations.h"
#include "slide_session.h"

namespace consilium::app {

class SlideView : public QQuickItem {
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(consilium::app::SlideSession* session READ session WRITE setSession NOTIFY sourceChanged)
    Q_PROPERTY(int slideId READ slideId WRITE setSlideId NOTIFY sourceChanged)
    Q_PROPERTY(bool ready READ ready NOTIFY stateChanged)
    Q_PROPERTY(QString status READ status NOTIFY stateChanged)  // "Opening the slide…", a failure, or empty
    Q_PROPERTY(bool calibrated READ calibrated NOTIFY stateChanged)
    Q_PROPERTY(QSizeF slideSize READ slideSize NOTIFY stateChanged)                      // level-0 pixels
    Q_PROPERTY(double nativeMagnification READ nativeMagnification NOTIFY stateChanged)  // 0: unknown
    Q_PROPERTY(QPointF centre READ centre NOTIFY viewChanged)
    Q_PROPERTY(double zoom READ zoom NOTIFY viewChanged)
    Q_PROPERTY(int quarterTurns READ quarterTurns WRITE setQuarterTurns NOTIFY viewChanged)
    Q_PROPERTY(double magnification READ magnification NOTIFY viewChanged)  // 0: unknown
    Q_PROPERTY(QString magnificationText READ magnificationText NOTIFY viewChanged)
    Q_PROPERTY(double scaleBarLength READ scaleBarLength NOTIFY viewChanged)  // item pixels
    Q_PROPERTY(QString scaleBarText READ scaleBarText NOTIFY viewChanged)
    Q_PROPERTY(QRectF visibleRegion READ visibleRegion NOTIFY viewChanged)  // normalised to the slide, 0…1
    Q_PROPERTY(QString cursorText READ cursorText NOTIFY cursorChanged)
    // Every visible tile drawn from the level the zoom wants (nothing stretched from a coarser one).
    Q_PROPERTY(bool sharp READ sharp NOTIFY frameDrawn)
    Q_PROPERTY(double frameCpuMs READ frameCpuMs NOTIFY frameDrawn)  // the last frame's scene-graph update
    Q_PROPERTY(consilium::app::SlideView* syncPartner READ syncPartner WRITE setSyncPartner NOTIFY syncPartnerChanged)
    // Annotating: the slide's annotations (drawn over the tiles) and the tool the mouse works with — "pan" (also
    // selects, moves and reshapes), "point", "ruler", "rectangle", "ellipse", "polygon", "freehand".
    Q_PROPERTY(
        consilium::app::SlideAnnotations* annotations READ annotations WRITE setAnnotations NOTIFY annotationsChanged)
    Q_PROPERTY(QString tool READ tool WRITE setTool NOTIFY toolChanged)
    Q_PROPERTY(int annotationsShown READ annotationsShown NOTIFY annotationsShownChanged)
    Q_PROPERTY(QVariantList labels READ labels NOTIFY annotationsShownChanged)  // [{x, y, text}] in item pixels

public:
    explicit SlideView(QQuickItem* parent = nullptr);
    ~SlideView() override;

    SlideSession* session() const { return session_; }
    void setSession(SlideSession* session);
    int slideId() const { return slideId_; }
    void setSlideId(int id);
    bool ready() const { return tiles_ != nullptr; }
    QString status() const { return status_; }
    bool calibrated() const;
    QSizeF slideSize() const;
    double nativeMagnification() const;
    QPointF centre() const { return centre_; }
    double zoom() const { return zoom_; }
    int quarterTurns() const { return quarterTurns_; }
    void setQuarterTurns(int turns);
    double magnification() const { return nativeMagnification() * zoom_; }
    QString magnificationText() const;
    double scaleBarLength() const;
    QString scaleBarText() const;
    QRectF visibleRegion() const;
    QString cursorText() const { return cursorText_; }
    bool sharp() const { return sharp_; }
    double frameCpuMs() const { return frameCpuMs_; }
    SlideView* syncPartner() const { return syncPartner_; }
    void setSyncPartner(SlideView* partner);
    SlideAnnotations* annotations() const { return annotations_; }
    void setAnnotations(SlideAnnotations* annotations);
    QString tool() const { return tool_; }
    void setTool(const QString& tool);
    int annotationsShown() const { return int(shown_.size()); }
    QVariantList labels() const;

    Q_INVOKABLE void fit();
    // Objective-equivalent magnification (1, 2, 5, 10, 20, 40 ×), about the middle of the view.
    Q_INVOKABLE void zoomToMagnification(double magnification);
    // Keeps the slide point under `itemPoint` where it is.
    Q_INVOKABLE void zoomBy(double factor, QPointF itemPoint);
    Q_INVOKABLE void panBy(QPointF itemDelta);
    Q_INVOKABLE void centreOnNormalised(QPointF point);  // from the overview: 0…1 of the slide
    Q_INVOKABLE void centreOn(QPointF level0);
    Q_INVOKABLE void rotateClockwise() { setQuarterTurns(quarterTurns_ + 1); }
    Q_INVOKABLE QPointF slidePoint(QPointF itemPoint) const;  // item -> level-0 pixels
    Q_INVOKABLE QPointF itemPoint(QPointF slidePoint) const;  // level-0 pixels -> item
    // The objective presets this slide can show (up to twice its scan magnification); empty when unknown.
    Q_INVOKABLE QVariantList magnificationPresets() const;

signals:
    void sourceChanged();
    void stateChanged();
    void viewChanged();
    void cursorChanged();
    void frameDrawn();
    void syncPartnerChanged();
    void annotationsChanged();
    void toolChanged();
    void annotationsShownChanged();

protected:
    QSGNode* updatePaintNode(QSGNode* old, UpdatePaintNodeData*) override;
    void geometryChange(const QRectF& now, const QRectF& before) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void mouseDoubleClickEvent(QMouseEvent* event) override;
    void hoverMoveEvent(QHoverEvent* event) override;
    void hoverLeaveEvent(QHoverEvent* event) override;
    void wheelEvent(QWheelEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;

private:
    void attach();
    void onOpened(int id);
    void onFailed(int id, const QString& message);
    double fitZoom() const;
    void setView(QPointF centre, double zoom, QPointF focus);  // clamps, redraws, requests tiles around `focus`
    void requestTiles(QPointF focusItemPoint);
    void followPan(QPointF itemDelta);  // the partner's moves, applied without passing them on
    void followZoom(double factor, QPointF normalisedItemPoint);
    void flickStep();
    void updateCursor(QPointF itemPoint);
    void publishFrame(bool sharp, double cpuMs);  // from the render thread

    // Annotating (slide_view_marks.cpp).
    void queryAnnotations();  // always: what is stored changed
    void queryAnnotationsIfNeeded(bool force);
    model::PixelPoint slidePixel(QPointF itemPoint) const;
    bool pressForAnnotation(QMouseEvent* event);
    bool moveForAnnotation(QMouseEvent* event);
    bool releaseForAnnotation(QMouseEvent* event);
    bool doubleClickForAnnotation(QMouseEvent* event);
    bool keyForAnnotation(QKeyEvent* event);
    void finishDraft();
    void updateMarks(class TileLayerNode* layer);
    struct CrowdReader;
    void startCrowd(const model::PixelBounds& region, double zoom, bool force);
    void crowdReady(std::vector<model::Annotation> marks, QImage image, const model::PixelBounds& region, double zoom);

    QPointer<SlideSession> session_;
    int slideId_ = 0;
    std::shared_ptr<pathology::SlideTiles> tiles_;
    QString status_;
    int viewNumber_;
    std::uint64_t generation_ = 0;

    QPointF centre_;
    double zoom_ = 1;
    int quarterTurns_ = 0;
    bool fitted_ = true;  // follows the item's size until the user moves the view

    QPointF lastMouse_;
    QPointF velocity_;  // item pixels per ms, while dragging and during a flick
    QElapsedTimer moveClock_;
    QElapsedTimer flickClock_;
    QTimer flick_;
    bool dragging_ = false;
    QString cursorText_;
    QPointer<SlideView> syncPartner_;

    QPointer<SlideAnnotations> annotations_;
    QString tool_ = QStringLiteral("pan");
    std::vector<model::Annotation> shown_;      // what the last viewport query returned
    std::optional<model::Annotation> draft_;    // being drawn
    std::optional<model::Annotation> editing_;  // the selected annotation being moved or reshaped, not yet stored
    int editingVertex_ = -1;                    // -1: the whole annotation moves
    model::PixelPoint editAnchor_;
    model::PixelBounds queried_{0, 0, -1, -1};  // the region shown_ came from (empty at first)
    double queriedZoom_ = 0;
    double marksZoom_ = 0;
    bool rasterMarks_ = false;  // the marks are one painted texture (a crowd), not geometry
    QTimer marksSettle_;        // the zoom has rested: paint the crowd again, sharp
    bool crowdBusy_ = false, crowdAgain_ = false, crowdAgainForced_ = false, crowdFresh_ = false;
    QImage crowdImage_;  // painted, not yet uploaded
    model::PixelBounds crowdRegion_;
    std::shared_ptr<CrowdReader>
        crowdReader_;  // the zoom the marks were built for (point crosses keep their screen size)
    bool marksDirty_ = true;
    bool annotationGesture_ = false;  // the mouse press went to a tool or a mark, not to panning

    bool sharp_ = false;
    double frameCpuMs_ = 0;
    std::atomic<bool> framePending_{false};
    QThreadPool crowdWorker_;  // last: destroyed first, waiting for a crowd being painted
};

}  // namespace consilium::app
