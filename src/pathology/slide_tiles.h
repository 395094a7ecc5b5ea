#pragma once
// The tile engine in front of OpenSlide: one per open slide, shared by every view of it. No UI, no Qt.
//
// A view says what it shows (requestViewport); the engine queues the missing tiles — a coarse preview first, then
// the visible tiles from the centre out, then prefetch (the ring of neighbours, the finer level under the centre,
// the coarser level around the view) — and a pool of worker threads reads them through the slide's one shared
// OpenSlide handle into a byte-bounded LRU cache. When the view moves, the request with the next generation
// replaces that view's queued tiles: nothing stale is read. Drawing never waits: tryGet() and bestAvailable()
// only look in the cache, and the latter finds the best coarser tile to stretch while the sharp one loads.
//
// Failure: OpenSlide's error state is sticky (after one failed read, every read of the handle fails), so the
// first failure — a damaged tile, a slide file removed or cut short while open — stops the engine's reads: queued
// work is dropped, onFailure is called once, tile() throws that Error and failure() reports it; cached tiles stay
// available.
#include "model/error.h"
#include "pathology/slide.h"
#include "pathology/tile_cache.h"
#include "pathology/tile_pyramid.h"

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <thread>
#include <vector>

namespace consilium::pathology {

struct SlideTilesOptions {
    std::size_t cacheBytes = std::size_t{512} << 20;
    // Reader threads. 0: none — the owner runs queued work itself with runNextJob() (single-threaded tools).
    int workers = defaultWorkers();
    // OpenSlide's cost is per pixel returned (it composites every pixel it hands out), so the tiles that straddle a
    // view's edges are the overhead of a cold view: 128 px tiles fill a cold 1920×1080 view about 20 % sooner than
    // 256 px ones, at the same throughput (docs/performance.md). Even, 64 to 4096.
    int tileSize = 128;
    // Called on the thread that produced the tile (a worker, or the caller of tile()), with no lock held, for every
    // tile that enters the cache. A GUI forwards it to its own thread and redraws.
    std::function<void(const TileKey&)> onTileReady;
    // Called once, on the thread that hit it, when the slide stops being readable.
    std::function<void(const Error&)> onFailure;

    static int defaultWorkers();  // the cores, 1 to 4
};

// What one view shows. Coordinates are level-0 pixels.
struct ViewportRequest {
    int level = 0;                 // pyramid level the view draws (TilePyramid::levelForDownsample)
    SlideRect region;              // the visible part of the slide
    double centreX = 0;            // where filling starts: the view's centre, or the cursor while zooming
    double centreY = 0;            //
    std::uint64_t generation = 0;  // must grow whenever the view moves; an older one than seen before is ignored
    int view = 0;                  // several views may share one slide's engine; each cancels only its own requests
    bool prefetch = true;          // also queue neighbours and the next zoom levels
};

// A coarser cached tile that covers the wanted one: draw `source` (in the coarse tile's pixels) stretched over
// the wanted tile's bounds.
struct TileFallback {
    TileKey key;
    TilePixels pixels;
    double sourceX = 0, sourceY = 0, sourceWidth = 0, sourceHeight = 0;
};

struct SlideTilesStats {
    TileCacheStats cache;
    std::uint64_t tilesRead = 0;          // read through OpenSlide
    std::uint64_t tilesBuilt = 0;         // averaged from four finer tiles
    std::uint64_t requestsCancelled = 0;  // queued tiles dropped because their view moved on
    std::size_t queued = 0;
};

class SlideTiles {
public:
    explicit SlideTiles(std::shared_ptr<const Slide> slide, SlideTilesOptions options = {});
    // Drops queued work, waits for the tiles being read and joins the workers.
    ~SlideTiles();
    SlideTiles(const SlideTiles&) = delete;
    SlideTiles& operator=(const SlideTiles&) = delete;

    const Slide& slide() const { return *slide_; }
    const TilePyramid& pyramid() const { return pyramid_; }

    // Replaces this view's queued tiles by the ones this viewport needs (see the top of the file). Returns how many
    // tiles were queued; 0 when all are cached, the generation is stale, or the engine has failed.
    // Throws Error for a level the pyramid does not have.
    std::size_t requestViewport(const ViewportRequest& request);
    // Drops a view's queued tiles (the view closed).
    void cancel(int view);

    // The cached tile or null. Never reads; safe on a UI or render thread.
    TilePixels tryGet(const TileKey& key);
    // The finest cached tile of a coarser level covering `key`, if any. Never reads.
    std::optional<TileFallback> bestAvailable(const TileKey& key);
    // The tile, read now on the calling thread if no one else is reading it (then waits for them).
    // Throws Error for a key outside the pyramid, or when the slide cannot be read.
    TilePixels tile(const TileKey& key);

    // With workers == 0: runs the most urgent queued job here; false when nothing was queued.
    bool runNextJob();
    // Returns when nothing is queued or being read by the workers.
    void waitIdle();

    std::optional<Error> failure() const;
    SlideTilesStats stats() const;

private:
    struct Job {
        TileKey key;
        int view;
        int tier;         // 0 preview, 1 visible, 2 neighbours, 3 finer level, 4 coarser level
        double distance;  // squared, level-0 pixels, from the request's centre
        std::uint64_t sequence;
    };
    static bool moreUrgent(const Job& a, const Job& b);

    void checkKey(const TileKey& key) const;
    void workerLoop();
    bool popJob(Job& job);  // caller holds mutex_
    void runJob(const Job& job);
    TilePixels obtain(const TileKey& key);
    TilePixels produce(const TileKey& key);
    TilePixels readNative(const TileKey& key);
    TilePixels build(const TileKey& key);
    void release(const TileKey& key);
    void recordFailure(const Error& error);
    void finishJob();

    // Building the queue for one request (caller holds mutex_).
    void queueRange(const TileRange& range, int view, int tier, double cx, double cy, std::vector<Job>& out,
                    std::set<TileKey>& seen);
    void queueTile(const TileKey& key, int view, int tier, double distance, std::vector<Job>& out,
                   std::set<TileKey>& seen);
    bool allCached(const TileRange& range) const;
    int previewLevel(const ViewportRequest& request) const;

    std::shared_ptr<const Slide> slide_;
    SlideTilesOptions options_;
    TilePyramid pyramid_;
    TileCache cache_;

    mutable std::mutex mutex_;
    std::condition_variable workAvailable_;
    std::condition_variable stateChanged_;  // a tile left inFlight_, a job finished, or the engine failed
    std::vector<Job> queue_;                // sorted: the most urgent job last
    std::set<TileKey> inFlight_;
    std::map<int, std::uint64_t> latestGeneration_;
    std::uint64_t nextSequence_ = 0;
    int running_ = 0;
    bool stopping_ = false;
    std::optional<Error> failure_;
    std::uint64_t cancelled_ = 0;
    std::atomic<std::uint64_t> tilesRead_{0}, tilesBuilt_{0};
    std::vector<std::thread> workers_;
};

}  // namespace consilium::pathology
