#include "imaging/series_preview.h"

#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmimgle/dcmimage.h>

#include <memory>

#include "imaging/dcmtk_setup.h"
#include "model/error.h"

namespace consilium::imaging {

GreyImage renderPreview(const std::filesystem::path& file, int maxSide)
{
    prepareDcmtk();
    DcmFileFormat fileFormat;
    if (OFCondition status = fileFormat.loadFile(file.c_str()); status.bad())
        throw Error(file.string(), std::string("cannot be read: ") + status.text());
    DcmDataset* dataset = fileFormat.getDataset();
    OFString modality;
    dataset->findAndGetOFString(DCM_Modality, modality);
    const std::string m = modality.c_str();
    DicomImage image(dataset, dataset->getOriginalXfer(), CIF_UsePartialAccessToPixelData, 0, 1);
    if (image.getStatus() != EIS_Normal)
        throw Error(file.string(), std::string("cannot be rendered: ") + DicomImage::getString(image.getStatus()));
    if (!image.isMonochrome())
        throw Error(file.string(), "is not a grey-scale image");

    if (image.getWindowCount() > 0)
        image.setWindow(0);
    else if (m == "CT")
        image.setWindow(40, 400);  // soft tissue (clinical-reference.md §4)
    else
        image.setMinMaxWindow(1);  // ignore extreme values
    if (m == "PT")
        image.setPolarity(EPP_Reverse);

    const double scale = double(maxSide) / double(std::max(image.getWidth(), image.getHeight()));
    const int w = std::max(1, int(image.getWidth() * std::min(1.0, scale)));
    const int h = std::max(1, int(image.getHeight() * std::min(1.0, scale)));
    std::unique_ptr<DicomImage> scaled(
        image.createScaledImage(static_cast<unsigned long>(w), static_cast<unsigned long>(h), 1 /* interpolate */, 0));
    DicomImage& out = scaled ? *scaled : image;
    GreyImage grey{int(out.getWidth()), int(out.getHeight()), {}};
    grey.pixels.resize(std::size_t(grey.width) * std::size_t(grey.height));
    if (!out.getOutputData(grey.pixels.data(), grey.pixels.size(), 8))
        throw Error(file.string(), "pixel data could not be decoded");
    return grey;
}

}  // namespace consilium::imaging
