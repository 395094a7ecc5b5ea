// libFuzzer target for the DICOMDIR reader (tests/fuzz/README.md): each input is written as a file named DICOMDIR in a
// folder of this process's own, beside two small files that directory records may reference (IMAGES/IM1 and
// IMAGES/IM2), and handed to imaging::gatherDicomFiles. That function promises never to throw for bad input (a bad
// DICOMDIR becomes a listed problem), so nothing is caught here: any exception is a finding.
#include <cstdint>
#include <filesystem>
#include <fstream>

#include "fuzz_input_file.h"
#include "imaging/dcmtk_setup.h"
#include "imaging/dicom_paths.h"

namespace {
std::filesystem::path folder;
}

extern "C" int LLVMFuzzerInitialize(int*, char***)
{
    consilium::imaging::prepareDcmtk();
    folder = consilium::fuzz::processFolder("consilium-fuzz-dicomdir-");
    std::filesystem::create_directories(folder / "IMAGES");
    std::ofstream(folder / "IMAGES" / "IM1") << "not DICOM, only there to be found";
    std::ofstream(folder / "IMAGES" / "IM2") << "not DICOM either";
    std::atexit([] {
        std::error_code ec;
        std::filesystem::remove_all(folder, ec);
    });
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const auto dicomdir = folder / "DICOMDIR";
    consilium::fuzz::writeInput(dicomdir, data, size);
    const auto gathered = consilium::imaging::gatherDicomFiles({dicomdir});
    (void)gathered;
    return 0;
}
