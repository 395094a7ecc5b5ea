#include "report/measurement_tables.h"

#include <cmath>
#include <map>
#include <set>
#include <sstream>

#include "imaging/case_suv.h"
#include "imaging/roi_statistics.h"
#include "model/measurement.h"
#include "model/recist.h"
#include "store/measurement_repository.h"

namespace consilium::report {

namespace {

std::string fixed(double value, int decimals)
{
    std::ostringstream out;
    out.setf(std::ios::fixed);
    out.precision(decimals);
    out << value;
    return out.str();
}

std::string mm(const std::optional<double>& v) { return v ? fixed(*v, 1) + " mm" : "—"; }

std::string percent(const std::optional<double>& v) { return v ? (*v > 0 ? "+" : "") + fixed(*v, 1) + " %" : "—"; }

// "20261027" -> "2026-10-27"
std::string isoDate(const std::string& da)
{
    return da.size() == 8 ? da.substr(0, 4) + "-" + da.substr(4, 2) + "-" + da.substr(6, 2) : da;
}

std::string diameterText(const model::Lesion& lesion, const model::LesionAssessment& a)
{
    switch (a.state) {
        case model::LesionState::Measured:
            return lesion.nodal ? "SA " + mm(a.shortAxisMm) : mm(a.longAxisMm);
        case model::LesionState::TooSmallToMeasure:
            return "too small (5 mm)";
        case model::LesionState::Disappeared:
            return "disappeared";
        case model::LesionState::Present:
            return "present";
        case model::LesionState::UnequivocalProgression:
            return "unequivocal progression";
        case model::LesionState::NotEvaluated:
            return "not evaluated";
    }
    return "—";
}

std::optional<ReviewTable> recistTable(store::MeasurementRepository& measurements, std::int64_t caseId)
{
    const store::RecistInputs inputs = measurements.recistInputs(caseId);
    if (inputs.lesions.empty())
        return std::nullopt;
    const model::RecistEvaluation evaluation = model::evaluateRecist(inputs.lesions, inputs.assessments);
    std::set<std::string> dates;
    for (const model::LesionAssessment& a : inputs.assessments)
        dates.insert(a.timePoint);
    ReviewTable table;
    table.section = model::SectionKey::Radiology;
    table.title = "RECIST 1.1 lesions";
    table.columns = {"Lesion", "Site", "Category"};
    for (const std::string& d : dates)
        table.columns.push_back(isoDate(d));
    for (const model::Lesion& l : inputs.lesions) {
        std::vector<std::string> row{l.name, l.location + (l.nodal ? " (node)" : ""), model::toString(l.category)};
        for (const std::string& d : dates) {
            std::string cell = "—";
            for (const model::LesionAssessment& a : inputs.assessments)
                if (a.lesionId == l.id && a.timePoint == d)
                    cell = diameterText(l, a);
            row.push_back(cell);
        }
        table.rows.push_back(std::move(row));
    }
    const auto summary = [&](const std::string& name, auto value) {
        std::vector<std::string> row{"**" + name + "**", "", ""};
        for (const std::string& d : dates) {
            std::string cell = "—";
            for (const model::TimePointResult& t : evaluation.timePoints)
                if (t.timePoint == d)
                    cell = value(t);
            row.push_back(cell);
        }
        table.rows.push_back(std::move(row));
    };
    summary("Sum of diameters", [](const model::TimePointResult& t) { return mm(t.sumMm); });
    summary("Change from baseline", [](const model::TimePointResult& t) {
        return t.baseline ? "baseline" : percent(t.changeFromBaselinePercent);
    });
    summary("Change from nadir", [](const model::TimePointResult& t) {
        return t.baseline ? "—" : percent(t.changeFromNadirPercent) + " (nadir " + mm(t.nadirMm) + ")";
    });
    summary("Response", [](const model::TimePointResult& t) {
        if (t.baseline)
            return std::string("—");
        std::string r = t.overallResponse ? "**" + model::toString(*t.overallResponse) + "**" : "—";
        return t.newLesions ? r + ", new lesions" : r;
    });
    table.note =
        "RECIST 1.1: long axis, lymph nodes short axis (SA); nadir = the smallest sum so far, baseline "
        "included; PD needs a 20 % and 5 mm increase over the nadir, or new lesions.";
    for (const std::string& problem : evaluation.selectionProblems)
        table.note += " Selection: " + problem + ".";
    return table;
}

std::string suvInputs(const model::SuvResult& suv)
{
    std::string text;
    if (suv.weightKg)
        text += "weight " + fixed(*suv.weightKg, 1) + " kg";
    if (suv.injectedDoseBq)
        text += ", injected " + fixed(*suv.injectedDoseBq / 1e6, 0) + " MBq";
    if (suv.decayTimeS)
        text += ", uptake " + fixed(*suv.decayTimeS / 60, 0) + " min";
    if (!suv.basis.empty())
        text += " (" + suv.basis + ")";
    return text;
}

std::optional<ReviewTable> regionTable(store::Database& db, store::MeasurementRepository& measurements,
                                       std::int64_t caseId)
{
    imaging::CaseRoiStatistics statistics(db);
    ReviewTable table;
    table.section = model::SectionKey::Radiology;
    table.title = "Regions measured";
    table.columns = {"Region", "Date", "Area", "Mean (SD)", "SUVmax", "SUVpeak"};
    std::map<std::string, std::string> suvNotes;
    std::map<std::int64_t, std::string> lesionNames;
    for (const model::Lesion& l : measurements.lesions(caseId))
        lesionNames[l.id] = l.name;
    for (const model::Measurement& m : measurements.forCase(caseId)) {
        if (m.kind != model::MeasurementKind::Ellipse && m.kind != model::MeasurementKind::Polygon)
            continue;
        std::string name = m.lesionId && lesionNames.count(*m.lesionId) ? lesionNames[*m.lesionId]
                                                                        : (m.label.empty() ? "ROI" : m.label);
        std::vector<std::string> row{name, isoDate(m.studyDate)};
        try {
            const imaging::RoiStatistics s = statistics(m);
            row.push_back(fixed(s.areaMm2, 0) + " mm²");
            row.push_back(s.mean ? fixed(*s.mean, 1) + " " + s.unit + " (" + fixed(s.standardDeviation.value_or(0), 1) +
                                       ")"
                                 : "—");
            row.push_back(s.suvMax ? fixed(*s.suvMax, 2) : "—");
            row.push_back(s.suvPeak ? fixed(*s.suvPeak, 2) : "—");
            if (s.suvMax && !suvNotes.count(m.seriesInstanceUid))
                suvNotes[m.seriesInstanceUid] = suvInputs(imaging::caseSeriesSuv(db, caseId, m.seriesInstanceUid));
        } catch (const std::exception& e) {
            row.insert(row.end(), {std::string("not computed: ") + e.what(), "", "", ""});
        }
        table.rows.push_back(std::move(row));
    }
    if (table.rows.empty())
        return std::nullopt;
    table.note =
        "Mean over the voxels whose centres lie inside the drawn region; SUVbw by body weight; SUVpeak = "
        "mean SUV in the 1 cm³ sphere around the hottest voxel.";
    for (const auto& [series, inputs] : suvNotes)
        if (!inputs.empty())
            table.note += " SUV inputs: " + inputs + ".";
    return table;
}

}  // namespace

std::vector<ReviewTable> measurementTables(store::Database& db, std::int64_t caseId)
{
    std::vector<ReviewTable> tables;
    store::MeasurementRepository measurements(db);
    if (auto recist = recistTable(measurements, caseId))
        tables.push_back(std::move(*recist));
    if (auto regions = regionTable(db, measurements, caseId))
        tables.push_back(std::move(*regions));
    return tables;
}

}  // namespace consilium::report
