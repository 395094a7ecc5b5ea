#include "model/review.h"

#include <algorithm>
#include <cctype>

#include "model/error.h"

namespace consilium::model {
namespace {

struct SectionInfo {
    SectionKey key;
    std::string_view name;
    std::string_view title;
    Role owner;
};

constexpr std::array<SectionInfo, 8> kSections{{
    {SectionKey::Pathology, "pathology", "Pathology re-review", Role::Pathologist},
    {SectionKey::Radiology, "radiology", "Imaging re-read", Role::Radiologist},
    {SectionKey::Pathway, "pathway", "Recommended treatment pathway", Role::BoardChair},
    {SectionKey::Trials, "trials", "Clinical-trial options", Role::BoardChair},
    {SectionKey::Answer, "answer", "Answer to your question", Role::BoardChair},
    {SectionKey::TreatmentLocation, "treatment-location", "Where treatment could happen", Role::BoardChair},
    {SectionKey::Limitations, "limitations", "Limitations of this review", Role::BoardChair},
    {SectionKey::VideoConsultation, "video-consultation", "Video consultation", Role::BoardChair},
}};

const SectionInfo& info(SectionKey key)
{
    for (const auto& s : kSections)
        if (s.key == key)
            return s;
    return kSections.front();
}

bool allDigits(std::string_view s)
{
    return !s.empty() && std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isdigit(c); });
}

}  // namespace

std::string_view toString(SectionKey key) { return info(key).name; }
std::string_view sectionTitle(SectionKey key) { return info(key).title; }
Role sectionOwner(SectionKey key) { return info(key).owner; }

SectionKey sectionKeyFrom(std::string_view text)
{
    std::string accepted;
    for (const auto& s : kSections) {
        if (s.name == text)
            return s.key;
        accepted += (accepted.empty() ? "" : ", ") + std::string(s.name);
    }
    throw UsageError("section", "'" + std::string(text) + "' is not one of: " + accepted);
}

std::string_view toString(SectionStatus s) { return s == SectionStatus::Ready ? "ready" : "draft"; }

SectionStatus sectionStatusFrom(std::string_view text)
{
    if (text == "ready")
        return SectionStatus::Ready;
    if (text == "draft")
        return SectionStatus::Draft;
    throw UsageError("section status", "'" + std::string(text) + "' is not one of: draft, ready");
}

std::string_view toString(Agreement a)
{
    switch (a) {
        case Agreement::Agree:
            return "agree";
        case Agreement::Disagree:
            return "disagree";
        case Agreement::NotStated:
            break;
    }
    return "";
}

Agreement agreementFrom(std::string_view text)
{
    if (text.empty())
        return Agreement::NotStated;
    if (text == "agree")
        return Agreement::Agree;
    if (text == "disagree")
        return Agreement::Disagree;
    throw UsageError("agreement", "'" + std::string(text) + "' is not one of: agree, disagree");
}

bool PathologyFindings::empty() const
{
    return diagnosis.empty() && histologicType.empty() && grade.empty() && pT.empty() && pN.empty() &&
           stageAgreement == Agreement::NotStated && gradeAgreement == Agreement::NotStated && margins.empty() &&
           biomarkers.empty();
}

bool RadiologyFindings::empty() const
{
    return studies.empty() && cT.empty() && cN.empty() && cM.empty() && stageAgreement == Agreement::NotStated;
}

const ReviewSection& ReviewFindings::section(SectionKey key) const
{
    for (const auto& s : sections)
        if (s.key == key)
            return s;
    throw Error(std::string(toString(key)), "section missing from the review findings");
}

std::vector<SectionKey> ReviewFindings::draftSections() const
{
    std::vector<SectionKey> out;
    for (SectionKey key : kAllSections) {
        const auto it = std::find_if(sections.begin(), sections.end(), [&](const auto& s) { return s.key == key; });
        if (it == sections.end() || it->status != SectionStatus::Ready)
            out.push_back(key);
    }
    return out;
}

bool plausibleRegistryId(std::string_view id)
{
    if (id.starts_with("NCT"))
        return id.size() == 11 && allDigits(id.substr(3));
    if (id.starts_with("ChiCTR"))  // ChiCTR2400081234, or the older ChiCTR-TRC-12002345
        return id.size() >= 10 && std::isdigit(static_cast<unsigned char>(id.back()));
    // EudraCT 2020-001234-56, ISRCTN12345678, jRCT…, CTRI/2023/…: letters or digits, some digits.
    return id.size() >= 6 && std::any_of(id.begin(), id.end(), [](unsigned char c) { return std::isdigit(c); }) &&
           std::none_of(id.begin(), id.end(), [](unsigned char c) { return std::isspace(c); });
}

}  // namespace consilium::model
