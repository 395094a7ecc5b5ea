#pragma once
// The one error type of Consilium: what it concerns (a file, a case, an object) and why it failed.
// Every layer throws it; the CLI prints what() as one line, the GUI shows it where the user acted.
#include <stdexcept>
#include <string>

namespace consilium {

class Error : public std::runtime_error {
public:
    Error(std::string subject, std::string reason)
        : std::runtime_error(subject.empty() ? reason : subject + ": " + reason),
          subject_(std::move(subject)),
          reason_(std::move(reason))
    {
    }

    const std::string& subject() const noexcept { return subject_; }
    const std::string& reason() const noexcept { return reason_; }

private:
    std::string subject_;
    std::string reason_;
};

// A request the caller got wrong (bad option, unknown value): the CLI exits 2 for it, not 1.
class UsageError : public Error {
public:
    using Error::Error;
};

}  // namespace consilium
