#include "store/reviewer_repository.h"

#include "model/error.h"

namespace consilium::store {

model::Reviewer ReviewerRepository::ensure(std::string_view name, model::Role role)
{
    if (name.find_first_not_of(" \t") == std::string_view::npos)
        throw UsageError("reviewer", "a name is required");
    db_.prepare("INSERT INTO reviewers (name, role) VALUES (?, ?) ON CONFLICT(name, role) DO NOTHING")
        .bind(1, name)
        .bind(2, model::toString(role))
        .run();
    auto s = db_.prepare("SELECT id FROM reviewers WHERE name = ? AND role = ?");
    s.bind(1, name).bind(2, model::toString(role));
    s.step();
    return {s.integer(0), std::string(name), role};
}

std::vector<model::Reviewer> ReviewerRepository::all()
{
    auto s = db_.prepare("SELECT id, name, role FROM reviewers ORDER BY name, role");
    std::vector<model::Reviewer> out;
    while (s.step())
        out.push_back({s.integer(0), s.text(1), model::roleFrom(s.text(2))});
    return out;
}

}  // namespace consilium::store
