// libFuzzer target for slide opening (tests/fuzz/README.md): pathology::Slide::open on a file, then the smallest
// level's top-left tile read back (what a thumbnail does first). OpenSlide picks its reader by the file's content and
// name, so the input's first byte chooses the extension (.svs, .tif, .ndpi, .scn, .bif, .vms, .svslide) and the rest
// is the file. Only consilium::Error is caught: anything else, and every sanitizer report, is a finding.
//
// OpenSlide, libtiff, libjpeg and glib are Debian's uninstrumented builds: ASan sees bad accesses into memory
// Consilium allocated and interceptable libc calls, coverage guidance comes from Consilium's code only.
//
// CONSILIUM_FUZZ_MAKE_SEED=FILE: write a small synthetic Aperio slide (pathology::writeSyntheticSlide, 1024 × 768)
// with its selector byte to FILE and exit: the seed corpus gets one valid slide even without ../shared/data.
#include <unistd.h>

#include <array>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include "fuzz_input_file.h"
#include "model/error.h"
#include "pathology/slide.h"
#include "pathology/synthetic_slide.h"

namespace {

constexpr std::array<const char*, 7> kExtensions{".svs", ".tif", ".ndpi", ".scn", ".bif", ".vms", ".svslide"};
std::filesystem::path folder;

void makeSeed(const std::filesystem::path& out)
{
    consilium::pathology::SyntheticSlideSpec spec;
    spec.width = 1024;
    spec.height = 768;
    const auto slide = folder / "seed.svs";
    consilium::pathology::writeSyntheticSlide(spec, slide);
    std::ifstream in(slide, std::ios::binary);
    std::ofstream seed(out, std::ios::binary);
    seed.put(0);  // .svs
    seed << in.rdbuf();
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***)
{
    folder = consilium::fuzz::processFolder("consilium-fuzz-slide-");
    std::atexit([] {
        std::error_code ec;
        std::filesystem::remove_all(folder, ec);
    });
    if (const char* seed = std::getenv("CONSILIUM_FUZZ_MAKE_SEED"); seed && *seed) {
        makeSeed(seed);
        std::exit(0);
    }
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    if (size == 0)
        return 0;
    const auto file = folder / (std::string("slide") + kExtensions[data[0] % kExtensions.size()]);
    consilium::fuzz::writeInput(file, data + 1, size - 1);
    try {
        const auto slide = consilium::pathology::Slide::open(file);
        const auto& levels = slide->info().levels;
        if (!levels.empty())
            (void)slide->readRegion(int(levels.size()) - 1, 0, 0, 64, 64);
    } catch (const consilium::Error&) {
    }
    std::error_code ec;
    std::filesystem::remove(file, ec);
    return 0;
}
