#include "cli/cli.h"

#include <unistd.h>

#include <limits>
#include <ostream>

#include "cli/annotations_command.h"
#include "cli/arguments.h"
#include "cli/measurements_command.h"
#include "cli/report_command.h"
#include "cli/slide_command.h"
#include "cli/trust_command.h"
#include "demo/demo_case.h"
#include "imaging/case_suv.h"
#include "imaging/dicom_import.h"
#include "imaging/inspect.h"
#include "model/error.h"
#include "model/json.h"
#include "store/attachment_repository.h"
#include "store/case_repository.h"
#include "store/imaging_index.h"
#include "store/slide_repository.h"
#include "store/suv_override_repository.h"

#ifndef CONSILIUM_VERSION
#define CONSILIUM_VERSION "0.0.0"
#endif

namespace consilium::cli {
using namespace consilium::model;
namespace fs = std::filesystem;

namespace {

constexpr const char* kUsage = R"(Consilium — tumour-board second-opinion workstation

Usage:
  consilium [--db FILE]                       open the workstation
  consilium [--db FILE] COMMAND …

Commands:
  --version                                   print the version
  help                                        this text
  case create --patient-name NAME --question TEXT
              [--received YYYY-MM-DD] [--birth-date YYYY-MM-DD] [--sex F|M|O]
              [--patient-id ID] [--country C] [--institution NAME] [--oncologist NAME]
              [--diagnosis TEXT] [--service written-review|written-review+video]
              [--fee USD] [--json]               register a referred case (prints its reference)
  case list [--search TEXT] [--json]          cases, newest first, with due dates
  case show ID [--json]                       one case (ID: number or reference such as SO-2026-0001)
  case attach ID FILE… --kind letter|genomic|pathology-report|treatment-history|other [--title TEXT]
                                              copy documents into the case
  case import ID PATH…                        import DICOM (files, folders, DICOMDIR) into a case
  case confirm-patient ID SERIES_UID          confirm that a series flagged as another patient's is this case's
  case suv ID SERIES_UID [--json] [--weight KG] [--dose MBQ] [--injection DT] [--scan DT] --reason TEXT | --clear
                                              the SUV factor of a PET series and its inputs; override an input
  inspect PATH… --json                        series, geometry, warnings and SUV of DICOM files (no database)
  slide info FILE [--json]                    a slide's vendor, levels, mpp, objective, associated images, quickhash
  slide region FILE --level L --x X --y Y --w W --h H --out FILE.png
                                              a region as PNG (x, y in level-0 pixels, w × h in pixels of level L)
  snapshot --series PATH [--pet PATH] --view axial|coronal|sagittal|mip|fusion|volume [--slice N]
           [--preset NAME] [--size WxH] --out FILE.png
                                              the viewer's own items as a PNG (needs an X display; N from 1;
                                              NAME: soft-tissue, lung, bone, brain, liver, mediastinum, suv5, suv10;
                                              for volume: soft-tissue, bone, lung)
  annotations list CASE SLIDE [--json]        a slide's annotations with µm/mm² (when calibrated) and counts by class
                                              (SLIDE: its id as in 'case show --json', its title or file name)
  annotations import CASE SLIDE FILE          GeoJSON (QuPath) or ASAP XML onto a slide; a bad file imports nothing
  annotations export CASE SLIDE --out FILE.geojson
                                              the slide's annotations as QuPath-compatible GeoJSON
  measurements list CASE [--json]            measurements with their values, lesions and time points
  measurements add CASE --series UID --kind line|angle|ellipse|polygon|bidirectional|arrow --points "X,Y,Z;…"
               [--lesion NAME [--location ORGAN] [--category target|non-target|new] [--nodal]] [--label TEXT]
                                              add a measurement (LPS mm) on the acquired slice of the series
                                              nearest to the first point (the points are projected onto it)
  measurements remove CASE ID                 delete a measurement
  measurements observe CASE --lesion NAME --time-point YYYYMMDD
               --state too-small|disappeared|present|progression|not-evaluated [--note TEXT]
                                              record a lesion's state where there is nothing to measure
  measurements recist CASE [--json]           RECIST 1.1: eligibility, sums, baseline, nadir, response
  measurements export CASE --format sr|csv --out FILE
                                              DICOM SR (TID 1500 measurement report) or CSV of the measurements
  settings [--turnaround-days N]              show the settings; set the turnaround in business days
  demo [--dir DIR]                            create the built-in demo case (referral files written to DIR)
  report status ID [--json]                   the review's sections (draft/ready, who, when) and versions
  report section ID SECTION --as NAME --role ROLE (--file BODY.md | --text TEXT) [--ready]
                                              write a section (SECTION: pathology, radiology, pathway, trials,
                                              answer, treatment-location, limitations, video-consultation);
                                              a draft unless --ready
  report pathology ID --as NAME [--diagnosis T] [--type T] [--grade T] [--pt T] [--pn T]
                   [--stage-agreement agree|disagree] [--grade-agreement agree|disagree] [--reasoning T]
                   [--margins T] [--biomarkers-file F.md]
                                              the pathologist's structured findings (given fields change)
  report radiology ID --as NAME [--ct T] [--cn T] [--cm T] [--stage-agreement agree|disagree] [--reasoning T]
                   [--study 'YYYY-MM-DD|STUDY|FINDINGS']…
                                              the radiologist's stage and findings per study (--study replaces all)
  report chair ID --as NAME [--intent T] [--sequence T] [--alternatives T] [--video yes|no]
               [--trial 'ID|TITLE|PHASE|SITE|china-only or open|ELIGIBILITY']…
                                              the chair's recommendation and trial options (--trial replaces all)
  report compile ID --out FILE.pdf [--paper a4|letter] [--min-pages N] [--max-pages N]
                                              typeset the review; warns outside the page bounds (5–8 by default)
  report finalize ID --as NAME [--reason TEXT] [--paper a4|letter]
                                              the board chair signs: stored, hashed, locked; again = an amendment
                                              (--reason required)
  report export-dicom ID --out FILE.dcm       the latest finalized version as DICOM Encapsulated PDF
  audit verify [CASE] [--json]               check the audit log's hash chain (one case, or the whole log):
                                              OK with the rows checked, or the first broken row and why (exit 1)
  backup --out FILE                           copy the database while in use (SQLite online backup), checked;
                                              the case files folder beside it is copied separately
  restore FILE                                check a backup (integrity, schema) and put it in place of the database;
                                              the one it replaces is kept as DB.before-restore-<UTC time>
  deidentify FILE --out FILE [--key TEXT]     a DICOM SR Consilium wrote, de-identified (PS3.15 basic profile,
                                              clean structured content; the same --key keeps UIDs linked); an
                                              Encapsulated PDF is refused (its pages name the patient)

Options:
  --db FILE    the database (default $CONSILIUM_HOME/consilium.db, CONSILIUM_HOME=~/.local/share/consilium)

Exit status: 0 success, 1 failure, 2 usage error.
)";

// Who the command acts as, for the audit log: $CONSILIUM_USER, else the login name.
store::Actor commandLineActor()
{
    if (const char* u = std::getenv("CONSILIUM_USER"); u && *u)
        return {u, std::nullopt};
    const char* login = std::getenv("USER");
    return {std::string("cli:") + (login && *login ? login : std::to_string(::getuid())), std::nullopt};
}

Date dateOption(const Arguments& a, const std::string& option)
{
    auto d = parseIsoDate(a.require(option));
    if (!d)
        throw UsageError(option, "'" + *a.value(option) + "' is not a date (YYYY-MM-DD)");
    return *d;
}

std::optional<Date> optionalDate(const Arguments& a, const std::string& option)
{
    return a.value(option) ? std::optional(dateOption(a, option)) : std::nullopt;
}

std::string attachmentJson(const Attachment& a)
{
    JsonObject o;
    o.add("id", a.id)
        .add("kind", toString(a.kind))
        .add("title", a.title)
        .add("original_name", a.originalName)
        .add("media_type", a.mediaType)
        .add("size_bytes", a.sizeBytes)
        .add("sha256", a.sha256)
        .add("stored_path", a.storedPath);
    return o.str();
}

std::string seriesJson(const SeriesSummary& s)
{
    JsonObject o;
    o.add("series_instance_uid", s.seriesInstanceUid)
        .add("study_instance_uid", s.studyInstanceUid)
        .add("study_date", s.studyDate)
        .add("modality", s.modality)
        .add("series_number", s.seriesNumber)
        .add("description", s.seriesDescription)
        .add("instances", s.instanceCount)
        .add("rows", s.rows)
        .add("columns", s.columns)
        .add("slice_thickness", s.sliceThickness)
        .add("frame_of_reference_uid", s.frameOfReferenceUid)
        .add("patient_check", s.patientCheck)
        .add("patient_note", s.patientNote);
    if (s.pixelSpacing)
        o.addRaw("pixel_spacing", jsonArray({jsonNumber((*s.pixelSpacing)[0]), jsonNumber((*s.pixelSpacing)[1])}));
    else
        o.addNull("pixel_spacing");
    return o.str();
}

std::string slideJson(const CaseSlide& s)
{
    std::vector<std::string> levels;
    for (const auto& l : s.info.levels)
        levels.push_back(
            JsonObject().add("width", l.width).add("height", l.height).add("downsample", l.downsample).str());
    JsonObject o;
    o.add("id", s.id).add("title", s.title).add("original_name", s.originalName).add("vendor", s.info.vendor);
    o.addRaw("levels", jsonArray(levels));
    if (s.info.calibrated())
        o.addRaw("mpp", jsonArray({jsonNumber(*s.info.mppX), jsonNumber(*s.info.mppY)}));
    else
        o.addNull("mpp");
    o.add("objective_power", s.info.objectivePower).add("quickhash", s.info.quickhash).add("sha256", s.sha256);
    return o.str();
}

// ---- commands --------------------------------------------------------------------------------------------------

int caseCreate(store::Database& db, const std::vector<std::string>& args, std::ostream& out)
{
    Arguments a(args,
                {"--patient-name", "--question", "--received", "--birth-date", "--sex", "--patient-id", "--country",
                 "--institution", "--oncologist", "--diagnosis", "--service", "--fee"},
                {"--json"});
    if (!a.positional().empty())
        throw UsageError(a.positional().front(), "unexpected argument to 'case create'");
    CaseIntake in;
    in.patient.name = a.require("--patient-name");
    in.question = a.require("--question");
    in.receivedOn = optionalDate(a, "--received");
    in.patient.birthDate = optionalDate(a, "--birth-date");
    in.patient.sex = a.value("--sex").value_or("");
    in.patient.referringIdentifier = a.value("--patient-id").value_or("");
    in.patient.country = a.value("--country").value_or("");
    in.referringInstitution = a.value("--institution").value_or("");
    in.referringOncologist = a.value("--oncologist").value_or("");
    in.diagnosisAsReferred = a.value("--diagnosis").value_or("");
    if (auto s = a.value("--service"))
        in.service = serviceFrom(*s);
    if (auto usd = a.integer("--fee", "a whole number of US dollars")) {
        if (*usd < 0)
            throw UsageError("--fee", "'" + *a.value("--fee") + "' is not a whole number of US dollars");
        in.feeQuotedUsd = *usd;
    }
    const Case c = store::CaseRepository(db).create(in, commandLineActor());
    if (a.flag("--json"))
        out << store::toJson(c) << "\n";
    else
        out << c.reference << "  due " << formatIsoDate(c.dueOn) << "\n";
    return 0;
}

int caseList(store::Database& db, const std::vector<std::string>& args, std::ostream& out)
{
    Arguments a(args, {"--search"}, {"--json"});
    if (!a.positional().empty())
        throw UsageError(a.positional().front(), "unexpected argument to 'case list'");
    const auto cases = store::CaseRepository(db).list(a.value("--search").value_or(""));
    const Date now = today();
    if (a.flag("--json")) {
        std::vector<std::string> items;
        for (const auto& c : cases) {
            std::string json = store::toJson(c);
            json.pop_back();
            json += ",\"business_days_left\":" + std::to_string(businessDaysLeft(c, now)) +
                    ",\"overdue\":" + (isOverdue(c, now) ? "true" : "false") + "}";
            items.push_back(json);
        }
        out << jsonArray(items) << "\n";
        return 0;
    }
    for (const auto& c : cases) {
        out << c.reference << "  " << displayName(c.status) << "  due " << formatIsoDate(c.dueOn)
            << (isOverdue(c, now) ? " (overdue)" : "") << "  " << c.patient.name << "  — " << c.diagnosisAsReferred
            << "\n";
    }
    if (cases.empty())
        out << "No cases.\n";
    return 0;
}

int caseShow(store::Database& db, const std::vector<std::string>& args, std::ostream& out)
{
    Arguments a(args, {}, {"--json"});
    if (a.positional().size() != 1)
        throw UsageError("case show", "takes exactly one case ID");
    store::CaseRepository cases(db);
    const Case c = cases.find(a.positional()[0]);
    const auto history = cases.treatmentHistory(c.id);
    const auto documents = store::AttachmentRepository(db).forCase(c.id);
    const auto series = store::ImagingIndex(db).series(c.id);
    const auto slides = store::SlideRepository(db).forCase(c.id);
    if (a.flag("--json")) {
        std::vector<std::string> h, d, s, w;
        for (const auto& x : history)
            h.push_back(store::toJson(x));
        for (const auto& x : documents)
            d.push_back(attachmentJson(x));
        for (const auto& x : series)
            s.push_back(seriesJson(x));
        for (const auto& x : slides)
            w.push_back(slideJson(x));
        std::string json = store::toJson(c);
        json.pop_back();
        json += ",\"treatment_history\":" + jsonArray(h) + ",\"attachments\":" + jsonArray(d) +
                ",\"imaging_series\":" + jsonArray(s) + ",\"slides\":" + jsonArray(w) + "}";
        out << json << "\n";
        return 0;
    }
    out << c.reference << " — " << c.patient.name << " (" << displayName(c.status) << ", due " << formatIsoDate(c.dueOn)
        << ")\n"
        << "Question: " << c.question << "\n"
        << "Diagnosis as referred: " << c.diagnosisAsReferred << "\n"
        << "Referred by: " << c.referringOncologist << ", " << c.referringInstitution << "\n";
    for (const auto& x : history)
        out << "  treatment  " << toString(x.kind) << ": " << x.regimen << " " << x.dose << " — " << x.response << "\n";
    for (const auto& x : documents)
        out << "  document   " << displayName(x.kind) << ": " << x.title << " (" << x.originalName << ")\n";
    for (const auto& x : series)
        out << "  imaging    " << x.modality << " " << x.seriesDescription << ", " << x.instanceCount << " images\n";
    for (const auto& x : slides)
        out << "  slide      " << x.title << " (" << x.info.vendor << ")\n";
    return 0;
}

int caseAttach(store::Database& db, const std::vector<std::string>& args, std::ostream& out)
{
    Arguments a(args, {"--kind", "--title"}, {});
    if (a.positional().size() < 2)
        throw UsageError("case attach", "needs a case ID and at least one file");
    const AttachmentKind kind = attachmentKindFrom(a.require("--kind"));
    const Case c = store::CaseRepository(db).find(a.positional()[0]);
    store::AttachmentRepository attachments(db);
    for (std::size_t i = 1; i < a.positional().size(); ++i) {
        const auto file = fs::path(a.positional()[i]);
        const auto stored = attachments.attach(c.id, file, kind, a.value("--title").value_or(""), commandLineActor());
        out << stored.sha256.substr(0, 12) << "  " << file.string() << "\n";
    }
    return 0;
}

int caseImport(store::Database& db, const std::vector<std::string>& args, std::ostream& out)
{
    Arguments a(args, {}, {"--json"});
    if (a.positional().size() < 2)
        throw UsageError("case import", "needs a case ID and at least one file, folder or DICOMDIR");
    const Case c = store::CaseRepository(db).find(a.positional()[0]);
    std::vector<fs::path> paths(a.positional().begin() + 1, a.positional().end());
    const auto report = imaging::importDicomFiles(db, c.id, paths, commandLineActor());
    if (a.flag("--json")) {
        std::vector<std::string> problems, mismatches;
        for (const auto& p : report.problems)
            problems.push_back(jsonQuote(p));
        for (const auto& m : report.patientMismatch)
            mismatches.push_back(jsonQuote(m));
        out << JsonObject()
                   .add("imported", report.imported)
                   .add("already_present", report.alreadyPresent)
                   .add("skipped_not_dicom", report.skippedNotDicom)
                   .addRaw("errors", jsonArray(problems))
                   .addRaw("patient_mismatch", jsonArray(mismatches))
                   .str()
            << "\n";
    } else {
        out << report.imported << " instances imported, " << report.alreadyPresent << " already in the case, "
            << report.skippedNotDicom << " files skipped (not DICOM), " << report.problems.size()
            << " could not be read\n";
        for (const auto& p : report.problems)
            out << "  not imported: " << p << "\n";
        for (const auto& m : report.patientMismatch)
            out << "  patient to confirm: " << m << "\n";
    }
    // A failure only when nothing could be used at all.
    return report.imported + report.alreadyPresent == 0 && !report.problems.empty() ? 1 : 0;
}

int caseSuv(store::Database& db, const std::vector<std::string>& args, std::ostream& out)
{
    Arguments a(args, {"--weight", "--dose", "--injection", "--scan", "--reason"}, {"--json", "--clear"});
    if (a.positional().size() != 2)
        throw UsageError("case suv", "takes a case ID and a series instance UID");
    const Case c = store::CaseRepository(db).find(a.positional()[0]);
    const std::string series = a.positional()[1];
    store::ImagingIndex(db).seriesIdOf(c.id, series);  // an unknown series is an error before anything is stored
    store::SuvOverrideRepository overrides(db);
    if (a.flag("--clear")) {
        overrides.clear(c.id, series, commandLineActor());
    } else if (a.value("--weight") || a.value("--dose") || a.value("--injection") || a.value("--scan")) {
        store::SuvOverride o;
        o.weightKg = a.number("--weight");
        if (auto mbq = a.number("--dose"))
            o.injectedDoseBq = *mbq * 1e6;
        o.injectionDateTime = a.value("--injection");
        o.scanDateTime = a.value("--scan");
        o.reason = a.value("--reason").value_or("");
        overrides.set(c.id, series, o, commandLineActor());
    }
    const model::SuvResult r = imaging::caseSeriesSuv(db, c.id, series);
    const char* status = r.status == model::SuvResult::Status::Ok       ? "ok"
                         : r.status == model::SuvResult::Status::NotPet ? "not-pet"
                                                                        : "unavailable";
    if (a.flag("--json")) {
        JsonObject o;
        o.add("status", status);
        if (r.ok())
            o.add("factor", r.factorBw);
        else
            o.addNull("factor");
        o.add("factor_sul", r.factorLbm)
            .add("reason", r.reason)
            .add("inputs", model::describeSuvInputs(r))
            .add("overridden", r.usedOverrides);
        out << o.str() << "\n";
    } else {
        out << "SUV " << status;
        if (r.ok())
            out << ": factor " << jsonNumber(r.factorBw) << " g/mL per Bq/mL";
        out << "\n  " << model::describeSuvInputs(r) << "\n";
    }
    return 0;
}

int caseConfirmPatient(store::Database& db, const std::vector<std::string>& args, std::ostream& out)
{
    Arguments a(args, {}, {});
    if (a.positional().size() != 2)
        throw UsageError("case confirm-patient", "takes a case ID and a series instance UID");
    const Case c = store::CaseRepository(db).find(a.positional()[0]);
    store::ImagingIndex(db).confirmPatient(c.id, a.positional()[1], commandLineActor());
    out << "series " << a.positional()[1] << " confirmed as " << c.patient.name << "'s\n";
    return 0;
}

int demo(store::Database& db, const std::vector<std::string>& args, std::ostream& out)
{
    Arguments a(args, {"--dir"}, {});
    if (!a.positional().empty())
        throw UsageError(a.positional().front(), "unexpected argument to 'demo'");
    if (auto existing = demo::findDemoCase(db)) {
        out << existing->reference << "  (the demo case is already in " << db.file().string() << ")\n";
        return 0;
    }
    const fs::path dir = a.value("--dir") ? fs::path(*a.value("--dir")) : db.file().parent_path() / "demo-referral";
    const Case c = demo::createDemoCase(db, dir, commandLineActor(), out);
    out << c.reference << "  demo case created\n";
    return 0;
}

int settings(store::Database& db, const std::vector<std::string>& args, std::ostream& out)
{
    Arguments a(args, {"--turnaround-days"}, {"--json"});
    if (!a.positional().empty())
        throw UsageError(a.positional().front(), "unexpected argument to 'settings'");
    store::CaseRepository cases(db);
    if (auto days = a.integer("--turnaround-days", "a number of business days")) {
        if (*days <= 0 || *days > std::numeric_limits<int>::max())
            throw UsageError("--turnaround-days",
                             "'" + *a.value("--turnaround-days") + "' is not a number of business days");
        cases.setTurnaroundBusinessDays(int(*days), commandLineActor());
    }
    if (a.flag("--json"))
        out << JsonObject().add("turnaround_business_days", cases.turnaroundBusinessDays()).str() << "\n";
    else
        out << "turnaround: " << cases.turnaroundBusinessDays()
            << " business days (due date = received + turnaround, weekends skipped)\n";
    return 0;
}

struct GlobalOptions {
    fs::path database = store::defaultDatabasePath();
    std::vector<std::string> rest;
};

GlobalOptions splitGlobal(const std::vector<std::string>& args)
{
    GlobalOptions g;
    for (std::size_t i = 0; i < args.size(); ++i) {
        if (args[i] == "--db") {
            if (i + 1 >= args.size())
                throw UsageError("--db", "needs a file");
            g.database = args[++i];
        } else if (args[i].starts_with("--db=")) {
            g.database = args[i].substr(5);
        } else {
            g.rest.push_back(args[i]);
        }
    }
    return g;
}

}  // namespace

std::string versionText() { return std::string("consilium ") + CONSILIUM_VERSION; }

bool wantsCommand(const std::vector<std::string>& args)
{
    for (std::size_t i = 0; i < args.size(); ++i) {
        if (args[i] == "--db" || args[i] == "--user" || args[i] == "--role" || args[i] == "--case" ||
            args[i] == "--screenshots") {
            ++i;  // the GUI's own options and their values
            continue;
        }
        if (args[i].starts_with("--db=") || args[i] == "--maximized")
            continue;
        return true;
    }
    return false;
}

int run(const std::vector<std::string>& args, std::ostream& out, std::ostream& err,
        const std::map<std::string, Command>& more)
{
    try {
        GlobalOptions g = splitGlobal(args);
        if (g.rest.empty() || g.rest[0] == "help" || g.rest[0] == "--help" || g.rest[0] == "-h") {
            out << kUsage;
            return 0;
        }
        if (g.rest[0] == "--version") {
            out << versionText() << "\n";
            return 0;
        }
        const std::string command = g.rest[0];
        std::vector<std::string> rest(g.rest.begin() + 1, g.rest.end());
        if (command == "demo") {
            auto db = store::Database::open(g.database);
            return demo(db, rest, out);
        }
        if (command == "inspect") {
            Arguments a(rest, {}, {"--json"});
            if (a.positional().empty())
                throw UsageError("inspect", "needs at least one file, folder or DICOMDIR");
            if (!a.flag("--json"))
                throw UsageError("inspect", "prints JSON only: add --json");
            out << imaging::inspectJson({a.positional().begin(), a.positional().end()}) << "\n";
            return 0;
        }
        if (command == "slide")
            return slideCommand(rest, out);
        if (command == "report") {
            auto db = store::Database::open(g.database);
            return reportCommand(db, rest, out, commandLineActor());
        }
        if (command == "annotations") {
            auto db = store::Database::open(g.database);
            return annotationsCommand(db, rest, out, commandLineActor());
        }
        if (command == "measurements") {
            auto db = store::Database::open(g.database);
            return measurementsCommand(db, rest, out, commandLineActor());
        }
        if (command == "audit") {
            auto db = store::Database::open(g.database);
            return auditCommand(db, rest, out);
        }
        if (command == "backup") {
            auto db = store::Database::open(g.database);
            return backupCommand(db, rest, out);
        }
        if (command == "restore")
            return restoreCommand(g.database, rest, out);
        if (command == "deidentify")
            return deidentifyCommand(rest, out);
        if (command == "settings") {
            auto db = store::Database::open(g.database);
            return settings(db, rest, out);
        }
        if (command == "case") {
            if (rest.empty())
                throw UsageError("case", "needs a subcommand: create, list, show, attach, import or confirm-patient");
            const std::string sub = rest[0];
            rest.erase(rest.begin());
            if (sub != "create" && sub != "list" && sub != "show" && sub != "attach" && sub != "import" &&
                sub != "confirm-patient" && sub != "suv")
                throw UsageError("case " + sub,
                                 "unknown subcommand (create, list, show, attach, import, confirm-patient, suv)");
            auto db = store::Database::open(g.database);
            if (sub == "create")
                return caseCreate(db, rest, out);
            if (sub == "list")
                return caseList(db, rest, out);
            if (sub == "show")
                return caseShow(db, rest, out);
            if (sub == "import")
                return caseImport(db, rest, out);
            if (sub == "confirm-patient")
                return caseConfirmPatient(db, rest, out);
            if (sub == "suv")
                return caseSuv(db, rest, out);
            return caseAttach(db, rest, out);
        }
        if (const auto it = more.find(command); it != more.end())
            return it->second(rest, out);
        throw UsageError(command, "unknown command (see 'consilium help')");
    } catch (const UsageError& e) {
        err << "consilium: " << e.what() << "\n";
        return 2;
    } catch (const Error& e) {
        err << "consilium: " << e.what() << "\n";
        return 1;
    } catch (const std::exception& e) {
        err << "consilium: unexpected failure: " << e.what() << "\n";
        return 1;
    }
}

}  // namespace consilium::cli
