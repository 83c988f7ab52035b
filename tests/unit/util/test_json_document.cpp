#include <catch2/catch.hpp>

#include "aiadvise/util/file_io.hpp"
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

TEST_CASE("json: many lookups in one container are located like one scan would", "[util][json]") {
  // 20,000 keys, some with escapes, every one located; the positions agree with a plain scan.
  std::string text = "{\n";
  for (int i = 0; i < 20000; ++i) text += "  \"k" + std::to_string(i) + (i % 1000 == 0 ? "\\u00e9" : "") + "\": [" + std::to_string(i) + "],\n";
  text += "  \"end\": 0\n}";
  std::vector<Diagnostic> d;
  const auto doc = parse(text, d);
  REQUIRE(doc.ok());
  for (int i = 0; i < 20000; i += 7) {
    const std::string key = "k" + std::to_string(i) + (i % 1000 == 0 ? "\xc3\xa9" : "");
    const auto where = text.find("\"k" + std::to_string(i) + (i % 1000 == 0 ? "\\u00e9" : "") + "\"");
    const auto expected = position_of_offset(text, text.find('[', where));
    const auto got = doc.locate(pointer_append("", key));
    INFO(key);
    CHECK(got.line == expected.line);
    CHECK(got.column == expected.column);
    // Inside the value too, and a missing element falls back to the array.
    CHECK(doc.locate(pointer_append(pointer_append("", key), std::size_t{0})).column == expected.column + 1);
    CHECK(doc.locate(pointer_append(pointer_append("", key), std::size_t{5})).column == expected.column);
  }
}

TEST_CASE("json: each repeat of a duplicated key is reported where it is", "[util][json]") {
  std::vector<Diagnostic> d;
  CHECK_FALSE(parse("{\"a\": 1,\n \"a\": 2,\n \"a\": 3}", d).ok());
  REQUIRE(d.size() == 2);
  CHECK(d[0].line == 2);
  CHECK(d[1].line == 3);
  CHECK(d[1].message == "duplicate key (first defined at line 1, column 7)");
}

TEST_CASE("json: the run's value budget is shared by its documents", "[util][json]") {
  InputBudget budget(8 * 100);  // 100 values
  std::vector<Diagnostic> d;
  std::string fifty = "[";
  for (int i = 0; i < 49; ++i) fifty += "0,";
  fifty += "0]";  // 51 values with the array
  CHECK(parse(fifty, d).ok());
  CHECK(budget.values_left() == 49);
  CHECK_FALSE(parse("{\"a\":\n" + fifty + "}", d).ok());  // 52 more
  REQUIRE(d.size() == 1);
  CHECK(d[0].message.find("more JSON values than this run may hold (100 in all inputs together") == 0);
  CHECK(d[0].line == 2);
  CHECK(d[0].column == 2 + 2 * 47);  // the 50th value of the document: the 48th element
  // Documents that do not draw from the budget (a --batch line) are not limited by it.
  JsonLimits line;
  line.draw_from_budget = false;
  d.clear();
  CHECK(parse(fifty + "", d, line).ok());
}

TEST_CASE("diagnostics: a full list counts what it does not keep", "[util][json]") {
  std::vector<Diagnostic> list;
  int made = 0;
  for (std::size_t i = 0; i < k_max_diagnostics + 5; ++i) {
    add_made_diagnostic(list, [&] {
      ++made;
      return Diagnostic{"f", i, 1, "", "problem"};
    });
  }
  CHECK(list.size() == k_max_diagnostics);
  CHECK(made == static_cast<int>(k_max_diagnostics));  // the rest were never made (nor located)
  CHECK(list.back().more == 5);
  CHECK(count_problems(list) == k_max_diagnostics + 5);
  std::vector<Diagnostic> merged{Diagnostic{"g", 1, 1, "", "first"}};
  add_diagnostics(merged, list);
  CHECK(merged.size() == k_max_diagnostics);
  CHECK(count_problems(merged) == k_max_diagnostics + 6);
}
