#pragma once
// The people who work on cases: a radiologist, a pathologist, the board chair.
#include <vector>

#include "model/case.h"
#include "store/database.h"

namespace consilium::store {

class ReviewerRepository {
public:
    explicit ReviewerRepository(Database& db) : db_(db) {}
    model::Reviewer ensure(std::string_view name, model::Role role);  // finds or registers
    std::vector<model::Reviewer> all();

private:
    Database& db_;
};

}  // namespace consilium::store
