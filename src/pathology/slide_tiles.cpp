#include "pathology/slide_tiles.h"

#include "pathology/image_ops.h"

#include <algorithm>
#include <string>
#include <thread>
#include <utility>

namespace consilium::pathology {

namespace {

// A preview costs at most this many tile reads: on 2 cores about 4 ms, well inside a frame or two.
constexpr std::size_t kMaxPreviewTiles = 8;

enum Tier { kPreview = 0, kVisible = 1, kNeighbours = 2, kFinerLevel = 3, kCoarserLevel = 4 };

SlideRect scaledAboutCentre(const SlideRect& r, double factor)
{
    const double w = r.width * factor, h = r.height * factor;
    return {r.x + (r.width - w) / 2, r.y + (r.height - h) / 2, w, h};
}

SlideRect grown(const SlideRect& r, double margin)
{
    return {r.x - margin, r.y - margin, r.width + 2 * margin, r.height + 2 * margin};
}

std::string describe(const TileKey& key)
{
    return "tile (level " + std::to_string(key.level) + ", column " + std::to_string(key.col) + ", row " +
           std::to_string(key.row) + ")";
}

}  // namespace

int SlideTilesOptions::defaultWorkers() { return int(std::clamp(std::thread::hardware_concurrency(), 1u, 4u)); }

SlideTiles::SlideTiles(std::shared_ptr<const Slide> slide, SlideTilesOptions options)
    : slide_(slide ? std::move(slide) : throw Error("tile engine", "no slide given")),
      options_(std::move(options)),
      pyramid_(slide_->info(), options_.tileSize),
      cache_(options_.cacheBytes)
{
    if (options_.workers < 0 || options_.workers > 64)
        throw Error(slide_->path().string(), "worker count " + std::to_string(options_.workers) + " out of range");
    for (int i = 0; i < options_.workers; ++i)
        workers_.emplace_back([this] { workerLoop(); });
}

SlideTiles::~SlideTiles()
{
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
        queue_.clear();
    }
    workAvailable_.notify_all();
    stateChanged_.notify_all();
    for (std::thread& t : workers_)
        t.join();
}

// ---- scheduling --------------------------------------------------------------------------------------------------

bool SlideTiles::moreUrgent(const Job& a, const Job& b)
{
    if (a.tier != b.tier)
        return a.tier < b.tier;
    if (a.distance != b.distance)
        return a.distance < b.distance;
    return a.sequence < b.sequence;
}

std::size_t SlideTiles::requestViewport(const ViewportRequest& request)
{
    if (request.level < 0 || request.level >= pyramid_.levelCount())
        throw Error(slide_->path().string(), "no pyramid level " + std::to_string(request.level));
    std::unique_lock lock(mutex_);
    if (failure_ || stopping_)
        return 0;
    if (auto it = latestGeneration_.find(request.view); it != latestGeneration_.end()) {
        if (request.generation < it->second)
            return 0;  // a late request from before the view moved
        it->second = request.generation;
    } else {
        latestGeneration_.emplace(request.view, request.generation);
    }

    std::vector<Job> fresh;
    std::set<TileKey> seen;
    const double cx = request.centreX, cy = request.centreY;
    const TileRange visible = pyramid_.tilesCovering(request.level, request.region);
    if (!allCached(visible)) {
        if (const int preview = previewLevel(request); preview >= 0)
            queueRange(pyramid_.tilesCovering(preview, request.region), request.view, kPreview, cx, cy, fresh, seen);
    }
    queueRange(visible, request.view, kVisible, cx, cy, fresh, seen);
    if (request.prefetch) {
        const double span = pyramid_.tileSize() * pyramid_.level(request.level).downsample;
        queueRange(pyramid_.tilesCovering(request.level, grown(request.region, span)), request.view, kNeighbours, cx,
                   cy, fresh, seen);
        if (request.level > 0)
            queueRange(pyramid_.tilesCovering(request.level - 1, scaledAboutCentre(request.region, 0.5)), request.view,
                       kFinerLevel, cx, cy, fresh, seen);
        if (request.level + 1 < pyramid_.levelCount())
            queueRange(pyramid_.tilesCovering(request.level + 1, scaledAboutCentre(request.region, 2.0)), request.view,
                       kCoarserLevel, cx, cy, fresh, seen);
    }

    // This view's older requests are stale now; what the new one still wants was queued again above.
    const auto stale =
        std::partition(queue_.begin(), queue_.end(), [&](const Job& j) { return j.view != request.view; });
    for (auto it = stale; it != queue_.end(); ++it)
        if (!seen.count(it->key))
            ++cancelled_;
    queue_.erase(stale, queue_.end());
    queue_.insert(queue_.end(), fresh.begin(), fresh.end());
    std::sort(queue_.begin(), queue_.end(), [](const Job& a, const Job& b) { return moreUrgent(b, a); });
    lock.unlock();
    workAvailable_.notify_all();
    return fresh.size();
}

void SlideTiles::cancel(int view)
{
    std::lock_guard lock(mutex_);
    const auto stale = std::remove_if(queue_.begin(), queue_.end(), [&](const Job& j) { return j.view == view; });
    cancelled_ += std::uint64_t(queue_.end() - stale);
    queue_.erase(stale, queue_.end());
    stateChanged_.notify_all();
}

bool SlideTiles::allCached(const TileRange& range) const
{
    for (int row = range.row0; row < range.row1; ++row)
        for (int col = range.col0; col < range.col1; ++col)
            if (!cache_.contains({range.level, col, row}))
                return false;
    return true;
}

// The finest native level above the view's whose tiles over the view are few enough to arrive within a frame or
// two; else the coarsest native one. -1 when there is none: a single-level slide's coarse tiles are built from the
// very tiles the view is waiting for, so they could not come sooner.
int SlideTiles::previewLevel(const ViewportRequest& request) const
{
    int coarsest = -1;
    for (int p = request.level + 1; p < pyramid_.levelCount(); ++p) {
        if (!pyramid_.level(p).native())
            continue;
        if (pyramid_.tilesCovering(p, request.region).count() <= kMaxPreviewTiles)
            return p;
        coarsest = p;
    }
    return coarsest;
}

void SlideTiles::queueRange(const TileRange& range, int view, int tier, double cx, double cy, std::vector<Job>& out,
                            std::set<TileKey>& seen)
{
    for (int row = range.row0; row < range.row1; ++row)
        for (int col = range.col0; col < range.col1; ++col) {
            const TileKey key{range.level, col, row};
            const SlideRect b = pyramid_.bounds(key);
            const double dx = b.x + b.width / 2 - cx, dy = b.y + b.height / 2 - cy;
            queueTile(key, view, tier, dx * dx + dy * dy, out, seen);
        }
}

// A built tile's missing children are queued first, with its urgency, so that every worker can help read them.
// Prefetching a coarser built tile is only worth it when its children are all here already (it is then a cheap
// average); otherwise it would read four times the area the view shows.
void SlideTiles::queueTile(const TileKey& key, int view, int tier, double distance, std::vector<Job>& out,
                           std::set<TileKey>& seen)
{
    if (!seen.insert(key).second)
        return;
    if (cache_.find(key) || inFlight_.count(key))  // find() also keeps what the view shows at the LRU's front
        return;
    if (!pyramid_.level(key.level).native()) {
        const std::vector<TileKey> children = pyramid_.children(key);
        if (tier == kCoarserLevel &&
            !std::all_of(children.begin(), children.end(), [&](const TileKey& c) { return cache_.contains(c); }))
            return;
        for (const TileKey& child : children)
            queueTile(child, view, tier, distance, out, seen);
    }
    out.push_back(Job{key, view, tier, distance, nextSequence_++});
}

bool SlideTiles::popJob(Job& job)
{
    if (queue_.empty())
        return false;
    job = queue_.back();
    queue_.pop_back();
    ++running_;
    return true;
}

void SlideTiles::workerLoop()
{
    for (;;) {
        Job job;
        {
            std::unique_lock lock(mutex_);
            workAvailable_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
            if (stopping_)
                return;
            popJob(job);
        }
        runJob(job);
        finishJob();
    }
}

bool SlideTiles::runNextJob()
{
    Job job;
    {
        std::lock_guard lock(mutex_);
        if (stopping_ || !popJob(job))
            return false;
    }
    runJob(job);
    finishJob();
    return true;
}

void SlideTiles::runJob(const Job& job)
{
    try {
        obtain(job.key);
    } catch (const std::exception&) {
        // obtain() recorded it as the engine's failure; the views learn of it through onFailure and failure().
    }
}

void SlideTiles::finishJob()
{
    std::lock_guard lock(mutex_);
    --running_;
    stateChanged_.notify_all();
}

void SlideTiles::waitIdle()
{
    if (workers_.empty()) {
        while (runNextJob()) {
        }
        return;
    }
    std::unique_lock lock(mutex_);
    stateChanged_.wait(lock, [&] { return stopping_ || (queue_.empty() && running_ == 0); });
}

// ---- tiles -------------------------------------------------------------------------------------------------------

void SlideTiles::checkKey(const TileKey& key) const
{
    if (!pyramid_.contains(key))
        throw Error(slide_->path().string(), "no " + describe(key) + " in this slide's pyramid");
}

TilePixels SlideTiles::tryGet(const TileKey& key) { return pyramid_.contains(key) ? cache_.get(key) : nullptr; }

std::optional<TileFallback> SlideTiles::bestAvailable(const TileKey& key)
{
    if (!pyramid_.contains(key))
        return std::nullopt;
    const SlideRect wanted = pyramid_.bounds(key);
    for (int level = key.level + 1; level < pyramid_.levelCount(); ++level) {
        const TileKey coarse = pyramid_.ancestor(key, level);
        TilePixels pixels = cache_.find(coarse);
        if (!pixels)
            continue;
        const SlideRect have = pyramid_.bounds(coarse);
        const double ds = pyramid_.level(level).downsample;
        TileFallback f{coarse, std::move(pixels), 0, 0, 0, 0};
        f.sourceX = std::clamp((wanted.x - have.x) / ds, 0.0, double(f.pixels->width));
        f.sourceY = std::clamp((wanted.y - have.y) / ds, 0.0, double(f.pixels->height));
        f.sourceWidth = std::min(wanted.width / ds, f.pixels->width - f.sourceX);
        f.sourceHeight = std::min(wanted.height / ds, f.pixels->height - f.sourceY);
        return f;
    }
    return std::nullopt;
}

TilePixels SlideTiles::tile(const TileKey& key)
{
    checkKey(key);
    return obtain(key);
}

// The one path by which a tile enters the cache: a tile being read by one thread is waited for by the others, never
// read twice. Waits only ever go from a built tile to finer tiles, so threads cannot wait on each other in a circle.
TilePixels SlideTiles::obtain(const TileKey& key)
{
    for (;;) {
        if (TilePixels cached = cache_.find(key))
            return cached;
        std::unique_lock lock(mutex_);
        if (failure_)
            throw *failure_;
        if (inFlight_.count(key)) {
            stateChanged_.wait(lock, [&] { return !inFlight_.count(key) || failure_.has_value(); });
            continue;
        }
        if (TilePixels cached = cache_.find(key))  // finished between the look-up above and the lock
            return cached;
        inFlight_.insert(key);
        break;
    }
    TilePixels pixels;
    try {
        pixels = produce(key);
    } catch (const Error& e) {
        release(key);
        recordFailure(e);
        throw;
    } catch (const std::exception& e) {
        release(key);
        const Error error(slide_->path().string(), "reading " + describe(key) + ": " + e.what());
        recordFailure(error);
        throw error;
    }
    cache_.put(key, pixels);
    release(key);
    if (options_.onTileReady)
        options_.onTileReady(key);
    return pixels;
}

void SlideTiles::release(const TileKey& key)
{
    std::lock_guard lock(mutex_);
    inFlight_.erase(key);
    stateChanged_.notify_all();
}

TilePixels SlideTiles::produce(const TileKey& key)
{
    return pyramid_.level(key.level).native() ? readNative(key) : build(key);
}

TilePixels SlideTiles::readNative(const TileKey& key)
{
    const PyramidLevel& level = pyramid_.level(key.level);
    RgbImage image = slide_->readRegion(level.slideLevel, pyramid_.level0X(key), pyramid_.level0Y(key),
                                        pyramid_.tileWidth(key), pyramid_.tileHeight(key));
    ++tilesRead_;
    return std::make_shared<const RgbImage>(std::move(image));
}

// Each child fills one quarter: the tile size is even, so no 2×2 block straddles two children, and averaging the
// children one by one equals averaging the finer level as a whole.
TilePixels SlideTiles::build(const TileKey& key)
{
    const int width = pyramid_.tileWidth(key), height = pyramid_.tileHeight(key);
    RgbImage out{width, height, std::vector<std::uint8_t>(std::size_t(width) * height * 3)};
    const int half = pyramid_.tileSize() / 2;
    for (const TileKey& child : pyramid_.children(key)) {
        const TilePixels c = obtain(child);
        detail::halveInto(c->rgb.data(), c->width, c->height, std::size_t(c->width) * 3, out,
                          (child.col - key.col * 2) * half, (child.row - key.row * 2) * half);
    }
    ++tilesBuilt_;
    return std::make_shared<const RgbImage>(std::move(out));
}

// ---- failure and figures -----------------------------------------------------------------------------------------

void SlideTiles::recordFailure(const Error& error)
{
    bool first = false;
    {
        std::lock_guard lock(mutex_);
        if (!failure_) {
            first = true;
            failure_ = error;
            cancelled_ += queue_.size();
            queue_.clear();
        }
        stateChanged_.notify_all();
    }
    if (first && options_.onFailure)
        options_.onFailure(error);
}

std::optional<Error> SlideTiles::failure() const
{
    std::lock_guard lock(mutex_);
    return failure_;
}

SlideTilesStats SlideTiles::stats() const
{
    SlideTilesStats s;
    s.cache = cache_.stats();
    s.tilesRead = tilesRead_.load();
    s.tilesBuilt = tilesBuilt_.load();
    std::lock_guard lock(mutex_);
    s.requestsCancelled = cancelled_;
    s.queued = queue_.size();
    return s;
}

}  // namespace consilium::pathology
