#include "model/case.h"

#include <array>
#include <utility>

#include "model/error.h"

namespace consilium::model {
namespace {

template <typename E, std::size_t N>
using Names = std::array<std::pair<E, std::string_view>, N>;

constexpr Names<CaseStatus, 4> kStatus{{{CaseStatus::Received, "received"},
                                        {CaseStatus::InReview, "in-review"},
                                        {CaseStatus::ReadyForSignOff, "ready-for-sign-off"},
                                        {CaseStatus::Finalized, "finalized"}}};
constexpr Names<ServiceOrdered, 2> kService{{{ServiceOrdered::WrittenReview, "written-review"},
                                             {ServiceOrdered::WrittenReviewWithVideo, "written-review+video"}}};
constexpr Names<TreatmentKind, 3> kTreatment{{{TreatmentKind::Systemic, "systemic"},
                                              {TreatmentKind::Radiation, "radiation"},
                                              {TreatmentKind::Surgery, "surgery"}}};
constexpr Names<AttachmentKind, 5> kAttachment{{{AttachmentKind::Letter, "letter"},
                                                {AttachmentKind::Genomic, "genomic"},
                                                {AttachmentKind::PathologyReport, "pathology-report"},
                                                {AttachmentKind::TreatmentHistory, "treatment-history"},
                                                {AttachmentKind::Other, "other"}}};
constexpr Names<Role, 3> kRole{
    {{Role::Radiologist, "radiologist"}, {Role::Pathologist, "pathologist"}, {Role::BoardChair, "board-chair"}}};

template <typename E, std::size_t N>
std::string_view nameOf(const Names<E, N>& names, E value)
{
    for (auto& [v, n] : names)
        if (v == value)
            return n;
    return "?";
}

template <typename E, std::size_t N>
E valueOf(const Names<E, N>& names, std::string_view text, std::string_view what)
{
    std::string accepted;
    for (auto& [v, n] : names) {
        if (n == text)
            return v;
        accepted += (accepted.empty() ? "" : ", ") + std::string(n);
    }
    throw UsageError(std::string(what), "'" + std::string(text) + "' is not one of: " + accepted);
}

}  // namespace

std::string_view toString(CaseStatus v) { return nameOf(kStatus, v); }
std::string_view toString(ServiceOrdered v) { return nameOf(kService, v); }
std::string_view toString(TreatmentKind v) { return nameOf(kTreatment, v); }
std::string_view toString(AttachmentKind v) { return nameOf(kAttachment, v); }
std::string_view toString(Role v) { return nameOf(kRole, v); }
CaseStatus caseStatusFrom(std::string_view t) { return valueOf(kStatus, t, "status"); }
ServiceOrdered serviceFrom(std::string_view t) { return valueOf(kService, t, "service"); }
TreatmentKind treatmentKindFrom(std::string_view t) { return valueOf(kTreatment, t, "treatment kind"); }
AttachmentKind attachmentKindFrom(std::string_view t) { return valueOf(kAttachment, t, "attachment kind"); }
Role roleFrom(std::string_view t) { return valueOf(kRole, t, "role"); }

std::string_view displayName(CaseStatus v)
{
    switch (v) {
        case CaseStatus::Received:
            return "Received";
        case CaseStatus::InReview:
            return "In review";
        case CaseStatus::ReadyForSignOff:
            return "Ready for sign-off";
        case CaseStatus::Finalized:
            return "Finalized";
    }
    return "?";
}

std::string_view displayName(ServiceOrdered v)
{
    return v == ServiceOrdered::WrittenReview ? "Written review" : "Written review + video consultation";
}

std::string_view displayName(Role v)
{
    switch (v) {
        case Role::Radiologist:
            return "Radiologist";
        case Role::Pathologist:
            return "Pathologist";
        case Role::BoardChair:
            return "Board chair";
    }
    return "?";
}

std::string_view displayName(AttachmentKind v)
{
    switch (v) {
        case AttachmentKind::Letter:
            return "Oncologist letter";
        case AttachmentKind::Genomic:
            return "Genomic / molecular report";
        case AttachmentKind::PathologyReport:
            return "Pathology report";
        case AttachmentKind::TreatmentHistory:
            return "Treatment history";
        case AttachmentKind::Other:
            return "Other document";
    }
    return "?";
}

std::string_view displayName(TreatmentKind v)
{
    switch (v) {
        case TreatmentKind::Systemic:
            return "Systemic";
        case TreatmentKind::Radiation:
            return "Radiation";
        case TreatmentKind::Surgery:
            return "Surgery";
    }
    return "?";
}

int businessDaysLeft(const Case& c, Date asOf) { return businessDaysBetween(asOf, c.dueOn); }

bool isOverdue(const Case& c, Date asOf)
{
    return c.status != CaseStatus::Finalized && std::chrono::sys_days{asOf} > std::chrono::sys_days{c.dueOn};
}

}  // namespace consilium::model
