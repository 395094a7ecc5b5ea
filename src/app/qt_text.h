#pragma once
// Conversions between the libraries' std::string (UTF-8) and what QML shows.
#include <QString>
#include <QVariant>
#include <optional>
#include <string>
#include <string_view>

#include "model/case.h"

namespace consilium::app {

inline QString qs(std::string_view utf8) { return QString::fromUtf8(utf8.data(), qsizetype(utf8.size())); }
QString humanDate(model::Date date);  // "Mon 23 Nov 2026"
QString humanDate(const std::optional<model::Date>& date);
QString patientDetails(const model::Patient& patient, model::Date asOf);  // "F · 59 y · born 14 Mar 1967 · Kazakhstan"
QString dicomDate(const std::string& da);  // DICOM DA "20261027" -> "Tue 27 Oct 2026"; as given if not a date
QString humanSize(qint64 bytes);           // "2.4 MB"
// A date typed into a form: empty is "not given"; anything else must be YYYY-MM-DD (UsageError naming `label`).
std::optional<model::Date> dateFromForm(const QVariant& value, const char* label);

}  // namespace consilium::app
