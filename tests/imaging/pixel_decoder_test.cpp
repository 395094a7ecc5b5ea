// Pixel decoding: the transfer-syntax zoo of ../shared/data must decode to identical stored values across syntaxes,
// JPEG 2000 / HTJ2K go through OpenJPEG from the fragments, and every failure names the file (and the syntax).
#include "imaging/pixel_decoder.h"

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmdata/dcpixel.h>
#include <dcmtk/dcmdata/dcpixseq.h>
#include <dcmtk/dcmdata/dcpxitem.h>
#include <dcmtk/dcmdata/dcuid.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>
#include <vector>

#include "model/error.h"
#include "support.h"

namespace consilium::imaging {
namespace {

namespace fs = std::filesystem;
using testing::TempDir;

fs::path single(const std::string& relative) { return testing::sharedData() / "dicom/single" / relative; }

// Stored value at (frame already decoded) row r, column c, sample s.
std::int32_t at(const DecodedFrame& d, int r, int c, int s = 0)
{
    return d.values.at((std::size_t(r) * std::size_t(d.format.columns) + std::size_t(c)) *
                           std::size_t(d.format.samplesPerPixel) +
                       std::size_t(s));
}

std::vector<std::int32_t> row(const DecodedFrame& d, int r, int c0, int c1)
{
    std::vector<std::int32_t> out;
    for (int c = c0; c < c1; ++c)
        out.push_back(at(d, r, c));
    return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Datasets built in the test

DcmFileFormat imageDataset(int rows, int columns, int bitsAllocated, int bitsStored, int highBit, bool isSigned,
                           const char* photometric = "MONOCHROME2")
{
    DcmFileFormat fileFormat;
    DcmDataset& ds = *fileFormat.getDataset();
    ds.putAndInsertString(DCM_SOPClassUID, UID_SecondaryCaptureImageStorage);
    ds.putAndInsertString(DCM_SOPInstanceUID, "1.2.826.0.1.3680043.10.998.1");
    ds.putAndInsertString(DCM_StudyInstanceUID, "1.2.826.0.1.3680043.10.998.2");
    ds.putAndInsertString(DCM_SeriesInstanceUID, "1.2.826.0.1.3680043.10.998.3");
    ds.putAndInsertString(DCM_Modality, "OT");
    ds.putAndInsertUint16(DCM_Rows, Uint16(rows));
    ds.putAndInsertUint16(DCM_Columns, Uint16(columns));
    ds.putAndInsertUint16(DCM_SamplesPerPixel, 1);
    ds.putAndInsertString(DCM_PhotometricInterpretation, photometric);
    ds.putAndInsertUint16(DCM_BitsAllocated, Uint16(bitsAllocated));
    ds.putAndInsertUint16(DCM_BitsStored, Uint16(bitsStored));
    ds.putAndInsertUint16(DCM_HighBit, Uint16(highBit));
    ds.putAndInsertUint16(DCM_PixelRepresentation, isSigned ? 1 : 0);
    return fileFormat;
}

// An 8×8 image whose pixel data is one fragment of `bytes` under an encapsulated transfer syntax.
fs::path writeEncapsulated(const fs::path& file, E_TransferSyntax xfer, const std::vector<Uint8>& bytes)
{
    DcmFileFormat fileFormat = imageDataset(8, 8, 16, 16, 15, false);
    auto* sequence = new DcmPixelSequence(DCM_PixelSequenceTag);
    sequence->insert(new DcmPixelItem(DCM_PixelItemTag));  // empty Basic Offset Table
    auto* fragment = new DcmPixelItem(DCM_PixelItemTag);
    fragment->putUint8Array(bytes.data(), Uint32(bytes.size()));
    sequence->insert(fragment);
    auto* pixelData = new DcmPixelData(DCM_PixelData);
    pixelData->putOriginalRepresentation(xfer, nullptr, sequence);
    fileFormat.getDataset()->insert(pixelData, true);
    const OFCondition saved = fileFormat.saveFile(file.c_str(), xfer);
    EXPECT_TRUE(saved.good()) << saved.text();
    return file;
}

void expectErrorMentions(const fs::path& file, const std::vector<std::string>& words)
{
    try {
        decodeFrame(file);
        FAIL() << file << " decoded";
    } catch (const Error& e) {
        EXPECT_EQ(e.subject(), file.string());
        for (const std::string& w : words)
            EXPECT_NE(e.reason().find(w), std::string::npos) << "'" << w << "' not in: " << e.reason();
    }
}

// ---------------------------------------------------------------------------------------------------------------
// The transfer-syntax zoo

TEST(PixelDecoderRealData, DcmQaTsDecodesIdenticallyUnderEverySyntax)
{
    CONSILIUM_REQUIRE_SHARED("dicom/single/dcm_qa_ts/1.dcm");
    const DecodedFrame native = decodeFrame(single("dcm_qa_ts/1.dcm"));
    EXPECT_EQ(native.transferSyntaxUid, "1.2.840.10008.1.2.1");
    EXPECT_EQ(native.format.columns, 384);
    EXPECT_EQ(native.format.rows, 384);
    EXPECT_EQ(native.format.bitsStored, 12);
    EXPECT_FALSE(native.format.isSigned);
    const std::pair<const char*, const char*> others[] = {{"4.dcm", "1.2.840.10008.1.2.5"},
                                                          {"5.dcm", "1.2.840.10008.1.2.4.70"},
                                                          {"8.dcm", "1.2.840.10008.1.2.4.80"},
                                                          {"9.dcm", "1.2.840.10008.1.2.4.90"}};
    for (const auto& [name, syntax] : others) {
        const DecodedFrame d = decodeFrame(single(std::string("dcm_qa_ts/") + name));
        EXPECT_EQ(d.transferSyntaxUid, syntax);
        EXPECT_EQ(d.values, native.values) << name << " differs from the native 1.dcm";
    }
    EXPECT_GT(*std::max_element(native.values.begin(), native.values.end()), 2000);  // not a black image
}

TEST(PixelDecoderRealData, MrSmallDecodesIdenticallyUnderEverySyntaxAndMatchesPydicom)
{
    CONSILIUM_REQUIRE_SHARED("dicom/single/pydicom/MR_small.dcm");
    const DecodedFrame native = decodeFrame(single("pydicom/MR_small.dcm"));
    EXPECT_TRUE(native.format.isSigned);
    // pydicom's reference values for MR_small (and every re-encoding of it).
    EXPECT_EQ(row(native, 0, 31, 34), (std::vector<std::int32_t>{422, 319, 361}));
    EXPECT_EQ(row(native, 31, 0, 3), (std::vector<std::int32_t>{366, 363, 322}));
    EXPECT_EQ(row(native, 63, 61, 64), (std::vector<std::int32_t>{1369, 1129, 862}));
    const std::pair<const char*, const char*> others[] = {
        {"MR_small_implicit.dcm", "1.2.840.10008.1.2"},
        {"MR_small_bigendian.dcm", "1.2.840.10008.1.2.2"},
        {"MR_small_RLE.dcm", "1.2.840.10008.1.2.5"},
        {"MR_small_jpeg_ls_lossless.dcm", "1.2.840.10008.1.2.4.80"},
        {"MR_small_jp2klossless.dcm", "1.2.840.10008.1.2.4.90"},  // formats.md §2: identical to the native file
    };
    for (const auto& [name, syntax] : others) {
        const DecodedFrame d = decodeFrame(single(std::string("pydicom/") + name));
        EXPECT_EQ(d.transferSyntaxUid, syntax);
        EXPECT_EQ(d.values, native.values) << name << " differs from MR_small.dcm";
    }
}

TEST(PixelDecoderRealData, PydicomReferenceValues)
{
    CONSILIUM_REQUIRE_SHARED("dicom/single/pydicom/CT_small.dcm");
    const DecodedFrame ct = decodeFrame(single("pydicom/CT_small.dcm"));
    EXPECT_EQ(row(ct, 24, 36, 40), (std::vector<std::int32_t>{520, 802, 930, 1008}));
    EXPECT_EQ(
        (std::vector<std::int32_t>{at(ct, 40, 40), at(ct, 41, 40), at(ct, 42, 40), at(ct, 43, 40), at(ct, 44, 40)}),
        (std::vector<std::int32_t>{1138, 1165, 1113, 1088, 1072}));

    // JPEG Lossless SV1, signed 16 bit.
    const DecodedFrame ll = decodeFrame(single("pydicom-data/JPEG-LL.dcm"));
    EXPECT_EQ(ll.transferSyntaxUid, "1.2.840.10008.1.2.4.70");
    EXPECT_EQ(row(ll, 400, 124, 132), (std::vector<std::int32_t>{60, 58, 61, 68, 59, 65, 64, 67}));
    EXPECT_EQ(row(ll, 600, 124, 132), (std::vector<std::int32_t>{3, 1, 2, 0, 2, 1, 2, 0}));

    // JPEG Extended (process 2+4), 12 bit in 16.
    const DecodedFrame extended = decodeFrame(single("pydicom/JPGExtended.dcm"));
    EXPECT_EQ(extended.transferSyntaxUid, "1.2.840.10008.1.2.4.51");
    EXPECT_EQ(at(extended, 420, 140), 244);
    EXPECT_EQ(at(extended, 230, 120), 95);

    // Deflated Explicit VR Little Endian.
    const DecodedFrame deflated = decodeFrame(single("pydicom/image_dfl.dcm"));
    EXPECT_EQ(deflated.transferSyntaxUid, "1.2.840.10008.1.2.1.99");
    EXPECT_EQ(row(deflated, 300, 255, 263), (std::vector<std::int32_t>{138, 65, 65, 65, 65, 35, 35, 35}));
    const auto row10 = row(deflated, 10, 0, 512), row500 = row(deflated, 500, 0, 512);
    EXPECT_EQ(*std::min_element(row10.begin(), row10.end()), 41);
    EXPECT_EQ(*std::max_element(row10.begin(), row10.end()), 255);
    EXPECT_EQ(*std::min_element(row500.begin(), row500.end()), 65);
    EXPECT_EQ(*std::max_element(row500.begin(), row500.end()), 219);
}

TEST(PixelDecoderRealData, OtherJpegFamiliesDecode)
{
    CONSILIUM_REQUIRE_SHARED("dicom/single/orthanc-ts/1.2.840.10008.1.2.4.50.dcm");
    // JPEG baseline YBR_FULL_422 (ultrasound): DCMTK's decoder delivers RGB.
    const DecodedFrame baseline = decodeFrame(single("orthanc-ts/1.2.840.10008.1.2.4.50.dcm"));
    EXPECT_EQ(baseline.format.samplesPerPixel, 3);
    EXPECT_EQ(baseline.format.photometric, "YBR_FULL_422");
    EXPECT_EQ(baseline.photometric, "RGB");
    EXPECT_EQ(baseline.values.size(), 640u * 480u * 3u);
    // JPEG lossless process 14 (non-SV1), JPEG lossless SV1 signed, JPEG-LS near-lossless signed.
    const DecodedFrame p14 = decodeFrame(single("orthanc-ts/1.2.840.10008.1.2.4.57.dcm"));
    EXPECT_EQ(p14.format.columns, 1024);
    EXPECT_GT(*std::max_element(p14.values.begin(), p14.values.end()), 500);
    const DecodedFrame sv1 = decodeFrame(single("orthanc-ts/1.2.840.10008.1.2.4.70.dcm"));
    EXPECT_EQ(sv1.format.columns, 512);
    EXPECT_EQ(sv1.format.rows, 400);
    EXPECT_LT(*std::min_element(sv1.values.begin(), sv1.values.end()), 0);  // signed values survive the codec
    const DecodedFrame jls = decodeFrame(single("orthanc-ts/1.2.840.10008.1.2.4.81.dcm"));
    EXPECT_EQ(jls.transferSyntaxUid, "1.2.840.10008.1.2.4.81");
    EXPECT_LT(*std::min_element(jls.values.begin(), jls.values.end()), -2000);  // air in a signed CT
}

// ---------------------------------------------------------------------------------------------------------------
// JPEG 2000 and HTJ2K (formats.md §2)

TEST(PixelDecoderRealData, Htj2kMatchesPydicomReferencePixels)
{
    CONSILIUM_REQUIRE_SHARED("dicom/single/pydicom-data/HTJ2K_08_RGB.dcm");
    const DecodedFrame d = decodeFrame(single("pydicom-data/HTJ2K_08_RGB.dcm"));
    EXPECT_EQ(d.transferSyntaxUid, "1.2.840.10008.1.2.4.203");
    EXPECT_EQ(d.format.columns, 640);
    EXPECT_EQ(d.format.rows, 480);
    ASSERT_EQ(d.format.samplesPerPixel, 3);
    // pydicom's pixel reference for HTJ2K_08_RGB.dcm: arr[160, 295:305] and arr[275:285, 635].
    const int rowRef[10][3] = {{91, 37, 2},    {94, 40, 1},    {97, 42, 5},    {174, 123, 59}, {172, 132, 69},
                               {169, 134, 74}, {168, 136, 77}, {168, 137, 80}, {168, 136, 80}, {169, 136, 78}};
    const int colRef[10][3] = {{207, 193, 171}, {238, 229, 215}, {235, 228, 216}, {233, 226, 213}, {238, 231, 218},
                               {239, 232, 219}, {225, 218, 206}, {240, 234, 223}, {247, 240, 232}, {242, 236, 227}};
    for (int i = 0; i < 10; ++i)
        for (int s = 0; s < 3; ++s) {
            EXPECT_EQ(at(d, 160, 295 + i, s), rowRef[i][s]) << "row 160, column " << 295 + i << ", sample " << s;
            EXPECT_EQ(at(d, 275 + i, 635, s), colRef[i][s]) << "row " << 275 + i << ", column 635, sample " << s;
        }
    EXPECT_EQ(transferSyntaxName(d.transferSyntaxUid), "High-Throughput JPEG 2000 Image Compression");
}

// Reads the int16 voxels of an uncompressed NIfTI-1 file as dcm2niix writes it (rows bottom-up).
std::vector<std::int16_t> niftiInt16(const fs::path& file, int& columns, int& rows)
{
    std::ifstream in(file, std::ios::binary);
    std::vector<char> bytes((std::istreambuf_iterator<char>(in)), {});
    if (bytes.size() < 352)
        return {};
    std::int16_t dims[8], datatype = 0;
    float offset = 0;
    std::memcpy(dims, bytes.data() + 40, sizeof dims);
    std::memcpy(&datatype, bytes.data() + 70, 2);
    std::memcpy(&offset, bytes.data() + 108, 4);
    columns = dims[1];
    rows = dims[2];
    if (datatype != 4)  // DT_SIGNED_SHORT
        return {};
    std::vector<std::int16_t> voxels(std::size_t(columns) * std::size_t(rows));
    std::memcpy(voxels.data(), bytes.data() + std::size_t(offset), voxels.size() * 2);
    return voxels;
}

TEST(PixelDecoderRealData, LossyJpeg2000MatchesDcm2niix)
{
    // dcm2niix parses the DICOM and extracts the codestream with its own code: an independent cross-check of the
    // fragment handling and of the signed 16-bit output.
    CONSILIUM_REQUIRE_SHARED("dicom/single/pydicom/JPEG2000.dcm");
    if (std::system("dcm2niix -h > /dev/null 2>&1") != 0)
        GTEST_SKIP() << "dcm2niix is not installed";
    TempDir dir;
    fs::create_directories(dir / "in");
    fs::copy_file(single("pydicom/JPEG2000.dcm"), dir / "in/JPEG2000.dcm");
    const std::string command =
        "dcm2niix -z n -f out -o '" + dir.path().string() + "' '" + (dir / "in").string() + "' > /dev/null 2>&1";
    ASSERT_EQ(std::system(command.c_str()), 0);
    int columns = 0, rows = 0;
    const std::vector<std::int16_t> reference = niftiInt16(dir / "out.nii", columns, rows);
    ASSERT_FALSE(reference.empty());

    const DecodedFrame d = decodeFrame(single("pydicom/JPEG2000.dcm"));
    EXPECT_EQ(d.transferSyntaxUid, "1.2.840.10008.1.2.4.91");
    ASSERT_EQ(columns, d.format.columns);
    ASSERT_EQ(rows, d.format.rows);
    EXPECT_TRUE(d.format.isSigned);
    std::size_t differ = 0;
    for (int r = 0; r < rows; ++r)
        for (int c = 0; c < columns; ++c)
            differ += reference[std::size_t(rows - 1 - r) * std::size_t(columns) + std::size_t(c)] != at(d, r, c);
    EXPECT_EQ(differ, 0u);
    EXPECT_LT(*std::min_element(d.values.begin(), d.values.end()), 0);
}

TEST(PixelDecoderRealData, Jpeg2000FrameSplitOverTwoFragments)
{
    // MR2_J2KI holds one frame in two fragments (65,536 + 45,896 bytes). It is NEMA's MR2 image, whose lossless
    // JPEG version (decoded by DCMTK's own codec) is orthanc-ts/…4.57.dcm: the lossy decode must stay close to it.
    CONSILIUM_REQUIRE_SHARED("dicom/single/pydicom-data/MR2_J2KI.dcm");
    const DecodedFrame lossy = decodeFrame(single("pydicom-data/MR2_J2KI.dcm"));
    const DecodedFrame lossless = decodeFrame(single("orthanc-ts/1.2.840.10008.1.2.4.57.dcm"));
    ASSERT_EQ(lossy.values.size(), lossless.values.size());
    double sum = 0;
    std::int32_t worst = 0;
    for (std::size_t i = 0; i < lossy.values.size(); ++i) {
        const std::int32_t d = std::abs(lossy.values[i] - lossless.values[i]);
        sum += d;
        worst = std::max(worst, d);
    }
    const double meanError = sum / double(lossy.values.size());
    EXPECT_LT(meanError, 5.0);  // 3.9 measured (lossy ratio 18, values 0..600)
    EXPECT_LE(worst, 40);

    // With only the first fragment the codestream is cut short: the decode must fail or be visibly worse, which
    // shows that both fragments were used above.
    TempDir dir;
    DcmFileFormat fileFormat;
    ASSERT_TRUE(fileFormat.loadFile(single("pydicom-data/MR2_J2KI.dcm").c_str()).good());
    DcmPixelData* pixelData = nullptr;
    DcmElement* element = nullptr;
    ASSERT_TRUE(fileFormat.getDataset()->findAndGetElement(DCM_PixelData, element).good());
    pixelData = dynamic_cast<DcmPixelData*>(element);
    E_TransferSyntax xfer = EXS_Unknown;
    const DcmRepresentationParameter* parameter = nullptr;
    pixelData->getOriginalRepresentationKey(xfer, parameter);
    DcmPixelSequence* sequence = nullptr;
    ASSERT_TRUE(pixelData->getEncapsulatedRepresentation(xfer, parameter, sequence).good());
    ASSERT_EQ(sequence->card(), 3u);
    DcmPixelItem* removed = nullptr;
    ASSERT_TRUE(sequence->remove(removed, 2).good());
    delete removed;
    ASSERT_TRUE(fileFormat.saveFile((dir / "cut.dcm").c_str(), xfer).good());
    try {
        const DecodedFrame cut = decodeFrame(dir / "cut.dcm");
        double cutSum = 0;
        for (std::size_t i = 0; i < cut.values.size(); ++i)
            cutSum += std::abs(cut.values[i] - lossless.values[i]);
        EXPECT_GT(cutSum / double(cut.values.size()), meanError * 1.5);
    } catch (const Error& e) {
        EXPECT_NE(e.reason().find("1.2.840.10008.1.2.4.91"), std::string::npos) << e.reason();
    }
}

// ---------------------------------------------------------------------------------------------------------------
// Multi-frame, MONOCHROME1, bit layouts

TEST(PixelDecoderRealData, EnhancedMrMultiFrameMatchesPydicom)
{
    CONSILIUM_REQUIRE_SHARED("dicom/single/pydicom-data/emri_small.dcm");
    PixelDecoder decoder(single("pydicom-data/emri_small.dcm"));
    EXPECT_EQ(decoder.format().frames, 10);
    EXPECT_EQ(decoder.format().bitsStored, 12);
    std::vector<std::int32_t> values;
    auto check = [&](int frame, std::vector<std::int32_t> a, std::vector<std::int32_t> b, std::vector<std::int32_t> c) {
        decoder.decodeFrame(frame, values);
        auto v = [&](int r, int col) { return values[std::size_t(r) * 64 + std::size_t(col)]; };
        EXPECT_EQ((std::vector<std::int32_t>{v(0, 31), v(0, 32), v(0, 33)}), a) << "frame " << frame;
        EXPECT_EQ((std::vector<std::int32_t>{v(31, 0), v(31, 1), v(31, 2)}), b) << "frame " << frame;
        EXPECT_EQ((std::vector<std::int32_t>{v(63, 61), v(63, 62), v(63, 63)}), c) << "frame " << frame;
    };
    // pydicom's reference for emri_small.dcm, frames 1, 5 and 10 — decoded out of order on purpose.
    check(9, {72, 86, 69}, {25, 4, 9}, {227, 300, 147});
    check(0, {206, 197, 159}, {49, 78, 128}, {362, 219, 135});
    check(4, {67, 82, 44}, {37, 41, 17}, {225, 380, 355});
    EXPECT_THROW(decoder.decodeFrame(10, values), Error);
}

TEST(PixelDecoderRealData, Monochrome1IsReportedAndValuesStayAsStored)
{
    CONSILIUM_REQUIRE_SHARED("dicom/dicomdir/pydicom_dicomdirtests/77654033/CR1/6154");
    const fs::path file = testing::sharedData() / "dicom/dicomdir/pydicom_dicomdirtests/77654033/CR1/6154";
    const DecodedFrame d = decodeFrame(file);
    EXPECT_TRUE(d.format.monochrome1());
    EXPECT_EQ(d.photometric, "MONOCHROME1");
    // The stored words, read plainly with DCMTK, are the values (no inversion).
    DcmFileFormat fileFormat;
    ASSERT_TRUE(fileFormat.loadFile(file.c_str()).good());
    const Uint16* words = nullptr;
    unsigned long count = 0;
    ASSERT_TRUE(fileFormat.getDataset()->findAndGetUint16Array(DCM_PixelData, words, &count).good());
    ASSERT_GE(count, d.values.size());
    const int shift = d.format.highBit + 1 - d.format.bitsStored;
    for (std::size_t i = 0; i < d.values.size(); ++i)
        ASSERT_EQ(d.values[i], (words[i] >> shift) & ((1 << d.format.bitsStored) - 1)) << "pixel " << i;
}

TEST(PixelDecoder, BitsStoredBelowBitsAllocatedAreMaskedAndSignExtended)
{
    TempDir dir;
    // 12 bits stored in 16, signed, with junk (an overlay, say) in the top four bits.
    DcmFileFormat signed12 = imageDataset(1, 4, 16, 12, 11, true);
    const Uint16 words[4] = {0xF000 | 0x0005, 0x0FFF /* -1 */, 0xA800 /* -2048 */, 0x57FF /* 2047 */};
    signed12.getDataset()->putAndInsertUint16Array(DCM_PixelData, words, 4);
    ASSERT_TRUE(signed12.saveFile((dir / "s12.dcm").c_str(), EXS_LittleEndianExplicit).good());
    EXPECT_EQ(decodeFrame(dir / "s12.dcm").values, (std::vector<std::int32_t>{5, -1, -2048, 2047}));

    // The same words unsigned: masked, never negative.
    DcmFileFormat unsigned12 = imageDataset(1, 4, 16, 12, 11, false);
    unsigned12.getDataset()->putAndInsertUint16Array(DCM_PixelData, words, 4);
    ASSERT_TRUE(unsigned12.saveFile((dir / "u12.dcm").c_str(), EXS_LittleEndianExplicit).good());
    EXPECT_EQ(decodeFrame(dir / "u12.dcm").values, (std::vector<std::int32_t>{5, 4095, 2048, 2047}));

    // HighBit above BitsStored − 1: the value sits in the upper bits.
    DcmFileFormat high = imageDataset(1, 2, 16, 12, 15, true);
    const Uint16 upper[2] = {Uint16(0xFFF0 | 0x000F), Uint16(0x0010)};  // −1 and 1, junk in the low nibble
    high.getDataset()->putAndInsertUint16Array(DCM_PixelData, upper, 2);
    ASSERT_TRUE(high.saveFile((dir / "h.dcm").c_str(), EXS_LittleEndianExplicit).good());
    EXPECT_EQ(decodeFrame(dir / "h.dcm").values, (std::vector<std::int32_t>{-1, 1}));

    // 8 bit and 32 bit.
    DcmFileFormat eight = imageDataset(1, 3, 8, 8, 7, true);
    const Uint8 bytes[4] = {0x80, 0x7F, 0xFF, 0};
    eight.getDataset()->putAndInsertUint8Array(DCM_PixelData, bytes, 4);
    ASSERT_TRUE(eight.saveFile((dir / "8.dcm").c_str(), EXS_LittleEndianExplicit).good());
    EXPECT_EQ(decodeFrame(dir / "8.dcm").values, (std::vector<std::int32_t>{-128, 127, -1}));
    DcmFileFormat wide = imageDataset(1, 2, 32, 32, 31, true);
    const Uint32 longs[2] = {0xFFFFFFFEu, 1234567u};
    wide.getDataset()->putAndInsertUint8Array(DCM_PixelData, reinterpret_cast<const Uint8*>(longs), 8);
    ASSERT_TRUE(wide.saveFile((dir / "32.dcm").c_str(), EXS_LittleEndianExplicit).good());
    EXPECT_EQ(decodeFrame(dir / "32.dcm").values, (std::vector<std::int32_t>{-2, 1234567}));
}

// ---------------------------------------------------------------------------------------------------------------
// Failures: the file, the syntax, the reason

TEST(PixelDecoder, UndecodableSyntaxNamesFileAndUid)
{
    TempDir dir;
    // MPEG-2 video: no decoder, said so.
    expectErrorMentions(writeEncapsulated(dir / "mpeg2.dcm", EXS_MPEG2MainProfileAtMainLevel, {0, 0, 1, 0xB3}),
                        {"transfer syntax 1.2.840.10008.1.2.4.100 (", "cannot be decoded", "video"});
    // A JPEG 2000 fragment that is not a codestream: OpenJPEG's refusal, with the syntax.
    expectErrorMentions(writeEncapsulated(dir / "j2k.dcm", EXS_JPEG2000LosslessOnly, std::vector<Uint8>(64, 0x42)),
                        {"transfer syntax 1.2.840.10008.1.2.4.90 (JPEG 2000", "cannot be decoded", "OpenJPEG"});
    // A JPEG baseline fragment that is not JPEG: DCMTK's codec refuses, same message shape.
    expectErrorMentions(writeEncapsulated(dir / "jpeg.dcm", EXS_JPEGProcess14SV1, std::vector<Uint8>(64, 0x42)),
                        {"transfer syntax 1.2.840.10008.1.2.4.70 (", "cannot be decoded"});
}

TEST(PixelDecoder, BrokenFilesAreErrorsNamingTheFile)
{
    TempDir dir;
    std::ofstream(dir / "empty.dcm").flush();
    expectErrorMentions(dir / "empty.dcm", {"empty file"});
    std::ofstream(dir / "text.txt") << "hello, this is certainly not a DICOM file but a line of text\n";
    EXPECT_THROW(decodeFrame(dir / "text.txt"), NotDicomError);
    expectErrorMentions(dir / "missing.dcm", {"no such file"});

    DcmFileFormat noPixels = imageDataset(4, 4, 16, 16, 15, false);
    ASSERT_TRUE(noPixels.saveFile((dir / "nopixels.dcm").c_str(), EXS_LittleEndianExplicit).good());
    expectErrorMentions(dir / "nopixels.dcm", {"missing Pixel Data"});

    // A 64×64 image cut in the middle of its pixel data.
    DcmFileFormat whole = imageDataset(64, 64, 16, 16, 15, false);
    std::vector<Uint16> words(64 * 64, 1000);
    whole.getDataset()->putAndInsertUint16Array(DCM_PixelData, words.data(), words.size());
    ASSERT_TRUE(whole.saveFile((dir / "whole.dcm").c_str(), EXS_LittleEndianExplicit).good());
    fs::copy_file(dir / "whole.dcm", dir / "cut.dcm");
    fs::resize_file(dir / "cut.dcm", fs::file_size(dir / "whole.dcm") - 3000);
    EXPECT_EQ(decodeFrame(dir / "whole.dcm").values.size(), 64u * 64u);
    expectErrorMentions(dir / "cut.dcm", {});
}

TEST(PixelDecoderRealData, TruncatedRealFileIsAnError)
{
    CONSILIUM_REQUIRE_SHARED("dicom/single/pydicom/CT_small.dcm");
    TempDir dir;
    fs::copy_file(single("pydicom/CT_small.dcm"), dir / "ct.dcm");
    fs::resize_file(dir / "ct.dcm", fs::file_size(dir / "ct.dcm") / 2);
    expectErrorMentions(dir / "ct.dcm", {});
}

TEST(PixelDecoder, SyntaxNames)
{
    EXPECT_EQ(transferSyntaxName("1.2.840.10008.1.2.4.201"),
              "High-Throughput JPEG 2000 Image Compression (Lossless Only)");
    EXPECT_NE(transferSyntaxName("1.2.840.10008.1.2.4.90").find("JPEG 2000"), std::string::npos);
    EXPECT_EQ(transferSyntaxName("1.2.3.4.5"), "unknown transfer syntax");
    for (const char* uid : {"1.2.840.10008.1.2.4.90", "1.2.840.10008.1.2.4.91", "1.2.840.10008.1.2.4.201",
                            "1.2.840.10008.1.2.4.202", "1.2.840.10008.1.2.4.203"})
        EXPECT_TRUE(isJpeg2000Syntax(uid)) << uid;
    EXPECT_FALSE(isJpeg2000Syntax("1.2.840.10008.1.2.4.80"));
}

}  // namespace
}  // namespace consilium::imaging
