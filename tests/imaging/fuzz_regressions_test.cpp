// Every input in tests/fuzz/regressions/ once broke the DICOM reader (tests/fuzz/regressions/README.md says how).
// Here each one goes through the three public entry points a user's file reaches — the header reader, the pixel
// decoder and `inspect` — in the ordinary build: a consilium::Error naming the file, or success, never anything else.
#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmdata/dcuid.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "imaging/dicom_instance.h"
#include "imaging/dicom_paths.h"
#include "imaging/inspect.h"
#include "imaging/pixel_decoder.h"
#include "model/error.h"
#include "support.h"

namespace consilium::imaging {
namespace {

namespace fs = std::filesystem;

std::vector<std::string> regressionInputs()
{
    std::vector<std::string> names;
    for (const auto& entry : fs::directory_iterator(CONSILIUM_FUZZ_REGRESSIONS))
        if (entry.path().extension() == ".dcm")
            names.push_back(entry.path().filename().string());
    std::sort(names.begin(), names.end());
    return names;
}

fs::path input(const std::string& name) { return fs::path(CONSILIUM_FUZZ_REGRESSIONS) / name; }

class FuzzRegression : public ::testing::TestWithParam<std::string> {};

TEST_P(FuzzRegression, HeaderReaderFailsWithTheFileNamed)
{
    try {
        readDicomInstance(input(GetParam()));
    } catch (const Error& e) {
        EXPECT_EQ(e.subject(), input(GetParam()).string());
        EXPECT_FALSE(e.reason().empty());
    }
}

TEST_P(FuzzRegression, PixelDecoderRefusesWithoutAllocatingWhatTheHeaderClaims)
{
    try {
        const DecodedFrame frame = decodeFrame(input(GetParam()), 0);
        EXPECT_EQ(frame.values.size(), frame.format.samplesPerFrame());
    } catch (const Error& e) {
        EXPECT_EQ(e.subject(), input(GetParam()).string());
        EXPECT_FALSE(e.reason().empty());
    }
}

TEST_P(FuzzRegression, InspectReportsInsteadOfThrowing)
{
    const InspectReport report = inspect({input(GetParam())});
    EXPECT_EQ(report.series.size() + report.skipped + report.errors.size() > 0, true);
}

INSTANTIATE_TEST_SUITE_P(Inputs, FuzzRegression, ::testing::ValuesIn(regressionInputs()), [](const auto& info) {
    std::string name = info.param.substr(0, info.param.size() - 4);
    std::replace(name.begin(), name.end(), '-', '_');
    return name;
});

// The bugs each input stood for, with the reason a user now reads.
std::string decodeFailure(const std::string& name)
{
    try {
        decodeFrame(fs::path(name).is_absolute() ? fs::path(name) : input(name), 0);
    } catch (const Error& e) {
        return e.reason();
    }
    return "decoded";
}

TEST(FuzzRegressionReasons, HugeDimensionsAreRefusedBeforeAnyBufferIsSized)
{
    EXPECT_NE(decodeFailure("pixel-huge-dimensions-without-data.dcm").find("larger than Consilium reads"),
              std::string::npos);
}

TEST(FuzzRegressionReasons, FrameSizeThatWrapsDcmtksUint32IsRefused)
{
    EXPECT_NE(decodeFailure("pixel-frame-size-wraps-uint32.dcm").find("larger than Consilium reads"),
              std::string::npos);
}

TEST(FuzzRegressionReasons, JpegSizMarkerIsComparedWithTheHeaderBeforeDecoding)
{
    for (const char* name : {"openjpeg-siz-wider-than-header.dcm", "openjpeg-siz-taller-than-header.dcm"}) {
        const std::string reason = decodeFailure(name);
        EXPECT_NE(reason.find("the header says 256×1024"), std::string::npos) << name << ": " << reason;
    }
}

TEST(FuzzRegressionReasons, MalformedDicomdirIsAProblemNamingIt)
{
    testing::TempDir dir;
    fs::copy_file(input("dicomdir-record-type-throws.dcm"), dir / "DICOMDIR");
    const GatheredFiles gathered = gatherDicomFiles({dir / "DICOMDIR"});
    EXPECT_TRUE(gathered.files.empty());
    ASSERT_EQ(gathered.problems.size(), 1u);
    EXPECT_EQ(gathered.problems[0].first, (dir / "DICOMDIR").string());
    EXPECT_NE(gathered.problems[0].second.find("DICOMDIR"), std::string::npos) << gathered.problems[0].second;

    const InspectReport report = inspect({dir / "DICOMDIR"});
    ASSERT_EQ(report.errors.size(), 1u);
    EXPECT_EQ(report.errors[0].first, (dir / "DICOMDIR").string());
}

// A native frame longer than its Pixel Data: refused as truncated before the output is sized from the header.
TEST(FuzzRegressionReasons, NativePixelDataShorterThanTheFrameIsTruncated)
{
    testing::TempDir dir;
    DcmFileFormat fileFormat;
    DcmDataset& ds = *fileFormat.getDataset();
    char uid[100];
    ds.putAndInsertString(DCM_SOPClassUID, UID_CTImageStorage);
    ds.putAndInsertString(DCM_SOPInstanceUID, dcmGenerateUniqueIdentifier(uid));
    ds.putAndInsertString(DCM_PhotometricInterpretation, "MONOCHROME2");
    for (const auto& [tag, value] : {std::pair{DCM_Rows, 64},
                                     {DCM_Columns, 64},
                                     {DCM_SamplesPerPixel, 1},
                                     {DCM_BitsAllocated, 16},
                                     {DCM_BitsStored, 12},
                                     {DCM_HighBit, 11},
                                     {DCM_PixelRepresentation, 0}})
        ds.putAndInsertUint16(tag, Uint16(value));
    const std::vector<Uint16> words(100, 7);  // 200 bytes of the 8192 one frame needs
    ds.putAndInsertUint16Array(DCM_PixelData, words.data(), words.size());
    const fs::path file = dir / "short.dcm";
    ASSERT_TRUE(fileFormat.saveFile(file.c_str(), EXS_LittleEndianExplicit).good());
    const std::string reason = decodeFailure(file.string());
    EXPECT_NE(reason.find("truncated"), std::string::npos) << reason;
    EXPECT_NE(reason.find("8192"), std::string::npos) << reason;
}

// A DICOMDIR whose Referenced File ID climbs out of its folder ("..\OUTSIDE\SECRET1"): the record is skipped with a
// problem naming the DICOMDIR, and the file beside the media is never read (found reviewing the DICOMDIR fuzz target).
TEST(FuzzRegressionReasons, DicomdirRecordOutsideItsFolderIsRefused)
{
    CONSILIUM_REQUIRE_SHARED("dicom/dicomdir/pydicom_dicomdirtests/DICOMDIR");
    testing::TempDir dir;
    fs::create_directories(dir / "media");
    fs::copy(testing::sharedData() / "dicom/dicomdir/pydicom_dicomdirtests", dir / "media",
             fs::copy_options::recursive);
    fs::create_directories(dir / "OUTSIDE");
    DcmFileFormat fileFormat;
    ASSERT_TRUE(fileFormat.loadFile((dir / "media/DICOMDIR").c_str()).good());
    DcmSequenceOfItems* records = nullptr;
    ASSERT_TRUE(fileFormat.getDataset()->findAndGetSequence(DCM_DirectoryRecordSequence, records).good());
    // The first record that references a file: point it outside, at a copy of the file it named.
    std::size_t changed = 0;
    for (unsigned long i = 0; i < records->card() && changed == 0; ++i) {
        OFString id;
        if (records->getItem(i)->findAndGetOFStringArray(DCM_ReferencedFileID, id).good() && !id.empty()) {
            std::string path = id.c_str();
            std::replace(path.begin(), path.end(), '\\', '/');
            fs::copy_file(dir / "media" / path, dir / "OUTSIDE/SECRET1");
            ASSERT_TRUE(records->getItem(i)->putAndInsertString(DCM_ReferencedFileID, "..\\OUTSIDE\\SECRET1").good());
            changed = i + 1;
        }
    }
    ASSERT_GT(changed, 0u);
    // As it was read: updating the meta header would take the SOP class from the dataset, which a DICOMDIR has not.
    ASSERT_TRUE(fileFormat
                    .saveFile((dir / "media/DICOMDIR").c_str(), EXS_Unknown, EET_UndefinedLength, EGL_recalcGL,
                              EPD_noChange, 0, 0, EWM_dontUpdateMeta)
                    .good());

    const GatheredFiles gathered = gatherDicomFiles({dir / "media/DICOMDIR"});
    for (const fs::path& f : gathered.files)
        EXPECT_EQ(f.string().find("OUTSIDE"), std::string::npos) << f;
    bool named = false;
    for (const auto& [file, reason] : gathered.problems)
        named = named || (file == (dir / "media/DICOMDIR").string() && reason.find("outside") != std::string::npos);
    EXPECT_TRUE(named) << "a problem names the DICOMDIR and says the record points outside its folder";
    EXPECT_GT(gathered.files.size(), 10u) << "the other records are followed";
}

}  // namespace
}  // namespace consilium::imaging
