#include "qt_text.h"

#include <QDate>
#include <QLocale>
#include <QStringList>

#include "model/error.h"

namespace consilium::app {

namespace {
QDate toQDate(model::Date d) { return QDate(int(d.year()), int(unsigned(d.month())), int(unsigned(d.day()))); }
}  // namespace

QString humanDate(model::Date date) { return QLocale(QLocale::English).toString(toQDate(date), "ddd d MMM yyyy"); }

QString humanDate(const std::optional<model::Date>& date) { return date ? humanDate(*date) : QString(); }

QString patientDetails(const model::Patient& p, model::Date asOf)
{
    QStringList parts;
    if (!p.sex.empty())
        parts << qs(p.sex);
    if (p.birthDate) {
        const QDate born = toQDate(*p.birthDate), now = toQDate(asOf);
        int age = now.year() - born.year();
        if (now.month() < born.month() || (now.month() == born.month() && now.day() < born.day()))
            --age;
        parts << QStringLiteral("%1 y").arg(age)
              << QStringLiteral("born %1").arg(QLocale(QLocale::English).toString(born, "d MMM yyyy"));
    }
    if (!p.country.empty())
        parts << qs(p.country);
    return parts.join(QStringLiteral(" · "));
}

QString dicomDate(const std::string& da)
{
    if (da.size() != 8)
        return qs(da);
    auto d = model::parseIsoDate(da.substr(0, 4) + "-" + da.substr(4, 2) + "-" + da.substr(6, 2));
    return d ? humanDate(*d) : qs(da);
}

QString humanSize(qint64 bytes)
{
    return QLocale(QLocale::English).formattedDataSize(bytes, 1, QLocale::DataSizeSIFormat);
}

std::optional<model::Date> dateFromForm(const QVariant& value, const char* label)
{
    const std::string text = value.toString().trimmed().toStdString();
    if (text.empty())
        return std::nullopt;
    auto date = model::parseIsoDate(text);
    if (!date)
        throw UsageError(label, "'" + text + "' is not a date (YYYY-MM-DD)");
    return date;
}

}  // namespace consilium::app
