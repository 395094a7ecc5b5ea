#include "pathology/tile_cache.h"

namespace consilium::pathology {

namespace {
// A list node, a hash node and the image's header, rounded up: small next to 196 kB of pixels, but it keeps a
// budget honest for tiny edge tiles.
constexpr std::size_t kBookkeepingBytes = 160;
}  // namespace

TileCache::TileCache(std::size_t capacityBytes) : capacity_(capacityBytes) {}

std::size_t TileCache::cost(const RgbImage& pixels) { return pixels.rgb.capacity() + kBookkeepingBytes; }

TilePixels TileCache::lookup(const TileKey& key)
{
    const auto it = index_.find(key);
    if (it == index_.end())
        return nullptr;
    order_.splice(order_.begin(), order_, it->second);  // most recently used; iterators stay valid
    return it->second->pixels;
}

TilePixels TileCache::get(const TileKey& key)
{
    std::lock_guard lock(mutex_);
    TilePixels found = lookup(key);
    ++(found ? hits_ : misses_);
    return found;
}

TilePixels TileCache::find(const TileKey& key)
{
    std::lock_guard lock(mutex_);
    return lookup(key);
}

bool TileCache::contains(const TileKey& key) const
{
    std::lock_guard lock(mutex_);
    return index_.count(key) > 0;
}

void TileCache::put(const TileKey& key, TilePixels pixels)
{
    if (!pixels)
        return;
    const std::size_t bytes = cost(*pixels);
    std::lock_guard lock(mutex_);
    if (const auto it = index_.find(key); it != index_.end()) {
        bytes_ -= it->second->bytes;
        order_.erase(it->second);
        index_.erase(it);
    }
    if (bytes > capacity_)
        return;
    order_.push_front(Entry{key, std::move(pixels), bytes});
    index_.emplace(key, order_.begin());
    bytes_ += bytes;
    evictToBudget();
}

void TileCache::evictToBudget()
{
    while (bytes_ > capacity_ && !order_.empty()) {
        const Entry& last = order_.back();
        bytes_ -= last.bytes;
        index_.erase(last.key);
        order_.pop_back();
        ++evictions_;
    }
}

void TileCache::clear()
{
    std::lock_guard lock(mutex_);
    order_.clear();
    index_.clear();
    bytes_ = 0;
}

TileCacheStats TileCache::stats() const
{
    std::lock_guard lock(mutex_);
    return {hits_, misses_, evictions_, index_.size(), bytes_, capacity_};
}

}  // namespace consilium::pathology
