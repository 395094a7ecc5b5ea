#pragma once
// Decoding the pixels of one DICOM instance into stored values (before RescaleSlope/Intercept), one frame at a time.
//
// Every transfer syntax DCMTK 3.6.7 decodes once prepareDcmtk() registered its codecs (implicit/explicit little
// endian, explicit big endian, deflate, JPEG baseline/extended/lossless, JPEG-LS, RLE) goes through
// DcmPixelData::getUncompressedFrame. JPEG 2000 (.4.90/.4.91/.4.92/.4.93) and HTJ2K (.4.201/.4.202/.4.203) go through
// OpenJPEG: the frame's fragments are taken out of the pixel sequence with DCMTK and the codestream is decoded from
// memory (formats.md §2). Which path is taken depends on the text of (0002,0010), not on DCMTK's E_TransferSyntax,
// because DCMTK 3.6.7 does not know the HTJ2K UIDs and calls them "Little Endian Explicit".
//
// Values are the stored values: masked to BitsStored below HighBit and sign-extended when PixelRepresentation is 1.
// MONOCHROME1 is reported (PixelFormat::monochrome1()) but never inverted here: the values stay what the file says,
// so HU and Bq/mL stay right; inverting is the display's job (volume.h says how the volume carries it).
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "model/error.h"

class DcmFileFormat;

namespace consilium::imaging {

// Thrown for a file that is not DICOM at all (inspect counts such files as skipped, not as broken).
class NotDicomError : public Error {
public:
    using Error::Error;
};

// Loads a DICOM file (Part 10 or a bare dataset) for reading with DCMTK: values larger than 4 kB (pixel data,
// fragments) stay in the file until they are used. Throws NotDicomError for a file that is not DICOM,
// consilium::Error(file, reason) for one that is missing, empty, unreadable, truncated or corrupt.
std::unique_ptr<DcmFileFormat> loadDicomFile(const std::filesystem::path& file);

struct PixelFormat {
    int rows = 0;
    int columns = 0;
    int samplesPerPixel = 1;
    int frames = 1;           // NumberOfFrames (1 when absent)
    int bitsAllocated = 0;    // 8, 16 or 32
    int bitsStored = 0;       // <= bitsAllocated
    int highBit = 0;          // bitsStored - 1 in practice
    bool isSigned = false;    // PixelRepresentation 1
    std::string photometric;  // as the header says, e.g. MONOCHROME2, MONOCHROME1, RGB, YBR_FULL_422

    bool monochrome1() const { return photometric == "MONOCHROME1"; }
    std::size_t samplesPerFrame() const
    {
        return std::size_t(rows) * std::size_t(columns) * std::size_t(samplesPerPixel);
    }
};

// A readable name for a transfer syntax UID (DCMTK's, plus the HTJ2K ones DCMTK 3.6.7 does not know).
std::string transferSyntaxName(const std::string& uid);

// True for the syntaxes decoded with OpenJPEG (JPEG 2000 and HTJ2K).
bool isJpeg2000Syntax(const std::string& uid);

// One open DICOM instance whose frames can be decoded one by one. The header is read at construction; pixel data
// stays in the file until a frame is asked for (DCMTK reads values larger than 4 kB lazily), so opening a 1 GB
// multi-frame file costs a few kB. Not thread-safe: use one decoder per thread.
class PixelDecoder {
public:
    // Throws consilium::Error(file, reason) when the file is not a readable DICOM image ("missing Pixel Data",
    // "truncated or corrupt: …", "unsupported pixel format: BitsAllocated 1", …).
    explicit PixelDecoder(const std::filesystem::path& file);
    // The same over a file already loaded with loadDicomFile (saves parsing the header twice).
    PixelDecoder(const std::filesystem::path& file, std::unique_ptr<DcmFileFormat> loaded);
    ~PixelDecoder();
    PixelDecoder(PixelDecoder&&) noexcept;
    PixelDecoder& operator=(PixelDecoder&&) noexcept;
    PixelDecoder(const PixelDecoder&) = delete;
    PixelDecoder& operator=(const PixelDecoder&) = delete;

    const std::filesystem::path& file() const;
    const std::string& transferSyntaxUid() const;  // (0002,0010) as text
    const PixelFormat& format() const;
    // The colour model of decoded frames: the header's photometric, except where the codec converted colour
    // (DCMTK's JPEG decoder turns YBR_FULL(_422) into RGB; JPEG 2000 undoes YBR_RCT/YBR_ICT).
    const std::string& decodedPhotometric() const;

    // Decodes frame `frame` (0-based) into `out`: rows × columns × samplesPerPixel stored values, row by row, samples
    // of a pixel next to each other (PlanarConfiguration 1 is interleaved here). `out` is resized, not shrunk, so a
    // caller decoding many frames reuses its buffer. Throws consilium::Error(file, "transfer syntax <UID> (<name>)
    // cannot be decoded: …") for a syntax or codestream that cannot be decoded, Error(file, "…") for a frame number
    // out of range or pixel data that is cut short.
    void decodeFrame(int frame, std::vector<std::int32_t>& out);

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

struct DecodedFrame {
    PixelFormat format;
    std::string transferSyntaxUid;
    std::string photometric;           // decodedPhotometric()
    std::vector<std::int32_t> values;  // as PixelDecoder::decodeFrame
};

// Convenience for one frame of one file (opens, decodes, closes).
DecodedFrame decodeFrame(const std::filesystem::path& file, int frame = 0);

}  // namespace consilium::imaging
