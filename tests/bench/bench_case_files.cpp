// Hot path of intake: every received file is hashed (SHA-256) while it is copied into the case folder.
// Peer: coreutils `sha256sum` hashing the same file, and `cp` copying it. Prints MB/s and the ratios.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "store/case_files.h"

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

double seconds(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

double bestOf(int runs, const auto& work)
{
    double best = 1e9;
    for (int i = 0; i < runs; ++i) {
        auto t0 = Clock::now();
        work();
        best = std::min(best, seconds(t0));
    }
    return best;
}

}  // namespace

int main(int argc, char** argv)
{
    const std::size_t megabytes = argc > 1 ? std::stoul(argv[1]) : 256;
    const fs::path dir = fs::temp_directory_path() / "consilium-bench-case-files";
    fs::remove_all(dir);
    fs::create_directories(dir);
    const fs::path source = dir / "scan.bin";
    {
        std::mt19937_64 rng(42);
        std::vector<std::uint64_t> block(1 << 17);
        std::ofstream out(source, std::ios::binary);
        for (std::size_t written = 0; written < megabytes << 20; written += block.size() * 8) {
            for (auto& v : block)
                v = rng();
            out.write(reinterpret_cast<const char*>(block.data()), std::streamsize(block.size() * 8));
        }
    }
    const double mb = double(megabytes);
    std::string ours;
    const double hash = bestOf(3, [&] { ours = consilium::store::sha256OfFile(source); });
    const double peerHash = bestOf(3, [&] {
        if (std::system(("sha256sum " + source.string() + " > " + (dir / "peer.txt").string()).c_str()) != 0)
            std::exit(1);
    });
    int n = 0;
    const double store = bestOf(3, [&] {
        consilium::store::CaseFiles files(dir / ("lib" + std::to_string(n++)));
        files.store("SO-2026-0001", "dicom", source);
    });
    const double peerCopy = bestOf(3, [&] {
        if (std::system(("cp " + source.string() + " " + (dir / "copy.bin").string()).c_str()) != 0)
            std::exit(1);
    });
    std::ifstream peerOut(dir / "peer.txt");
    std::string peerDigest;
    peerOut >> peerDigest;

    std::printf("file: %zu MB (best of 3 runs, warm page cache)\n", megabytes);
    std::printf("digest %s (sha256sum: %s)\n", ours == peerDigest ? "agrees" : "DIFFERS", peerDigest.c_str());
    std::printf("%-42s %8.0f MB/s\n", "Consilium sha256OfFile", mb / hash);
    std::printf("%-42s %8.0f MB/s   ratio consilium/peer %.2f\n", "peer: sha256sum", mb / peerHash, peerHash / hash);
    std::printf("%-42s %8.0f MB/s\n", "Consilium CaseFiles::store (hash + copy)", mb / store);
    std::printf("%-42s %8.0f MB/s\n", "peer: sha256sum then cp", mb / (peerHash + peerCopy));
    std::printf("ratio store / (sha256sum + cp): %.2f (above 1 = Consilium faster)\n", (peerHash + peerCopy) / store);
    fs::remove_all(dir);
    return ours == peerDigest ? 0 : 1;
}
