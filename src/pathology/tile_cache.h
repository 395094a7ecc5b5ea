#pragma once
// Decoded tiles kept in memory, least recently used first out, within a byte budget. OpenSlide 3.4.1 has no cache
// API and costs about 1 ms a 256² read even when its own cache hits, so a viewer that pans back over what it has
// already shown must find the pixels here.
#include "pathology/slide.h"
#include "pathology/tile_pyramid.h"

#include <cstddef>
#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <unordered_map>

namespace consilium::pathology {

// Shared and immutable: a viewer may keep drawing a tile after the cache has let it go.
using TilePixels = std::shared_ptr<const RgbImage>;

struct TileCacheStats {
    std::uint64_t hits = 0;       // lookups through get() that found the tile
    std::uint64_t misses = 0;     // lookups through get() that did not
    std::uint64_t evictions = 0;  // tiles let go to stay within the budget
    std::size_t tiles = 0;
    std::size_t bytes = 0;  // what the tiles held here cost (pixels + bookkeeping)
    std::size_t capacityBytes = 0;
};

// Thread-safe; every method takes one short lock.
class TileCache {
public:
    explicit TileCache(std::size_t capacityBytes);
    TileCache(const TileCache&) = delete;
    TileCache& operator=(const TileCache&) = delete;

    // The tile, now the most recently used, or null; counted in the hit rate.
    TilePixels get(const TileKey& key);
    // As get(), but not counted: for the engine's own look-ups, so the hit rate stays the viewer's.
    TilePixels find(const TileKey& key);
    bool contains(const TileKey& key) const;
    // Stores (or replaces) the tile as the most recently used, then lets the least recently used ones go until the
    // budget holds. A tile larger than the whole budget is not kept.
    void put(const TileKey& key, TilePixels pixels);
    void clear();

    TileCacheStats stats() const;
    // The bytes one tile is charged: its pixels and the cache's bookkeeping for it.
    static std::size_t cost(const RgbImage& pixels);

private:
    struct Entry {
        TileKey key;
        TilePixels pixels;
        std::size_t bytes;
    };
    using Order = std::list<Entry>;  // front = most recently used

    TilePixels lookup(const TileKey& key);  // caller holds mutex_
    void evictToBudget();                   // caller holds mutex_

    mutable std::mutex mutex_;
    const std::size_t capacity_;
    Order order_;
    std::unordered_map<TileKey, Order::iterator, TileKeyHash> index_;
    std::size_t bytes_ = 0;
    std::uint64_t hits_ = 0, misses_ = 0, evictions_ = 0;
};

}  // namespace consilium::pathology
