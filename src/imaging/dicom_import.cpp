#include "imaging/dicom_import.h"

#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcdicdir.h>
#include <dcmtk/dcmdata/dcdirrec.h>

#include <algorithm>
#include <fstream>
#include <set>

#include "imaging/dcmtk_setup.h"
#include "imaging/dicom_instance.h"
#include "model/error.h"
#include "store/case_files.h"
#include "store/case_repository.h"
#include "store/imaging_index.h"

namespace consilium::imaging {
namespace fs = std::filesystem;

namespace {

bool isDicomDir(const fs::path& file)
{
    std::string name = file.filename().string();
    std::transform(name.begin(), name.end(), name.begin(), ::toupper);
    return name == "DICOMDIR";
}

// Walks the DICOMDIR's records and collects every ReferencedFileID, relative to the DICOMDIR's folder.
void collectReferenced(DcmDirectoryRecord* record, const fs::path& root, std::set<fs::path>& files)
{
    for (DcmDirectoryRecord* child = record->nextSub(nullptr); child; child = record->nextSub(child)) {
        OFString fileId;
        if (child->findAndGetOFStringArray(DCM_ReferencedFileID, fileId).good() && !fileId.empty()) {
            std::string relative = fileId.c_str();
            std::replace(relative.begin(), relative.end(), '\\', '/');
            fs::path candidate = root / relative;
            // Media written on other systems may differ in letter case: take what is on disk.
            if (!fs::exists(candidate)) {
                std::string lower = relative;
                std::transform(lower.begin(), lower.end(), lower.begin(), ::tolower);
                if (fs::exists(root / lower))
                    candidate = root / lower;
            }
            files.insert(candidate);
        }
        collectReferenced(child, root, files);
    }
}

std::set<fs::path> referencedByDicomDir(const fs::path& dicomdir)
try {
    DcmDicomDir dir(dicomdir.c_str());
    if (dir.error().bad())
        throw Error(dicomdir.string(), std::string("DICOMDIR cannot be read: ") + dir.error().text());
    std::set<fs::path> files;
    collectReferenced(&dir.getRootRecord(), dicomdir.parent_path(), files);
    return files;
} catch (const std::exception& e) {
    // DCMTK 3.6.7 throws std::out_of_range on some malformed records (found by fuzzing): name the file instead.
    throw Error(dicomdir.string(), std::string("DICOMDIR is malformed: ") + e.what());
}

}  // namespace

bool looksLikeDicom(const fs::path& file)
{
    std::ifstream in(file, std::ios::binary);
    unsigned char head[132] = {};
    in.read(reinterpret_cast<char*>(head), sizeof head);
    const auto n = in.gcount();
    if (n >= 132 && std::equal(head + 128, head + 132, "DICM"))
        return true;
    if (n < 8)
        return false;
    const unsigned group = head[0] | head[1] << 8;  // a bare dataset, little endian
    return group == 0x0002 || group == 0x0008;
}

std::vector<fs::path> expandDicomPaths(const std::vector<fs::path>& paths)
{
    std::set<fs::path> files;
    auto add = [&](const fs::path& p) {
        if (isDicomDir(p)) {
            const auto referenced = referencedByDicomDir(p);
            files.insert(referenced.begin(), referenced.end());
        } else {
            files.insert(p);
        }
    };
    for (const auto& p : paths) {
        std::error_code ec;
        if (fs::is_directory(p, ec)) {
            for (const auto& e : fs::recursive_directory_iterator(p, fs::directory_options::skip_permission_denied))
                if (e.is_regular_file() && !isDicomDir(e.path()))
                    files.insert(e.path());
        } else {
            add(p);
        }
    }
    return {files.begin(), files.end()};
}

ImportReport importDicomFiles(store::Database& db, std::int64_t caseId, const std::vector<fs::path>& paths,
                              const store::Actor& actor, const std::function<bool(int, int)>& progress)
{
    prepareDcmtk();
    const model::Case c = store::CaseRepository(db).get(caseId);
    store::CaseFiles files(db.libraryRoot());
    std::vector<store::IndexedInstance> batch;
    ImportReport report;
    const auto all = expandDicomPaths(paths);
    int done = 0;
    for (const auto& file : all) {
        if (progress && !progress(done, int(all.size()))) {
            report.cancelled = true;
            break;
        }
        ++done;
        std::error_code ec;
        if (fs::exists(file, ec) && !looksLikeDicom(file)) {
            ++report.skippedNotDicom;
            continue;
        }
        try {
            store::IndexedInstance instance;
            instance.header = readDicomInstance(file);  // first: a broken file is never copied in
            instance.file = files.store(c.reference, "dicom", file);
            batch.push_back(std::move(instance));
        } catch (const Error& e) {
            report.problems.push_back(e.what());
        } catch (const std::exception& e) {  // DCMTK can throw on malformed input: one bad file never ends the import
            report.problems.push_back(file.string() + ": cannot be read (" + e.what() + ")");
        }
    }
    if (progress && !report.cancelled)
        progress(done, int(all.size()));
    // Group by series so the index writes each series row once.
    std::stable_sort(batch.begin(), batch.end(), [](const auto& a, const auto& b) {
        return a.header.seriesInstanceUid < b.header.seriesInstanceUid;
    });
    store::ImagingIndex index(db);
    report.imported = index.add(caseId, batch, actor);
    report.alreadyPresent = int(batch.size()) - report.imported;
    std::set<std::string> imported;
    for (const auto& i : batch)
        imported.insert(i.header.seriesInstanceUid);
    for (const auto& s : index.series(caseId))
        if (s.patientCheck == "mismatch" && imported.count(s.seriesInstanceUid))
            report.patientMismatch.push_back(s.seriesDescription + " (" + s.modality + "): " + s.patientNote);
    return report;
}

}  // namespace consilium::imaging
