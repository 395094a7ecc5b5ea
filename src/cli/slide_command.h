#pragma once
// `consilium slide …`: a whole-slide image's facts and pixels straight from the file, without a database.
#include <iosfwd>
#include <string>
#include <vector>

namespace consilium::cli {

// `slide info FILE [--json]` and `slide region FILE --level L --x X --y Y --w W --h H --out FILE.png`.
// `args` follow the word "slide". Throws UsageError for a malformed request and Error(file, reason) when the slide
// cannot be read or the PNG cannot be written; returns the exit status otherwise.
int slideCommand(const std::vector<std::string>& args, std::ostream& out);

}  // namespace consilium::cli
