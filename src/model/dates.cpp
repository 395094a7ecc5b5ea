#include "model/dates.h"

#include <charconv>
#include <cstdio>
#include <ctime>

namespace consilium::model {

using namespace std::chrono;

std::optional<Date> parseIsoDate(std::string_view text)
{
    if (text.size() != 10 || text[4] != '-' || text[7] != '-')
        return std::nullopt;
    int y = 0;
    unsigned m = 0, d = 0;
    auto num = [&](std::string_view part, auto& out) {
        auto [p, ec] = std::from_chars(part.data(), part.data() + part.size(), out);
        return ec == std::errc() && p == part.data() + part.size();
    };
    if (!num(text.substr(0, 4), y) || !num(text.substr(5, 2), m) || !num(text.substr(8, 2), d))
        return std::nullopt;
    Date date{year{y}, month{m}, day{d}};
    if (!date.ok())
        return std::nullopt;
    return date;
}

std::string formatIsoDate(Date date)
{
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", int(date.year()), unsigned(date.month()), unsigned(date.day()));
    return buf;
}

Date today()
{
    std::time_t now = std::time(nullptr);
    std::tm local{};
    localtime_r(&now, &local);
    return Date{year{local.tm_year + 1900}, month{unsigned(local.tm_mon + 1)}, day{unsigned(local.tm_mday)}};
}

bool isWeekend(Date date)
{
    weekday wd{sys_days{date}};
    return wd == Saturday || wd == Sunday;
}

Date addBusinessDays(Date start, int businessDays)
{
    sys_days d{start};
    int step = businessDays >= 0 ? 1 : -1;
    for (int left = businessDays * step; left > 0;) {
        d += days{step};
        if (!isWeekend(Date{d}))
            --left;
    }
    return Date{d};
}

int businessDaysBetween(Date from, Date to)
{
    sys_days a{from}, b{to};
    int sign = 1;
    if (b < a) {
        std::swap(a, b);
        sign = -1;
    }
    int count = 0;
    for (sys_days d = a; d < b;) {
        d += days{1};
        if (!isWeekend(Date{d}))
            ++count;
    }
    return sign * count;
}

}  // namespace consilium::model
