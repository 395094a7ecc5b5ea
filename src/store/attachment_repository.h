#pragma once
// The documents a case received (letters, NGS/IHC/FISH reports, pathology reports, treatment summaries).
#include <filesystem>
#include <vector>

#include "model/case.h"
#include "store/audit_log.h"
#include "store/case_files.h"
#include "store/database.h"

namespace consilium::store {

class AttachmentRepository {
public:
    explicit AttachmentRepository(Database& db) : db_(db), files_(db.libraryRoot()) {}
    // Copies `file` into the case folder and indexes it. The same content attached twice to a case is stored once
    // and returns the existing attachment.
    model::Attachment attach(std::int64_t caseId, const std::filesystem::path& file, model::AttachmentKind kind,
                             std::string title, const Actor& actor);
    std::vector<model::Attachment> forCase(std::int64_t caseId);
    std::filesystem::path absolutePath(const model::Attachment& a) const { return files_.absolute(a.storedPath); }

private:
    Database& db_;
    CaseFiles files_;
};

std::string mediaTypeOf(const std::filesystem::path& file);  // from the first bytes, then the extension

}  // namespace consilium::store
