#include "model/suv.h"

#include "model/dicom_text.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace consilium::model {

namespace {

using namespace std::chrono_literals;
using std::chrono::microseconds;

// A RadiopharmaceuticalStartTime later in the day than the scan start is taken to be the day before only when that
// gives an uptake no longer than this. FDG is scanned 1-3 h after injection; a gap near 24 h is a typing error in
// the header (e.g. injection 10:42, scan 09:58: 23 h 16 min), and silently decaying the dose over it would make SUV
// about 6700 times too high.
constexpr auto kLongestUptakeAcrossMidnight = 12h;

// ---------------------------------------------------------------------------------------------------------------
// Text

// Coded strings compare trimmed and case-insensitively: CS is upper case, hand-edited headers not always.
std::string code(std::string_view s)
{
    std::string out(trimDicomValue(s));
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return char(std::toupper(c)); });
    return out;
}

std::string lowerCase(std::string s)
{
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    return s;
}

// All characters are digits and the number fits.
bool digits(std::string_view s, int& out)
{
    if (s.empty() || !std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; }))
        return false;
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    return ec == std::errc() && end == s.data() + s.size();
}

std::string number(double v, int significant = 6)
{
    char buf[48];
    std::snprintf(buf, sizeof buf, "%.*g", significant, v);
    return buf;
}

std::string fixed(double v, int decimals)
{
    char buf[48];
    std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
    return buf;
}

std::string join(const std::vector<std::string>& parts, const char* separator)
{
    std::string out;
    for (const auto& p : parts)
        out += (out.empty() ? "" : separator) + p;
    return out;
}

std::string quoted(std::string_view s) { return "'" + std::string(s) + "'"; }

// "10:42", "10:42:05" or "13:54:31.843": the clock time as a person reads it.
std::string clockText(DicomDateTime t)
{
    const auto sinceMidnight = t - std::chrono::floor<std::chrono::days>(t);
    const long long us = sinceMidnight.count();
    const long long h = us / 3'600'000'000LL, m = us / 60'000'000LL % 60, s = us / 1'000'000LL % 60,
                    fraction = us % 1'000'000LL;
    char buf[40];
    if (s == 0 && fraction == 0)
        std::snprintf(buf, sizeof buf, "%02lld:%02lld", h, m);
    else
        std::snprintf(buf, sizeof buf, "%02lld:%02lld:%02lld", h, m, s);
    std::string text = buf;
    if (fraction != 0) {
        std::snprintf(buf, sizeof buf, ".%06lld", fraction);
        std::string f = buf;
        f.erase(f.find_last_not_of('0') + 1);
        text += f;
    }
    return text;
}

// Two moments for a message: clock times only, unless they fall on different dates.
std::pair<std::string, std::string> momentsText(DicomDateTime a, DicomDateTime b)
{
    if (std::chrono::floor<std::chrono::days>(a) == std::chrono::floor<std::chrono::days>(b))
        return {clockText(a), clockText(b)};
    return {formatDicomDateTime(a), formatDicomDateTime(b)};
}

double seconds(microseconds d) { return std::chrono::duration<double>(d).count(); }

// ---------------------------------------------------------------------------------------------------------------
// One computation: the inputs, the result being filled and what stands in the way.

class Computation {
public:
    Computation(const SuvInputs& in, const SuvOverrides& ov) : in_(in), ov_(ov) { r_.overrideReason = ov.reason; }

    SuvResult run()
    {
        const std::string modality = code(in_.modality);
        if (modality.empty())
            return finish(SuvResult::Status::NotPet, "Modality (0008,0060) is missing");
        if (modality != "PT")
            return finish(SuvResult::Status::NotPet, "Modality (0008,0060) is " + modality + ", not PT");
        if (!in_.inconsistencies.empty())
            return finish(SuvResult::Status::Unavailable, join(in_.inconsistencies, "; "));
        checkCorrections();
        if (problems_.empty())
            factorByUnits();
        if (!problems_.empty())
            return finish(SuvResult::Status::Unavailable, join(problems_, "; "));
        leanBodyMassFactor();
        return finish(SuvResult::Status::Ok, {});
    }

private:
    SuvResult finish(SuvResult::Status status, std::string reason)
    {
        r_.status = status;
        r_.reason = std::move(reason);
        if (status != SuvResult::Status::Ok) {
            r_.factorBw = std::numeric_limits<double>::quiet_NaN();
            r_.factorLbm.reset();
        }
        r_.usedOverrides = !r_.overridden.empty();
        return r_;
    }

    void overridden(const char* what) { r_.overridden.push_back(what); }

    // QIBA's preconditions hold for every Units: values that are not attenuation and decay corrected are not
    // quantitative, whatever a vendor factor says.
    void checkCorrections()
    {
        if (in_.correctedImage.empty()) {
            problems_.push_back("CorrectedImage (0028,0051) is missing (ATTN and DECY are required)");
            return;
        }
        std::vector<std::string> values;
        for (const auto& v : in_.correctedImage)
            values.push_back(code(v));
        const std::string all = quoted(join(values, "\\"));
        auto has = [&](const char* v) { return std::find(values.begin(), values.end(), v) != values.end(); };
        if (!has("ATTN"))
            problems_.push_back("CorrectedImage (0028,0051) " + all + " lacks ATTN: not attenuation corrected");
        if (!has("DECY"))
            problems_.push_back("CorrectedImage (0028,0051) " + all + " lacks DECY: not decay corrected");
    }

    void factorByUnits()
    {
        const std::string units = code(in_.units);
        r_.heightM = in_.patientSizeM;
        if (units == "BQML") {
            r_.bqmlPerUnit = 1.0;
            if (const auto f = activityFactor())
                r_.factorBw = *f;
            r_.basis = "Units BQML, DecayCorrection " + code(in_.decayCorrection);
        } else if (units == "CNTS") {
            countsFactor();
        } else if (units == "GML") {
            // The scanner stored SUV; applying a factor again would square it. g/mL is also the unit of SUVlbm and
            // SUVibw, which must not be shown as SUVbw.
            if (const std::string type = code(in_.suvType); !type.empty() && type != "BW") {
                problems_.push_back("Units (0054,1001) GML with SUVType (0054,1006) " + type + ": the values are SUV" +
                                    lowerCase(type) + ", not SUVbw");
                return;
            }
            vendorFactor(1.0);
            r_.basis = "Units GML: the values are SUVbw already";
        } else if (units.empty()) {
            problems_.push_back("Units (0054,1001) is missing");
        } else {
            problems_.push_back("Units (0054,1001) " + units +
                                " cannot be converted to SUV (BQML, GML, or CNTS with a Philips scale factor can)");
        }
    }

    static bool usable(const std::optional<double>& v) { return v && std::isfinite(*v) && *v > 0; }

    // Philips writes counts with private factors: (7053,1000) to SUV, (7053,1009) to Bq/mL.
    void countsFactor()
    {
        const auto& suvScale = in_.philipsSuvScaleFactor;
        const auto& activityScale = in_.philipsActivityConcentrationScaleFactor;
        if (usable(activityScale))
            r_.bqmlPerUnit = *activityScale;
        if (usable(suvScale)) {
            vendorFactor(*suvScale);
            r_.basis = "Units CNTS: Philips SUVScaleFactor (7053,1000)";
        } else if (usable(activityScale)) {
            if (const auto f = activityFactor())
                r_.factorBw = *activityScale * *f;
            r_.basis = "Units CNTS: Philips ActivityConcentrationScaleFactor (7053,1009) " + number(*activityScale) +
                       " to Bq/mL, DecayCorrection " + code(in_.decayCorrection);
        } else {
            problems_.push_back(
                "Units (0054,1001) CNTS needs the Philips SUVScaleFactor (7053,1000) or "
                "ActivityConcentrationScaleFactor (7053,1009), and neither is present");
        }
    }

    // GML and Philips (7053,1000): the scanner's factor already holds its weight, dose and timing. A reviewer's
    // weight rescales it (SUVbw is proportional to weight); dose and times cannot be re-applied to it.
    void vendorFactor(double factor)
    {
        const auto header = in_.patientWeightKg;
        if (ov_.weightKg) {
            if (!usable(ov_.weightKg)) {
                problems_.push_back("the reviewer's weight " + number(*ov_.weightKg) + " kg is not positive");
                return;
            }
            if (usable(header)) {
                factor *= *ov_.weightKg / *header;
                r_.weightKg = ov_.weightKg;
                overridden("weight");
            } else {
                r_.notes.push_back(
                    "weight override not applied: the header has no PatientWeight (0010,1030) to rescale the "
                    "scanner's factor from");
            }
        } else if (usable(header)) {
            r_.weightKg = header;
        }
        if (ov_.injectedDoseBq || ov_.injectionDateTime || ov_.scanDateTime)
            r_.notes.push_back(
                "dose and time overrides not applied: the scanner's factor already includes the dose and its decay");
        r_.factorBw = factor;
    }

    // g/mL per Bq/mL: weight / decayed dose. Records every missing or inconsistent input at once, so the reviewer
    // sees everything they would have to override.
    std::optional<double> activityFactor()
    {
        const std::string decay = code(in_.decayCorrection);
        const bool start = decay == "START", admin = decay == "ADMIN";
        if (decay.empty())
            problems_.push_back("DecayCorrection (0054,1102) is missing");
        else if (!start && !admin)
            problems_.push_back("DecayCorrection (0054,1102) is " + decay +
                                ": only START (decay-corrected to the scan start) or ADMIN (to the injection) can be "
                                "converted to SUV");

        const auto weight = positive(ov_.weightKg, in_.patientWeightKg, "PatientWeight (0010,1030)", "kg", "weight");
        const auto dose = positive(ov_.injectedDoseBq, in_.radionuclideTotalDoseBq, "RadionuclideTotalDose (0018,1074)",
                                   "Bq", "injected dose");
        r_.weightKg = weight;
        r_.injectedDoseBq = dose;

        // ADMIN needs no times: record them when they can be found, and never fail on them.
        std::vector<std::string> timeProblems;
        const auto scan = scanStart(timeProblems);
        const auto injection = injectionStart(scan, timeProblems);
        std::optional<double> halfLife;
        if (start) {
            problems_.insert(problems_.end(), timeProblems.begin(), timeProblems.end());
            halfLife = positive({}, in_.radionuclideHalfLifeS, "RadionuclideHalfLife (0018,1075)", "s", "");
            r_.halfLifeS = halfLife;
        }
        if (scan && injection) {
            r_.decayTimeS = seconds(*scan - *injection);
            if (*injection > *scan) {
                const auto [inj, sc] = momentsText(*injection, *scan);
                const std::string text = "decay time is negative: injection " + inj + " is after the scan start " + sc;
                if (start)
                    problems_.push_back(text);
                else if (admin)
                    r_.notes.push_back(text + " (not used: DecayCorrection ADMIN)");
            }
        }
        if (!problems_.empty() || !weight || !dose)
            return std::nullopt;
        r_.decayedDoseBq = start ? *dose * std::exp2(-*r_.decayTimeS / *halfLife) : *dose;
        return *weight * 1000.0 / *r_.decayedDoseBq;
    }

    // The reviewer's value, else the header's; it must be a positive number.
    std::optional<double> positive(const std::optional<double>& override, const std::optional<double>& header,
                                   const std::string& attribute, const char* unit, const char* overrideName)
    {
        if (override) {
            if (!usable(override)) {
                problems_.push_back("the reviewer's " + std::string(overrideName) + " " + number(*override) + " " +
                                    unit + " is not positive");
                return std::nullopt;
            }
            overridden(overrideName);
            return override;
        }
        if (!header) {
            problems_.push_back(attribute + " is missing");
            return std::nullopt;
        }
        if (!usable(header)) {
            problems_.push_back(attribute + " is " + number(*header) + " " + unit);
            return std::nullopt;
        }
        return header;
    }

    static std::string dateTimeProblem(const char* dateName, const std::string& date, const char* timeName,
                                       const std::string& time)
    {
        if (trimDicomValue(date).empty())
            return std::string(dateName) + " is missing";
        if (!parseDicomDate(date))
            return std::string(dateName) + " " + quoted(date) + " is not a DICOM date";
        if (trimDicomValue(time).empty())
            return std::string(timeName) + " is missing";
        return std::string(timeName) + " " + quoted(time) + " is not a DICOM time";
    }

    // Series date/time, unless it is after the first acquisition (then it is when the series was saved, e.g. a
    // re-saved or Siemens multi-bed series): the GE private scan start if present, else the earliest acquisition.
    std::optional<DicomDateTime> scanStart(std::vector<std::string>& problems)
    {
        if (ov_.scanDateTime) {
            r_.scanTime = ov_.scanDateTime;
            r_.scanTimeSource = "reviewer override";
            overridden("scan time");
            return r_.scanTime;
        }
        const auto series = combineDicomDateTime(in_.seriesDate, in_.seriesTime);
        if (!series) {
            problems.push_back(
                dateTimeProblem("SeriesDate (0008,0021)", in_.seriesDate, "SeriesTime (0008,0031)", in_.seriesTime));
            return std::nullopt;
        }
        const auto earliest = combineDicomDateTime(in_.acquisitionDate, in_.acquisitionTime);
        if (!earliest && !(trimDicomValue(in_.acquisitionDate).empty() && trimDicomValue(in_.acquisitionTime).empty()))
            r_.notes.push_back("AcquisitionDate/AcquisitionTime " +
                               quoted(in_.acquisitionDate + " " + in_.acquisitionTime) +
                               " cannot be read; the series date/time is used without comparing");
        if (!earliest || *series <= *earliest) {
            r_.scanTime = series;
            r_.scanTimeSource = "SeriesDate/SeriesTime (0008,0021/0031)";
            return series;
        }
        const std::string after = "SeriesTime " + formatDicomDateTime(*series) + " is after the first acquisition " +
                                  formatDicomDateTime(*earliest);
        if (!trimDicomValue(in_.gePostInjectionDateTime).empty()) {
            const auto ge = parseDicomDateTime(in_.gePostInjectionDateTime);
            if (!ge) {
                problems.push_back("GE private scan start (0009,100D) " + quoted(in_.gePostInjectionDateTime) +
                                   " is not a DICOM date-time");
                return std::nullopt;
            }
            r_.notes.push_back(after + "; the GE private scan start (0009,100D) is used");
            r_.scanTime = ge;
            r_.scanTimeSource = "GE private scan start (0009,100D)";
            return ge;
        }
        r_.notes.push_back(after + "; the earliest acquisition is used");
        r_.scanTime = earliest;
        r_.scanTimeSource = "earliest AcquisitionDate/AcquisitionTime (0008,0022/0032)";
        return earliest;
    }

    std::optional<DicomDateTime> injectionStart(const std::optional<DicomDateTime>& scan,
                                                std::vector<std::string>& problems)
    {
        if (ov_.injectionDateTime) {
            r_.injectionTime = ov_.injectionDateTime;
            r_.injectionTimeSource = "reviewer override";
            overridden("injection time");
            return r_.injectionTime;
        }
        const std::string_view timeText = trimDicomValue(in_.radiopharmaceuticalStartTime);
        const auto timeOfDay = parseDicomTime(timeText);
        if (!trimDicomValue(in_.radiopharmaceuticalStartDateTime).empty()) {
            if (const auto dt = parseDicomDateTime(in_.radiopharmaceuticalStartDateTime)) {
                const auto dtTimeOfDay = *dt - std::chrono::floor<std::chrono::days>(*dt);
                if (timeOfDay && std::chrono::abs(dtTimeOfDay - *timeOfDay) >= 1s)
                    r_.notes.push_back("RadiopharmaceuticalStartTime (0018,1072) " + quoted(timeText) +
                                       " differs from RadiopharmaceuticalStartDateTime (0018,1078); the date-time "
                                       "is used");
                r_.injectionTime = dt;
                r_.injectionTimeSource = "RadiopharmaceuticalStartDateTime (0018,1078)";
                return dt;
            }
            r_.notes.push_back("RadiopharmaceuticalStartDateTime (0018,1078) " +
                               quoted(in_.radiopharmaceuticalStartDateTime) + " is not a DICOM date-time");
        }
        if (timeText.empty()) {
            problems.push_back(trimDicomValue(in_.radiopharmaceuticalStartDateTime).empty()
                                   ? "RadiopharmaceuticalStartDateTime (0018,1078) and RadiopharmaceuticalStartTime "
                                     "(0018,1072) are missing"
                                   : "RadiopharmaceuticalStartTime (0018,1072) is missing");
            return std::nullopt;
        }
        if (!timeOfDay) {
            problems.push_back("RadiopharmaceuticalStartTime (0018,1072) " + quoted(timeText) + " is not a DICOM time");
            return std::nullopt;
        }
        if (!scan)
            return std::nullopt;  // its date is unknown; the scan-time problem is already recorded
        DicomDateTime injection = std::chrono::floor<std::chrono::days>(*scan) + *timeOfDay;
        r_.injectionTimeSource = "RadiopharmaceuticalStartTime (0018,1072) on the scan date";
        if (injection > *scan && *scan - (injection - std::chrono::days{1}) <= kLongestUptakeAcrossMidnight) {
            injection -= std::chrono::days{1};
            r_.injectionTimeSource = "RadiopharmaceuticalStartTime (0018,1072) on the day before the scan";
            r_.notes.push_back("the injection at " + clockText(injection) +
                               " is later in the day than the scan start " + clockText(*scan) +
                               "; it is taken to be on the day before (across midnight)");
        }
        r_.injectionTime = injection;
        return injection;
    }

    void leanBodyMassFactor()
    {
        if (!r_.weightKg) {
            r_.sulUnavailable = "SUL needs PatientWeight (0010,1030)";
            return;
        }
        if (!usable(in_.patientSizeM)) {
            r_.sulUnavailable = "SUL needs PatientSize (0010,1020)";
            return;
        }
        // Some systems write centimetres into a field defined in metres.
        if (*in_.patientSizeM > 2.8 || *in_.patientSizeM < 0.3) {
            r_.sulUnavailable = "PatientSize (0010,1020) " + number(*in_.patientSizeM) + " m is not plausible";
            return;
        }
        const auto lbm = leanBodyMassKg(*r_.weightKg, *in_.patientSizeM, code(in_.patientSex));
        if (!lbm) {
            r_.sulUnavailable =
                "SUL needs PatientSex (0010,0040) M or F" +
                (trimDicomValue(in_.patientSex).empty() ? std::string() : ", not " + quoted(in_.patientSex));
            return;
        }
        r_.leanBodyMassKg = lbm;
        r_.factorLbm = r_.factorBw * *lbm / *r_.weightKg;
    }

    const SuvInputs& in_;
    const SuvOverrides& ov_;
    SuvResult r_;
    std::vector<std::string> problems_;
};

}  // namespace

// ---------------------------------------------------------------------------------------------------------------
// DICOM date and time text

std::optional<std::chrono::year_month_day> parseDicomDate(std::string_view da)
{
    da = trimDicomValue(da);
    std::string compact(da);
    if (da.size() == 10 && da[4] == '.' && da[7] == '.')  // ACR-NEMA "YYYY.MM.DD"
        compact = std::string(da.substr(0, 4)) + std::string(da.substr(5, 2)) + std::string(da.substr(8, 2));
    int y = 0, m = 0, d = 0;
    if (compact.size() != 8 || !digits(std::string_view(compact).substr(0, 4), y) ||
        !digits(std::string_view(compact).substr(4, 2), m) || !digits(std::string_view(compact).substr(6, 2), d))
        return std::nullopt;
    const std::chrono::year_month_day ymd{std::chrono::year{y}, std::chrono::month{unsigned(m)},
                                          std::chrono::day{unsigned(d)}};
    if (!ymd.ok())
        return std::nullopt;
    return ymd;
}

std::optional<microseconds> parseDicomTime(std::string_view tm)
{
    tm = trimDicomValue(tm);
    std::string compact(tm);
    if (tm.find(':') != std::string_view::npos) {  // ACR-NEMA "HH:MM[:SS[.F]]"
        if (!(tm.size() == 5 || (tm.size() >= 8 && tm[5] == ':')) || tm[2] != ':')
            return std::nullopt;
        compact = std::string(tm.substr(0, 2)) + std::string(tm.substr(3, 2)) +
                  (tm.size() >= 8 ? std::string(tm.substr(6)) : std::string());
    }
    const std::string_view text = compact;
    const std::size_t dot = text.find('.');
    const std::string_view main = text.substr(0, dot);
    if (main.size() != 2 && main.size() != 4 && main.size() != 6)
        return std::nullopt;
    int h = 0, m = 0, s = 0;
    if (!digits(main.substr(0, 2), h) || (main.size() >= 4 && !digits(main.substr(2, 2), m)) ||
        (main.size() == 6 && !digits(main.substr(4, 2), s)) || h > 23 || m > 59 || s > 60)
        return std::nullopt;
    long long fraction = 0;
    if (dot != std::string_view::npos) {
        std::string digitsText(text.substr(dot + 1));
        int f = 0;
        if (main.size() != 6 || digitsText.empty() || digitsText.size() > 6)
            return std::nullopt;
        digitsText.resize(6, '0');
        if (!digits(digitsText, f))
            return std::nullopt;
        fraction = f;
    }
    return std::chrono::hours{h} + std::chrono::minutes{m} + std::chrono::seconds{s} + microseconds{fraction};
}

std::optional<DicomDateTime> parseDicomDateTime(std::string_view dt)
{
    dt = trimDicomValue(dt);
    // "&ZZXX": the UTC offset of the same local time; dropped (see DicomDateTime).
    if (const std::size_t sign = dt.find_first_of("+-"); sign != std::string_view::npos) {
        int offset = 0;
        if (sign < 8 || dt.size() - sign != 5 || !digits(dt.substr(sign + 1), offset))
            return std::nullopt;
        dt = dt.substr(0, sign);
    }
    const std::size_t dot = dt.find('.');
    const std::size_t mainLength = dot == std::string_view::npos ? dt.size() : dot;
    if (mainLength != 12 && mainLength != 14)
        return std::nullopt;
    const auto date = parseDicomDate(dt.substr(0, 8));
    const auto time = parseDicomTime(dt.substr(8));
    if (!date || !time)
        return std::nullopt;
    return DicomDateTime{std::chrono::sys_days{*date}} + *time;
}

std::optional<DicomDateTime> combineDicomDateTime(std::string_view da, std::string_view tm)
{
    const auto date = parseDicomDate(da);
    const auto time = parseDicomTime(tm);
    if (!date || !time)
        return std::nullopt;
    return DicomDateTime{std::chrono::sys_days{*date}} + *time;
}

std::string formatDicomDateTime(DicomDateTime t)
{
    const std::chrono::year_month_day ymd{std::chrono::floor<std::chrono::days>(t)};
    const auto sinceMidnight = t - std::chrono::floor<std::chrono::days>(t);
    const long long us = sinceMidnight.count();
    char buf[64];
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02u %02lld:%02lld:%02lld", int(ymd.year()), unsigned(ymd.month()),
                  unsigned(ymd.day()), us / 3'600'000'000LL, us / 60'000'000LL % 60, us / 1'000'000LL % 60);
    std::string text = buf;
    if (const long long fraction = us % 1'000'000LL; fraction != 0) {
        std::snprintf(buf, sizeof buf, ".%06lld", fraction);
        std::string f = buf;
        f.erase(f.find_last_not_of('0') + 1);
        text += f;
    }
    return text;
}

// ---------------------------------------------------------------------------------------------------------------

std::optional<double> leanBodyMassKg(double weightKg, double heightM, std::string_view sex)
{
    if (!(weightKg > 0) || !(heightM > 0) || !std::isfinite(weightKg) || !std::isfinite(heightM))
        return std::nullopt;
    const double bmi = weightKg / (heightM * heightM);
    const std::string s = code(sex);
    if (s == "M")
        return 9270.0 * weightKg / (6680.0 + 216.0 * bmi);
    if (s == "F")
        return 9270.0 * weightKg / (8780.0 + 244.0 * bmi);
    return std::nullopt;
}

SuvResult computeSuv(const SuvInputs& inputs, const SuvOverrides& overrides)
{
    return Computation(inputs, overrides).run();
}

std::string describeSuvInputs(const SuvResult& r)
{
    if (r.status == SuvResult::Status::NotPet)
        return "no SUV: " + r.reason;
    if (r.status != SuvResult::Status::Ok)
        return "SUV unavailable: " + r.reason;
    std::vector<std::string> parts;
    parts.push_back("SUVbw factor " + number(r.factorBw) + " (" + r.basis + ")");
    if (r.weightKg)
        parts.push_back("weight " + number(*r.weightKg, 4) + " kg");
    if (r.injectedDoseBq)
        parts.push_back("injected " + number(*r.injectedDoseBq / 1e6, 5) + " MBq");
    if (r.injectionTime)
        parts.push_back("injection " + formatDicomDateTime(*r.injectionTime) + " (" + r.injectionTimeSource + ")");
    if (r.scanTime)
        parts.push_back("scan start " + formatDicomDateTime(*r.scanTime) + " (" + r.scanTimeSource + ")");
    if (r.decayTimeS)
        parts.push_back("uptake " + fixed(*r.decayTimeS / 60.0, 1) + " min");
    if (r.halfLifeS)
        parts.push_back("half-life " + number(*r.halfLifeS) + " s");
    if (r.decayedDoseBq && r.injectedDoseBq && *r.decayedDoseBq != *r.injectedDoseBq)
        parts.push_back("decayed dose " + number(*r.decayedDoseBq / 1e6, 5) + " MBq");
    if (r.factorLbm && r.leanBodyMassKg && r.heightM)
        parts.push_back("SUL factor " + number(*r.factorLbm) + " (Janmahasatian LBM " + number(*r.leanBodyMassKg, 4) +
                        " kg, height " + number(*r.heightM, 3) + " m)");
    if (r.usedOverrides)
        parts.push_back("overridden by the reviewer: " + join(r.overridden, ", ") +
                        (r.overrideReason.empty() ? std::string() : " (" + r.overrideReason + ")"));
    for (const auto& note : r.notes)
        parts.push_back(note);
    return join(parts, "; ");
}

}  // namespace consilium::model
