#include "imaging/measurement_sr.h"

#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmsr/cmr/tid1500.h>
#include <dcmtk/dcmsr/codes/dcm.h>
#include <dcmtk/dcmsr/codes/sct.h>
#include <dcmtk/dcmsr/dsrdoc.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <memory>
#include <optional>
#include <sstream>

#include "imaging/dcmtk_setup.h"
#include "imaging/roi_statistics.h"
#include "model/error.h"
#include "store/case_files.h"
#include "store/measurement_repository.h"

namespace consilium::imaging {
using model::Measurement;
using model::MeasurementKind;

namespace {

using Group = CMR_TID1501_in_TID1500;
using Value = Group::MeasurementValue;

// What DICOM needs of a source image: the dataset (library entry, evidence) and its pixel geometry (SCOORD).
struct SourceImage {
    std::unique_ptr<DcmFileFormat> file;
    std::string studyUid;
    std::string seriesUid;
    std::string studyDate;
    model::MeasurementPlane plane;  // origin = centre of the first pixel
    double rowSpacing = 1;          // between rows (along column direction)
    double columnSpacing = 1;       // between columns (along row direction)
    double sliceThickness = 0;
};

void check(const OFCondition& status, const std::string& doing)
{
    if (status.bad())
        throw Error("measurement report", doing + ": " + status.text());
}

std::string text(DcmItem& item, const DcmTagKey& tag)
{
    OFString value;
    item.findAndGetOFStringArray(tag, value);
    return value.c_str();
}

SourceImage readSourceImage(const std::filesystem::path& path)
{
    SourceImage image;
    image.file = std::make_unique<DcmFileFormat>();
    const OFCondition status = image.file->loadFile(path.c_str());
    if (status.bad())
        throw Error(path.string(), std::string("cannot read the source image: ") + status.text());
    DcmDataset& ds = *image.file->getDataset();
    image.studyUid = text(ds, DCM_StudyInstanceUID);
    image.seriesUid = text(ds, DCM_SeriesInstanceUID);
    image.studyDate = text(ds, DCM_StudyDate);
    Float64 v = 0;
    for (int i = 0; i < 3; ++i)
        if (ds.findAndGetFloat64(DCM_ImagePositionPatient, v, i).good())
            image.plane.origin[i] = v;
    for (int i = 0; i < 6; ++i)
        if (ds.findAndGetFloat64(DCM_ImageOrientationPatient, v, i).good())
            (i < 3 ? image.plane.row : image.plane.column)[i % 3] = v;
    if (ds.findAndGetFloat64(DCM_PixelSpacing, v, 0).good())
        image.rowSpacing = v;
    if (ds.findAndGetFloat64(DCM_PixelSpacing, v, 1).good())
        image.columnSpacing = v;
    if (ds.findAndGetFloat64(DCM_SliceThickness, v).good())
        image.sliceThickness = v;
    return image;
}

std::string number(double value)
{
    // DS-like text, enough digits for any reading (0.001 mm), no exponent.
    std::ostringstream s;
    s.setf(std::ios::fixed);
    s.precision(std::abs(value) >= 1e5 ? 1 : 3);
    s << value;
    std::string t = s.str();
    t.erase(t.find_last_not_of('0') + 1);
    if (!t.empty() && t.back() == '.')
        t.pop_back();
    return t == "-0" ? "0" : t;
}

// Pixel coordinates (column, row; 0,0 = top-left corner of the first pixel) of a point on the image.
std::pair<float, float> pixelOf(const SourceImage& image, const model::Point3& p)
{
    const auto [u, v] = model::planeCoordinates(image.plane, p);
    return {float(u / image.columnSpacing + 0.5), float(v / image.rowSpacing + 0.5)};
}

// The measurement lies on the image when every point is within half a slice (or 0.5 mm) of its plane.
bool liesOn(const SourceImage& image, const Measurement& m)
{
    const double tolerance = std::max(0.5, image.sliceThickness / 2);
    return std::all_of(m.points.begin(), m.points.end(), [&](const model::Point3& p) {
        return std::abs(model::distanceFromPlane(image.plane, p)) <= tolerance;
    });
}

DSRSpatialCoordinatesValue scoord(const SourceImage& image, DSRTypes::E_GraphicType type,
                                  const std::vector<model::Point3>& points, bool close = false)
{
    DSRSpatialCoordinatesValue value(type);
    for (const auto& p : points) {
        const auto [c, r] = pixelOf(image, p);
        value.getGraphicDataList().addItem(c, r);
    }
    if (close) {
        const auto [c, r] = pixelOf(image, points.front());
        value.getGraphicDataList().addItem(c, r);
    }
    return value;
}

// The ellipse's major axis ends, then its minor axis ends (DICOM ELLIPSE), in patient space.
std::vector<model::Point3> ellipseAxes(const Measurement& m)
{
    const model::PlaneEllipse e = model::planeEllipse(m);
    const std::array<double, 2> across{-e.axis[1], e.axis[0]};
    std::array<double, 2> major = e.axis, minor = across;
    double a = e.a, b = e.b;
    if (b > a) {
        std::swap(major, minor);
        std::swap(a, b);
    }
    auto at = [&](const std::array<double, 2>& d, double r) {
        return model::planePoint(m.plane, e.centre[0] + d[0] * r, e.centre[1] + d[1] * r);
    };
    return {at(major, -a), at(major, a), at(minor, -b), at(minor, b)};
}

// The reviewer's display name as a DICOM PN: the whole name as the family-name component ("Dr A. Rossi^"), since
// names arrive unsplit; characters PN reserves or dciodvfy flags (the retired form) become spaces.
std::string personName(const std::string& name)
{
    std::string pn;
    for (unsigned char c : name)
        pn += (c == '^' || c == '=' || c == '\\' || c == ':' || c < 0x20) ? ' ' : char(c);
    const auto first = pn.find_first_not_of(' ');
    if (first == std::string::npos)
        return "Consilium^";
    pn = pn.substr(first, pn.find_last_not_of(' ') - first + 1);
    return pn.substr(0, 63) + "^";
}

struct Region {
    DSRTypes::E_GraphicType type = DSRTypes::GT_Polyline;
    std::vector<model::Point3> points;
    bool close = false;
};

class ReportWriter {
public:
    ReportWriter(store::Database& db, std::int64_t caseId) : db_(db), caseId_(caseId), repo_(db), roiStatistics_(db) {}

    MeasurementReportSummary write(const std::filesystem::path& out, const std::string& observer);

private:
    SourceImage* sourceFor(const Measurement& m);
    void addGroup(TID1500_MeasurementReport& report, const Measurement& m);
    void addNumber(Group& g, const DSRCodedEntryValue& quantity, double value, const DSRCodedEntryValue& unit,
                   const Measurement& m, SourceImage* image, const std::optional<Region>& region,
                   const std::optional<CMR_CID7464>& derivation = std::nullopt);

    store::Database& db_;
    std::int64_t caseId_;
    store::MeasurementRepository repo_;
    CaseRoiStatistics roiStatistics_;
    std::map<std::string, SourceImage> images_;  // by SOP Instance UID
    std::map<std::int64_t, model::Lesion> lesions_;
};

SourceImage* ReportWriter::sourceFor(const Measurement& m)
{
    std::optional<store::SourceImage> found;
    if (!m.sopInstanceUid.empty())
        found = repo_.sourceImage(caseId_, m.sopInstanceUid);
    if (!found) {
        model::Point3 centroid{0, 0, 0};
        for (const auto& p : m.points)
            for (int i = 0; i < 3; ++i)
                centroid[i] += p[i] / double(m.points.size());
        found = repo_.nearestSourceImage(caseId_, m.seriesInstanceUid, centroid);
    }
    if (!found)
        return nullptr;
    auto it = images_.find(found->sopInstanceUid);
    if (it == images_.end())
        it = images_
                 .emplace(found->sopInstanceUid,
                          readSourceImage(store::CaseFiles(db_.libraryRoot()).absolute(found->storedPath)))
                 .first;
    return &it->second;
}

void ReportWriter::addNumber(Group& g, const DSRCodedEntryValue& quantity, double value, const DSRCodedEntryValue& unit,
                             const Measurement& m, SourceImage* image, const std::optional<Region>& region,
                             const std::optional<CMR_CID7464>& derivation)
{
    const Value v(number(value).c_str(), CMR_CID7181(unit));
    check(g.addMeasurement(CMR_CID7469(quantity), v, OFFalse /* extensible groups: angle is not in CID 7469 */),
          "adding " + std::string(quantity.getCodeMeaning().c_str()));
    auto& num = g.getMeasurement();
    if (derivation)
        check(num.setDerivation(*derivation), "setting the derivation");
    if (!image)
        return;
    DSRImageReferenceValue reference(text(*image->file->getDataset(), DCM_SOPClassUID).c_str(),
                                     text(*image->file->getDataset(), DCM_SOPInstanceUID).c_str());
    if (m.frameNumber > 0)
        reference.getFrameList().addItem(m.frameNumber);
    if (region && liesOn(*image, m))
        check(num.addSpatialCoordinates(CODE_DCM_ImageRegion,
                                        scoord(*image, region->type, region->points, region->close), reference),
              "adding the image region");
    else
        check(num.addImage(CODE_DCM_SourceOfMeasurement, reference), "adding the source image");
}

void ReportWriter::addGroup(TID1500_MeasurementReport& report, const Measurement& m)
{
    check(report.addIndividualMeasurements(), "adding a measurement group");
    Group& g = report.getIndividualMeasurements();
    const model::Lesion* lesion = m.lesionId && lesions_.count(*m.lesionId) ? &lesions_.at(*m.lesionId) : nullptr;
    const std::string id =
        lesion ? lesion->name : "Measurement " + std::to_string(m.id) + " (" + toString(m.kind) + ")";
    check(g.setTrackingIdentifier(id.substr(0, 64).c_str()), "setting the tracking identifier");
    check(g.setTrackingUniqueIdentifier((lesion ? lesion->trackingUid : m.trackingUid).c_str()),
          "setting the tracking UID");
    check(g.setFinding(DSRCodedEntryValue("52988006", "SCT", "Lesion")), "setting the finding");
    if (lesion) {
        std::string site = lesion->location;
        std::transform(site.begin(), site.end(), site.begin(), [](unsigned char c) { return std::tolower(c); });
        if (lesion->nodal)
            check(g.addFindingSite(CODE_SCT_LymphNode), "setting the finding site");
        else if (site.find("lung") != std::string::npos)
            check(g.addFindingSite(DSRCodedEntryValue("39607008", "SCT", "Lung")), "setting the finding site");
        else if (site.find("liver") != std::string::npos)
            check(g.addFindingSite(CODE_SCT_Liver), "setting the finding site");
    }
    if (!m.studyDate.empty())
        check(g.setTimePoint(m.studyDate.c_str()), "setting the time point");

    SourceImage* image = sourceFor(m);
    const model::MeasurementValues values = model::measurementValues(m);
    const DSRCodedEntryValue mm("mm", "UCUM", "millimeter");
    switch (m.kind) {
        case MeasurementKind::Line:
            addNumber(g, DSRCodedEntryValue("410668003", "SCT", "Length"), *values.lengthMm, mm, m, image,
                      Region{DSRTypes::GT_Polyline, m.points});
            break;
        case MeasurementKind::Bidirectional:
            addNumber(g, DSRCodedEntryValue("103339001", "SCT", "Long Axis"), *values.longAxisMm, mm, m, image,
                      Region{DSRTypes::GT_Polyline, {m.points[0], m.points[1]}});
            addNumber(g, DSRCodedEntryValue("103340004", "SCT", "Short Axis"), *values.shortAxisMm, mm, m, image,
                      Region{DSRTypes::GT_Polyline, {m.points[2], m.points[3]}});
            break;
        case MeasurementKind::Angle:
            addNumber(g, DSRCodedEntryValue("1483009", "SCT", "Angle"), *values.angleDegrees,
                      DSRCodedEntryValue("deg", "UCUM", "degree"), m, image, Region{DSRTypes::GT_Polyline, m.points});
            break;
        case MeasurementKind::Ellipse:
        case MeasurementKind::Polygon: {
            const Region region = m.kind == MeasurementKind::Ellipse ? Region{DSRTypes::GT_Ellipse, ellipseAxes(m)}
                                                                     : Region{DSRTypes::GT_Polyline, m.points, true};
            addNumber(g, DSRCodedEntryValue("42798000", "SCT", "Area"), *values.areaMm2,
                      DSRCodedEntryValue("mm2", "UCUM", "square millimeter"), m, image, region);
            const RoiStatistics stats = roiStatistics_(m);
            if (!stats.mean)
                break;
            DSRCodedEntryValue quantity("112031", "DCM", "Attenuation Coefficient");
            DSRCodedEntryValue unit("[hnsf'U]", "UCUM", "Hounsfield unit");
            if (stats.unit == "SUVbw") {
                quantity = DSRCodedEntryValue("126401", "DCM", "SUVbw");
                unit = DSRCodedEntryValue("{SUVbw}g/ml", "UCUM", "Standardized Uptake Value body weight");
            } else if (stats.unit == "Bq/mL") {
                quantity = DSRCodedEntryValue("110821", "DCM", "Nuclear Medicine Tomographic Activity");
                unit = DSRCodedEntryValue("Bq/ml", "UCUM", "Becquerels/milliliter");
            } else if (stats.unit != "HU") {
                break;  // MR signal has no unit worth reporting
            }
            addNumber(g, quantity, *stats.mean, unit, m, image, region, CMR_CID7464::Mean);
            addNumber(g, quantity, *stats.standardDeviation, unit, m, image, region, CMR_CID7464::StandardDeviation);
            addNumber(g, quantity, *stats.minimum, unit, m, image, region, CMR_CID7464::Minimum);
            addNumber(g, quantity, *stats.maximum, unit, m, image, region, CMR_CID7464::Maximum);
            if (stats.suvPeak)
                addNumber(g, quantity, *stats.suvPeak, unit, m, image, region, CMR_CID7464::PeakValueWithinROI);
            break;
        }
        case MeasurementKind::Arrow:
            break;
    }
}

MeasurementReportSummary ReportWriter::write(const std::filesystem::path& out, const std::string& observer)
{
    prepareDcmtk();
    MeasurementReportSummary summary;
    for (const auto& l : repo_.lesions(caseId_))
        lesions_[l.id] = l;
    std::vector<Measurement> measured;
    for (const auto& m : repo_.forCase(caseId_)) {
        if (m.kind == MeasurementKind::Arrow)
            ++summary.leftOut;
        else
            measured.push_back(m);
    }
    if (measured.empty())
        throw Error("measurements", "the case has no measurement to report");

    TID1500_MeasurementReport report(CMR_CID7021::ImagingMeasurementReport);
    check(report.setLanguage(CID5000_Languages::English), "setting the language");
    check(report.getObservationContext().addPersonObserver(personName(observer).c_str(), ""), "setting the observer");
    for (const auto& m : measured)
        addGroup(report, m);
    summary.groups = int(measured.size());

    // Procedure reported and image library, from the images now known.
    bool ct = false, pet = false;
    std::map<std::string, std::vector<SourceImage*>> bySeries;
    const SourceImage* latest = nullptr;
    for (auto& [uid, image] : images_) {
        const std::string modality = text(*image.file->getDataset(), DCM_Modality);
        ct = ct || modality == "CT";
        pet = pet || modality == "PT";
        bySeries[image.seriesUid].push_back(&image);
        if (!latest || image.studyDate > latest->studyDate)
            latest = &image;
    }
    if (pet)
        check(report.addProcedureReported(ct ? CMR_CID100::PETCT_FDGImagingOfWholeBody : CMR_CID100::PETWholeBody),
              "setting the procedure");
    else
        check(report.addProcedureReported(ct ? CMR_CID100::CTUnspecifiedBodyRegion : CMR_CID100::ImagingProcedure),
              "setting the procedure");
    check(report.getImageLibrary().createNewImageLibrary(), "creating the image library");
    for (auto& [series, images] : bySeries) {
        check(report.getImageLibrary().addImageGroup(), "adding an image group");
        for (SourceImage* image : images) {
            const OFCondition status = report.getImageLibrary().addImageEntry(*image->file->getDataset(),
                                                                              TID1600_ImageLibrary::withAllDescriptors);
            if (status != CMR_EC_NoImageLibraryEntryDescriptorsToBeAdded)
                check(status, "adding an image library entry");
        }
    }
    summary.images = int(images_.size());

    DSRDocument doc;
    check(doc.setTreeFromRootTemplate(report, OFTrue), "building the document");
    doc.setSpecificCharacterSetType(DSRTypes::CS_UTF8);
    if (latest) {
        check(doc.readStudyData(*latest->file->getDataset()), "taking the study of the latest image");
    }
    doc.createNewSeries();
    for (auto& [uid, image] : images_) {
        DSRSOPInstanceReferenceList& evidence = latest && image.studyUid == latest->studyUid
                                                    ? doc.getCurrentRequestedProcedureEvidence()
                                                    : doc.getPertinentOtherEvidence();
        check(evidence.addItem(*image.file->getDataset()), "adding the evidence");
    }
    check(doc.setSeriesNumber("901"), "setting the series number");
    check(doc.setInstanceNumber("1"), "setting the instance number");
    check(doc.setSeriesDescription("Consilium measurements"), "setting the series description");
    check(doc.setManufacturer("Consilium"), "setting the manufacturer");

    DcmFileFormat file;
    check(doc.write(*file.getDataset()), "writing the document");
    OFString sop;
    doc.getSOPInstanceUID(sop);
    summary.sopInstanceUid = sop.c_str();
    std::error_code ec;
    if (out.has_parent_path())
        std::filesystem::create_directories(out.parent_path(), ec);
    const OFCondition saved = file.saveFile(out.c_str(), EXS_LittleEndianExplicit);
    if (saved.bad())
        throw Error(out.string(), std::string("cannot write the SR: ") + saved.text());
    return summary;
}

}  // namespace

MeasurementReportSummary writeMeasurementReport(store::Database& db, std::int64_t caseId,
                                                const std::filesystem::path& out, const std::string& observerName)
{
    return ReportWriter(db, caseId).write(out, observerName);
}

}  // namespace consilium::imaging
