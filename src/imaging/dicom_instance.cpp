#include "imaging/dicom_instance.h"

#include "imaging/dicom_attributes.h"

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmdata/dcmetinf.h>
#include <dcmtk/dcmdata/dcspchrs.h>
#include <dcmtk/dcmdata/dcuid.h>
#include <dcmtk/dcmdata/dcxfer.h>
#include <iconv.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <exception>
#include <fstream>
#include <optional>
#include <string>
#include <utility>

#include "model/error.h"

namespace consilium::imaging {
namespace fs = std::filesystem;

namespace {

using dicom::decimals;
using dicom::hasDicmPreamble;
using dicom::text;
int integer(DcmItem& item, const DcmTagKey& tag, int fallback) { return dicom::integerOr(item, tag, fallback); }

// Values longer than this stay in the file (DCMTK records where they are and seeks past them): pixel data, icons,
// overlays. It still checks that each skipped value fits in the file, which is how truncation is noticed.
constexpr Uint32 kLargestValueLoaded = 4096;
constexpr const char* kNotDicom = "not a DICOM file (no DICM preamble and no parsable dataset)";

[[noreturn]] void fail(const fs::path& file, const std::string& reason) { throw Error(file.string(), reason); }

// The checks DCMTK would answer vaguely ("I/O suspension or premature end of stream" for a directory).
void requireReadableFile(const fs::path& file)
{
    std::error_code ec;
    const fs::file_status status = fs::status(file, ec);
    if (status.type() == fs::file_type::not_found)
        fail(file, "no such file");
    if (ec)
        fail(file, "cannot be accessed: " + ec.message());
    if (fs::is_directory(status))
        fail(file, "is a directory, not a DICOM file");
    if (!fs::is_regular_file(status))
        fail(file, "is not a regular file");
    const auto size = fs::file_size(file, ec);
    if (!ec && size == 0)
        fail(file, "empty file (0 bytes), not a DICOM file");
    std::ifstream in(file, std::ios::binary);
    if (!in)
        fail(file, std::string("cannot be opened: ") + std::strerror(errno));
}

// Multi-frame objects (Enhanced CT/MR/PET, whole-slide) keep geometry in functional group macros: the shared
// groups, else the first frame's.
template <std::size_t N>
std::optional<std::array<double, N>> functionalGroupDecimals(DcmItem& dataset, const DcmTagKey& macro,
                                                             const DcmTagKey& tag)
{
    for (const DcmTagKey& groups : {DCM_SharedFunctionalGroupsSequence, DCM_PerFrameFunctionalGroupsSequence}) {
        DcmItem* group = nullptr;
        DcmItem* item = nullptr;
        if (dataset.findAndGetSequenceItem(groups, group, 0).good() && group != nullptr &&
            group->findAndGetSequenceItem(macro, item, 0).good() && item != nullptr)
            if (auto values = decimals<N>(*item, tag))
                return values;
    }
    return std::nullopt;
}

template <std::size_t N>
std::optional<std::array<double, N>> geometry(DcmItem& dataset, const DcmTagKey& macro, const DcmTagKey& tag)
{
    if (auto values = decimals<N>(dataset, tag))
        return values;
    return functionalGroupDecimals<N>(dataset, macro, tag);
}

// ---------------------------------------------------------------------------------------------------------------
// Text in the file's character set -> UTF-8

bool isPlainAscii(const std::string& s)
{
    for (unsigned char c : s)
        if (c >= 0x80 || c == 0x1b)  // ESC starts an ISO 2022 code extension
            return false;
    return true;
}

bool isValidUtf8(const std::string& s)
{
    std::size_t i = 0;
    while (i < s.size()) {
        const auto c = static_cast<unsigned char>(s[i]);
        const int extra = c < 0x80 ? 0 : (c >> 5) == 0x6 ? 1 : (c >> 4) == 0xe ? 2 : (c >> 3) == 0x1e ? 3 : -1;
        if (extra < 0 || i + std::size_t(extra) >= s.size())
            return false;
        for (int k = 1; k <= extra; ++k)
            if ((static_cast<unsigned char>(s[i + std::size_t(k)]) >> 6) != 0x2)
                return false;
        i += std::size_t(extra) + 1;
    }
    return true;
}

// Last resort for undeclared 8-bit text (usually Latin-1 in practice); also never yields invalid UTF-8. Control
// characters (such as a stray ESC) become '?'.
std::string latin1ToUtf8(const std::string& s)
{
    std::string out;
    out.reserve(s.size() * 2);
    for (unsigned char c : s) {
        if (c < 0x20)
            out += '?';
        else if (c < 0x80)
            out += char(c);
        else {
            out += char(0xc0 | (c >> 6));
            out += char(0x80 | (c & 0x3f));
        }
    }
    return out;
}

// glibc's iconv knows ISO-2022-JP-2, which DCMTK (built against glibc iconv) refuses for "ISO 2022 IR 87".
std::optional<std::string> iconvToUtf8(const std::string& in, const char* fromEncoding)
{
    const iconv_t cd = iconv_open("UTF-8", fromEncoding);
    if (cd == reinterpret_cast<iconv_t>(-1))
        return std::nullopt;
    struct Closer {
        iconv_t cd;
        ~Closer() { iconv_close(cd); }
    } closer{cd};
    std::string out(in.size() * 4 + 16, '\0');
    char* inPtr = const_cast<char*>(in.data());
    std::size_t inLeft = in.size();
    char* outPtr = out.data();
    std::size_t outLeft = out.size();
    if (iconv(cd, &inPtr, &inLeft, &outPtr, &outLeft) == std::size_t(-1) ||
        iconv(cd, nullptr, nullptr, &outPtr, &outLeft) == std::size_t(-1))
        return std::nullopt;
    out.resize(out.size() - outLeft);
    return out;
}

class TextDecoder {
public:
    explicit TextDecoder(DcmItem& dataset) : charset_(text(dataset, DCM_SpecificCharacterSet))
    {
        if (!charset_.empty() && charset_ != "ISO_IR 192" && DcmSpecificCharacterSet::isConversionAvailable())
            converterReady_ = converter_.selectCharacterSet(charset_.c_str()).good();
    }

    // `delimiters` are the characters that reset ISO 2022 escapes ("^=" in person names).
    std::string decode(const std::string& raw, const char* delimiters)
    {
        if (isPlainAscii(raw))
            return raw;
        if (charset_.empty() || charset_ == "ISO_IR 192")
            return isValidUtf8(raw) ? raw : latin1ToUtf8(raw);
        if (converterReady_) {
            OFString utf8;
            if (converter_.convertString(OFString(raw.c_str(), raw.size()), utf8, delimiters).good())
                return std::string(utf8.c_str(), utf8.length());
        }
        if (charset_.find("ISO 2022 IR 87") != std::string::npos ||
            charset_.find("ISO 2022 IR 159") != std::string::npos)
            if (auto utf8 = iconvToUtf8(raw, "ISO-2022-JP-2"); utf8 && isValidUtf8(*utf8))
                return *utf8;
        // A person name whose ideographic/phonetic groups cannot be decoded still has its alphabetic group.
        if (std::strchr(delimiters, '=') != nullptr) {
            const std::string alphabetic = raw.substr(0, raw.find('='));
            if (!alphabetic.empty() && isPlainAscii(alphabetic))
                return alphabetic;
        }
        return isValidUtf8(raw) && raw.find('\x1b') == std::string::npos ? raw : latin1ToUtf8(raw);
    }

private:
    std::string charset_;
    DcmSpecificCharacterSet converter_;
    bool converterReady_ = false;
};

}  // namespace

model::DicomInstance readDicomInstance(const fs::path& file)
{
    requireReadableFile(file);
    const bool preamble = hasDicmPreamble(file);

    DcmFileFormat fileFormat;
    OFCondition loaded;
    try {
        loaded = fileFormat.loadFile(file.c_str(), EXS_Unknown, EGL_noChange, kLargestValueLoaded, ERM_autoDetect);
    } catch (const std::exception& e) {  // e.g. an absurd length that the allocator refuses
        fail(file, preamble ? std::string("truncated or corrupt: ") + e.what() : kNotDicom);
    }
    if (loaded.bad())
        fail(file, preamble ? std::string("truncated or corrupt: ") + loaded.text() : kNotDicom);

    DcmDataset& ds = *fileFormat.getDataset();
    DcmMetaInfo& meta = *fileFormat.getMetaInfo();
    if (text(meta, DCM_MediaStorageSOPClassUID) == UID_MediaStorageDirectoryStorage)
        fail(file, "is a DICOMDIR (a media index), not an image");

    model::DicomInstance d;
    d.sopInstanceUid = text(ds, DCM_SOPInstanceUID);
    d.sopClassUid = text(ds, DCM_SOPClassUID);
    if (d.sopClassUid.empty())
        d.sopClassUid = text(meta, DCM_MediaStorageSOPClassUID);
    // Random bytes sometimes parse as a few odd elements; without a preamble that is not a DICOM file.
    if (!preamble && d.sopInstanceUid.empty() && d.sopClassUid.empty())
        fail(file, kNotDicom);
    d.studyInstanceUid = text(ds, DCM_StudyInstanceUID);
    d.seriesInstanceUid = text(ds, DCM_SeriesInstanceUID);
    const std::pair<const std::string*, const char*> required[] = {{&d.sopInstanceUid, "SOPInstanceUID"},
                                                                   {&d.sopClassUid, "SOPClassUID"},
                                                                   {&d.studyInstanceUid, "StudyInstanceUID"},
                                                                   {&d.seriesInstanceUid, "SeriesInstanceUID"}};
    for (const auto& [value, name] : required)
        if (value->empty())
            fail(file, std::string("missing ") + name);

    TextDecoder decoder(ds);
    d.patientName = decoder.decode(text(ds, DCM_PatientName), "\\^=");
    d.patientId = decoder.decode(text(ds, DCM_PatientID), "\\");
    d.studyDescription = decoder.decode(text(ds, DCM_StudyDescription), "\\");
    d.seriesDescription = decoder.decode(text(ds, DCM_SeriesDescription), "\\");
    d.studyDate = text(ds, DCM_StudyDate);
    d.modality = text(ds, DCM_Modality);
    d.frameOfReferenceUid = text(ds, DCM_FrameOfReferenceUID);
    d.seriesNumber = integer(ds, DCM_SeriesNumber, 0);
    d.instanceNumber = integer(ds, DCM_InstanceNumber, 0);

    // (0002,0010) as text: DCMTK 3.6.7 does not know newer syntaxes (HTJ2K) and would misname them.
    d.transferSyntaxUid = text(meta, DCM_TransferSyntaxUID);
    if (d.transferSyntaxUid.empty())
        d.transferSyntaxUid = DcmXfer(ds.getOriginalXfer()).getXferID();

    Uint16 rows = 0, columns = 0;
    ds.findAndGetUint16(DCM_Rows, rows);
    ds.findAndGetUint16(DCM_Columns, columns);
    d.rows = rows;
    d.columns = columns;
    d.numberOfFrames = std::max(1, integer(ds, DCM_NumberOfFrames, 1));
    // A file cut exactly between two elements parses cleanly; an image without its pixel data is still truncated.
    const bool isImage = (rows > 0 && columns > 0) || dcmIsImageStorageSOPClassUID(d.sopClassUid.c_str());
    if (isImage && !ds.tagExists(DCM_PixelData) && !ds.tagExists(DCM_FloatPixelData) &&
        !ds.tagExists(DCM_DoubleFloatPixelData))
        fail(file, "truncated or corrupt: an image without pixel data");

    d.pixelSpacing = geometry<2>(ds, DCM_PixelMeasuresSequence, DCM_PixelSpacing);
    if (auto thickness = geometry<1>(ds, DCM_PixelMeasuresSequence, DCM_SliceThickness))
        d.sliceThickness = (*thickness)[0];
    d.imagePosition = geometry<3>(ds, DCM_PlanePositionSequence, DCM_ImagePositionPatient);
    d.imageOrientation = geometry<6>(ds, DCM_PlaneOrientationSequence, DCM_ImageOrientationPatient);
    return d;
}

}  // namespace consilium::imaging
