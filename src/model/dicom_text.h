#pragma once
// DICOM text values as stored: padded with spaces (or NUL for UIDs), sometimes hand-edited with tabs or line ends.
#include <string_view>

namespace consilium::model {

// The value without leading and trailing padding (space, NUL, tab, CR, LF). A view into `value`.
constexpr std::string_view trimDicomValue(std::string_view value)
{
    constexpr auto padding = [](char c) { return c == ' ' || c == '\0' || c == '\t' || c == '\r' || c == '\n'; };
    while (!value.empty() && padding(value.front()))
        value.remove_prefix(1);
    while (!value.empty() && padding(value.back()))
        value.remove_suffix(1);
    return value;
}

}  // namespace consilium::model
