#include "imaging/pixel_decoder.h"

#include "imaging/dicom_attributes.h"

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dccodec.h>
#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfcache.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmdata/dcmetinf.h>
#include <dcmtk/dcmdata/dcpixel.h>
#include <dcmtk/dcmdata/dcpixseq.h>
#include <dcmtk/dcmdata/dcpxitem.h>
#include <dcmtk/dcmdata/dcxfer.h>
#include <openjpeg.h>

#include <algorithm>
#include <cstring>
#include <exception>
#include <fstream>
#include <limits>
#include <type_traits>
#include <utility>

#include "imaging/dcmtk_setup.h"

namespace consilium::imaging {
namespace fs = std::filesystem;

namespace {

using dicom::hasDicmPreamble;
using dicom::text;
int integer(DcmItem& item, const DcmTagKey& tag, int fallback) { return dicom::integerOr(item, tag, fallback); }

// Values longer than this stay in the file; DCMTK loads them when they are first used (and still checks, while
// parsing, that each one fits in the file, which is how a truncated file is noticed).
constexpr Uint32 kLargestValueLoaded = 4096;
// Radiology frames top out near 4096 × 5600 (mammography); 2^26 samples (256 MiB decoded) leaves room and refuses a
// header that claims gigabytes before any buffer is sized from it.
constexpr std::size_t kMaxSamplesPerFrame = std::size_t(1) << 26;
constexpr const char* kNotDicom = "not a DICOM file (no DICM preamble and no parsable dataset)";

// ---------------------------------------------------------------------------------------------------------------
// Transfer syntaxes

struct SyntaxName {
    const char* uid;
    const char* name;
};

// The ones DCMTK 3.6.7 does not name (it predates HTJ2K), and the video/JPIP/JPEG XL families named for messages.
constexpr SyntaxName kExtraNames[] = {
    {"1.2.840.10008.1.2.4.201", "High-Throughput JPEG 2000 Image Compression (Lossless Only)"},
    {"1.2.840.10008.1.2.4.202", "High-Throughput JPEG 2000 with RPCL Options Image Compression (Lossless Only)"},
    {"1.2.840.10008.1.2.4.203", "High-Throughput JPEG 2000 Image Compression"},
    {"1.2.840.10008.1.2.4.110", "JPEG XL Lossless"},
    {"1.2.840.10008.1.2.4.111", "JPEG XL JPEG Recompression"},
    {"1.2.840.10008.1.2.4.112", "JPEG XL"},
};

constexpr const char* kJpeg2000Uids[] = {
    "1.2.840.10008.1.2.4.90",  "1.2.840.10008.1.2.4.91",  "1.2.840.10008.1.2.4.92",  "1.2.840.10008.1.2.4.93",
    "1.2.840.10008.1.2.4.201", "1.2.840.10008.1.2.4.202", "1.2.840.10008.1.2.4.203",
};

// Syntaxes that are known not to carry decodable still-image pixels here, with the reason given to the user.
const char* unsupportedReason(const std::string& uid)
{
    if (uid == "1.2.840.10008.1.2.4.94" || uid == "1.2.840.10008.1.2.4.95")
        return "JPIP references pixel data on a server; it is not in the file";
    if (uid.rfind("1.2.840.10008.1.2.4.10", 0) == 0 && uid.size() == std::strlen("1.2.840.10008.1.2.4.100"))
        return "video (MPEG-2, MPEG-4/H.264, HEVC) is not supported";
    if (uid.rfind("1.2.840.10008.1.2.4.11", 0) == 0 && uid.size() == std::strlen("1.2.840.10008.1.2.4.110"))
        return "JPEG XL is not supported by the installed codecs";
    return nullptr;
}

[[noreturn]] void failSyntax(const fs::path& file, const std::string& uid, const std::string& why)
{
    throw Error(file.string(),
                "transfer syntax " + uid + " (" + transferSyntaxName(uid) + ") cannot be decoded: " + why);
}

// ---------------------------------------------------------------------------------------------------------------
// Reading the file

void requireReadableFile(const fs::path& file)
{
    std::error_code ec;
    const fs::file_status status = fs::status(file, ec);
    if (status.type() == fs::file_type::not_found)
        throw Error(file.string(), "no such file");
    if (ec)
        throw Error(file.string(), "cannot be accessed: " + ec.message());
    if (fs::is_directory(status))
        throw Error(file.string(), "is a directory, not a DICOM file");
    if (!fs::is_regular_file(status))
        throw Error(file.string(), "is not a regular file");
    const auto size = fs::file_size(file, ec);
    if (!ec && size == 0)
        throw Error(file.string(), "empty file (0 bytes)");
}

// ---------------------------------------------------------------------------------------------------------------
// Stored values: raw words -> int32

// Stored value of each word: the BitsStored bits ending at HighBit, sign-extended when PixelRepresentation is 1.
// Written as shifts on a fixed-width type so the compiler vectorizes it (this loop runs over every voxel).
template <typename Word>
void unpackWords(const unsigned char* raw, std::size_t count, const PixelFormat& f, std::int32_t* out,
                 const fs::path& file)
{
    using Signed = std::make_signed_t<Word>;
    constexpr int width = int(sizeof(Word)) * 8;
    const int up = width - 1 - f.highBit;   // moves the high bit to the top of the word
    const int down = width - f.bitsStored;  // then back down, dragging the sign (or zeros) along
    const Word* words = reinterpret_cast<const Word*>(raw);
    if (f.isSigned) {
        for (std::size_t i = 0; i < count; ++i)
            out[i] = std::int32_t(Signed(Word(words[i] << up)) >> down);
        return;
    }
    for (std::size_t i = 0; i < count; ++i)
        out[i] = std::int32_t(Word(Word(words[i] << up) >> down));
    if constexpr (width == 32) {
        if (f.bitsStored == 32)
            for (std::size_t i = 0; i < count; ++i)
                if (out[i] < 0)
                    throw Error(file.string(), "unsigned 32-bit stored values above 2147483647 are not supported");
    }
}

void unpack(const unsigned char* raw, const PixelFormat& f, std::int32_t* out, const fs::path& file)
{
    const std::size_t count = f.samplesPerFrame();
    switch (f.bitsAllocated) {
        case 8:
            unpackWords<std::uint8_t>(raw, count, f, out, file);
            break;
        case 16:
            unpackWords<std::uint16_t>(raw, count, f, out, file);
            break;
        case 32:
            unpackWords<std::uint32_t>(raw, count, f, out, file);
            break;
    }
}

// PlanarConfiguration 1 (RRR…GGG…BBB…) -> colour-by-pixel.
void interleavePlanes(std::vector<std::int32_t>& values, std::size_t pixels, int samples,
                      std::vector<std::int32_t>& tmp)
{
    tmp.assign(values.begin(), values.begin() + std::ptrdiff_t(pixels * std::size_t(samples)));
    for (int s = 0; s < samples; ++s)
        for (std::size_t p = 0; p < pixels; ++p)
            values[p * std::size_t(samples) + std::size_t(s)] = tmp[std::size_t(s) * pixels + p];
}

// ---------------------------------------------------------------------------------------------------------------
// OpenJPEG over a memory buffer (RAII for the three handles it hands out)

struct StreamCloser {
    void operator()(opj_stream_t* s) const { opj_stream_destroy(s); }
};
struct CodecCloser {
    void operator()(opj_codec_t* c) const { opj_destroy_codec(c); }
};
struct ImageCloser {
    void operator()(opj_image_t* i) const { opj_image_destroy(i); }
};
using OpjStream = std::unique_ptr<opj_stream_t, StreamCloser>;
using OpjCodec = std::unique_ptr<opj_codec_t, CodecCloser>;
using OpjImage = std::unique_ptr<opj_image_t, ImageCloser>;

struct MemoryReader {
    const std::vector<unsigned char>* data;
    std::size_t position = 0;
};

OPJ_SIZE_T readMemory(void* buffer, OPJ_SIZE_T bytes, void* user)
{
    auto* r = static_cast<MemoryReader*>(user);
    const std::size_t left = r->data->size() - r->position;
    if (left == 0)
        return OPJ_SIZE_T(-1);  // OpenJPEG's end-of-stream
    const std::size_t n = std::min<std::size_t>(bytes, left);
    std::memcpy(buffer, r->data->data() + r->position, n);
    r->position += n;
    return n;
}

OPJ_OFF_T skipMemory(OPJ_OFF_T bytes, void* user)
{
    auto* r = static_cast<MemoryReader*>(user);
    const auto target = std::clamp<std::int64_t>(std::int64_t(r->position) + bytes, 0, std::int64_t(r->data->size()));
    const auto skipped = target - std::int64_t(r->position);
    r->position = std::size_t(target);
    return skipped;
}

OPJ_BOOL seekMemory(OPJ_OFF_T position, void* user)
{
    auto* r = static_cast<MemoryReader*>(user);
    if (position < 0 || std::size_t(position) > r->data->size())
        return OPJ_FALSE;
    r->position = std::size_t(position);
    return OPJ_TRUE;
}

void collectMessage(const char* message, void* user)
{
    auto* out = static_cast<std::string*>(user);
    if (out->empty())
        *out = message;
    while (!out->empty() && (out->back() == '\n' || out->back() == ' '))
        out->pop_back();
}

bool isJp2File(const std::vector<unsigned char>& data)
{
    static constexpr unsigned char kSignature[] = {0x00, 0x00, 0x00, 0x0C, 0x6A, 0x50, 0x20, 0x20};
    return data.size() >= sizeof kSignature && std::memcmp(data.data(), kSignature, sizeof kSignature) == 0;
}

bool startsCodestream(const unsigned char* p, std::size_t n)
{
    return n >= 4 && p[0] == 0xFF && p[1] == 0x4F && p[2] == 0xFF && p[3] == 0x51;  // SOC + SIZ
}

}  // namespace

// ---------------------------------------------------------------------------------------------------------------

std::string transferSyntaxName(const std::string& uid)
{
    for (const SyntaxName& s : kExtraNames)
        if (uid == s.uid)
            return s.name;
    const DcmXfer xfer(uid.c_str());
    if (xfer.getXfer() == EXS_Unknown)
        return "unknown transfer syntax";
    return xfer.getXferName();
}

bool isJpeg2000Syntax(const std::string& uid)
{
    return std::any_of(std::begin(kJpeg2000Uids), std::end(kJpeg2000Uids), [&](const char* u) { return uid == u; });
}

std::unique_ptr<DcmFileFormat> loadDicomFile(const fs::path& file)
{
    prepareDcmtk();
    requireReadableFile(file);
    const bool preamble = hasDicmPreamble(file);
    auto fileFormat = std::make_unique<DcmFileFormat>();
    OFCondition loaded;
    try {
        loaded = fileFormat->loadFile(file.c_str(), EXS_Unknown, EGL_noChange, kLargestValueLoaded, ERM_autoDetect);
    } catch (const std::exception& e) {  // an absurd length the allocator refuses
        if (!preamble)
            throw NotDicomError(file.string(), kNotDicom);
        throw Error(file.string(), std::string("truncated or corrupt: ") + e.what());
    }
    if (loaded.bad()) {
        if (!preamble)
            throw NotDicomError(file.string(), kNotDicom);
        throw Error(file.string(), std::string("truncated or corrupt: ") + loaded.text());
    }
    DcmDataset& ds = *fileFormat->getDataset();
    // Random bytes sometimes parse as a few odd elements; without a preamble and UIDs that is not DICOM.
    if (!preamble && text(ds, DCM_SOPInstanceUID).empty() && text(ds, DCM_SOPClassUID).empty())
        throw NotDicomError(file.string(), kNotDicom);
    return fileFormat;
}

// ---------------------------------------------------------------------------------------------------------------

struct PixelDecoder::Impl {
    fs::path file;
    std::unique_ptr<DcmFileFormat> fileFormat;
    DcmDataset* dataset = nullptr;
    DcmPixelData* pixelData = nullptr;
    std::string transferSyntax;
    PixelFormat format;
    std::string decodedPhotometric;
    bool planar = false;  // PlanarConfiguration 1
    DcmFileCache cache;   // keeps the file open between frames
    std::vector<unsigned char> raw;
    std::vector<unsigned char> codestream;
    std::vector<std::int32_t> planes;

    Impl(fs::path f, std::unique_ptr<DcmFileFormat> loaded) : file(std::move(f)), fileFormat(std::move(loaded))
    {
        dataset = fileFormat->getDataset();
        transferSyntax = text(*fileFormat->getMetaInfo(), DCM_TransferSyntaxUID);
        if (transferSyntax.empty())  // a bare dataset: what DCMTK detected
            transferSyntax = DcmXfer(dataset->getOriginalXfer()).getXferID();
        readFormat();
    }

    [[noreturn]] void fail(const std::string& reason) const { throw Error(file.string(), reason); }

    void readFormat()
    {
        DcmElement* element = nullptr;
        if (dataset->findAndGetElement(DCM_PixelData, element).bad() || element == nullptr) {
            if (dataset->tagExists(DCM_FloatPixelData) || dataset->tagExists(DCM_DoubleFloatPixelData))
                fail("float pixel data (parametric maps) is not supported");
            fail("missing Pixel Data (7FE0,0010)");
        }
        pixelData = dynamic_cast<DcmPixelData*>(element);
        if (pixelData == nullptr)
            fail("Pixel Data (7FE0,0010) has an unexpected representation");
        PixelFormat& f = format;
        f.rows = integer(*dataset, DCM_Rows, 0);
        f.columns = integer(*dataset, DCM_Columns, 0);
        f.samplesPerPixel = integer(*dataset, DCM_SamplesPerPixel, 1);
        f.frames = std::max(1, integer(*dataset, DCM_NumberOfFrames, 1));
        f.bitsAllocated = integer(*dataset, DCM_BitsAllocated, 0);
        f.bitsStored = integer(*dataset, DCM_BitsStored, f.bitsAllocated);
        f.highBit = integer(*dataset, DCM_HighBit, f.bitsStored - 1);
        f.isSigned = integer(*dataset, DCM_PixelRepresentation, 0) == 1;
        f.photometric = text(*dataset, DCM_PhotometricInterpretation);
        planar = integer(*dataset, DCM_PlanarConfiguration, 0) == 1;
        decodedPhotometric = f.photometric;
        if (f.rows <= 0 || f.columns <= 0)
            fail("missing or zero Rows/Columns");
        if (f.samplesPerPixel != 1 && f.samplesPerPixel != 3)
            fail("unsupported pixel format: SamplesPerPixel " + std::to_string(f.samplesPerPixel));
        if (f.bitsAllocated != 8 && f.bitsAllocated != 16 && f.bitsAllocated != 32)
            fail("unsupported pixel format: BitsAllocated " + std::to_string(f.bitsAllocated));
        if (f.bitsStored < 1 || f.bitsStored > f.bitsAllocated || f.highBit < f.bitsStored - 1 ||
            f.highBit >= f.bitsAllocated)
            fail("inconsistent pixel format: BitsAllocated " + std::to_string(f.bitsAllocated) + ", BitsStored " +
                 std::to_string(f.bitsStored) + ", HighBit " + std::to_string(f.highBit));
    }

    void decode(int frame, std::vector<std::int32_t>& out)
    {
        if (frame < 0 || frame >= format.frames)
            fail("frame " + std::to_string(frame + 1) + " requested, the file has " + std::to_string(format.frames));
        requirePlausibleFrame(frame);
        if (out.size() < format.samplesPerFrame())
            out.resize(format.samplesPerFrame());
        if (isJpeg2000Syntax(transferSyntax))
            decodeWithOpenJpeg(frame, out);
        else
            decodeWithDcmtk(frame, out);
    }

    // Bytes of one decoded frame, computed in 64 bits: DCMTK's own Uint32 frame size wraps for large headers.
    std::uint64_t frameBytes() const
    {
        return std::uint64_t(format.samplesPerFrame()) * std::uint64_t(format.bitsAllocated / 8);
    }

    // Before any buffer is sized from the header: a header may claim any size, the data may not back it.
    void requirePlausibleFrame(int frame) const
    {
        if (format.samplesPerFrame() > kMaxSamplesPerFrame)
            fail("frame of " + std::to_string(format.columns) + "×" + std::to_string(format.rows) + "×" +
                 std::to_string(format.samplesPerPixel) + " samples is larger than Consilium reads (" +
                 std::to_string(kMaxSamplesPerFrame) + " samples per frame)");
        if (DcmXfer(transferSyntax.c_str()).isEncapsulated() || isJpeg2000Syntax(transferSyntax))
            return;  // compressed: the codec checks its own sizes
        if (DcmXfer(transferSyntax.c_str()).getXfer() == EXS_Unknown)
            return;  // refused by name later
        const std::uint64_t needed = frameBytes() * std::uint64_t(frame + 1);
        const std::uint64_t held = pixelData->getLengthField();
        if (held != DCM_UndefinedLength && held < needed)
            fail("pixel data cannot be read (truncated?): frame " + std::to_string(frame + 1) + " needs " +
                 std::to_string(needed) + " bytes, Pixel Data holds " + std::to_string(held));
    }

    // --- DCMTK: native, deflate, big endian, JPEG, JPEG-LS, RLE ----------------------------------------------------

    void decodeWithDcmtk(int frame, std::vector<std::int32_t>& out)
    {
        if (const char* why = unsupportedReason(transferSyntax))
            failSyntax(file, transferSyntax, why);
        Uint32 frameBytes = 0;
        if (pixelData->getUncompressedFrameSize(dataset, frameBytes).bad() || frameBytes == 0)
            fail("cannot compute the frame size from Rows, Columns, BitsAllocated and SamplesPerPixel");
        // unpack() reads Rows × Columns × SamplesPerPixel words from `raw`: DCMTK's size must be exactly that (it is
        // smaller for native YBR_FULL_422, which is not supported; the size limit above keeps it from wrapping).
        if (frameBytes != this->frameBytes())
            fail("unsupported pixel layout: DCMTK gives " + std::to_string(frameBytes) +
                 " bytes a frame, Rows × "
                 "Columns × SamplesPerPixel × BitsAllocated/8 is " +
                 std::to_string(this->frameBytes()));
        raw.resize(frameBytes + (frameBytes & 1));  // DCMTK wants an even buffer
        OFString colourModel;
        Uint32 startFragment = 0;  // unknown: DCMTK finds it
        OFCondition status;
        try {
            status = pixelData->getUncompressedFrame(dataset, Uint32(frame), startFragment, raw.data(),
                                                     Uint32(raw.size()), colourModel, &cache);
        } catch (const std::exception& e) {
            failSyntax(file, transferSyntax, e.what());
        }
        if (status.bad()) {
            if (!DcmXfer(transferSyntax.c_str()).isEncapsulated() &&
                DcmXfer(transferSyntax.c_str()).getXfer() != EXS_Unknown)
                fail(std::string("pixel data cannot be read (truncated?): ") + status.text());
            failSyntax(file, transferSyntax, status.text());
        }
        if (!colourModel.empty())
            decodedPhotometric = colourModel.c_str();
        unpack(raw.data(), format, out.data(), file);
        if (format.samplesPerPixel > 1 && planar)
            interleavePlanes(out, std::size_t(format.rows) * std::size_t(format.columns), format.samplesPerPixel,
                             planes);
    }

    // --- OpenJPEG: JPEG 2000 and HTJ2K ------------------------------------------------------------------------------

    DcmPixelSequence* pixelSequence()
    {
        E_TransferSyntax xfer = EXS_Unknown;
        const DcmRepresentationParameter* parameter = nullptr;
        pixelData->getOriginalRepresentationKey(xfer, parameter);
        DcmPixelSequence* sequence = nullptr;
        if (pixelData->getEncapsulatedRepresentation(xfer, parameter, sequence).bad() || sequence == nullptr)
            failSyntax(file, transferSyntax, "the pixel data is not encapsulated (no fragments)");
        return sequence;
    }

    // Fragment index range [first, end) of one frame. Item 0 is the Basic Offset Table.
    std::pair<Uint32, Uint32> fragmentsOf(DcmPixelSequence* sequence, int frame)
    {
        const Uint32 items = Uint32(sequence->card());
        if (items < 2)
            failSyntax(file, transferSyntax, "the pixel sequence holds no fragment");
        if (format.frames == 1)
            return {1, items};
        Uint32 first = 0, next = items;
        if (DcmCodec::determineStartFragment(Uint32(frame), Sint32(format.frames), sequence, first).good() &&
            (frame + 1 == format.frames ||
             DcmCodec::determineStartFragment(Uint32(frame + 1), Sint32(format.frames), sequence, next).good()) &&
            first >= 1 && first < next && next <= items)
            return {first, next};
        // No offset table and more fragments than frames: a frame starts where a codestream (SOC+SIZ) starts.
        std::vector<Uint32> starts;
        for (Uint32 i = 1; i < items; ++i) {
            DcmPixelItem* item = nullptr;
            Uint8* bytes = nullptr;
            if (sequence->getItem(item, i).good() && item->getUint8Array(bytes).good() && bytes != nullptr &&
                startsCodestream(bytes, item->getLength()))
                starts.push_back(i);
        }
        if (int(starts.size()) != format.frames)
            failSyntax(file, transferSyntax,
                       "cannot tell which fragments belong to frame " + std::to_string(frame + 1));
        return {starts[std::size_t(frame)], frame + 1 < format.frames ? starts[std::size_t(frame) + 1] : items};
    }

    void gatherCodestream(int frame)
    {
        DcmPixelSequence* sequence = pixelSequence();
        const auto [first, end] = fragmentsOf(sequence, frame);
        codestream.clear();
        for (Uint32 i = first; i < end; ++i) {
            DcmPixelItem* item = nullptr;
            Uint8* bytes = nullptr;
            if (sequence->getItem(item, i).bad() || item->getUint8Array(bytes).bad())
                fail("fragment " + std::to_string(i) + " of the pixel data cannot be read (truncated?)");
            if (bytes != nullptr)
                codestream.insert(codestream.end(), bytes, bytes + item->getLength());
            item->compact();  // back to the file: decoding every frame must not keep every fragment in memory
        }
        if (codestream.empty())
            failSyntax(file, transferSyntax, "frame " + std::to_string(frame + 1) + " has no data");
    }

    void decodeWithOpenJpeg(int frame, std::vector<std::int32_t>& out)
    {
        gatherCodestream(frame);
        std::string message;
        const auto failed = [&](const char* step) {
            failSyntax(file, transferSyntax,
                       std::string("OpenJPEG ") + step + " failed" + (message.empty() ? "" : ": " + message));
        };
        MemoryReader reader{&codestream};
        OpjStream stream(opj_stream_create(OPJ_J2K_STREAM_CHUNK_SIZE, OPJ_TRUE));
        if (!stream)
            failed("stream creation");
        opj_stream_set_user_data(stream.get(), &reader, nullptr);
        opj_stream_set_user_data_length(stream.get(), codestream.size());
        opj_stream_set_read_function(stream.get(), readMemory);
        opj_stream_set_skip_function(stream.get(), skipMemory);
        opj_stream_set_seek_function(stream.get(), seekMemory);

        // DICOM wants a raw codestream; a JP2 file wrapper has been seen in the wild and costs nothing to accept.
        OpjCodec codec(opj_create_decompress(isJp2File(codestream) ? OPJ_CODEC_JP2 : OPJ_CODEC_J2K));
        if (!codec)
            failed("codec creation");
        opj_set_error_handler(codec.get(), collectMessage, &message);
        opj_dparameters_t parameters;
        opj_set_default_decoder_parameters(&parameters);
        if (!opj_setup_decoder(codec.get(), &parameters))
            failed("set-up");
        opj_image_t* rawImage = nullptr;
        if (!opj_read_header(stream.get(), codec.get(), &rawImage))
            failed("header reading");
        OpjImage image(rawImage);
        requireHeaderSize(*image);  // before decoding: OpenJPEG allocates (and fills) what the SIZ says
        if (!opj_decode(codec.get(), stream.get(), image.get()))
            failed("decoding");
        if (!opj_end_decompress(codec.get(), stream.get()))
            failed("end of decoding");
        copyComponents(*image, out);
    }

    void refuseSize(std::uint64_t w, std::uint64_t h) const
    {
        failSyntax(file, transferSyntax,
                   "the codestream is " + std::to_string(w) + "×" + std::to_string(h) + ", the header says " +
                       std::to_string(format.columns) + "×" + std::to_string(format.rows));
    }

    // The SIZ marker against Rows, Columns and SamplesPerPixel (subsampled components are not DICOM's).
    void requireHeaderSize(const opj_image_t& image) const
    {
        const PixelFormat& f = format;
        if (int(image.numcomps) != f.samplesPerPixel)
            failSyntax(file, transferSyntax,
                       "the codestream has " + std::to_string(image.numcomps) + " components, SamplesPerPixel is " +
                           std::to_string(f.samplesPerPixel));
        const std::uint64_t w = std::uint64_t(image.x1) - image.x0, h = std::uint64_t(image.y1) - image.y0;
        if (image.x1 < image.x0 || image.y1 < image.y0 || w != std::uint64_t(f.columns) || h != std::uint64_t(f.rows))
            refuseSize(image.x1 < image.x0 ? 0 : w, image.y1 < image.y0 ? 0 : h);
        for (OPJ_UINT32 c = 0; c < image.numcomps; ++c)
            if (image.comps[c].dx != 1 || image.comps[c].dy != 1)
                failSyntax(file, transferSyntax, "subsampled JPEG 2000 components are not supported");
    }

    void copyComponents(const opj_image_t& image, std::vector<std::int32_t>& out)
    {
        const PixelFormat& f = format;
        requireHeaderSize(image);
        for (OPJ_UINT32 c = 0; c < image.numcomps; ++c) {
            const opj_image_comp_t& comp = image.comps[c];
            if (int(comp.w) != f.columns || int(comp.h) != f.rows || comp.data == nullptr)
                refuseSize(comp.w, comp.h);
        }
        const std::size_t pixels = std::size_t(f.rows) * std::size_t(f.columns);
        const std::size_t samples = std::size_t(f.samplesPerPixel);
        for (std::size_t c = 0; c < samples; ++c) {
            const opj_image_comp_t& comp = image.comps[c];
            // A codestream marked unsigned under PixelRepresentation 1 holds two's complement values in `prec` bits
            // (seen in real files); reinterpret them the way the dataset says, as pydicom and GDCM do.
            const bool reinterpretSigned = f.isSigned && !comp.sgnd && comp.prec > 0 && comp.prec < 32;
            const std::int64_t range = std::int64_t(1) << (reinterpretSigned ? comp.prec : 0);
            const std::int64_t half = range / 2;
            for (std::size_t p = 0; p < pixels; ++p) {
                std::int64_t v = comp.data[p];
                if (reinterpretSigned && v >= half)
                    v -= range;
                out[p * samples + c] = std::int32_t(v);
            }
        }
        // OpenJPEG applies the inverse component transform itself: what comes out of YBR_RCT/YBR_ICT is RGB.
        if (f.photometric == "YBR_RCT" || f.photometric == "YBR_ICT")
            decodedPhotometric = "RGB";
    }
};

PixelDecoder::PixelDecoder(const fs::path& file) : PixelDecoder(file, loadDicomFile(file)) {}

PixelDecoder::PixelDecoder(const fs::path& file, std::unique_ptr<DcmFileFormat> loaded)
    : impl_(std::make_unique<Impl>(file, std::move(loaded)))
{
}

PixelDecoder::~PixelDecoder() = default;
PixelDecoder::PixelDecoder(PixelDecoder&&) noexcept = default;
PixelDecoder& PixelDecoder::operator=(PixelDecoder&&) noexcept = default;

const fs::path& PixelDecoder::file() const { return impl_->file; }
const std::string& PixelDecoder::transferSyntaxUid() const { return impl_->transferSyntax; }
const PixelFormat& PixelDecoder::format() const { return impl_->format; }
const std::string& PixelDecoder::decodedPhotometric() const { return impl_->decodedPhotometric; }

void PixelDecoder::decodeFrame(int frame, std::vector<std::int32_t>& out) { impl_->decode(frame, out); }

DecodedFrame decodeFrame(const fs::path& file, int frame)
{
    PixelDecoder decoder(file);
    DecodedFrame decoded;
    decoder.decodeFrame(frame, decoded.values);
    decoded.values.resize(decoder.format().samplesPerFrame());
    decoded.format = decoder.format();
    decoded.transferSyntaxUid = decoder.transferSyntaxUid();
    decoded.photometric = decoder.decodedPhotometric();
    return decoded;
}

}  // namespace consilium::imaging
