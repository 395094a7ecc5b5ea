#include "store/case_repository.h"

#include <cstdio>

#include "model/error.h"
#include "model/json.h"

namespace consilium::store {
using namespace consilium::model;

namespace {

constexpr const char* kCaseColumns =
    "c.id, c.reference, c.referring_institution, c.referring_oncologist, c.diagnosis_as_referred, c.question, "
    "c.received_on, c.due_on, c.service, c.fee_quoted_usd, c.status, c.created_at, "
    "p.id, p.name, p.birth_date, p.sex, p.referring_identifier, p.country";

Date dateColumn(const Statement& s, int column)
{
    auto d = parseIsoDate(s.text(column));
    return d ? *d : Date{};
}

std::optional<Date> optionalDateColumn(const Statement& s, int column)
{
    auto t = s.optionalText(column);
    return t ? parseIsoDate(*t) : std::nullopt;
}

std::optional<std::string> isoOrNull(const std::optional<Date>& d)
{
    return d ? std::optional(formatIsoDate(*d)) : std::nullopt;
}

Case caseFromRow(const Statement& s)
{
    Case c;
    c.id = s.integer(0);
    c.reference = s.text(1);
    c.referringInstitution = s.text(2);
    c.referringOncologist = s.text(3);
    c.diagnosisAsReferred = s.text(4);
    c.question = s.text(5);
    c.receivedOn = dateColumn(s, 6);
    c.dueOn = dateColumn(s, 7);
    c.service = serviceFrom(s.text(8));
    c.feeQuotedUsd = s.optionalInteger(9);
    c.status = caseStatusFrom(s.text(10));
    c.createdAt = s.text(11);
    c.patient.id = s.integer(12);
    c.patient.name = s.text(13);
    c.patient.birthDate = optionalDateColumn(s, 14);
    c.patient.sex = s.text(15);
    c.patient.referringIdentifier = s.text(16);
    c.patient.country = s.text(17);
    return c;
}

TreatmentLine lineFromRow(const Statement& s)
{
    TreatmentLine t;
    t.id = s.integer(0);
    t.caseId = s.integer(1);
    t.kind = treatmentKindFrom(s.text(2));
    t.regimen = s.text(3);
    t.dose = s.text(4);
    t.startedOn = optionalDateColumn(s, 5);
    t.endedOn = optionalDateColumn(s, 6);
    t.response = s.text(7);
    t.position = int(s.integer(8));
    return t;
}

bool blank(std::string_view s) { return s.find_first_not_of(" \t\r\n") == std::string_view::npos; }

void validate(const CaseIntake& in)
{
    if (blank(in.patient.name))
        throw UsageError("patient name", "is required");
    if (blank(in.question))
        throw UsageError("question", "the one specific question of the referring side is required");
    if (in.patient.sex != "" && in.patient.sex != "F" && in.patient.sex != "M" && in.patient.sex != "O")
        throw UsageError("sex", "'" + in.patient.sex + "' is not one of: F, M, O");
    if (in.feeQuotedUsd && *in.feeQuotedUsd < 0)
        throw UsageError("fee", "cannot be negative");
}

void validate(const TreatmentLine& t)
{
    if (t.startedOn && t.endedOn && std::chrono::sys_days{*t.endedOn} < std::chrono::sys_days{*t.startedOn})
        throw UsageError("treatment line", "ends before it starts");
}

}  // namespace

std::string toJson(const Case& c)
{
    JsonObject patient;
    patient.add("name", c.patient.name)
        .add("birth_date", isoOrNull(c.patient.birthDate))
        .add("sex", c.patient.sex)
        .add("referring_identifier", c.patient.referringIdentifier)
        .add("country", c.patient.country);
    JsonObject o;
    o.add("id", c.id)
        .add("reference", c.reference)
        .addRaw("patient", patient.str())
        .add("referring_institution", c.referringInstitution)
        .add("referring_oncologist", c.referringOncologist)
        .add("diagnosis_as_referred", c.diagnosisAsReferred)
        .add("question", c.question)
        .add("received_on", formatIsoDate(c.receivedOn))
        .add("due_on", formatIsoDate(c.dueOn))
        .add("service", toString(c.service))
        .add("fee_quoted_usd", c.feeQuotedUsd)
        .add("status", toString(c.status));
    return o.str();
}

std::string toJson(const TreatmentLine& t)
{
    JsonObject o;
    o.add("id", t.id)
        .add("kind", toString(t.kind))
        .add("regimen", t.regimen)
        .add("dose", t.dose)
        .add("started_on", isoOrNull(t.startedOn))
        .add("ended_on", isoOrNull(t.endedOn))
        .add("response", t.response)
        .add("position", t.position);
    return o.str();
}

Case CaseRepository::create(const CaseIntake& in, const Actor& actor)
{
    validate(in);
    const Date received = in.receivedOn.value_or(today());
    Transaction tx(db_);
    const Date due = addBusinessDays(received, turnaroundBusinessDays());

    db_.prepare("INSERT INTO patients (name, birth_date, sex, referring_identifier, country) VALUES (?,?,?,?,?)")
        .bind(1, in.patient.name)
        .bind(2, isoOrNull(in.patient.birthDate))
        .bind(3, in.patient.sex)
        .bind(4, in.patient.referringIdentifier)
        .bind(5, in.patient.country)
        .run();
    const std::int64_t patientId = db_.lastInsertId();

    // The reference counts cases per year of receipt: SO-2026-0001, SO-2026-0002, ...
    const std::string prefix = "SO-" + std::to_string(int(received.year())) + "-";
    auto last = db_.prepare("SELECT max(CAST(substr(reference, ?) AS INTEGER)) FROM cases WHERE reference LIKE ?");
    last.bind(1, std::int64_t(prefix.size() + 1)).bind(2, prefix + "%");
    last.step();
    char reference[32];
    std::snprintf(reference, sizeof reference, "%s%04lld", prefix.c_str(), (long long)(last.integer(0) + 1));

    db_.prepare(
           "INSERT INTO cases (reference, patient_id, referring_institution, referring_oncologist, "
           "diagnosis_as_referred, question, received_on, due_on, service, fee_quoted_usd, status, created_at) "
           "VALUES (?,?,?,?,?,?,?,?,?,?,'received',?)")
        .bind(1, std::string(reference))
        .bind(2, patientId)
        .bind(3, in.referringInstitution)
        .bind(4, in.referringOncologist)
        .bind(5, in.diagnosisAsReferred)
        .bind(6, in.question)
        .bind(7, formatIsoDate(received))
        .bind(8, formatIsoDate(due))
        .bind(9, toString(in.service))
        .bind(10, in.feeQuotedUsd)
        .bind(11, utcNow())
        .run();
    const Case created = get(db_.lastInsertId());
    AuditLog(db_).append(actor, created.id, "case.create", "case:" + std::to_string(created.id), "", toJson(created));
    tx.commit();
    return created;
}

std::vector<Case> CaseRepository::list(std::string_view search)
{
    std::string sql = std::string("SELECT ") + kCaseColumns + " FROM cases c JOIN patients p ON p.id = c.patient_id";
    if (!search.empty())
        sql +=
            " WHERE instr(lower(c.reference || ' ' || p.name || ' ' || c.diagnosis_as_referred || ' ' || "
            "c.referring_institution || ' ' || c.referring_oncologist), lower(?)) > 0";
    sql += " ORDER BY c.received_on DESC, c.id DESC";
    auto s = db_.prepare(sql);
    if (!search.empty())
        s.bind(1, search);
    std::vector<Case> out;
    while (s.step())
        out.push_back(caseFromRow(s));
    return out;
}

Case CaseRepository::get(std::int64_t id)
{
    auto s = db_.prepare(std::string("SELECT ") + kCaseColumns +
                         " FROM cases c JOIN patients p ON p.id = c.patient_id WHERE c.id = ?");
    s.bind(1, id);
    if (!s.step())
        throw Error("case " + std::to_string(id), "no such case in " + db_.file().string());
    return caseFromRow(s);
}

Case CaseRepository::find(std::string_view idOrReference)
{
    auto s = db_.prepare(std::string("SELECT ") + kCaseColumns +
                         " FROM cases c JOIN patients p ON p.id = c.patient_id "
                         "WHERE c.reference = ?1 OR CAST(c.id AS TEXT) = ?1");
    s.bind(1, idOrReference);
    if (!s.step())
        throw Error("case " + std::string(idOrReference), "no such case in " + db_.file().string());
    return caseFromRow(s);
}

void CaseRepository::setStatus(std::int64_t caseId, CaseStatus status, const Actor& actor)
{
    Transaction tx(db_);
    const Case before = get(caseId);
    db_.prepare("UPDATE cases SET status = ? WHERE id = ?").bind(1, toString(status)).bind(2, caseId).run();
    AuditLog(db_).append(actor, caseId, "case.status", "case:" + std::to_string(caseId), toJson(before),
                         toJson(get(caseId)));
    tx.commit();
}

std::vector<TreatmentLine> CaseRepository::treatmentHistory(std::int64_t caseId)
{
    auto s = db_.prepare(
        "SELECT id, case_id, kind, regimen, dose, started_on, ended_on, response, position "
        "FROM treatment_lines WHERE case_id = ? ORDER BY position, started_on, id");
    s.bind(1, caseId);
    std::vector<TreatmentLine> out;
    while (s.step())
        out.push_back(lineFromRow(s));
    return out;
}

std::optional<TreatmentLine> CaseRepository::treatmentLine(std::int64_t id)
{
    auto s = db_.prepare(
        "SELECT id, case_id, kind, regimen, dose, started_on, ended_on, response, position "
        "FROM treatment_lines WHERE id = ?");
    s.bind(1, id);
    return s.step() ? std::optional(lineFromRow(s)) : std::nullopt;
}

TreatmentLine CaseRepository::addTreatmentLine(TreatmentLine line, const Actor& actor)
{
    validate(line);
    Transaction tx(db_);
    get(line.caseId);  // throws for an unknown case
    auto next = db_.prepare("SELECT coalesce(max(position), -1) + 1 FROM treatment_lines WHERE case_id = ?");
    next.bind(1, line.caseId);
    next.step();
    line.position = int(next.integer(0));
    db_.prepare(
           "INSERT INTO treatment_lines (case_id, kind, regimen, dose, started_on, ended_on, response, position) "
           "VALUES (?,?,?,?,?,?,?,?)")
        .bind(1, line.caseId)
        .bind(2, toString(line.kind))
        .bind(3, line.regimen)
        .bind(4, line.dose)
        .bind(5, isoOrNull(line.startedOn))
        .bind(6, isoOrNull(line.endedOn))
        .bind(7, line.response)
        .bind(8, line.position)
        .run();
    line.id = db_.lastInsertId();
    AuditLog(db_).append(actor, line.caseId, "treatment.add", "treatment_line:" + std::to_string(line.id), "",
                         toJson(line));
    tx.commit();
    return line;
}

void CaseRepository::updateTreatmentLine(const TreatmentLine& line, const Actor& actor)
{
    validate(line);
    Transaction tx(db_);
    auto before = treatmentLine(line.id);
    if (!before)
        throw Error("treatment line " + std::to_string(line.id), "no longer exists");
    db_.prepare(
           "UPDATE treatment_lines SET kind=?, regimen=?, dose=?, started_on=?, ended_on=?, response=? "
           "WHERE id=?")
        .bind(1, toString(line.kind))
        .bind(2, line.regimen)
        .bind(3, line.dose)
        .bind(4, isoOrNull(line.startedOn))
        .bind(5, isoOrNull(line.endedOn))
        .bind(6, line.response)
        .bind(7, line.id)
        .run();
    AuditLog(db_).append(actor, before->caseId, "treatment.edit", "treatment_line:" + std::to_string(line.id),
                         toJson(*before), toJson(*treatmentLine(line.id)));
    tx.commit();
}

void CaseRepository::removeTreatmentLine(std::int64_t lineId, const Actor& actor)
{
    Transaction tx(db_);
    auto before = treatmentLine(lineId);
    if (!before)
        throw Error("treatment line " + std::to_string(lineId), "no longer exists");
    db_.prepare("DELETE FROM treatment_lines WHERE id = ?").bind(1, lineId).run();
    AuditLog(db_).append(actor, before->caseId, "treatment.remove", "treatment_line:" + std::to_string(lineId),
                         toJson(*before), "");
    tx.commit();
}

int CaseRepository::turnaroundBusinessDays()
{
    auto s = db_.prepare("SELECT value FROM settings WHERE key = 'turnaround_business_days'");
    return s.step() ? int(std::stol(s.text(0))) : kDefaultTurnaroundBusinessDays;
}

void CaseRepository::setTurnaroundBusinessDays(int days, const Actor& actor)
{
    if (days < 1 || days > 60)
        throw UsageError("turnaround", "must be 1 to 60 business days");
    Transaction tx(db_);
    const int before = turnaroundBusinessDays();
    db_.prepare(
           "INSERT INTO settings (key, value) VALUES ('turnaround_business_days', ?) "
           "ON CONFLICT(key) DO UPDATE SET value = excluded.value")
        .bind(1, std::to_string(days))
        .run();
    AuditLog(db_).append(actor, std::nullopt, "settings.turnaround", "settings", std::to_string(before),
                         std::to_string(days));
    tx.commit();
}

}  // namespace consilium::store
