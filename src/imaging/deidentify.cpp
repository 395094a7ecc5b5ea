#include "imaging/deidentify.h"

#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmdata/dcitem.h>
#include <dcmtk/dcmdata/dcmetinf.h>
#include <dcmtk/dcmdata/dcsequen.h>
#include <dcmtk/dcmdata/dcuid.h>

#include <map>

#include "imaging/dcmtk_setup.h"
#include "model/error.h"
#include "model/sha256.h"

namespace consilium::imaging {
namespace fs = std::filesystem;

namespace {

enum class Action { Empty, Remove, Dummy, Uid };

// PS3.15 Table E.1-1, basic profile column, for the attributes an SR or an Encapsulated PDF can carry (Z/D and X/Z
// resolved to Z where the attribute is type 2 in these IODs, X otherwise).
const std::map<DcmTagKey, Action>& basicProfile()
{
    static const std::map<DcmTagKey, Action> actions{
        // Patient
        {DCM_PatientName, Action::Empty},
        {DCM_PatientID, Action::Empty},
        {DCM_PatientBirthDate, Action::Empty},
        {DCM_PatientSex, Action::Empty},
        {DCM_PatientBirthTime, Action::Remove},
        {DCM_IssuerOfPatientID, Action::Remove},
        {DCM_OtherPatientIDsSequence, Action::Remove},
        {DCM_OtherPatientNames, Action::Remove},
        {DcmTagKey(0x0010, 0x1000), Action::Remove},  // Other Patient IDs (retired)
        {DCM_PatientBirthName, Action::Remove},
        {DCM_PatientAge, Action::Remove},
        {DCM_PatientSize, Action::Remove},
        {DCM_PatientWeight, Action::Remove},
        {DCM_PatientAddress, Action::Remove},
        {DCM_PatientMotherBirthName, Action::Remove},
        {DCM_PatientTelephoneNumbers, Action::Remove},
        {DCM_EthnicGroup, Action::Remove},
        {DCM_Occupation, Action::Remove},
        {DCM_AdditionalPatientHistory, Action::Remove},
        {DCM_PatientComments, Action::Remove},
        {DCM_RETIRED_MedicalRecordLocator, Action::Remove},
        {DCM_MedicalAlerts, Action::Remove},
        {DCM_Allergies, Action::Remove},
        {DCM_PatientReligiousPreference, Action::Remove},
        {DCM_PatientInsurancePlanCodeSequence, Action::Remove},
        {DCM_AdmissionID, Action::Remove},
        {DCM_CurrentPatientLocation, Action::Remove},
        {DCM_PatientInstitutionResidence, Action::Remove},
        {DCM_PatientState, Action::Remove},
        {DCM_VisitComments, Action::Remove},
        // Study
        {DCM_StudyDate, Action::Empty},
        {DCM_StudyTime, Action::Empty},
        {DCM_StudyID, Action::Empty},
        {DCM_AccessionNumber, Action::Empty},
        {DCM_ReferringPhysicianName, Action::Empty},
        {DCM_ReferringPhysicianAddress, Action::Remove},
        {DCM_ReferringPhysicianTelephoneNumbers, Action::Remove},
        {DCM_ReferringPhysicianIdentificationSequence, Action::Remove},
        {DCM_StudyDescription, Action::Remove},
        {DCM_PhysiciansOfRecord, Action::Remove},
        {DCM_PhysiciansOfRecordIdentificationSequence, Action::Remove},
        {DCM_NameOfPhysiciansReadingStudy, Action::Remove},
        {DCM_PhysiciansReadingStudyIdentificationSequence, Action::Remove},
        {DCM_RequestingPhysician, Action::Remove},
        {DCM_RequestedProcedureDescription, Action::Remove},
        {DCM_RequestedProcedureID, Action::Remove},
        {DCM_AdmittingDiagnosesDescription, Action::Remove},
        {DCM_ReferencedStudySequence, Action::Remove},
        {DCM_ReferencedPatientSequence, Action::Remove},
        {DCM_RETIRED_StudyComments, Action::Remove},
        {DCM_PlacerOrderNumberImagingServiceRequest, Action::Remove},
        {DCM_FillerOrderNumberImagingServiceRequest, Action::Remove},
        // Series, equipment, procedure steps
        {DCM_SeriesDate, Action::Remove},
        {DCM_SeriesTime, Action::Remove},
        {DCM_SeriesDescription, Action::Remove},
        {DCM_AcquisitionDate, Action::Remove},
        {DCM_AcquisitionTime, Action::Remove},
        {DCM_AcquisitionDateTime, Action::Remove},
        {DCM_PerformingPhysicianName, Action::Remove},
        {DCM_PerformingPhysicianIdentificationSequence, Action::Remove},
        {DCM_OperatorsName, Action::Remove},
        {DCM_OperatorIdentificationSequence, Action::Remove},
        {DCM_InstitutionName, Action::Remove},
        {DCM_InstitutionAddress, Action::Remove},
        {DCM_InstitutionCodeSequence, Action::Remove},
        {DCM_InstitutionalDepartmentName, Action::Remove},
        {DCM_StationName, Action::Remove},
        {DCM_DeviceSerialNumber, Action::Remove},
        {DCM_ProtocolName, Action::Remove},
        {DCM_PerformedProcedureStepStartDate, Action::Remove},
        {DCM_PerformedProcedureStepStartTime, Action::Remove},
        {DCM_PerformedProcedureStepID, Action::Remove},
        {DCM_PerformedProcedureStepDescription, Action::Remove},
        {DCM_RequestAttributesSequence, Action::Remove},
        {DCM_ReferencedPerformedProcedureStepSequence, Action::Empty},
        {DCM_InstanceCreationDate, Action::Remove},
        {DCM_InstanceCreationTime, Action::Remove},
        {DCM_TimezoneOffsetFromUTC, Action::Remove},
        {DCM_ImageComments, Action::Remove},
        {DCM_ContentDate, Action::Dummy},
        {DCM_ContentTime, Action::Dummy},
        // SR document general
        {DCM_VerifyingObserverName, Action::Dummy},
        {DCM_VerifyingOrganization, Action::Dummy},
        {DCM_VerifyingObserverIdentificationCodeSequence, Action::Empty},
        {DCM_AuthorObserverSequence, Action::Remove},
        {DCM_ParticipantSequence, Action::Remove},
        {DCM_CustodialOrganizationSequence, Action::Remove},
        {DCM_ContentCreatorName, Action::Empty},
        // UIDs
        {DCM_SOPInstanceUID, Action::Uid},
        {DCM_StudyInstanceUID, Action::Uid},
        {DCM_SeriesInstanceUID, Action::Uid},
        {DCM_FrameOfReferenceUID, Action::Uid},
        {DCM_SynchronizationFrameOfReferenceUID, Action::Uid},
        {DCM_ReferencedSOPInstanceUID, Action::Uid},
        {DCM_ReferencedFrameOfReferenceUID, Action::Uid},
        {DCM_InstanceCreatorUID, Action::Uid},
        {DCM_UID, Action::Uid},                    // (0040,A124), UIDREF content items
        {DcmTagKey(0x0062, 0x0021), Action::Uid},  // Tracking UID
        {DCM_IrradiationEventUID, Action::Uid},
        {DCM_ConcatenationUID, Action::Uid},
        {DCM_DimensionOrganizationUID, Action::Uid},
        {DCM_StorageMediaFileSetUID, Action::Uid},
        {DCM_ReferencedSOPInstanceUIDInFile, Action::Uid},
    };
    return actions;
}

// The Clean Structured Content Option, inside the SR content tree.
const std::map<DcmTagKey, const char*>& contentDummies()
{
    static const std::map<DcmTagKey, const char*> dummies{
        {DCM_PersonName, "ANONYMOUS"},
        {DCM_Date, "19000101"},
        {DCM_Time, "000000"},
        {DCM_DateTime, "19000101000000"},
        {DCM_ObservationDateTime, "19000101000000"},
    };
    return dummies;
}

// D: a value of the element's own VR (type 1 dates and times must stay valid, e.g. an SR's Content Date).
const char* dummyFor(DcmEVR vr)
{
    switch (vr) {
        case EVR_DA:
            return "19000101";
        case EVR_TM:
            return "000000";
        case EVR_DT:
            return "19000101000000";
        default:
            return "ANONYMOUS";
    }
}

class Deidentifier {
public:
    explicit Deidentifier(const std::string& key) : key_(key) {}

    void item(DcmItem& item, bool inContent)
    {
        for (unsigned long i = 0; i < item.card();) {
            DcmElement* e = item.getElement(i);
            if (element(item, i, *e, inContent))
                ++i;  // kept
        }
    }

    DeidentifySummary summary;

private:
    // Returns false when the element was removed (the next one moved to index i).
    bool element(DcmItem& item, unsigned long i, DcmElement& e, bool inContent)
    {
        const DcmTagKey tag = e.getTag();
        const Uint16 group = tag.getGroup();
        if (tag.isPrivate() || (group & 0xFF00) == 0x5000 || (group & 0xFF00) == 0x6000) {
            delete item.remove(i);
            ++summary.removed;
            return false;
        }
        const auto& actions = basicProfile();
        if (const auto it = actions.find(tag); it != actions.end())
            return apply(item, i, e, it->second);
        if (inContent)
            if (const auto dummy = contentDummies().find(tag); dummy != contentDummies().end()) {
                e.putString(dummy->second);
                ++summary.replaced;
                return true;
            }
        if (e.ident() == EVR_SQ) {
            auto& sequence = static_cast<DcmSequenceOfItems&>(e);
            const bool content = inContent || tag == DCM_ContentSequence;
            for (unsigned long j = 0; j < sequence.card(); ++j)
                this->item(*sequence.getItem(j), content);
        }
        return true;
    }

    bool apply(DcmItem& item, unsigned long i, DcmElement& e, Action action)
    {
        switch (action) {
            case Action::Remove:
                delete item.remove(i);
                ++summary.removed;
                return false;
            case Action::Empty:
                e.clear();
                ++summary.emptied;
                return true;
            case Action::Dummy:
                if (e.ident() == EVR_SQ)
                    e.clear();
                else
                    e.putString(dummyFor(e.ident()));
                ++summary.replaced;
                return true;
            case Action::Uid: {
                OFString values;
                e.getOFStringArray(values);
                std::string mapped, value(values.c_str());
                // A multi-valued UI element (rare) maps each value.
                for (std::size_t start = 0, end; start <= value.size(); start = end + 1) {
                    end = value.find('\\', start);
                    if (end == std::string::npos)
                        end = value.size();
                    if (!mapped.empty() || start > 0)
                        mapped += '\\';
                    mapped += uid(value.substr(start, end - start));
                }
                if (!value.empty())
                    e.putString(mapped.c_str());
                ++summary.replaced;
                return true;
            }
        }
        return true;
    }

    // 2.25.<decimal of the first 128 bits of SHA-256(key, uid)>: the same UID always maps to the same new one.
    std::string uid(const std::string& old)
    {
        if (old.empty())
            return old;
        model::Sha256 h;
        h.update(key_);
        h.update(std::string_view("\0", 1));
        h.update(old);
        const auto digest = h.digest();
        unsigned __int128 n = 0;
        for (int b = 0; b < 16; ++b)
            n = (n << 8) | digest[std::size_t(b)];
        std::string decimal;
        do {
            decimal.insert(decimal.begin(), char('0' + int(n % 10)));
            n /= 10;
        } while (n != 0);
        return "2.25." + decimal;
    }

    std::string key_;
};

void addMethodCode(DcmDataset& ds, const char* value, const char* meaning)
{
    DcmItem* code = nullptr;
    if (ds.findOrCreateSequenceItem(DCM_DeidentificationMethodCodeSequence, code, -2).good() && code) {
        code->putAndInsertString(DCM_CodeValue, value);
        code->putAndInsertString(DCM_CodingSchemeDesignator, "DCM");
        code->putAndInsertString(DCM_CodeMeaning, meaning);
    }
}

}  // namespace

DeidentifySummary deidentifyDicom(const fs::path& in, const fs::path& out, const std::string& key)
{
    prepareDcmtk();
    std::error_code ec;
    if (fs::exists(out, ec) && fs::equivalent(in, out, ec))
        throw Error(out.string(), "is the original: the de-identified copy must go elsewhere");
    DcmFileFormat file;
    if (const OFCondition c = file.loadFile(in.c_str()); c.bad())
        throw Error(in.string(), std::string("not readable as DICOM: ") + c.text());
    DcmDataset& ds = *file.getDataset();
    OFString sopClass;
    ds.findAndGetOFString(DCM_SOPClassUID, sopClass);
    if (sopClass == UID_EncapsulatedPDFStorage)
        throw Error(in.string(),
                    "an Encapsulated PDF: its pages print the patient's name, dates and institution, "
                    "which the basic profile cannot clean (not covered: de-identify the review itself)");

    Deidentifier d(key);
    d.item(ds, false);
    ds.putAndInsertString(DCM_PatientIdentityRemoved, "YES");
    // LO, at most 64 characters a value: one value per part of the method.
    ds.putAndInsertString(DCM_DeidentificationMethod,
                          "DICOM PS3.15 Basic Profile\\Clean Structured Content Option\\UIDs 2.25 by keyed SHA-256");
    delete ds.remove(DCM_DeidentificationMethodCodeSequence);
    addMethodCode(ds, "113100", "Basic Application Confidentiality Profile");
    addMethodCode(ds, "113104", "Clean Structured Content Option");
    ds.putAndInsertString(DCM_LongitudinalTemporalInformationModified, "REMOVED");

    OFString sop;
    ds.findAndGetOFString(DCM_SOPInstanceUID, sop);
    d.summary.sopInstanceUid = sop.c_str();
    file.getMetaInfo()->putAndInsertString(DCM_MediaStorageSOPInstanceUID, sop.c_str());
    if (out.has_parent_path())
        fs::create_directories(out.parent_path(), ec);
    if (const OFCondition c = file.saveFile(out.c_str(), EXS_LittleEndianExplicit); c.bad())
        throw Error(out.string(), std::string("cannot write the de-identified copy: ") + c.text());
    return d.summary;
}

}  // namespace consilium::imaging
