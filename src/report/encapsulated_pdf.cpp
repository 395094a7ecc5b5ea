#include "report/encapsulated_pdf.h"

#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmdata/dcuid.h>
#include <dcmtk/oflog/oflog.h>

#include <mutex>

#include "model/error.h"

namespace consilium::report {
namespace {

std::string newUid()
{
    char uid[100];
    return dcmGenerateUniqueIdentifier(uid, SITE_INSTANCE_UID_ROOT);
}

// DCMTK logs to stderr by default; every problem reaches the user as a consilium::Error instead.
void quietDcmtk()
{
    static std::once_flag once;
    std::call_once(once, [] { OFLog::configure(OFLogger::FATAL_LOG_LEVEL); });
}

// "2026-11-25T09:30:00Z" → DA "20261125" and TM "093000".
std::pair<std::string, std::string> dicomDateTime(const std::string& iso)
{
    std::string digits;
    for (char c : iso)
        if (c >= '0' && c <= '9')
            digits += c;
    if (digits.size() < 14)
        return {"", ""};
    return {digits.substr(0, 8), digits.substr(8, 6)};
}

class Writer {
public:
    Writer(DcmDataset& ds, const std::filesystem::path& out) : ds_(ds), out_(out) {}
    Writer& put(const DcmTagKey& tag, const std::string& value)
    {
        if (ds_.putAndInsertString(tag, value.c_str()).bad())
            throw Error(out_.string(), "cannot set " + std::string(DcmTag(tag).getTagName()));
        return *this;
    }

private:
    DcmDataset& ds_;
    const std::filesystem::path& out_;
};

}  // namespace

void writeEncapsulatedPdf(const std::string& pdf, const DicomDocumentIdentity& id, const std::filesystem::path& out)
{
    quietDcmtk();
    if (!pdf.starts_with("%PDF-"))
        throw Error(out.string(), "the document to encapsulate is not a PDF");
    if (pdf.size() > 0xFFFFFFF0u)
        throw Error(out.string(), "the PDF is too large for one DICOM attribute");
    DcmFileFormat file;
    DcmDataset& ds = *file.getDataset();
    const auto [contentDate, contentTime] = dicomDateTime(id.contentDateTime);
    const bool newStudy = id.studyInstanceUid.empty();
    Writer w(ds, out);
    // Names may be in any script: UTF-8 throughout.
    w.put(DCM_SpecificCharacterSet, "ISO_IR 192")
        .put(DCM_SOPClassUID, UID_EncapsulatedPDFStorage)
        .put(DCM_SOPInstanceUID, newUid())
        .put(DCM_PatientName, id.patientName)
        .put(DCM_PatientID, id.patientId)
        .put(DCM_PatientBirthDate, id.patientBirthDate)
        .put(DCM_PatientSex, id.patientSex)
        .put(DCM_StudyInstanceUID, newStudy ? newUid() : id.studyInstanceUid)
        .put(DCM_StudyDate, newStudy ? contentDate : id.studyDate)
        .put(DCM_StudyTime, newStudy ? contentTime : id.studyTime)
        .put(DCM_ReferringPhysicianName, id.referringPhysicianName)
        .put(DCM_StudyID, id.studyId)
        .put(DCM_AccessionNumber, id.accessionNumber)
        // A series of its own: a document never joins the CT or PET series of the study.
        .put(DCM_SeriesInstanceUID, newUid())
        .put(DCM_Modality, "DOC")
        .put(DCM_SeriesNumber, "9001")
        .put(DCM_SeriesDescription, "Tumour board written review")
        .put(DCM_Manufacturer, id.manufacturer)
        .put(DCM_InstanceNumber, std::to_string(id.instanceNumber))
        .put(DCM_ContentDate, contentDate)
        .put(DCM_ContentTime, contentTime)
        .put(DCM_AcquisitionDateTime, contentDate + contentTime)
        .put(DCM_ConversionType, "WSD")
        .put(DCM_BurnedInAnnotation, "YES")
        .put(DCM_DocumentTitle, id.documentTitle)
        .put(DCM_MIMETypeOfEncapsulatedDocument, "application/pdf");
    // ConceptNameCodeSequence is Type 2: present, empty.
    if (ds.insertEmptyElement(DCM_ConceptNameCodeSequence).bad())
        throw Error(out.string(), "cannot add ConceptNameCodeSequence");
    if (ds.putAndInsertUint32(DCM_EncapsulatedDocumentLength, Uint32(pdf.size())).bad())
        throw Error(out.string(), "cannot set EncapsulatedDocumentLength");
    // OB values have even length: an odd PDF gets one zero byte, which EncapsulatedDocumentLength excludes.
    std::string padded = pdf;
    if (padded.size() % 2)
        padded.push_back('\0');
    if (ds.putAndInsertUint8Array(DCM_EncapsulatedDocument, reinterpret_cast<const Uint8*>(padded.data()),
                                  static_cast<unsigned long>(padded.size()))
            .bad())
        throw Error(out.string(), "cannot add the PDF");
    const OFCondition saved = file.saveFile(out.c_str(), EXS_LittleEndianExplicit);
    if (saved.bad())
        throw Error(out.string(), std::string("cannot be written: ") + saved.text());
}

std::string readEncapsulatedPdf(const std::filesystem::path& path)
{
    quietDcmtk();
    DcmFileFormat file;
    const OFCondition loaded = file.loadFile(path.c_str());
    if (loaded.bad())
        throw Error(path.string(), std::string("cannot be read as DICOM: ") + loaded.text());
    DcmDataset& ds = *file.getDataset();
    const Uint8* bytes = nullptr;
    unsigned long count = 0;
    if (ds.findAndGetUint8Array(DCM_EncapsulatedDocument, bytes, &count).bad() || !bytes)
        throw Error(path.string(), "has no encapsulated document");
    Uint32 length = 0;
    if (ds.findAndGetUint32(DCM_EncapsulatedDocumentLength, length).good() && length <= count)
        count = length;
    return std::string(reinterpret_cast<const char*>(bytes), count);
}

}  // namespace consilium::report
