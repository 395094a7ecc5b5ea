#pragma once
// For libFuzzer targets whose code under test takes a path: each input becomes one file per process (in /dev/shm when
// it exists: no disk I/O per execution), rewritten for every input. Files of processes that are gone (a crash) are
// removed at the next start. The same scheme as fuzz_dicom_file.cpp, for the targets added with it.
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string>

namespace consilium::fuzz {

// A folder of this process's own, "<prefix><pid>", in /dev/shm or the temp folder; stale ones removed first.
inline std::filesystem::path processFolder(const std::string& prefix)
{
    std::error_code ec;
    const std::filesystem::path base = std::filesystem::is_directory("/dev/shm", ec)
                                           ? std::filesystem::path("/dev/shm")
                                           : std::filesystem::temp_directory_path();
    for (const auto& entry : std::filesystem::directory_iterator(base, ec)) {
        const std::string name = entry.path().filename().string();
        if (name.rfind(prefix, 0) != 0)
            continue;
        const std::string pid = name.substr(prefix.size());
        if (!pid.empty() && pid.find_first_not_of("0123456789") == std::string::npos &&
            !std::filesystem::exists("/proc/" + pid, ec))
            std::filesystem::remove_all(entry.path(), ec);
    }
    const auto folder = base / (prefix + std::to_string(::getpid()));
    std::filesystem::create_directories(folder, ec);
    return folder;
}

// Writes `size` bytes to `file` (created or truncated); aborts on a harness failure, which is not a finding.
inline void writeInput(const std::filesystem::path& file, const std::uint8_t* data, std::size_t size)
{
    const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    std::size_t written = 0;
    while (fd >= 0 && written < size) {
        const ssize_t n = ::write(fd, data + written, size - written);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        written += std::size_t(n);
    }
    if (fd < 0 || written < size || ::close(fd) != 0) {
        std::fprintf(stderr, "fuzz harness: cannot write %s: %s\n", file.c_str(), std::strerror(errno));
        std::abort();
    }
}

}  // namespace consilium::fuzz
