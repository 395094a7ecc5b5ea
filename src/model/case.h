#pragma once
// The second-opinion case as the intake desk records it: who the patient is, who referred them, what they ask,
// what was received and what was done so far. Plain values; the store persists them.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/dates.h"

namespace consilium::model {

enum class CaseStatus { Received, InReview, ReadyForSignOff, Finalized };
enum class ServiceOrdered { WrittenReview, WrittenReviewWithVideo };
enum class TreatmentKind { Systemic, Radiation, Surgery };
enum class AttachmentKind { Letter, Genomic, PathologyReport, TreatmentHistory, Other };
enum class Role { Radiologist, Pathologist, BoardChair };

// Text forms used in the database, on the command line and in JSON ("in-review", "board-chair", ...).
std::string_view toString(CaseStatus);
std::string_view toString(ServiceOrdered);
std::string_view toString(TreatmentKind);
std::string_view toString(AttachmentKind);
std::string_view toString(Role);
// Throw consilium::UsageError naming the accepted values when `text` is none of them.
CaseStatus caseStatusFrom(std::string_view text);
ServiceOrdered serviceFrom(std::string_view text);
TreatmentKind treatmentKindFrom(std::string_view text);
AttachmentKind attachmentKindFrom(std::string_view text);
Role roleFrom(std::string_view text);
// Words for people: "In review", "Board chair", "Written review + video consultation".
std::string_view displayName(CaseStatus);
std::string_view displayName(ServiceOrdered);
std::string_view displayName(Role);
std::string_view displayName(AttachmentKind);
std::string_view displayName(TreatmentKind);

struct Patient {
    std::int64_t id = 0;
    std::string name;  // as the referring side writes it, UTF-8, any script
    std::optional<Date> birthDate;
    std::string sex;                  // "F", "M", "O" or empty
    std::string referringIdentifier;  // the patient's record number at the referring institution
    std::string country;
};

struct Case {
    std::int64_t id = 0;
    std::string reference;  // "SO-2026-0001": what the board and the referring side quote
    Patient patient;
    std::string referringInstitution;
    std::string referringOncologist;
    std::string diagnosisAsReferred;
    std::string question;  // the one specific question the review must answer
    Date receivedOn{};
    Date dueOn{};
    ServiceOrdered service = ServiceOrdered::WrittenReview;
    std::optional<std::int64_t> feeQuotedUsd;
    CaseStatus status = CaseStatus::Received;
    std::string createdAt;  // ISO 8601 UTC
};

// What the intake form and `consilium case create` collect.
struct CaseIntake {
    Patient patient;
    std::string referringInstitution;
    std::string referringOncologist;
    std::string diagnosisAsReferred;
    std::string question;
    std::optional<Date> receivedOn;  // today when absent
    ServiceOrdered service = ServiceOrdered::WrittenReview;
    std::optional<std::int64_t> feeQuotedUsd;
};

struct TreatmentLine {
    std::int64_t id = 0;
    std::int64_t caseId = 0;
    TreatmentKind kind = TreatmentKind::Systemic;
    std::string regimen;  // agent, regimen, radiation site/technique or operation
    std::string dose;     // "AUC 5 q3w", "60 Gy / 30 fx"
    std::optional<Date> startedOn;
    std::optional<Date> endedOn;
    std::string response;  // as documented by the referring side
    int position = 0;      // order in the history
};

struct Attachment {
    std::int64_t id = 0;
    std::int64_t caseId = 0;
    AttachmentKind kind = AttachmentKind::Other;
    std::string originalName;
    std::string sha256;
    std::int64_t sizeBytes = 0;
    std::string mediaType;   // "application/pdf", ...
    std::string storedPath;  // relative to the case library root
    std::string addedAt;
    std::string title;  // what the document is ("Referral letter, Dr Chen, 2026-10-30")
};

struct Reviewer {
    std::int64_t id = 0;
    std::string name;
    Role role = Role::BoardChair;
};

struct AuditEntry {
    std::int64_t id = 0;
    std::string at;     // ISO 8601 UTC
    std::string actor;  // reviewer name and role, or "cli"
    std::optional<std::int64_t> caseId;
    std::string action;  // "case.create", "attachment.add", ...
    std::string entity;  // "case:3", "treatment_line:12"
    std::string before;  // JSON, empty for creations
    std::string after;   // JSON, empty for deletions
};

// Days left until the due date in business days (negative: overdue by that many).
int businessDaysLeft(const Case& c, Date asOf);
bool isOverdue(const Case& c, Date asOf);

}  // namespace consilium::model
