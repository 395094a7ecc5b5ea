#include "imaging/dicom_import.h"

#include <algorithm>

#include "imaging/dicom_instance.h"
#include "model/error.h"
#include "store/case_files.h"
#include "store/case_repository.h"
#include "store/imaging_index.h"

namespace consilium::imaging {
namespace fs = std::filesystem;

namespace {

std::vector<fs::path> expand(const std::vector<fs::path>& paths)
{
    std::vector<fs::path> files;
    for (const auto& p : paths) {
        if (fs::is_directory(p)) {
            for (const auto& e : fs::recursive_directory_iterator(p))
                if (e.is_regular_file())
                    files.push_back(e.path());
        } else {
            files.push_back(p);
        }
    }
    std::sort(files.begin(), files.end());
    return files;
}

}  // namespace

ImportReport importDicomFiles(store::Database& db, std::int64_t caseId, const std::vector<fs::path>& paths,
                              const store::Actor& actor)
{
    const model::Case c = store::CaseRepository(db).get(caseId);
    store::CaseFiles files(db.libraryRoot());
    std::vector<store::IndexedInstance> batch;
    ImportReport report;
    for (const auto& file : expand(paths)) {
        try {
            store::IndexedInstance instance;
            instance.header = readDicomInstance(file);  // first: a non-DICOM file is never copied in
            instance.file = files.store(c.reference, "dicom", file);
            batch.push_back(std::move(instance));
        } catch (const Error& e) {
            report.problems.push_back(e.what());
        }
    }
    // Group by series so the index writes each series row once.
    std::stable_sort(batch.begin(), batch.end(), [](const auto& a, const auto& b) {
        return a.header.seriesInstanceUid < b.header.seriesInstanceUid;
    });
    report.imported = store::ImagingIndex(db).add(caseId, batch, actor);
    report.alreadyPresent = int(batch.size()) - report.imported;
    return report;
}

}  // namespace consilium::imaging
