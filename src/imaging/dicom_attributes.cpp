#include "imaging/dicom_attributes.h"

#include <cstring>
#include <fstream>

namespace consilium::imaging::dicom {

std::string text(DcmItem& item, const DcmTagKey& tag)
{
    OFString value;
    if (item.findAndGetOFStringArray(tag, value).bad())
        return {};
    return std::string(value.c_str(), value.length());
}

int integerOr(DcmItem& item, const DcmTagKey& tag, int fallback)
{
    Sint32 signedValue = 0;
    if (item.findAndGetSint32(tag, signedValue).good())
        return int(signedValue);
    Uint16 value = 0;  // US elements
    if (item.findAndGetUint16(tag, value).good())
        return int(value);
    return fallback;
}

bool hasDicmPreamble(const std::filesystem::path& file)
{
    std::ifstream in(file, std::ios::binary);
    char head[132] = {};
    in.read(head, sizeof head);
    return in.gcount() == sizeof head && std::memcmp(head + 128, "DICM", 4) == 0;
}

}  // namespace consilium::imaging::dicom
