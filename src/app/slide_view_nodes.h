#pragma once
// The scene-graph node of a SlideView (render thread only): see slide_view.h.
#include <QImage>
#include <QQuickWindow>
#include <QSGSimpleRectNode>
#include <QSGSimpleTextureNode>
#include <QSGTexture>
#include <QSGTransformNode>
#include <algorithm>
#include <memory>
#include <unordered_map>
#include <vector>

#include "pathology/slide_tiles.h"

namespace consilium::app {

constexpr int kUploadsPerFrame = 48;          // new textures a frame may create; the rest wait a frame
constexpr std::size_t kTextureBudget = 1500;  // 128² RGBA tiles: about 100 MB of texture memory

// The scene-graph side of a SlideView: a transform (slide -> item) over a paper rectangle and the tile quads. It owns
// the tile textures, so they are created and destroyed on the render thread with the scene graph.
class TileLayerNode : public QSGTransformNode {
public:
    struct Texture {
        std::unique_ptr<QSGTexture> texture;
        std::uint64_t lastFrame = 0;
    };
    TileLayerNode()
    {
        paper = new QSGSimpleRectNode;
        appendChildNode(paper);
        quads = new QSGNode;
        appendChildNode(quads);
        crowd = new QSGNode;
        appendChildNode(crowd);
        marks = new QSGNode;
        appendChildNode(marks);
    }
    ~TileLayerNode() override { clearQuads(); }

    void clearQuads()
    {
        while (QSGNode* child = quads->firstChild()) {
            quads->removeChildNode(child);
            delete child;
        }
    }

    // The texture of a cached tile; null when the upload budget of this frame is spent.
    QSGTexture* texture(QQuickWindow* window, const pathology::TileKey& key, const pathology::TilePixels& pixels)
    {
        if (const auto it = textures.find(key); it != textures.end()) {
            it->second.lastFrame = frame;
            return it->second.texture.get();
        }
        if (uploads >= kUploadsPerFrame)
            return nullptr;
        ++uploads;
        const QImage wrapped(pixels->rgb.data(), pixels->width, pixels->height, pixels->width * 3,
                             QImage::Format_RGB888);
        // A deep copy in the layout the GPU takes: the cache may evict the pixels before the upload happens.
        QSGTexture* t = window->createTextureFromImage(wrapped.convertToFormat(QImage::Format_RGBX8888));
        t->setFiltering(QSGTexture::Linear);
        textures[key] = Texture{std::unique_ptr<QSGTexture>(t), frame};
        return t;
    }

    void evict()
    {
        if (textures.size() <= kTextureBudget)
            return;
        std::vector<std::pair<std::uint64_t, pathology::TileKey>> byAge;
        for (const auto& [key, t] : textures)
            if (t.lastFrame < frame)
                byAge.emplace_back(t.lastFrame, key);
        std::sort(byAge.begin(), byAge.end());
        for (const auto& [age, key] : byAge) {
            if (textures.size() <= kTextureBudget * 2 / 3)
                break;
            textures.erase(key);
        }
    }

    void addQuad(QSGTexture* texture, const QRectF& target, const QRectF& source)
    {
        auto* quad = new QSGSimpleTextureNode;
        quad->setTexture(texture);
        quad->setRect(target);
        quad->setSourceRect(source);
        quad->setFiltering(QSGTexture::Linear);
        quads->appendChildNode(quad);
    }

    const pathology::SlideTiles* engine = nullptr;  // whose tiles the textures hold
    std::unordered_map<pathology::TileKey, Texture, pathology::TileKeyHash> textures;
    std::uint64_t frame = 0;
    int uploads = 0;
    QSGSimpleRectNode* paper;
    QSGNode* quads;
    QSGNode* crowd;  // a crowd of annotations painted into one texture (slide_view_marks.cpp)
    QSGNode* marks;  // annotations as line geometry per colour, the selection and the draft
};

}  // namespace consilium::app
