#include "imaging/dicom_import.h"

#include <dcmtk/dcmdata/dcdeftag.h>

#include <algorithm>
#include <fstream>
#include <set>

#include "imaging/dcmtk_setup.h"
#include "imaging/dicom_instance.h"
#include "imaging/dicom_paths.h"
#include "model/error.h"
#include "store/case_files.h"
#include "store/case_repository.h"
#include "store/imaging_index.h"

namespace consilium::imaging {
namespace fs = std::filesystem;

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

ImportReport importDicomFiles(store::Database& db, std::int64_t caseId, const std::vector<fs::path>& paths,
                              const store::Actor& actor, const std::function<bool(int, int)>& progress)
{
    prepareDcmtk();
    const model::Case c = store::CaseRepository(db).get(caseId);
    store::CaseFiles files(db.libraryRoot());
    std::vector<store::IndexedInstance> batch;
    ImportReport report;
    GatheredFiles gathered = gatherDicomFiles(paths);
    for (const auto& [file, reason] : gathered.problems)
        report.problems.push_back(file + ": " + reason);
    report.skippedNotDicom += int(gathered.indexesSkipped);
    const std::vector<fs::path>& all = gathered.files;
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
