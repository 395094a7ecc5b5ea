#pragma once
// A small, strict parser: positional words, `--name value` options and `--flag` switches, each command declaring
// which it accepts, so that a typo is a usage error rather than a silently ignored option.
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace consilium::cli {

class Arguments {
public:
    // `valueOptions` take a value, `flags` do not; anything else starting with "--" is a usage error.
    Arguments(const std::vector<std::string>& args, const std::set<std::string>& valueOptions,
              const std::set<std::string>& flags);

    const std::vector<std::string>& positional() const { return positional_; }
    std::optional<std::string> value(const std::string& option) const;
    std::string require(const std::string& option) const;  // UsageError when absent
    // The option's value as a whole number or a number, absent when the option is; UsageError "'<text>' is not
    // <what>" when the whole text is not one (e.g. what = "a number of business days").
    std::optional<long long> integer(const std::string& option, const std::string& what = "a whole number") const;
    std::optional<double> number(const std::string& option, const std::string& what = "a number") const;
    bool flag(const std::string& flag) const { return flags_.count(flag) > 0; }

private:
    std::vector<std::string> positional_;
    std::map<std::string, std::string> values_;
    std::set<std::string> flags_;
};

}  // namespace consilium::cli
