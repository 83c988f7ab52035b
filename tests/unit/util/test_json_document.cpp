#include <catch2/catch.hpp>

#include "aiadvise/util/json_document.hpp"

using namespace aiadvise::util;

namespace {
JsonDocument parse(const std::string& text, std::vector<Diagnostic>& d, JsonLimits limits = {}) {
  return JsonDocument::parse("t.json", text, limits, d);
}
}  // namespace

TEST_CASE("json: positions count lines and UTF-8 characters", "[util][json]") {
  const std::string text = "{\n  \"caf\xc3\xa9\": 1,\n  \"x\": 2}";
  const auto p = position_of_offset(text, text.find("\"x\""));
  CHECK(p.line == 3);
  CHECK(p.column == 3);
  const auto q = position_of_offset(text, text.find(": 1"));
  CHECK(q.column == 9);  // é is one character
}

TEST_CASE("json: pointers escape '~' and '/'", "[util][json]") {
  CHECK(pointer_append("/a", "b/c~d") == "/a/b~1c~0d");
  CHECK(pointer_append("", std::size_t{3}) == "/3");
}

TEST_CASE("json: a pointer is located in the text, or its nearest parent", "[util][json]") {
  std::vector<Diagnostic> d;
  const auto doc = parse("{\"a\": [10, {\"b\": \"x\"}],\n \"c\": 3}", d);
  REQUIRE(doc.ok());
  CHECK(doc.locate("/a/1/b").column == 18);
  CHECK(doc.locate("/c").line == 2);
  CHECK(doc.locate("/a/1/missing").column == 12);  // falls back to the object
}

TEST_CASE("json: NUL bytes, duplicate keys and trailing garbage are errors", "[util][json]") {
  std::vector<Diagnostic> d;
  CHECK_FALSE(parse(std::string("{\"a\":1}\0garbage", 15), d).ok());
  REQUIRE(d.size() == 1);
  CHECK(d[0].message == "NUL byte in input");
  CHECK(d[0].column == 8);
  d.clear();
  CHECK_FALSE(parse("{\"a\": 1, \"a\": 2}", d).ok());
  REQUIRE(d.size() == 1);
  CHECK(d[0].pointer == "/a");
  CHECK(d[0].message == "duplicate key (first defined at line 1, column 7)");
  d.clear();
  CHECK_FALSE(parse("{} {}", d).ok());
  CHECK(d.at(0).message.find("invalid JSON") == 0);
}

TEST_CASE("json: the depth cap accepts the cap and rejects one more", "[util][json]") {
  JsonLimits limits;
  limits.max_depth = 3;
  std::vector<Diagnostic> d;
  CHECK(parse("[[[1]]]", d, limits).ok());
  CHECK(d.empty());
  CHECK_FALSE(parse("[[[[1]]]]", d, limits).ok());
  REQUIRE(d.size() == 1);
  CHECK(d[0].column == 4);
}

TEST_CASE("json: a huge exponent is an overflow at its position, UTF-16 is named", "[util][json]") {
  std::vector<Diagnostic> d;
  CHECK_FALSE(parse("{\"a\": 1e400}", d).ok());
  REQUIRE(d.size() == 1);
  CHECK(d[0].message.find("number overflow") != std::string::npos);
  d.clear();
  CHECK_FALSE(parse("\xff\xfe{\0}\0", d).ok());
  CHECK(d.at(0).message.find("UTF-16") != std::string::npos);
}
