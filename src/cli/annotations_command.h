#pragma once
// `consilium annotations …`: a slide's annotations without the GUI — list them with their measures and counts, import
// GeoJSON (QuPath) or ASAP XML, export QuPath-compatible GeoJSON.
#include <iosfwd>
#include <string>
#include <vector>

#include "store/audit_log.h"
#include "store/database.h"

namespace consilium::cli {

// `args` follow the word "annotations": `list CASE SLIDE [--json]`, `import CASE SLIDE FILE`,
// `export CASE SLIDE --out FILE.geojson`. SLIDE is the slide's id (as `case show --json` prints it), its title or
// its original file name. Throws UsageError for a malformed request and Error for a failure (a bad file names the
// place and imports nothing); returns the exit status otherwise.
int annotationsCommand(store::Database& db, const std::vector<std::string>& args, std::ostream& out,
                       const store::Actor& actor);

}  // namespace consilium::cli
