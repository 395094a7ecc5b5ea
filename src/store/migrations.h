#pragma once
#include <string_view>
#include <vector>

namespace consilium::store {

// One numbered schema step from db/NNNN_name.sql; `number` becomes PRAGMA user_version once applied.
struct Migration {
    int number;
    std::string_view name;
    std::string_view sql;
};

const std::vector<Migration>& migrations();  // ascending, numbered 1..N without gaps
int latestSchemaVersion();

}  // namespace consilium::store
