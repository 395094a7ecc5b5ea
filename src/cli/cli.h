#pragma once
// `consilium <command> …`: the headless face of the workstation, for automation and for tests.
// Exit codes: 0 success, 1 failure (one line on stderr naming the file or object and the reason), 2 usage error.
#include <iosfwd>
#include <string>
#include <vector>

namespace consilium::cli {

// True when the arguments ask for a command rather than the GUI (a bare `consilium` or only GUI options opens it).
bool wantsCommand(const std::vector<std::string>& args);
int run(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

std::string versionText();

}  // namespace consilium::cli
