#include "model/json.h"

#include <charconv>
#include <cmath>
#include <cstdio>

namespace consilium::model {

std::string jsonQuote(std::string_view text)
{
    std::string out = "\"";
    for (unsigned char c : text) {
        switch (c) {
            case '"':
                out += "\\\"";
                break;
            case '\\':
                out += "\\\\";
                break;
            case '\n':
                out += "\\n";
                break;
            case '\r':
                out += "\\r";
                break;
            case '\t':
                out += "\\t";
                break;
            default:
                if (c < 0x20) {
                    char buf[8];
                    std::snprintf(buf, sizeof buf, "\\u%04x", c);
                    out += buf;
                } else {
                    out += char(c);
                }
        }
    }
    return out + "\"";
}

std::string jsonNumber(double value)
{
    if (!std::isfinite(value))
        return "null";
    char buf[32];
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value);
    return std::string(buf, end);
}

void JsonObject::key(std::string_view k)
{
    if (!body_.empty())
        body_ += ',';
    body_ += jsonQuote(k) + ':';
}

JsonObject& JsonObject::add(std::string_view k, std::string_view value)
{
    key(k);
    body_ += jsonQuote(value);
    return *this;
}

JsonObject& JsonObject::add(std::string_view k, std::int64_t value)
{
    key(k);
    body_ += std::to_string(value);
    return *this;
}

JsonObject& JsonObject::add(std::string_view k, double value)
{
    key(k);
    body_ += jsonNumber(value);
    return *this;
}

JsonObject& JsonObject::add(std::string_view k, bool value)
{
    key(k);
    body_ += value ? "true" : "false";
    return *this;
}

JsonObject& JsonObject::addNull(std::string_view k)
{
    key(k);
    body_ += "null";
    return *this;
}

JsonObject& JsonObject::addRaw(std::string_view k, std::string_view json)
{
    key(k);
    body_ += json;
    return *this;
}

std::string jsonArray(const std::vector<std::string>& rawElements)
{
    std::string out = "[";
    for (std::size_t i = 0; i < rawElements.size(); ++i)
        out += (i ? "," : "") + rawElements[i];
    return out + "]";
}

}  // namespace consilium::model
