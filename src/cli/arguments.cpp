#include "cli/arguments.h"

#include "model/error.h"

#include <charconv>

namespace consilium::cli {

Arguments::Arguments(const std::vector<std::string>& args, const std::set<std::string>& valueOptions,
                     const std::set<std::string>& flags)
{
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        if (a.size() > 2 && a.starts_with("--")) {
            std::string name = a, inlineValue;
            bool hasInline = false;
            if (auto eq = a.find('='); eq != std::string::npos) {
                name = a.substr(0, eq);
                inlineValue = a.substr(eq + 1);
                hasInline = true;
            }
            if (flags.count(name) && !hasInline) {
                flags_.insert(name);
            } else if (valueOptions.count(name)) {
                if (!hasInline && i + 1 >= args.size())
                    throw UsageError(name, "needs a value");
                values_[name] = hasInline ? inlineValue : args[++i];
            } else {
                throw UsageError(name, "unknown option (see 'consilium help')");
            }
        } else {
            positional_.push_back(a);
        }
    }
}

std::optional<std::string> Arguments::value(const std::string& option) const
{
    auto it = values_.find(option);
    return it == values_.end() ? std::nullopt : std::optional(it->second);
}

std::string Arguments::require(const std::string& option) const
{
    auto v = value(option);
    if (!v || v->empty())
        throw UsageError(option, "is required");
    return *v;
}

// from_chars: locale-independent, and the whole text must be the number ("12abc" and " 12" are not).
std::optional<long long> Arguments::integer(const std::string& option, const std::string& what) const
{
    const auto text = value(option);
    if (!text)
        return std::nullopt;
    long long n = 0;
    const auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), n);
    if (text->empty() || ec != std::errc() || end != text->data() + text->size())
        throw UsageError(option, "'" + *text + "' is not " + what);
    return n;
}

std::optional<double> Arguments::number(const std::string& option, const std::string& what) const
{
    const auto text = value(option);
    if (!text)
        return std::nullopt;
    double x = 0;
    const auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), x);
    if (text->empty() || ec != std::errc() || end != text->data() + text->size())
        throw UsageError(option, "'" + *text + "' is not " + what);
    return x;
}

}  // namespace consilium::cli
