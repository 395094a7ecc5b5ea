// libFuzzer target for the per-file DICOM reader (tests/fuzz/README.md): every input is a file handed to
// imaging::readDicomInstance and, when that accepts it, to imaging::decodeFrame(file, 0). Both promise to throw
// consilium::Error for anything they cannot read and never to crash, so consilium::Error is the only thing caught
// here: any other exception (std::bad_alloc, std::length_error, …) escapes, terminates the process and is reported
// by libFuzzer like a crash, the same as an ASan/UBSan finding.
//
// Both functions take a path (they check the file itself: size, directory, preamble), so the bytes go to one file per
// process, in /dev/shm when it exists (no disk I/O per execution), written for every input and removed after it. A
// process that crashed leaves its file; the next start removes those of processes that are gone.
// DCMTK could parse from memory (DcmInputBufferStream), but that would bypass the code under test.
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string>

#include "imaging/dcmtk_setup.h"
#include "imaging/dicom_instance.h"
#include "imaging/pixel_decoder.h"
#include "model/error.h"

namespace {

constexpr const char* kPrefix = "consilium-fuzz-dicom-";
std::string inputPath;

void removeInput() { ::unlink(inputPath.c_str()); }

// Files left by earlier processes that died on an input (their pid no longer runs).
void removeStaleInputs(const std::filesystem::path& dir)
{
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
        const std::string name = entry.path().filename().string();
        if (name.rfind(kPrefix, 0) != 0 || name.size() < 5 || name.substr(name.size() - 4) != ".dcm")
            continue;
        const std::string pid = name.substr(std::strlen(kPrefix), name.size() - 4 - std::strlen(kPrefix));
        if (!pid.empty() && pid.find_first_not_of("0123456789") == std::string::npos &&
            !std::filesystem::exists("/proc/" + pid, ec))
            std::filesystem::remove(entry.path(), ec);
    }
}

[[noreturn]] void harnessFailure(const char* what)
{
    std::fprintf(stderr, "fuzz_dicom_file: %s %s: %s\n", what, inputPath.c_str(), std::strerror(errno));
    std::abort();
}

void writeInput(const std::uint8_t* data, std::size_t size)
{
    const int fd = ::open(inputPath.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0)
        harnessFailure("cannot create");
    std::size_t written = 0;
    while (written < size) {
        const ssize_t n = ::write(fd, data + written, size - written);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            harnessFailure("cannot write");
        written += std::size_t(n);
    }
    if (::close(fd) != 0)
        harnessFailure("cannot close");
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***)
{
    // Codecs registered and DCMTK's own logging silenced once, as the application does at start-up.
    consilium::imaging::prepareDcmtk();
    std::error_code ec;
    const std::filesystem::path dir =
        std::filesystem::is_directory("/dev/shm", ec) ? std::filesystem::path("/dev/shm")
                                                      : std::filesystem::temp_directory_path();
    removeStaleInputs(dir);
    inputPath = (dir / (kPrefix + std::to_string(::getpid()) + ".dcm")).string();
    std::atexit(removeInput);
    return 0;
}

namespace {

void readAndDecode()
{
    try {
        const auto instance = consilium::imaging::readDicomInstance(inputPath);
        (void)instance;
    } catch (const consilium::Error&) {
        return;  // refused with a reason: what bad input should get
    }
    try {
        const auto frame = consilium::imaging::decodeFrame(inputPath, 0);
        (void)frame;
    } catch (const consilium::Error&) {
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    writeInput(data, size);
    readAndDecode();
    removeInput();
    return 0;
}
