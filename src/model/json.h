#pragma once
// A small JSON text builder for the CLI's --json output and the audit log's before/after snapshots.
// Writing only: reading JSON (GeoJSON import) belongs to the layer that needs it.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace consilium::model {

std::string jsonQuote(std::string_view text);  // "…" with RFC 8259 escapes; UTF-8 passes through

class JsonObject {
public:
    JsonObject& add(std::string_view key, std::string_view value);
    JsonObject& add(std::string_view key, const char* value) { return add(key, std::string_view(value)); }
    JsonObject& add(std::string_view key, const std::string& value) { return add(key, std::string_view(value)); }
    JsonObject& add(std::string_view key, std::int64_t value);
    JsonObject& add(std::string_view key, int value) { return add(key, std::int64_t(value)); }
    JsonObject& add(std::string_view key, double value);
    JsonObject& add(std::string_view key, bool value);
    JsonObject& addNull(std::string_view key);
    JsonObject& addRaw(std::string_view key, std::string_view json);  // an already-built object or array
    template <typename T>
    JsonObject& add(std::string_view key, const std::optional<T>& value)
    {
        return value ? add(key, *value) : addNull(key);
    }
    std::string str() const { return "{" + body_ + "}"; }

private:
    void key(std::string_view k);
    std::string body_;
};

std::string jsonArray(const std::vector<std::string>& rawElements);  // elements already JSON
std::string jsonNumber(double value);                                // shortest text that round-trips

}  // namespace consilium::model
