#pragma once
// Reading attribute values out of DCMTK items the same way everywhere (absent or malformed = no value, never a throw).
#include <dcmtk/dcmdata/dcelem.h>
#include <dcmtk/dcmdata/dcitem.h>

#include <array>
#include <cmath>
#include <filesystem>
#include <optional>
#include <string>

namespace consilium::imaging::dicom {

// All values of the attribute as DICOM text ("a\b"); empty when absent.
std::string text(DcmItem& item, const DcmTagKey& tag);

// An integer attribute of any integer VR (IS, SL, SS, UL, US); `fallback` when absent.
int integerOr(DcmItem& item, const DcmTagKey& tag, int fallback);

// The first N values of a multi-valued numeric attribute (DS, FD, …); nothing unless all N are present and finite.
template <std::size_t N>
std::optional<std::array<double, N>> decimals(DcmItem& item, const DcmTagKey& tag)
{
    DcmElement* element = nullptr;
    if (item.findAndGetElement(tag, element).bad() || element == nullptr || element->getVM() < N)
        return std::nullopt;
    std::array<double, N> values{};
    for (std::size_t i = 0; i < N; ++i) {
        Float64 v = 0;
        if (element->getFloat64(v, unsigned(i)).bad() || !std::isfinite(v))
            return std::nullopt;
        values[i] = v;
    }
    return values;
}

// Part 10 files start with a 128-byte preamble and "DICM"; bare datasets (old ACR-NEMA style exports) do not.
bool hasDicmPreamble(const std::filesystem::path& file);

}  // namespace consilium::imaging::dicom
