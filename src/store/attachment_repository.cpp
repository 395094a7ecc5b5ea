#include "store/attachment_repository.h"

#include <fstream>

#include "model/json.h"
#include "store/case_repository.h"

namespace consilium::store {
using namespace consilium::model;

namespace {

Attachment attachmentFromRow(const Statement& s)
{
    return {s.integer(0), s.integer(1), attachmentKindFrom(s.text(2)),
            s.text(3),    s.text(4),    s.integer(5),
            s.text(6),    s.text(7),    s.text(8),
            s.text(9)};
}

constexpr const char* kColumns =
    "id, case_id, kind, original_name, sha256, size_bytes, media_type, stored_path, added_at, title";

}  // namespace

std::string mediaTypeOf(const std::filesystem::path& file)
{
    std::ifstream in(file, std::ios::binary);
    char head[8] = {};
    in.read(head, sizeof head);
    std::string_view magic(head, std::size_t(in.gcount()));
    if (magic.starts_with("%PDF"))
        return "application/pdf";
    if (magic.starts_with("\x89PNG"))
        return "image/png";
    if (magic.starts_with("\xff\xd8\xff"))
        return "image/jpeg";
    std::string ext = file.extension().string();
    for (auto& c : ext)
        c = char(std::tolower(static_cast<unsigned char>(c)));
    if (ext == ".txt" || ext == ".md")
        return "text/plain";
    if (ext == ".docx")
        return "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
    return "application/octet-stream";
}

Attachment AttachmentRepository::attach(std::int64_t caseId, const std::filesystem::path& file, AttachmentKind kind,
                                        std::string title, const Actor& actor)
{
    const Case c = CaseRepository(db_).get(caseId);
    const StoredFile stored = files_.store(c.reference, "documents", file);  // outside the transaction: slow I/O

    Transaction tx(db_);
    auto existing = db_.prepare(std::string("SELECT ") + kColumns + " FROM attachments WHERE case_id=? AND sha256=?");
    existing.bind(1, caseId).bind(2, stored.sha256);
    if (existing.step())
        return attachmentFromRow(existing);  // the transaction rolls back: nothing changed

    if (title.empty())
        title = file.stem().string();
    db_.prepare(
           "INSERT INTO attachments (case_id, kind, title, original_name, sha256, size_bytes, media_type, "
           "stored_path, added_at) VALUES (?,?,?,?,?,?,?,?,?)")
        .bind(1, caseId)
        .bind(2, toString(kind))
        .bind(3, title)
        .bind(4, file.filename().string())
        .bind(5, stored.sha256)
        .bind(6, stored.sizeBytes)
        .bind(7, mediaTypeOf(file))
        .bind(8, stored.relativePath)
        .bind(9, utcNow())
        .run();
    const std::int64_t id = db_.lastInsertId();
    auto row = db_.prepare(std::string("SELECT ") + kColumns + " FROM attachments WHERE id = ?");
    row.bind(1, id);
    row.step();
    Attachment a = attachmentFromRow(row);
    JsonObject after;
    after.add("kind", toString(kind))
        .add("title", a.title)
        .add("original_name", a.originalName)
        .add("sha256", a.sha256);
    AuditLog(db_).append(actor, caseId, "attachment.add", "attachment:" + std::to_string(id), "", after.str());
    tx.commit();
    return a;
}

std::vector<Attachment> AttachmentRepository::forCase(std::int64_t caseId)
{
    auto s = db_.prepare(std::string("SELECT ") + kColumns +
                         " FROM attachments WHERE case_id = ? ORDER BY "
                         "CASE kind WHEN 'letter' THEN 0 WHEN 'pathology-report' THEN 1 WHEN 'genomic' THEN 2 "
                         "WHEN 'treatment-history' THEN 3 ELSE 4 END, id");
    s.bind(1, caseId);
    std::vector<Attachment> out;
    while (s.step())
        out.push_back(attachmentFromRow(s));
    return out;
}

}  // namespace consilium::store
