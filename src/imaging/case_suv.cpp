#include "imaging/case_suv.h"

#include "imaging/suv_inputs.h"
#include "store/case_files.h"
#include "store/imaging_index.h"
#include "store/suv_override_repository.h"

namespace consilium::imaging {

model::SuvResult caseSeriesSuv(store::Database& db, std::int64_t caseId, const std::string& seriesInstanceUid)
{
    store::ImagingIndex index(db);
    store::CaseFiles files(db.libraryRoot());
    std::vector<std::filesystem::path> paths;
    for (const auto& relative : index.instancePaths(index.seriesIdOf(caseId, seriesInstanceUid)))
        paths.push_back(files.absolute(relative));
    const model::SuvInputs inputs = suvInputsOfSeries(paths);

    model::SuvOverrides overrides;
    if (auto o = store::SuvOverrideRepository(db).find(caseId, seriesInstanceUid)) {
        overrides.weightKg = o->weightKg;
        overrides.injectedDoseBq = o->injectedDoseBq;
        if (o->injectionDateTime)
            overrides.injectionDateTime = model::parseDicomDateTime(*o->injectionDateTime);
        if (o->scanDateTime)
            overrides.scanDateTime = model::parseDicomDateTime(*o->scanDateTime);
        overrides.reason = o->reason + " (" + o->reviewer + ", " + o->at + ")";
    }
    return model::computeSuv(inputs, overrides);
}

}  // namespace consilium::imaging
