#include "imaging/dicom_instance.h"

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmdata/dcuid.h>
#include <dcmtk/oflog/oflog.h>
#include <gtest/gtest.h>

#include <fstream>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "model/error.h"
#include "support.h"

using consilium::Error;
using consilium::imaging::readDicomInstance;
using consilium::testing::sharedData;
using consilium::testing::TempDir;
namespace fs = std::filesystem;

namespace {

std::string readBytes(const fs::path& file)
{
    std::ifstream in(file, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void writeBytes(const fs::path& file, const std::string& bytes)
{
    std::ofstream(file, std::ios::binary).write(bytes.data(), std::streamsize(bytes.size()));
}

// readDicomInstance must refuse `file` with consilium::Error naming the file and saying why.
void expectRejected(const fs::path& file, const std::string& because)
{
    try {
        readDicomInstance(file);
        ADD_FAILURE() << file << " was accepted";
    } catch (const Error& e) {
        EXPECT_EQ(e.subject(), file.string());
        EXPECT_NE(e.reason().find(because), std::string::npos) << "reason: " << e.reason();
    }
}

// Bad input makes DCMTK log parse errors; they are expected here and would only clutter the test output.
class QuietDcmtk : public ::testing::Test {
protected:
    void SetUp() override
    {
        saved_ = logger().getChainedLogLevel();  // the effective level, inherited or set
        logger().setLogLevel(OFLogger::OFF_LOG_LEVEL);
    }
    void TearDown() override { logger().setLogLevel(saved_); }
    static OFLogger logger() { return OFLog::getLogger("dcmtk.dcmdata"); }
    OFLogger::LogLevel saved_ = OFLogger::WARN_LOG_LEVEL;
};

}  // namespace

// ---------------------------------------------------------------------------------------------------------------
// Real files (README of ../shared/data gives the expected values)

TEST(ReadDicomInstance, StsCtOfThePetCt)
{
    const std::string rel = "dicom/series/STS_001_CT_cropped_GE-DiscoveryST/000000.dcm";
    CONSILIUM_REQUIRE_SHARED(rel);
    const auto d = readDicomInstance(sharedData() / rel);
    EXPECT_EQ(d.modality, "CT");
    EXPECT_EQ(d.rows, 202);
    EXPECT_EQ(d.columns, 198);
    ASSERT_TRUE(d.pixelSpacing);
    EXPECT_NEAR((*d.pixelSpacing)[0], 0.976562, 1e-9);
    EXPECT_NEAR((*d.pixelSpacing)[1], 0.976562, 1e-9);
    ASSERT_TRUE(d.sliceThickness);
    EXPECT_NEAR(*d.sliceThickness, 3.27, 1e-9);
    EXPECT_EQ(d.transferSyntaxUid, "1.2.840.10008.1.2");  // implicit VR little endian
    EXPECT_EQ(d.instanceNumber, 0);                       // this series starts at 0
    EXPECT_EQ(d.seriesNumber, 2);
    EXPECT_EQ(d.patientName, "STS_001");
    EXPECT_EQ(d.studyDate, "20000907");
    EXPECT_EQ(d.seriesDescription, "IBSI_1_STS_001_CT_image");
    EXPECT_EQ(d.studyDescription, "IBSI_1_STS_001_CT");
    EXPECT_EQ(d.sopClassUid, UID_CTImageStorage);
    EXPECT_EQ(d.numberOfFrames, 1);
    ASSERT_TRUE(d.imagePosition);
    EXPECT_NEAR((*d.imagePosition)[0], -23.437616, 1e-6);
    EXPECT_NEAR((*d.imagePosition)[2], -881.32, 1e-6);
    ASSERT_TRUE(d.imageOrientation);
    EXPECT_EQ(*d.imageOrientation, (std::array<double, 6>{1, 0, 0, 0, 1, 0}));
}

TEST(ReadDicomInstance, StsPetSharesStudyAndFrameOfReferenceWithItsCt)
{
    const std::string pt = "dicom/series/STS_001_PT_FDG_GE-DiscoveryST/1-001.dcm";
    const std::string ct = "dicom/series/STS_001_CT_cropped_GE-DiscoveryST/000000.dcm";
    CONSILIUM_REQUIRE_SHARED(pt);
    CONSILIUM_REQUIRE_SHARED(ct);
    const auto pet = readDicomInstance(sharedData() / pt);
    const auto cti = readDicomInstance(sharedData() / ct);
    EXPECT_EQ(pet.modality, "PT");
    EXPECT_EQ(pet.rows, 128);
    EXPECT_EQ(pet.columns, 128);
    ASSERT_TRUE(pet.pixelSpacing);
    EXPECT_DOUBLE_EQ((*pet.pixelSpacing)[0], 4.6875);
    EXPECT_EQ(pet.seriesDescription, "PET AC");
    EXPECT_EQ(pet.sopClassUid, UID_PositronEmissionTomographyImageStorage);
    EXPECT_EQ(pet.studyInstanceUid, cti.studyInstanceUid);
    EXPECT_EQ(pet.frameOfReferenceUid, cti.frameOfReferenceUid);
    EXPECT_NE(pet.seriesInstanceUid, cti.seriesInstanceUid);
    EXPECT_FALSE(pet.frameOfReferenceUid.empty());
}

TEST(ReadDicomInstance, WholePetSeriesIsOneSeriesOf267DistinctInstances)
{
    const fs::path dir = sharedData() / "dicom/series/STS_001_PT_FDG_GE-DiscoveryST";
    CONSILIUM_REQUIRE_SHARED("dicom/series/STS_001_PT_FDG_GE-DiscoveryST/1-267.dcm");
    std::set<std::string> series, sops;
    std::set<int> instances;
    for (const auto& entry : fs::directory_iterator(dir)) {
        const auto d = readDicomInstance(entry.path());
        series.insert(d.seriesInstanceUid);
        sops.insert(d.sopInstanceUid);
        instances.insert(d.instanceNumber);
    }
    EXPECT_EQ(series.size(), 1u);
    EXPECT_EQ(sops.size(), 267u);
    EXPECT_EQ(instances.size(), 267u);
}

TEST(ReadDicomInstance, ObliqueMrWithItsOwnStudy)
{
    const std::string rel = "dicom/series/STS_001_MR_T2FS_Siemens-Avanto/1-01.dcm";
    CONSILIUM_REQUIRE_SHARED(rel);
    const auto d = readDicomInstance(sharedData() / rel);
    EXPECT_EQ(d.modality, "MR");
    EXPECT_EQ(d.rows, 384);
    EXPECT_EQ(d.columns, 384);
    ASSERT_TRUE(d.pixelSpacing);
    EXPECT_DOUBLE_EQ((*d.pixelSpacing)[1], 0.5234375);
    ASSERT_TRUE(d.sliceThickness);
    EXPECT_DOUBLE_EQ(*d.sliceThickness, 4.0);
    EXPECT_EQ(d.seriesNumber, 10);
    EXPECT_EQ(d.studyDescription, "^THIGH");
    ASSERT_TRUE(d.imageOrientation);
    EXPECT_NEAR((*d.imageOrientation)[0], 0.99999259, 1e-9);  // slightly oblique
    EXPECT_NE((*d.imageOrientation)[2], 0.0);
}

TEST(ReadDicomInstance, CrlmCtStartsAtInstance45)
{
    const std::string rel = "dicom/series/CRLM-CT-1004_CT_GE-LightSpeed16/1-01.dcm";
    CONSILIUM_REQUIRE_SHARED(rel);
    const auto d = readDicomInstance(sharedData() / rel);
    EXPECT_EQ(d.transferSyntaxUid, "1.2.840.10008.1.2.1");
    EXPECT_EQ(d.rows, 512);
    EXPECT_EQ(d.instanceNumber, 45);
    ASSERT_TRUE(d.pixelSpacing);
    EXPECT_DOUBLE_EQ((*d.pixelSpacing)[0], 0.796875);
    ASSERT_TRUE(d.sliceThickness);
    EXPECT_DOUBLE_EQ(*d.sliceThickness, 5.0);
    EXPECT_EQ(d.studyDescription, "CT CH/ABD/PEL W/ CONTRAST");
    EXPECT_EQ(d.patientId.empty(), false);
}

struct TransferSyntaxCase {
    const char* file;  // under dicom/single
    const char* uid;
    int rows, columns;
};

class TransferSyntaxes : public ::testing::TestWithParam<TransferSyntaxCase> {};

TEST_P(TransferSyntaxes, ReportedAsTheUidInTheMetaHeader)
{
    const auto& c = GetParam();
    const std::string rel = std::string("dicom/single/") + c.file;
    CONSILIUM_REQUIRE_SHARED(rel);
    const auto d = readDicomInstance(sharedData() / rel);
    EXPECT_EQ(d.transferSyntaxUid, c.uid);
    EXPECT_EQ(d.rows, c.rows);
    EXPECT_EQ(d.columns, c.columns);
    EXPECT_FALSE(d.sopInstanceUid.empty());
}

INSTANTIATE_TEST_SUITE_P(
    RealFiles, TransferSyntaxes,
    ::testing::Values(TransferSyntaxCase{"pydicom/MR_small_implicit.dcm", "1.2.840.10008.1.2", 64, 64},
                      TransferSyntaxCase{"pydicom/MR_small.dcm", "1.2.840.10008.1.2.1", 64, 64},
                      TransferSyntaxCase{"pydicom/MR_small_bigendian.dcm", "1.2.840.10008.1.2.2", 64, 64},
                      TransferSyntaxCase{"pydicom/image_dfl.dcm", "1.2.840.10008.1.2.1.99", 512, 512},
                      TransferSyntaxCase{"pydicom/MR_small_RLE.dcm", "1.2.840.10008.1.2.5", 64, 64},
                      TransferSyntaxCase{"pydicom/MR_small_jpeg_ls_lossless.dcm", "1.2.840.10008.1.2.4.80", 64, 64},
                      TransferSyntaxCase{"pydicom/MR_small_jp2klossless.dcm", "1.2.840.10008.1.2.4.90", 64, 64},
                      TransferSyntaxCase{"pydicom/JPEG2000.dcm", "1.2.840.10008.1.2.4.91", 1024, 256},
                      TransferSyntaxCase{"pydicom-data/JPEG-LL.dcm", "1.2.840.10008.1.2.4.70", 1024, 256},
                      TransferSyntaxCase{"orthanc-ts/1.2.840.10008.1.2.4.50.dcm", "1.2.840.10008.1.2.4.50", 480, 640},
                      TransferSyntaxCase{"orthanc-ts/1.2.840.10008.1.2.4.57.dcm", "1.2.840.10008.1.2.4.57", 1024, 1024},
                      TransferSyntaxCase{"orthanc-ts/1.2.840.10008.1.2.4.81.dcm", "1.2.840.10008.1.2.4.81", 512, 512},
                      TransferSyntaxCase{"dcm_qa_ts/9.dcm", "1.2.840.10008.1.2.4.90", 384, 384}));

// pydicom's HTJ2K sample is a codec test file: no study or series at all, so it cannot be indexed as it is.
TEST(ReadDicomInstance, HtJ2kSampleWithoutStudyIsRefusedByName)
{
    const std::string rel = "dicom/single/pydicom-data/HTJ2K_08_RGB.dcm";
    CONSILIUM_REQUIRE_SHARED(rel);
    expectRejected(sharedData() / rel, "missing StudyInstanceUID");
}

namespace {

// An explicit-VR-little-endian UI element, padded to even length.
std::string uiElement(std::uint16_t group, std::uint16_t element, std::string uid)
{
    if (uid.size() % 2)
        uid += '\0';
    std::string e;
    for (std::uint16_t v : {group, element})
        e += {char(v & 0xff), char(v >> 8)};
    e += "UI";
    e += {char(uid.size() & 0xff), char(uid.size() >> 8)};
    return e + uid;
}

}  // namespace

// The same HTJ2K file given a study and series (inserted byte-wise after SOPInstanceUID, because DCMTK 3.6.7 would
// rewrite the transfer syntax it does not know): the UID text of (0002,0010) comes through.
TEST(ReadDicomInstance, HtJ2kTransferSyntaxThatDcmtkDoesNotKnow)
{
    const std::string rel = "dicom/single/pydicom-data/HTJ2K_08_RGB.dcm";
    CONSILIUM_REQUIRE_SHARED(rel);
    std::string bytes = readBytes(sharedData() / rel);
    const std::string sopInstanceTag("\x08\x00\x18\x00UI", 6);
    const std::size_t at =
        bytes.find(sopInstanceTag, 132);  // the first one is in the dataset: meta tags are (0002,xxxx)
    ASSERT_NE(at, std::string::npos);
    const std::size_t length = std::uint8_t(bytes[at + 6]) | std::uint8_t(bytes[at + 7]) << 8;
    bytes.insert(at + 8 + length, uiElement(0x0020, 0x000d, "1.2.826.0.1.3680043.8.498.1") +
                                      uiElement(0x0020, 0x000e, "1.2.826.0.1.3680043.8.498.2"));
    TempDir dir;
    writeBytes(dir / "htj2k.dcm", bytes);
    const auto d = readDicomInstance(dir / "htj2k.dcm");
    EXPECT_EQ(d.transferSyntaxUid, "1.2.840.10008.1.2.4.203");
    EXPECT_EQ(d.rows, 480);
    EXPECT_EQ(d.columns, 640);
    EXPECT_EQ(d.studyInstanceUid, "1.2.826.0.1.3680043.8.498.1");
}

TEST(ReadDicomInstance, NestedIconDoesNotHideTheImageSize)
{
    const std::string rel = "dicom/single/pet/ACRIN-FLT-Breast_029_PT.dcm";
    CONSILIUM_REQUIRE_SHARED(rel);
    const auto d = readDicomInstance(sharedData() / rel);
    EXPECT_EQ(d.rows, 168);  // the 64 x 64 IconImageSequence inside must not be taken
    EXPECT_EQ(d.columns, 168);
    EXPECT_EQ(d.modality, "PT");
}

TEST(ReadDicomInstance, WholeSlideGeometryFromSharedFunctionalGroups)
{
    const std::string rel = "dicom/wsi/WG26_BPAEC_5_0.dcm";
    CONSILIUM_REQUIRE_SHARED(rel);
    const auto d = readDicomInstance(sharedData() / rel);
    EXPECT_EQ(d.modality, "SM");
    EXPECT_EQ(d.numberOfFrames, 27);
    EXPECT_EQ(d.rows, 1024);
    ASSERT_TRUE(d.pixelSpacing);  // only in SharedFunctionalGroupsSequence > PixelMeasuresSequence
    EXPECT_DOUBLE_EQ((*d.pixelSpacing)[0], 0.00129);
    ASSERT_TRUE(d.sliceThickness);
    EXPECT_DOUBLE_EQ(*d.sliceThickness, 0.0006);
    EXPECT_EQ(d.transferSyntaxUid, "1.2.840.10008.1.2.4.50");
}

TEST(ReadDicomInstance, WholeSlideWithoutPixelSpacingHasNone)
{
    const std::string rel = "dicom/wsi/pathml_small_dicom_TCGA-XK-AAJU.dcm";
    CONSILIUM_REQUIRE_SHARED(rel);
    const auto d = readDicomInstance(sharedData() / rel);
    EXPECT_EQ(d.numberOfFrames, 42);
    EXPECT_EQ(d.rows, 500);
    EXPECT_FALSE(d.pixelSpacing);
    EXPECT_FALSE(d.imagePosition);
}

struct CharsetCase {
    const char* file;  // under dicom/single/charset
    const char* utf8Name;
};

class PatientNameCharsets : public ::testing::TestWithParam<CharsetCase> {};

TEST_P(PatientNameCharsets, DecodedToUtf8)
{
    const std::string rel = std::string("dicom/single/charset/") + GetParam().file;
    CONSILIUM_REQUIRE_SHARED(rel);
    EXPECT_EQ(readDicomInstance(sharedData() / rel).patientName, GetParam().utf8Name);
}

INSTANTIATE_TEST_SUITE_P(ClunieSamples, PatientNameCharsets,
                         ::testing::Values(CharsetCase{"SCSGREEK", "Διονυσιος"},            // ISO_IR 126
                                           CharsetCase{"SCSARAB", "قباني^لنزار"},           // ISO_IR 127
                                           CharsetCase{"SCSX2", "Wang^XiaoDong=王^小东="},  // GB18030
                                           // ISO 2022 IR 87 (DCMTK + glibc refuse it; decoded via ISO-2022-JP-2)
                                           CharsetCase{"SCSH31", "Yamada^Tarou=山田^太郎=やまだ^たろう"}));

TEST(ReadDicomInstance, DicomdirIsNotAnImage)
{
    const std::string rel = "dicom/dicomdir/pydicom_dicomdirtests/DICOMDIR";
    CONSILIUM_REQUIRE_SHARED(rel);
    expectRejected(sharedData() / rel, "DICOMDIR");
}

// ---------------------------------------------------------------------------------------------------------------
// Bad input: always consilium::Error with the path as subject, never a crash

using BadInput = QuietDcmtk;

TEST_F(BadInput, MissingFileEmptyFileAndDirectory)
{
    TempDir dir;
    expectRejected(dir / "absent.dcm", "no such file");
    writeBytes(dir / "empty.dcm", "");
    expectRejected(dir / "empty.dcm", "empty file");
    expectRejected(dir.path(), "is a directory");
}

TEST_F(BadInput, TextAndRandomBytesAreNotDicom)
{
    TempDir dir;
    writeBytes(dir / "notes.txt", "Tumour board minutes, 25 November\n");
    expectRejected(dir / "notes.txt", "not a DICOM file (no DICM preamble and no parsable dataset)");
    std::mt19937 random(20261125);
    for (std::size_t size : {1u, 7u, 131u, 132u, 1000u, 65536u, 300000u}) {
        std::string bytes(size, '\0');
        for (char& b : bytes)
            b = char(random());
        const fs::path file = dir / ("random-" + std::to_string(size) + ".bin");
        writeBytes(file, bytes);
        expectRejected(file, "not a DICOM file");
    }
}

TEST_F(BadInput, RandomBytesAfterAPreambleAreCorrupt)
{
    TempDir dir;
    std::mt19937 random(7);
    for (int i = 0; i < 20; ++i) {
        std::string bytes(128, '\0');
        bytes += "DICM";
        for (int k = 0; k < 4000; ++k)
            bytes += char(random());
        const fs::path file = dir / ("junk-" + std::to_string(i) + ".dcm");
        writeBytes(file, bytes);
        expectRejected(file, "truncated or corrupt");
    }
}

TEST_F(BadInput, TruncatedRealFilesAreReportedWhereverTheyAreCut)
{
    for (const char* rel : {"dicom/series/CRLM-CT-1004_CT_GE-LightSpeed16/1-01.dcm",      // explicit VR
                            "dicom/series/STS_001_CT_cropped_GE-DiscoveryST/000000.dcm",  // implicit VR
                            "dicom/single/pydicom/MR_small_jp2klossless.dcm"}) {          // encapsulated
        CONSILIUM_REQUIRE_SHARED(rel);
        const std::string bytes = readBytes(sharedData() / rel);
        ASSERT_GT(bytes.size(), 5000u);
        TempDir dir;
        // Inside the meta header, inside the dataset, inside the pixel data, one byte short.
        std::vector<std::size_t> cuts{140, 400, 1500, bytes.size() / 2, bytes.size() - 1};
        for (std::size_t cut = 133; cut < bytes.size(); cut += 977)
            cuts.push_back(cut);
        for (std::size_t cut : cuts) {
            const fs::path file = dir / ("cut-" + std::to_string(cut) + ".dcm");
            writeBytes(file, bytes.substr(0, cut));
            SCOPED_TRACE(std::string(rel) + " cut at " + std::to_string(cut));
            try {
                readDicomInstance(file);
                ADD_FAILURE() << "a truncated copy was accepted";
            } catch (const Error& e) {
                EXPECT_EQ(e.subject(), file.string());
                EXPECT_FALSE(e.reason().empty());
            }
        }
        // The untouched file still reads.
        writeBytes(dir / "whole.dcm", bytes);
        EXPECT_NO_THROW(readDicomInstance(dir / "whole.dcm"));
    }
}

TEST_F(BadInput, HalfAFileIsTruncatedOrCorrupt)
{
    const std::string rel = "dicom/series/CRLM-CT-1004_CT_GE-LightSpeed16/1-01.dcm";
    CONSILIUM_REQUIRE_SHARED(rel);
    TempDir dir;
    const std::string bytes = readBytes(sharedData() / rel);
    writeBytes(dir / "half.dcm", bytes.substr(0, bytes.size() / 2));  // cut inside the pixel data
    expectRejected(dir / "half.dcm", "truncated or corrupt: ");
}

namespace {

// A well-formed Part 10 file with the given identifying attributes (empty: left out).
void writeMinimalDicom(const fs::path& file, const std::string& sopInstance, const std::string& study,
                       const std::string& series, const char* sopClass = UID_EncapsulatedPDFStorage,
                       E_FileWriteMode mode = EWM_fileformat)
{
    DcmFileFormat ff;
    DcmDataset* ds = ff.getDataset();
    ds->putAndInsertString(DCM_SOPClassUID, sopClass);
    if (!sopInstance.empty())
        ds->putAndInsertString(DCM_SOPInstanceUID, sopInstance.c_str());
    if (!study.empty())
        ds->putAndInsertString(DCM_StudyInstanceUID, study.c_str());
    if (!series.empty())
        ds->putAndInsertString(DCM_SeriesInstanceUID, series.c_str());
    ds->putAndInsertString(DCM_Modality, "OT");
    ASSERT_TRUE(ff.saveFile(file.c_str(), mode == EWM_dataset ? EXS_LittleEndianImplicit : EXS_LittleEndianExplicit,
                            EET_UndefinedLength, EGL_recalcGL, EPD_noChange, 0, 0, mode)
                    .good());
}

}  // namespace

TEST_F(BadInput, MissingIdentifiersAreNamed)
{
    TempDir dir;
    writeMinimalDicom(dir / "no-sop.dcm", "", "1.2.3", "1.2.3.4");
    expectRejected(dir / "no-sop.dcm", "missing SOPInstanceUID");
    writeMinimalDicom(dir / "no-study.dcm", "1.2.3.4.5", "", "1.2.3.4");
    expectRejected(dir / "no-study.dcm", "missing StudyInstanceUID");
    writeMinimalDicom(dir / "no-series.dcm", "1.2.3.4.5", "1.2.3", "");
    expectRejected(dir / "no-series.dcm", "missing SeriesInstanceUID");
    // A file that ends right before its pixel data parses cleanly, but an image needs pixels.
    writeMinimalDicom(dir / "no-pixels.dcm", "1.2.3.4.5", "1.2.3", "1.2.3.4", UID_SecondaryCaptureImageStorage);
    expectRejected(dir / "no-pixels.dcm", "truncated or corrupt: an image without pixel data");
    // A document is an instance without pixels.
    writeMinimalDicom(dir / "document.dcm", "1.2.3.4.5", "1.2.3", "1.2.3.4");
    const auto d = readDicomInstance(dir / "document.dcm");
    EXPECT_EQ(d.sopInstanceUid, "1.2.3.4.5");
    EXPECT_EQ(d.sopClassUid, UID_EncapsulatedPDFStorage);
    EXPECT_EQ(d.modality, "OT");
    EXPECT_EQ(d.rows, 0);
    EXPECT_FALSE(d.pixelSpacing);
}

// Old exports without preamble or meta header are still DICOM: the transfer syntax is what DCMTK detected.
TEST_F(BadInput, BareDatasetWithoutPreambleIsRead)
{
    TempDir dir;
    writeMinimalDicom(dir / "bare.dcm", "1.2.3.4.5", "1.2.3", "1.2.3.4", UID_EncapsulatedPDFStorage, EWM_dataset);
    ASSERT_EQ(readBytes(dir / "bare.dcm").find("DICM"), std::string::npos);
    const auto d = readDicomInstance(dir / "bare.dcm");
    EXPECT_EQ(d.sopInstanceUid, "1.2.3.4.5");
    EXPECT_EQ(d.transferSyntaxUid, UID_LittleEndianImplicitTransferSyntax);
}
