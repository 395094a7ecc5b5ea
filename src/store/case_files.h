#pragma once
// The case folder: every file a case received is copied in, named by its SHA-256, never referenced in place.
#include <cstdint>
#include <filesystem>
#include <string>

namespace consilium::store {

struct StoredFile {
    std::string sha256;
    std::int64_t sizeBytes = 0;
    std::string relativePath;  // to the library root: "<case reference>/<area>/<sha256><ext>"
};

class CaseFiles {
public:
    explicit CaseFiles(std::filesystem::path libraryRoot) : root_(std::move(libraryRoot)) {}
    // Hashes while copying (one read of the source); a file already present with that hash is not copied again.
    // `area` groups files in the case folder: "documents", "dicom", "slides". Throws Error(source, reason).
    StoredFile store(const std::string& caseReference, const std::string& area, const std::filesystem::path& source);
    std::filesystem::path absolute(const std::string& relativePath) const { return root_ / relativePath; }
    const std::filesystem::path& root() const { return root_; }

private:
    std::filesystem::path root_;
};

std::string sha256OfFile(const std::filesystem::path& file);  // throws Error(file, reason)

}  // namespace consilium::store
