#pragma once
// An Enhanced CT multi-frame file built with DCMTK, for the header (series_geometry_test) and volume (volume_test)
// tests: 2 columns × 3 rows, frames stored in the given order with their own z and rescale slope, stored value of
// frame f, pixel i = 100 f + i, intercept −1000, pixel spacing 0.5 (rows) × 0.25 (columns) mm, 1.5 mm thick.
#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmdata/dcuid.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

namespace consilium::testing {

// Writes an Enhanced CT-like multi-frame file: frames stored in a shuffled order, geometry and rescale per frame.
inline std::filesystem::path writeEnhanced(const std::filesystem::path& file, const std::vector<double>& frameZ,
                                           const std::vector<double>& slopes)
{
    DcmFileFormat fileFormat;
    DcmDataset& ds = *fileFormat.getDataset();
    ds.putAndInsertString(DCM_SOPClassUID, UID_EnhancedCTImageStorage);
    ds.putAndInsertString(DCM_SOPInstanceUID, "1.2.826.0.1.3680043.10.999.1.1");
    ds.putAndInsertString(DCM_StudyInstanceUID, "1.2.826.0.1.3680043.10.999.2");
    ds.putAndInsertString(DCM_SeriesInstanceUID, "1.2.826.0.1.3680043.10.999.3");
    ds.putAndInsertString(DCM_Modality, "CT");
    ds.putAndInsertString(DCM_ImageType, "ORIGINAL\\PRIMARY\\AXIAL\\NONE");
    ds.putAndInsertUint16(DCM_Rows, 3);
    ds.putAndInsertUint16(DCM_Columns, 2);
    ds.putAndInsertUint16(DCM_SamplesPerPixel, 1);
    ds.putAndInsertString(DCM_PhotometricInterpretation, "MONOCHROME2");
    ds.putAndInsertUint16(DCM_BitsAllocated, 16);
    ds.putAndInsertUint16(DCM_BitsStored, 16);
    ds.putAndInsertUint16(DCM_HighBit, 15);
    ds.putAndInsertUint16(DCM_PixelRepresentation, 1);
    ds.putAndInsertString(DCM_NumberOfFrames, std::to_string(frameZ.size()).c_str());
    DcmItem* shared = nullptr;
    ds.findOrCreateSequenceItem(DCM_SharedFunctionalGroupsSequence, shared, 0);
    DcmItem* item = nullptr;
    shared->findOrCreateSequenceItem(DCM_PlaneOrientationSequence, item, 0);
    item->putAndInsertString(DCM_ImageOrientationPatient, "1\\0\\0\\0\\1\\0");
    shared->findOrCreateSequenceItem(DCM_PixelMeasuresSequence, item, 0);
    item->putAndInsertString(DCM_PixelSpacing, "0.5\\0.25");
    item->putAndInsertString(DCM_SliceThickness, "1.5");
    std::vector<Sint16> pixels;
    for (std::size_t f = 0; f < frameZ.size(); ++f) {
        DcmItem* frame = nullptr;
        ds.findOrCreateSequenceItem(DCM_PerFrameFunctionalGroupsSequence, frame, -2);
        frame->findOrCreateSequenceItem(DCM_PlanePositionSequence, item, 0);
        item->putAndInsertString(DCM_ImagePositionPatient, ("7\\8\\" + std::to_string(frameZ[f])).c_str());
        frame->findOrCreateSequenceItem(DCM_PixelValueTransformationSequence, item, 0);
        item->putAndInsertString(DCM_RescaleSlope, std::to_string(slopes[f]).c_str());
        item->putAndInsertString(DCM_RescaleIntercept, "-1000");
        frame->findOrCreateSequenceItem(DCM_FrameContentSequence, item, 0);
        item->putAndInsertUint32(DCM_TemporalPositionIndex, 1);
        for (int i = 0; i < 6; ++i)
            pixels.push_back(Sint16(100 * int(f) + i));  // frame f, pixel i: stored value 100 f + i
    }
    ds.putAndInsertUint16Array(DCM_PixelData, reinterpret_cast<const Uint16*>(pixels.data()), pixels.size());
    const OFCondition saved = fileFormat.saveFile(file.c_str(), EXS_LittleEndianExplicit);
    EXPECT_TRUE(saved.good()) << saved.text();
    return file;
}

}  // namespace consilium::testing
