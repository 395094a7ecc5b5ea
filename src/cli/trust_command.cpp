#include "cli/trust_command.h"

#include <ostream>
#include <random>

#include "cli/arguments.h"
#include "imaging/deidentify.h"
#include "model/error.h"
#include "model/json.h"
#include "store/audit_log.h"
#include "store/backup.h"
#include "store/case_repository.h"

namespace consilium::cli {
using namespace consilium::model;

namespace {

std::string verificationJson(const std::string& scope, const store::AuditVerification& v)
{
    JsonObject o;
    o.add("scope", scope).add("intact", v.intact).add("rows_checked", v.rowsChecked);
    if (v.brokenRow)
        o.add("broken_row", *v.brokenRow).add("reason", v.reason);
    else
        o.add("last_hash", v.lastHash);
    return o.str();
}

void printVerification(const std::string& scope, const store::AuditVerification& v, std::ostream& out)
{
    if (v.intact && v.rowsChecked == 0)
        out << "audit log of " << scope << ": OK, no rows yet\n";
    else if (v.intact)
        out << "audit log of " << scope << ": OK, " << v.rowsChecked << " rows chained (last hash " << v.lastHash
            << ")\n";
    else
        out << "audit log of " << scope << ": BROKEN at row " << *v.brokenRow << ": " << v.reason << " ("
            << v.rowsChecked << " rows before it are intact)\n";
}

void printSummary(const store::BackupSummary& s, std::ostream& out)
{
    out << "  schema " << s.schemaVersion << ", " << s.cases << " cases, " << s.auditRows << " audit rows, " << s.bytes
        << " bytes\n";
}

}  // namespace

int auditCommand(store::Database& db, const std::vector<std::string>& args, std::ostream& out)
{
    if (args.empty() || args[0] != "verify")
        throw UsageError("audit", "needs a subcommand: verify [CASE] [--json]");
    Arguments a({args.begin() + 1, args.end()}, {}, {"--json"});
    if (a.positional().size() > 1)
        throw UsageError("audit verify", "takes at most one case");
    std::optional<std::int64_t> caseId;
    std::string scope = "all cases";
    if (!a.positional().empty()) {
        const Case c = store::CaseRepository(db).find(a.positional()[0]);
        caseId = c.id;
        scope = c.reference;
    }
    const store::AuditVerification v = store::AuditLog(db).verify(caseId);
    if (a.flag("--json"))
        out << verificationJson(scope, v) << "\n";
    else
        printVerification(scope, v, out);
    return v.intact ? 0 : 1;
}

int backupCommand(store::Database& db, const std::vector<std::string>& args, std::ostream& out)
{
    Arguments a(args, {"--out"}, {});
    if (!a.positional().empty())
        throw UsageError("backup", "takes no file of its own: use --out FILE");
    const store::BackupSummary s = store::backupDatabase(db, a.require("--out"));
    out << "backed up " << db.file().string() << " to " << s.file.string() << " (checked)\n";
    printSummary(s, out);
    out << "  the case files (" << db.libraryRoot().string() << ") are not in it: copy that folder as files\n";
    return 0;
}

int restoreCommand(const std::filesystem::path& database, const std::vector<std::string>& args, std::ostream& out)
{
    Arguments a(args, {}, {});
    if (a.positional().size() != 1)
        throw UsageError("restore", "needs exactly one backup file");
    const store::RestoreSummary r = store::restoreDatabase(a.positional()[0], database);
    out << "restored " << database.string() << " from " << r.restored.file.string() << "\n";
    printSummary(r.restored, out);
    if (!r.previous.empty())
        out << "  the database it replaced is kept as " << r.previous.string() << "\n";
    return 0;
}

int deidentifyCommand(const std::vector<std::string>& args, std::ostream& out)
{
    Arguments a(args, {"--out", "--key"}, {});
    if (a.positional().size() != 1)
        throw UsageError("deidentify", "needs exactly one DICOM file (and --out FILE)");
    const std::string target = a.require("--out");
    std::string key = a.value("--key").value_or("");
    if (key.empty()) {  // nothing to link the new UIDs to anything else
        std::random_device random;
        for (int i = 0; i < 8; ++i)
            key += std::to_string(random());
    }
    const auto s = imaging::deidentifyDicom(a.positional()[0], target, key);
    out << "de-identified " << a.positional()[0] << " to " << target << " (PS3.15 basic profile, clean structured "
        << "content): " << s.removed << " removed, " << s.emptied << " emptied, " << s.replaced
        << " replaced; SOP Instance UID " << s.sopInstanceUid << "\n";
    if (!a.value("--key"))
        out << "  UIDs mapped with a random key: they match no other de-identified object (use --key to link them)\n";
    return 0;
}

}  // namespace consilium::cli
