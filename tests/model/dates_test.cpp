#include <gtest/gtest.h>

#include "model/dates.h"

using namespace consilium::model;
using namespace std::chrono;

namespace {
Date d(const char* iso) { return *parseIsoDate(iso); }
}  // namespace

TEST(Dates, ParsesAndFormatsIso)
{
    EXPECT_EQ(formatIsoDate(d("2026-11-25")), "2026-11-25");
    EXPECT_EQ(formatIsoDate(d("2024-02-29")), "2024-02-29");
    EXPECT_FALSE(parseIsoDate("2025-02-29"));  // not a leap year
    EXPECT_FALSE(parseIsoDate("2026-13-01"));
    EXPECT_FALSE(parseIsoDate("2026-1-01"));
    EXPECT_FALSE(parseIsoDate("26-11-2026"));
    EXPECT_FALSE(parseIsoDate(""));
}

struct BusinessDayCase {
    const char* start;
    int days;
    const char* expected;
};

class AddBusinessDays : public ::testing::TestWithParam<BusinessDayCase> {};

TEST_P(AddBusinessDays, SkipsWeekends)
{
    auto [start, days, expected] = GetParam();
    EXPECT_EQ(formatIsoDate(addBusinessDays(d(start), days)), expected) << start << " + " << days;
}

// 2026-11-23 is a Monday; 2026-11-27 a Friday; 2026-11-28/29 the weekend.
INSTANTIATE_TEST_SUITE_P(Table, AddBusinessDays,
                         ::testing::Values(BusinessDayCase{"2026-11-23", 10, "2026-12-07"},  // Mon + 10 = Mon
                                           BusinessDayCase{"2026-11-27", 1, "2026-11-30"},   // Fri + 1 = Mon
                                           BusinessDayCase{"2026-11-28", 1, "2026-11-30"},   // Sat + 1 = Mon
                                           BusinessDayCase{"2026-11-29", 10, "2026-12-11"},  // Sun + 10 = Fri
                                           BusinessDayCase{"2026-11-25", 7, "2026-12-04"},   // Wed + 7 = Fri
                                           BusinessDayCase{"2026-12-31", 1, "2027-01-01"},   // across a year
                                           BusinessDayCase{"2026-11-25", 0, "2026-11-25"},
                                           BusinessDayCase{"2026-11-30", -1, "2026-11-27"}));

TEST(Dates, BusinessDaysBetweenIsSignedAndSkipsWeekends)
{
    EXPECT_EQ(businessDaysBetween(d("2026-11-23"), d("2026-12-07")), 10);
    EXPECT_EQ(businessDaysBetween(d("2026-12-07"), d("2026-11-23")), -10);
    EXPECT_EQ(businessDaysBetween(d("2026-11-27"), d("2026-11-30")), 1);
    EXPECT_EQ(businessDaysBetween(d("2026-11-28"), d("2026-11-29")), 0);
    EXPECT_EQ(businessDaysBetween(d("2026-11-25"), d("2026-11-25")), 0);
    for (const char* start : {"2026-11-23", "2026-11-27", "2026-11-28", "2027-02-26"})
        for (int n : {1, 5, 10, 15})
            EXPECT_EQ(businessDaysBetween(d(start), addBusinessDays(d(start), n)), n) << start << " " << n;
}

TEST(Dates, WeekendDetection)
{
    EXPECT_TRUE(isWeekend(d("2026-11-28")));
    EXPECT_TRUE(isWeekend(d("2026-11-29")));
    EXPECT_FALSE(isWeekend(d("2026-11-30")));
}
