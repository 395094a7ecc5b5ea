#pragma once
// What the user points at (folders, files, DICOMDIRs) -> the files to read. Shared by `inspect` and the import.
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

namespace consilium::imaging {

struct GatheredFiles {
    std::vector<std::filesystem::path> files;                   // unique, in the order met
    std::size_t indexesSkipped = 0;                             // DICOMDIRs met while walking a folder (not followed)
    std::vector<std::pair<std::string, std::string>> problems;  // file, reason: missing paths, unreadable DICOMDIRs
};

// Folders are walked recursively; a DICOMDIR named directly contributes the files its directory records reference
// (resolved letter-case-insensitively, as media copied by other systems need); a DICOMDIR met while walking is not
// followed, because the walk reads its files anyway. The same file reached twice is listed once. Never throws for
// bad input: a malformed DICOMDIR (DCMTK throws on some) becomes a problem naming it.
GatheredFiles gatherDicomFiles(const std::vector<std::filesystem::path>& paths);

// True when the file is named DICOMDIR (any letter case), the name Part 10 media give their index.
bool isNamedDicomDir(const std::filesystem::path& file);

}  // namespace consilium::imaging
