#include "model/patient_match.h"

#include "model/dicom_text.h"

#include <algorithm>
#include <set>

namespace consilium::model {

namespace {

std::string lowerAscii(std::string_view text)
{
    std::string out(text);
    for (auto& c : out)
        if (c >= 'A' && c <= 'Z')
            c = char(c - 'A' + 'a');
    return out;
}

// Words of a name: split at spaces, DICOM's '^', commas and brackets.
std::set<std::string> words(std::string_view name)
{
    std::set<std::string> out;
    std::string word;
    for (char c : lowerAscii(name) + " ") {
        if (c == ' ' || c == '^' || c == ',' || c == '(' || c == ')') {
            if (!word.empty())
                out.insert(word);
            word.clear();
        } else {
            word += c;
        }
    }
    return out;
}

}  // namespace

PatientMatch matchPatient(const Patient& casePatient, std::string_view dicomName, std::string_view dicomId)
{
    const std::string caseId = std::string(trimDicomValue(casePatient.referringIdentifier)),
                      fileId = std::string(trimDicomValue(dicomId));
    if (!caseId.empty() && !fileId.empty()) {
        if (lowerAscii(caseId) == lowerAscii(fileId))
            return {true, {}};
        return {false, "patient ID " + fileId + " in the files, " + caseId + " in the case"};
    }
    if (words(dicomName).empty())
        return {false, "the files carry no patient name or ID"};
    // A PN holds up to three component groups (alphabetic=ideographic=phonetic); one matching group is enough.
    const auto caseWords = words(casePatient.name);
    std::string_view rest = dicomName;
    for (;;) {
        const auto cut = rest.find('=');
        const auto groupWords = words(rest.substr(0, cut));
        if (!groupWords.empty() && std::all_of(groupWords.begin(), groupWords.end(),
                                               [&](const std::string& w) { return caseWords.count(w) > 0; }))
            return {true, {}};
        if (cut == std::string_view::npos)
            break;
        rest = rest.substr(cut + 1);
    }
    return {false,
            "patient name \"" + std::string(dicomName) + "\" in the files, \"" + casePatient.name + "\" in the case"};
}

}  // namespace consilium::model
