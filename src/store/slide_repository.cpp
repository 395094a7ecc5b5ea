#include "store/slide_repository.h"

#include <cstdlib>
#include <sstream>

#include "model/json.h"

namespace consilium::store {
using model::CaseSlide;

namespace {

std::string levelsText(const std::vector<model::SlideLevel>& levels)
{
    std::string out;
    for (const auto& l : levels)
        out += (out.empty() ? "" : ";") + std::to_string(l.width) + "x" + std::to_string(l.height) + "@" +
               model::jsonNumber(l.downsample);
    return out;
}

std::vector<model::SlideLevel> levelsFrom(const std::string& text)
{
    std::vector<model::SlideLevel> out;
    std::istringstream in(text);
    std::string item;
    while (std::getline(in, item, ';')) {
        model::SlideLevel l;
        char* end = nullptr;
        l.width = std::strtoll(item.c_str(), &end, 10);
        l.height = std::strtoll(end + 1, &end, 10);
        l.downsample = std::strtod(end + 1, nullptr);
        out.push_back(l);
    }
    return out;
}

std::string joined(const std::vector<std::string>& names)
{
    std::string out;
    for (const auto& n : names)
        out += (out.empty() ? "" : ",") + n;
    return out;
}

std::vector<std::string> split(const std::string& text)
{
    std::vector<std::string> out;
    std::istringstream in(text);
    std::string item;
    while (std::getline(in, item, ','))
        out.push_back(item);
    return out;
}

constexpr const char* kColumns =
    "id, case_id, title, original_name, sha256, size_bytes, stored_path, vendor, levels, "
    "mpp_x, mpp_y, objective_power, associated, quickhash";

CaseSlide slideFromRow(const Statement& s)
{
    CaseSlide c;
    c.id = s.integer(0);
    c.caseId = s.integer(1);
    c.title = s.text(2);
    c.originalName = s.text(3);
    c.sha256 = s.text(4);
    c.sizeBytes = s.integer(5);
    c.storedPath = s.text(6);
    c.info.vendor = s.text(7);
    c.info.levels = levelsFrom(s.text(8));
    c.info.mppX = s.optionalReal(9);
    c.info.mppY = s.optionalReal(10);
    c.info.objectivePower = s.optionalReal(11);
    c.info.associatedImages = split(s.text(12));
    c.info.quickhash = s.text(13);
    return c;
}

}  // namespace

CaseSlide SlideRepository::add(CaseSlide slide, const Actor& actor)
{
    Transaction tx(db_);
    auto existing = db_.prepare(std::string("SELECT ") + kColumns + " FROM slides WHERE case_id = ? AND sha256 = ?");
    existing.bind(1, slide.caseId).bind(2, slide.sha256);
    if (existing.step())
        return slideFromRow(existing);
    const auto& info = slide.info;
    const model::SlideLevel base = info.levels.empty() ? model::SlideLevel{} : info.levels.front();
    db_.prepare(
           "INSERT INTO slides (case_id, title, original_name, sha256, size_bytes, stored_path, vendor, width, "
           "height, levels, mpp_x, mpp_y, objective_power, associated, quickhash) "
           "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)")
        .bind(1, slide.caseId)
        .bind(2, slide.title)
        .bind(3, slide.originalName)
        .bind(4, slide.sha256)
        .bind(5, slide.sizeBytes)
        .bind(6, slide.storedPath)
        .bind(7, info.vendor)
        .bind(8, base.width)
        .bind(9, base.height)
        .bind(10, levelsText(info.levels))
        .bind(11, info.mppX)
        .bind(12, info.mppY)
        .bind(13, info.objectivePower)
        .bind(14, joined(info.associatedImages))
        .bind(15, info.quickhash)
        .run();
    slide.id = db_.lastInsertId();
    model::JsonObject after;
    after.add("title", slide.title).add("vendor", info.vendor).add("sha256", slide.sha256).add("mpp_x", info.mppX);
    AuditLog(db_).append(actor, slide.caseId, "slide.add", "slide:" + std::to_string(slide.id), "", after.str());
    tx.commit();
    return slide;
}

std::vector<CaseSlide> SlideRepository::forCase(std::int64_t caseId)
{
    auto s = db_.prepare(std::string("SELECT ") + kColumns + " FROM slides WHERE case_id = ? ORDER BY id");
    s.bind(1, caseId);
    std::vector<CaseSlide> out;
    while (s.step())
        out.push_back(slideFromRow(s));
    return out;
}

std::optional<CaseSlide> SlideRepository::find(std::int64_t slideId)
{
    auto s = db_.prepare(std::string("SELECT ") + kColumns + " FROM slides WHERE id = ?");
    s.bind(1, slideId);
    return s.step() ? std::optional(slideFromRow(s)) : std::nullopt;
}

}  // namespace consilium::store
