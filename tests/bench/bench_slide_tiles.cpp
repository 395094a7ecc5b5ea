// The pathology tile engine (SlideTiles) against what serves slides today, in the same run.
//
//   bench_slide_tiles [--tile-size N] [work-folder]
//
// 1. Writes a 20000×20000 pyramidal JPEG TIFF (256² tiles, writeSyntheticSlide) once into the work folder; also uses
//    ../shared/data/slides/aperio/CMU-1-Small-Region.svs (one level) when present.
// 2. Throughput over every tile of the three finest Deep Zoom levels (254 px, overlap 1): Debian's python3-openslide
//    DeepZoomGenerator.get_tile (the peer slide servers use), a plain single-threaded C loop of
//    openslide_read_region over the same read rectangles (what OpenSlide itself delivers), and Consilium's DeepZoom
//    over SlideTiles. Targets: ≥ 2× the DeepZoom peer on the pyramid, ≥ 5× on CMU-1-Small-Region.
// 3. A cold 1920×1080 viewport at level 0 (fresh handle, empty cache) against one single-threaded
//    openslide_read_region of the same viewport (target ≤ 0.6×), the time to a coarser preview over the whole
//    viewport (≤ 50 ms), the CPU of a warm frame (≤ 2 ms), open-to-first-full-viewport (≤ 150 ms), and the cache hit
//    rate over a scripted pan and zoom at 60 frames a second.
// Throughput figures are the best of 3 runs (each on a freshly opened slide), viewport figures medians of 7 positions.
// Prints figures and ratios; exits 0 whatever they are (speed targets never fail a build).
#include <openslide.h>
#include <time.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "pathology/deep_zoom.h"
#include "pathology/slide.h"
#include "pathology/slide_tiles.h"
#include "pathology/synthetic_slide.h"

namespace fs = std::filesystem;
using namespace consilium::pathology;
using Clock = std::chrono::steady_clock;

namespace {

constexpr int kDzTile = 254, kDzOverlap = 1, kDzLevels = 3;
constexpr int kViewW = 1920, kViewH = 1080;
constexpr int kRuns = 3;

// The engine's options for every measurement; --tile-size changes the tile size.
SlideTilesOptions engineOptions;

double ms(Clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

double threadCpuMs()
{
    timespec t{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return double(t.tv_sec) * 1e3 + double(t.tv_nsec) / 1e6;
}

double median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    return v.empty() ? 0 : v[v.size() / 2];
}

const char* verdict(bool met) { return met ? "MET" : "MISSED"; }

void warmPageCache(const fs::path& file)
{
    std::ifstream in(file, std::ios::binary);
    std::vector<char> buffer(1 << 20);
    while (in.read(buffer.data(), std::streamsize(buffer.size())))
        ;
}

// ---- (a) the DeepZoomGenerator peer -------------------------------------------------------------------------------

std::string python()
{
    return fs::exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";  // Debian's, where python3-openslide is
}

// Seconds for every get_tile of the three finest levels, timed inside Python (start-up and open excluded);
// negative when python3-openslide is missing.
double deepZoomPeer(const fs::path& slide, const fs::path& work, long& tiles)
{
    const fs::path script = work / "deepzoom_peer.py";
    std::ofstream(script) << "import sys, time\n"
                             "import openslide\n"
                             "from openslide.deepzoom import DeepZoomGenerator\n"
                             "dz = DeepZoomGenerator(openslide.OpenSlide(sys.argv[1]), 254, 1, False)\n"
                             "n = 0\n"
                             "t = time.perf_counter()\n"
                             "for level in range(dz.level_count - 1, dz.level_count - 4, -1):\n"
                             "    cols, rows = dz.level_tiles[level]\n"
                             "    for row in range(rows):\n"
                             "        for col in range(cols):\n"
                             "            dz.get_tile(level, (col, row))\n"
                             "            n += 1\n"
                             "print(n, time.perf_counter() - t)\n";
    const fs::path result = work / "deepzoom_peer.txt";
    const std::string command =
        python() + " '" + script.string() + "' '" + slide.string() + "' > '" + result.string() + "' 2>/dev/null";
    if (std::system(command.c_str()) != 0)
        return -1;
    double seconds = -1;
    std::ifstream(result) >> tiles >> seconds;
    return seconds;
}

// ---- (b) the plain C loop: DeepZoomGenerator's read rectangles, nothing else --------------------------------------

struct Read {
    std::int64_t x, y;
    int level, w, h;
};

// DeepZoomGenerator._get_tile_info (openslide-python 1.2.0, limit_bounds off), transcribed.
std::vector<Read> deepZoomReads(openslide_t* osr)
{
    std::int64_t w0, h0;
    openslide_get_level0_dimensions(osr, &w0, &h0);
    std::vector<std::pair<std::int64_t, std::int64_t>> dims{{w0, h0}};
    while (dims.back().first > 1 || dims.back().second > 1)
        dims.push_back({std::max<std::int64_t>(1, (dims.back().first + 1) / 2),
                        std::max<std::int64_t>(1, (dims.back().second + 1) / 2)});
    std::vector<Read> reads;
    for (int k = 0; k < kDzLevels; ++k) {  // k halvings from level 0
        const double l0zDs = std::ldexp(1.0, k);
        const int level = openslide_get_best_level_for_downsample(osr, l0zDs);
        const double levelDs = openslide_get_level_downsample(osr, level);
        const double lzDs = l0zDs / levelDs;
        std::int64_t lw, lh;
        openslide_get_level_dimensions(osr, level, &lw, &lh);
        const auto [zw, zh] = dims[std::size_t(k)];
        const int cols = int((zw + kDzTile - 1) / kDzTile), rows = int((zh + kDzTile - 1) / kDzTile);
        for (int row = 0; row < rows; ++row)
            for (int col = 0; col < cols; ++col) {
                auto axis = [&](int t, int tiles, std::int64_t zlim, std::int64_t llim, std::int64_t& l0, int& size) {
                    const int tl = t != 0 ? kDzOverlap : 0, br = t != tiles - 1 ? kDzOverlap : 0;
                    const std::int64_t zsize =
                        std::min<std::int64_t>(kDzTile, zlim - std::int64_t(kDzTile) * t) + tl + br;
                    const double l = lzDs * double(std::int64_t(kDzTile) * t - tl);
                    l0 = std::int64_t(levelDs * l);
                    size = int(std::min<double>(std::ceil(lzDs * double(zsize)), double(llim) - std::ceil(l)));
                };
                Read r{0, 0, level, 0, 0};
                axis(col, cols, zw, lw, r.x, r.w);
                axis(row, rows, zh, lh, r.y, r.h);
                reads.push_back(r);
            }
    }
    return reads;
}

double plainLoop(const fs::path& slide, long& tiles)
{
    openslide_t* osr = openslide_open(slide.c_str());
    if (!osr)
        return -1;
    const std::vector<Read> reads = deepZoomReads(osr);
    std::vector<std::uint32_t> buffer;
    const auto start = Clock::now();
    for (const Read& r : reads) {
        if (buffer.size() < std::size_t(r.w) * r.h)
            buffer.resize(std::size_t(r.w) * r.h);
        openslide_read_region(osr, buffer.data(), r.x, r.y, r.level, r.w, r.h);
    }
    const double seconds = ms(Clock::now() - start) / 1e3;
    const bool failed = openslide_get_error(osr) != nullptr;
    openslide_close(osr);
    tiles = long(reads.size());
    return failed ? -1 : seconds;
}

// ---- (c) Consilium: DeepZoom over SlideTiles ---------------------------------------------------------------------

// Row by row, as a slide server walks a level: each row's request names that row and the next, so the workers read
// ahead while this thread assembles; a view that moves on is what SlideTiles cancels.
double consiliumDeepZoom(const fs::path& file, long& tiles, SlideTilesStats& stats)
{
    const auto slide = Slide::open(file);
    SlideTiles engine(slide, engineOptions);
    DeepZoom dz(engine, kDzTile, kDzOverlap);
    std::uint64_t generation = 0;
    volatile std::uint8_t sink = 0;  // the tiles are used, so nothing is optimised away
    tiles = 0;
    const auto start = Clock::now();
    for (int level = dz.levelCount() - 1; level >= dz.levelCount() - kDzLevels; --level) {
        const DeepZoom::Level& l = dz.level(level);
        for (int row = 0; row < l.rows; ++row) {
            const SlideRect first = dz.bounds(level, 0, row);
            const SlideRect last = dz.bounds(level, l.cols - 1, std::min(row + 1, l.rows - 1));
            ViewportRequest ahead;
            ahead.level = std::min(dz.pyramidLevel(level), engine.pyramid().levelCount() - 1);
            ahead.region = {first.x, first.y, last.x + last.width - first.x, last.y + last.height - first.y};
            ahead.centreX = first.x;
            ahead.centreY = first.y + first.height / 2;
            ahead.generation = ++generation;
            ahead.prefetch = false;
            engine.requestViewport(ahead);
            for (int col = 0; col < l.cols; ++col) {
                sink = dz.tile(level, col, row).rgb[0];
                ++tiles;
            }
        }
    }
    const double seconds = ms(Clock::now() - start) / 1e3;
    stats = engine.stats();
    (void)sink;
    return seconds;
}

void throughput(const std::string& name, const fs::path& file, const fs::path& work, double target)
{
    warmPageCache(file);
    std::printf("\n-- %s: every tile of the three finest Deep Zoom levels (254 px, overlap 1)\n", name.c_str());
    long peerTiles = 0, loopTiles = 0, ourTiles = 0;
    double peer = 1e300, loop = 1e300, ours = 1e300;
    SlideTilesStats stats;
    for (int run = 0; run < kRuns; ++run) {
        peer = std::min(peer, deepZoomPeer(file, work, peerTiles));
        loop = std::min(loop, plainLoop(file, loopTiles));
        ours = std::min(ours, consiliumDeepZoom(file, ourTiles, stats));
    }
    std::printf("  %-46s %6ld tiles %8.3f s  %7.0f tiles/s\n", "Consilium DeepZoom over SlideTiles", ourTiles, ours,
                double(ourTiles) / ours);
    std::printf("    (%llu tiles read through OpenSlide, %llu built from finer tiles, %d workers)\n",
                (unsigned long long)stats.tilesRead, (unsigned long long)stats.tilesBuilt, engineOptions.workers);
    if (peer > 0) {
        std::printf("  %-46s %6ld tiles %8.3f s  %7.0f tiles/s\n", "peer: python3-openslide DeepZoomGenerator",
                    peerTiles, peer, double(peerTiles) / peer);
        std::printf("  ratio Consilium / DeepZoomGenerator: %.2f× (target >= %.0f×) %s\n", peer / ours, target,
                    verdict(peer / ours >= target));
    } else {
        std::printf("  peer: python3-openslide not available (apt-get install python3-openslide): no comparison\n");
    }
    if (loop > 0) {
        std::printf("  %-46s %6ld tiles %8.3f s  %7.0f tiles/s\n", "peer: C loop of openslide_read_region", loopTiles,
                    loop, double(loopTiles) / loop);
        std::printf("  ratio Consilium / C loop: %.2f×\n", loop / ours);
    }
}

// ---- viewports ---------------------------------------------------------------------------------------------------

// Waits on the engine's ready callback until `done` holds; returns false after `limit`.
class ReadyWatch {
public:
    void notify()
    {
        std::lock_guard lock(mutex_);
        ++count_;
        changed_.notify_all();
    }
    bool waitFor(const std::function<bool()>& done, std::chrono::milliseconds limit)
    {
        const auto deadline = Clock::now() + limit;
        std::unique_lock lock(mutex_);
        for (;;) {
            const auto seen = count_;
            lock.unlock();
            if (done())
                return true;
            lock.lock();
            if (!changed_.wait_until(lock, deadline, [&] { return count_ != seen; }))
                return false;
        }
    }

private:
    std::mutex mutex_;
    std::condition_variable changed_;
    std::uint64_t count_ = 0;
};

std::vector<TileKey> keysOf(const TileRange& r)
{
    std::vector<TileKey> keys;
    for (int row = r.row0; row < r.row1; ++row)
        for (int col = r.col0; col < r.col1; ++col)
            keys.push_back({r.level, col, row});
    return keys;
}

bool allReady(SlideTiles& engine, const std::vector<TileKey>& keys)
{
    return std::all_of(keys.begin(), keys.end(), [&](const TileKey& k) { return bool(engine.tryGet(k)); });
}

bool allCovered(SlideTiles& engine, const std::vector<TileKey>& keys)
{
    return std::all_of(keys.begin(), keys.end(),
                       [&](const TileKey& k) { return engine.tryGet(k) || engine.bestAvailable(k); });
}

ViewportRequest viewAt(int level, double x, double y, double ds, std::uint64_t generation)
{
    ViewportRequest r;
    r.level = level;
    r.region = {x, y, kViewW * ds, kViewH * ds};
    r.centreX = x + r.region.width / 2;
    r.centreY = y + r.region.height / 2;
    r.generation = generation;
    return r;
}

struct ColdResult {
    double peer = 0, full = 0, preview = 0;
};

ColdResult coldViewport(const fs::path& file, double x, double y)
{
    ColdResult result;
    {
        openslide_t* osr = openslide_open(file.c_str());
        std::vector<std::uint32_t> buffer(std::size_t(kViewW) * kViewH, 1);  // touched: no page faults timed
        const auto start = Clock::now();
        openslide_read_region(osr, buffer.data(), std::int64_t(x), std::int64_t(y), 0, kViewW, kViewH);
        result.peer = ms(Clock::now() - start);
        openslide_close(osr);
    }
    const auto slide = Slide::open(file);
    ReadyWatch watch;
    SlideTilesOptions options = engineOptions;
    options.onTileReady = [&](const TileKey&) { watch.notify(); };
    SlideTiles engine(slide, options);
    const ViewportRequest view = viewAt(0, x, y, 1, 1);
    const std::vector<TileKey> visible = keysOf(engine.pyramid().tilesCovering(0, view.region));
    const auto start = Clock::now();
    engine.requestViewport(view);
    watch.waitFor([&] { return allCovered(engine, visible); }, std::chrono::seconds(10));
    result.preview = ms(Clock::now() - start);
    watch.waitFor([&] { return allReady(engine, visible); }, std::chrono::seconds(10));
    result.full = ms(Clock::now() - start);
    return result;
}

void viewports(const fs::path& file)
{
    warmPageCache(file);
    std::printf("\n-- 20000² pyramid: a cold 1920×1080 viewport at level 0 (fresh handle, empty caches)\n");
    coldViewport(file, 700, 900);  // once unmeasured: the process's first worker threads, allocator arenas, …
    std::vector<double> peers, fulls, previews, ratios;
    const double positions[][2] = {{9040, 9460},   {3000, 5000},  {14333, 2111}, {6100, 15250},
                                   {12345, 12345}, {1000, 17000}, {17500, 800}};
    for (const auto& p : positions) {
        const ColdResult r = coldViewport(file, p[0], p[1]);
        peers.push_back(r.peer);
        fulls.push_back(r.full);
        previews.push_back(r.preview);
        ratios.push_back(r.full / r.peer);
        std::printf(
            "  at (%5.0f, %5.0f): openslide_read_region %5.1f ms, SlideTiles %5.1f ms (%.2f×), preview %4.1f ms\n",
            p[0], p[1], r.peer, r.full, r.full / r.peer, r.preview);
    }
    std::printf("  median: openslide_read_region %.1f ms, SlideTiles %.1f ms, ratio %.2f× (target <= 0.6×) %s\n",
                median(peers), median(fulls), median(ratios), verdict(median(ratios) <= 0.6));
    std::printf("  coarser preview over the whole viewport: median %.1f ms, worst %.1f ms (target <= 50 ms) %s\n",
                median(previews), *std::max_element(previews.begin(), previews.end()),
                verdict(*std::max_element(previews.begin(), previews.end()) <= 50));

    // Open to first full viewport: the file opened, the engine made, the whole slide fitted into 1920×1080.
    std::vector<double> opens, opensLevel0;
    for (int run = 0; run < 3; ++run) {
        for (const bool fit : {true, false}) {
            ReadyWatch watch;
            const auto start = Clock::now();
            const auto slide = Slide::open(file);
            SlideTilesOptions options = engineOptions;
            options.onTileReady = [&](const TileKey&) { watch.notify(); };
            SlideTiles engine(slide, options);
            const auto& base = engine.pyramid().level(0);
            const double ds = fit ? std::max(double(base.width) / kViewW, double(base.height) / kViewH) : 1.0;
            const int level = engine.pyramid().levelForDownsample(ds);
            const double x = fit ? 0 : 9040, y = fit ? 0 : 9460;
            const ViewportRequest view = viewAt(level, x, y, ds, 1);
            const std::vector<TileKey> visible = keysOf(engine.pyramid().tilesCovering(level, view.region));
            engine.requestViewport(view);
            watch.waitFor([&] { return allReady(engine, visible); }, std::chrono::seconds(10));
            (fit ? opens : opensLevel0).push_back(ms(Clock::now() - start));
        }
    }
    std::printf("  open to first full viewport, whole slide fitted: median %.1f ms (target <= 150 ms) %s\n",
                median(opens), verdict(median(opens) <= 150));
    std::printf("  open to first full viewport, level 0 at the centre: median %.1f ms (target <= 150 ms) %s\n",
                median(opensLevel0), verdict(median(opensLevel0) <= 150));
}

// A warm frame: the view asks again (a small pan within what is cached) and looks up every visible tile.
void warmFrames(const fs::path& file)
{
    const auto slide = Slide::open(file);
    SlideTiles engine(slide, engineOptions);
    std::uint64_t generation = 1;
    engine.requestViewport(viewAt(0, 9040, 9460, 1, generation));
    engine.waitIdle();  // visible tiles, neighbours and the adjacent levels are all cached now
    const int frames = 2000;
    double total = 0, worst = 0;
    std::size_t found = 0;
    for (int f = 0; f < frames; ++f) {
        const double dx = 32.0 * std::sin(f * 0.05), dy = 32.0 * std::cos(f * 0.07);
        const double before = threadCpuMs();
        const ViewportRequest view = viewAt(0, 9040 + dx, 9460 + dy, 1, ++generation);
        engine.requestViewport(view);
        for (const TileKey& k : keysOf(engine.pyramid().tilesCovering(0, view.region)))
            found += engine.tryGet(k) ? 1 : 0;
        const double spent = threadCpuMs() - before;
        total += spent;
        worst = std::max(worst, spent);
    }
    std::printf(
        "\n-- warm frame (re-request after a small pan + look up every visible tile: %.0f a frame), %d frames\n",
        double(found) / frames, frames);
    std::printf("  CPU per frame: mean %.3f ms, worst %.3f ms (target <= 2 ms) %s\n", total / frames, worst,
                verdict(total / frames <= 2));
}

// A scripted minute of reading: zoom in at a point, pan across, zoom out and back, at 60 frames a second. A frame
// looks up its visible tiles; a miss that a coarser cached tile covers is drawn blurred, one with nothing is blank.
void scriptedPanZoom(const fs::path& file)
{
    const auto slide = Slide::open(file);
    SlideTiles engine(slide, engineOptions);
    const TilePyramid& p = engine.pyramid();
    struct Step {
        int frames;
        double dx, dy;  // level-0 pixels per frame
        int levelChange;
    };
    const std::vector<Step> script{{30, 0, 0, 0},  {20, 0, 0, -1}, {20, 0, 0, -1},  {20, 0, 0, -1}, {120, 24, 0, 0},
                                   {60, 0, 24, 0}, {20, 0, 0, +1}, {90, -48, 0, 0}, {20, 0, 0, +1}, {60, 0, -96, 0},
                                   {20, 0, 0, -1}, {20, 0, 0, -1}, {120, 12, 12, 0}};
    int level = 3;
    double cx = 10000, cy = 10000;
    std::uint64_t generation = 0, hits = 0, fallbacks = 0, blanks = 0, lastBlankFrame = 0;
    auto next = Clock::now();
    const std::uint64_t cacheHitsBefore = engine.stats().cache.hits, cacheMissesBefore = engine.stats().cache.misses;
    for (const Step& s : script) {
        for (int f = 0; f < s.frames; ++f) {
            if (f == 0 && s.levelChange)
                level = std::clamp(level + s.levelChange, 0, p.levelCount() - 1);
            cx += s.dx;
            cy += s.dy;
            const double ds = p.level(level).downsample;
            const ViewportRequest view = viewAt(level, cx - kViewW * ds / 2, cy - kViewH * ds / 2, ds, ++generation);
            engine.requestViewport(view);
            for (const TileKey& k : keysOf(p.tilesCovering(level, view.region))) {
                if (engine.tryGet(k))
                    ++hits;
                else if (engine.bestAvailable(k))
                    ++fallbacks;
                else {
                    ++blanks;
                    lastBlankFrame = generation;
                }
            }
            next += std::chrono::microseconds(16667);
            std::this_thread::sleep_until(next);
        }
    }
    const std::uint64_t lookups = hits + fallbacks + blanks;
    const SlideTilesStats s = engine.stats();
    std::printf("\n-- scripted pan and zoom: %llu frames at 60 fps, levels 3 → 0 → 2 → 0, pans of 12–96 px a frame\n",
                (unsigned long long)generation);
    std::printf(
        "  visible tile look-ups: %llu; cache hits %.1f %%, coarser fallback %.1f %%, blank %.2f %% "
        "(the last blank in frame %llu)\n",
        (unsigned long long)lookups, 100.0 * double(hits) / double(lookups),
        100.0 * double(fallbacks) / double(lookups), 100.0 * double(blanks) / double(lookups),
        (unsigned long long)lastBlankFrame);
    std::printf(
        "  engine: %llu tiles read, %llu built, %llu queued tiles cancelled as the view moved on; "
        "cache hit rate %.1f %%\n",
        (unsigned long long)s.tilesRead, (unsigned long long)s.tilesBuilt, (unsigned long long)s.requestsCancelled,
        100.0 * double(s.cache.hits - cacheHitsBefore) /
            double(s.cache.hits - cacheHitsBefore + s.cache.misses - cacheMissesBefore));
}

}  // namespace

int main(int argc, char** argv)
{
    fs::path work = fs::temp_directory_path() / "consilium-bench-slides";
    for (int i = 1; i < argc; ++i) {
        if (std::string(argv[i]) == "--tile-size" && i + 1 < argc)
            engineOptions.tileSize = std::atoi(argv[++i]);
        else
            work = argv[i];
    }
    fs::create_directories(work);
    const fs::path pyramid = work / "pyramid-20000.svs";
    if (!fs::exists(pyramid)) {
        SyntheticSlideSpec spec;
        spec.width = spec.height = 20000;
        spec.tileSize = 256;
        const auto start = Clock::now();
        writeSyntheticSlide(spec, pyramid);
        std::printf("wrote the 20000×20000 pyramid (256² JPEG tiles, %.0f MB) in %.1f s\n",
                    double(fs::file_size(pyramid)) / 1e6, ms(Clock::now() - start) / 1e3);
    }
    std::printf("%u cores; SlideTiles: %d workers, %d px tiles, %zu MiB cache\n", std::thread::hardware_concurrency(),
                engineOptions.workers, engineOptions.tileSize, engineOptions.cacheBytes >> 20);

    throughput("20000² pyramid", pyramid, work, 2);
    const fs::path cmu = fs::path(CONSILIUM_SHARED_DATA) / "slides/aperio/CMU-1-Small-Region.svs";
    if (fs::exists(cmu))
        throughput("CMU-1-Small-Region.svs (one level)", cmu, work, 5);
    else
        std::printf("\n-- CMU-1-Small-Region.svs not present (%s): skipped\n", cmu.c_str());

    viewports(pyramid);
    warmFrames(pyramid);
    scriptedPanZoom(pyramid);
    return 0;
}
