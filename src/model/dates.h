#pragma once
// Calendar dates as the intake desk uses them: ISO 8601 text in the store, business days for due dates.
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace consilium::model {

using Date = std::chrono::year_month_day;

std::optional<Date> parseIsoDate(std::string_view text);  // "YYYY-MM-DD", validated
std::string formatIsoDate(Date date);
Date today();  // local calendar date

bool isWeekend(Date date);
// The date `businessDays` working days after `start` (Saturdays and Sundays skipped; start itself not counted).
Date addBusinessDays(Date start, int businessDays);
// Working days from `from` to `to`: positive when `to` is later, negative when it has passed, 0 on the same day.
int businessDaysBetween(Date from, Date to);

inline constexpr int kDefaultTurnaroundBusinessDays = 10;

}  // namespace consilium::model
