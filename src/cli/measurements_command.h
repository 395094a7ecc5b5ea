#pragma once
// `consilium measurements …`: a case's measurements and RECIST lesions without the GUI — list, add, remove, record
// a lesion's state, evaluate RECIST 1.1 and export (DICOM SR TID 1500 or CSV).
#include <iosfwd>
#include <string>
#include <vector>

#include "store/audit_log.h"
#include "store/database.h"

namespace consilium::cli {

// `args` follow the word "measurements". Throws UsageError for a malformed request and Error for a failure;
// returns the exit status otherwise.
int measurementsCommand(store::Database& db, const std::vector<std::string>& args, std::ostream& out,
                        const store::Actor& actor);

}  // namespace consilium::cli
