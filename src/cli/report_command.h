#pragma once
// `consilium report …`: the written review from the command line — write a section or a reviewer's findings,
// compile the PDF, finalize (the board chair signs), export it as DICOM Encapsulated PDF, show where it stands.
#include <iosfwd>
#include <string>
#include <vector>

#include "store/audit_log.h"
#include "store/database.h"

namespace consilium::cli {

// `args` follow the word "report". `commandLine` is who runs the command when no reviewer is named (exports).
// Throws UsageError for a malformed request and Error for a refusal (a role, a draft section); returns the exit
// status otherwise.
int reportCommand(store::Database& db, const std::vector<std::string>& args, std::ostream& out,
                  const store::Actor& commandLine);

}  // namespace consilium::cli
