#include "pathology/slide_attachment.h"

#include "pathology/slide.h"
#include "store/case_files.h"
#include "store/case_repository.h"
#include "store/slide_repository.h"

namespace consilium::pathology {

model::CaseSlide attachSlide(store::Database& db, std::int64_t caseId, const std::filesystem::path& file,
                             std::string title, const store::Actor& actor)
{
    const model::Case c = store::CaseRepository(db).get(caseId);
    model::CaseSlide slide;
    slide.info = Slide::open(file)->info();  // refuses non-slides before anything is copied
    const auto stored = store::CaseFiles(db.libraryRoot()).store(c.reference, "slides", file);
    slide.caseId = caseId;
    slide.title = title.empty() ? file.stem().string() : std::move(title);
    slide.originalName = file.filename().string();
    slide.sha256 = stored.sha256;
    slide.sizeBytes = stored.sizeBytes;
    slide.storedPath = stored.relativePath;
    return store::SlideRepository(db).add(slide, actor);
}

}  // namespace consilium::pathology
