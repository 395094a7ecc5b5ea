#pragma once
// `consilium <command> …`: the headless face of the workstation, for automation and for tests.
// Exit codes: 0 success, 1 failure (one line on stderr naming the file or object and the reason), 2 usage error.
#include <functional>
#include <iosfwd>
#include <map>
#include <string>
#include <vector>

namespace consilium::cli {

// True when the arguments ask for a command rather than the GUI (a bare `consilium` or only GUI options opens it).
bool wantsCommand(const std::vector<std::string>& args);
// A command the executable adds because it needs more than this library (`snapshot` needs Qt Quick and a display).
// It gets the arguments after its name and reports failures by throwing, like the commands here.
using Command = std::function<int(const std::vector<std::string>& args, std::ostream& out)>;

int run(const std::vector<std::string>& args, std::ostream& out, std::ostream& err,
        const std::map<std::string, Command>& more = {});

std::string versionText();

}  // namespace consilium::cli
