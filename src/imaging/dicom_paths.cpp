#include "imaging/dicom_paths.h"

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmdata/dcmetinf.h>
#include <dcmtk/dcmdata/dcsequen.h>
#include <dcmtk/dcmdata/dcuid.h>

#include <algorithm>
#include <cctype>
#include <set>

#include "imaging/dcmtk_setup.h"

namespace consilium::imaging {
namespace fs = std::filesystem;

namespace {

bool equalIgnoringCase(const std::string& a, const std::string& b)
{
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::toupper((unsigned char)x) == std::toupper((unsigned char)y);
           });
}

// A ReferencedFileID ("77654033\CR1\6154") under the DICOMDIR's folder. File IDs are upper case by rule; a copy
// made on a case-preserving file system may not be, so each component falls back to a case-insensitive match.
// Empty when the ID would leave the DICOMDIR's folder: PS3.10 components are plain names, so "..", "." or a
// component with a path separator or a drive (found by review of the fuzz target: "..\\outside\\X" read a file
// beside the media) is a hostile or broken file-set, never followed.
fs::path resolveFileId(const fs::path& root, const std::string& fileId)
{
    fs::path path = root;
    std::size_t start = 0;
    while (start <= fileId.size()) {
        const std::size_t end = fileId.find('\\', start);
        const std::string part = fileId.substr(start, end == std::string::npos ? std::string::npos : end - start);
        if (part == ".." || part == "." || part.find_first_of("/:") != std::string::npos)
            return {};
        if (!part.empty()) {
            fs::path next = path / part;
            std::error_code ec;
            if (!fs::exists(next, ec) && fs::is_directory(path, ec))
                for (const auto& entry : fs::directory_iterator(path, ec))
                    if (equalIgnoringCase(entry.path().filename().string(), part)) {
                        next = entry.path();
                        break;
                    }
            path = next;
        }
        if (end == std::string::npos)
            break;
        start = end + 1;
    }
    return path;
}

// The files a DICOMDIR's directory records reference, in record order.
std::vector<fs::path> filesOfDicomDir(const fs::path& dicomDir, GatheredFiles& out)
try {
    DcmFileFormat fileFormat;
    if (const OFCondition c = fileFormat.loadFile(dicomDir.c_str()); c.bad()) {
        out.problems.emplace_back(dicomDir.string(), std::string("DICOMDIR cannot be read: ") + c.text());
        return {};
    }
    OFString sopClass;
    fileFormat.getMetaInfo()->findAndGetOFString(DCM_MediaStorageSOPClassUID, sopClass);
    DcmSequenceOfItems* records = nullptr;
    if (sopClass != UID_MediaStorageDirectoryStorage ||
        fileFormat.getDataset()->findAndGetSequence(DCM_DirectoryRecordSequence, records).bad() || !records) {
        out.problems.emplace_back(dicomDir.string(), "named DICOMDIR but holds no directory records");
        return {};
    }
    std::vector<fs::path> files;
    for (unsigned long i = 0; i < records->card(); ++i) {
        OFString fileId;
        if (records->getItem(i)->findAndGetOFStringArray(DCM_ReferencedFileID, fileId).good() && !fileId.empty()) {
            fs::path file = resolveFileId(dicomDir.parent_path(), fileId.c_str());
            if (file.empty())
                out.problems.emplace_back(dicomDir.string(), "record " + std::to_string(i + 1) +
                                                                 " refers outside the "
                                                                 "DICOMDIR's folder (" +
                                                                 fileId.c_str() + "): skipped");
            else
                files.push_back(std::move(file));
        }
    }
    return files;
} catch (const std::exception& e) {
    // DCMTK 3.6.7 throws std::out_of_range on some malformed records (found by fuzzing): name the file instead.
    out.problems.emplace_back(dicomDir.string(), std::string("DICOMDIR is malformed: ") + e.what());
    return {};
}

}  // namespace

bool isNamedDicomDir(const fs::path& file) { return equalIgnoringCase(file.filename().string(), "DICOMDIR"); }

GatheredFiles gatherDicomFiles(const std::vector<fs::path>& paths)
{
    prepareDcmtk();
    GatheredFiles out;
    std::set<fs::path> seen;
    const auto add = [&](fs::path file) {
        std::error_code ec;
        const fs::path canonical = fs::weakly_canonical(file, ec);
        if (seen.insert(ec ? file : canonical).second)
            out.files.push_back(std::move(file));
    };
    for (const fs::path& path : paths) {
        std::error_code ec;
        if (fs::is_directory(path, ec)) {
            std::vector<fs::path> walked;
            for (auto it = fs::recursive_directory_iterator(path, fs::directory_options::skip_permission_denied, ec);
                 !ec && it != fs::recursive_directory_iterator(); it.increment(ec))
                if (it->is_regular_file(ec))
                    walked.push_back(it->path());
            if (ec)
                out.problems.emplace_back(path.string(), "folder cannot be walked: " + ec.message());
            std::sort(walked.begin(), walked.end());  // directory order differs between file systems
            for (fs::path& f : walked) {
                if (isNamedDicomDir(f))
                    ++out.indexesSkipped;
                else
                    add(std::move(f));
            }
        } else if (fs::exists(path, ec)) {
            if (isNamedDicomDir(path))
                for (fs::path& f : filesOfDicomDir(path, out))
                    add(std::move(f));
            else
                add(path);
        } else {
            out.problems.emplace_back(path.string(), "no such file or folder");
        }
    }
    return out;
}

}  // namespace consilium::imaging
