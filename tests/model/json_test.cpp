#include <gtest/gtest.h>

#include "model/json.h"

using namespace consilium::model;

TEST(Json, EscapesAndKeepsUtf8)
{
    EXPECT_EQ(jsonQuote("a\"b\\c\n\x01"), "\"a\\\"b\\\\c\\n\\u0001\"");
    EXPECT_EQ(jsonQuote("王秀英"), "\"王秀英\"");
}

TEST(Json, ObjectWithOptionalsAndNumbers)
{
    JsonObject o;
    o.add("name", "x").add("n", 3).add("mpp", 0.499).add("none", std::optional<double>{}).add("ok", true);
    EXPECT_EQ(o.str(), R"({"name":"x","n":3,"mpp":0.499,"none":null,"ok":true})");
    EXPECT_EQ(jsonArray({"1", "\"a\""}), R"([1,"a"])");
    EXPECT_EQ(jsonNumber(1.0 / 0.0), "null");
}
