#include "store/case_files.h"

#include <unistd.h>

#include <fstream>
#include <vector>

#include "model/error.h"
#include "model/sha256.h"

namespace consilium::store {
namespace fs = std::filesystem;

namespace {

constexpr std::size_t kChunk = 1 << 20;

// Reads `source` once, hashing it, and (when `out` is open) writing the same bytes there.
std::string hashCopy(const fs::path& source, std::ofstream* out, std::int64_t& size)
{
    std::ifstream in(source, std::ios::binary);
    if (!in)
        throw Error(source.string(), fs::exists(source) ? "cannot be read (permission denied?)" : "file not found");
    model::Sha256 hash;
    std::vector<char> buf(kChunk);
    size = 0;
    while (in) {
        in.read(buf.data(), std::streamsize(buf.size()));
        auto n = std::size_t(in.gcount());
        if (!n)
            break;
        hash.update(buf.data(), n);
        size += std::int64_t(n);
        if (out && !out->write(buf.data(), std::streamsize(n)))
            throw Error(source.string(), "could not be copied into the case folder (disk full?)");
    }
    if (in.bad())
        throw Error(source.string(), "read error");
    return hash.hexDigest();
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
    return hashCopy(file, nullptr, size);
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

    // Copy to a temporary name while hashing, then rename: a crash never leaves a half file under a real hash.
    const fs::path temp = dir / (".incoming-" + std::to_string(::getpid()) + "-" + source.filename().string());
    StoredFile stored;
    {
        std::ofstream out(temp, std::ios::binary | std::ios::trunc);
        if (!out)
            throw Error(temp.string(), "cannot write into the case folder");
        try {
            stored.sha256 = hashCopy(source, &out, stored.sizeBytes);
        } catch (...) {
            out.close();
            fs::remove(temp, ec);
            throw;
        }
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
