#include <catch2/catch.hpp>

#include "aiadvise/util/text.hpp"

using namespace aiadvise::util;

TEST_CASE("text: counts take K, M, B and T suffixes", "[util]") {
  CHECK(*parse_count("350M") == Approx(350e6));
  CHECK(*parse_count("7B") == Approx(7e9));
  CHECK(*parse_count("1.2T") == Approx(1.2e12));
  CHECK(*parse_count("12k") == Approx(12e3));
  CHECK(*parse_count("6.74e9") == Approx(6.74e9));
  CHECK_FALSE(parse_count("-7B"));
  CHECK_FALSE(parse_count("7X"));
  CHECK_FALSE(parse_count("nan"));
  CHECK_FALSE(parse_count("inf"));
  CHECK_FALSE(parse_count(""));
  CHECK_FALSE(parse_count("B"));
}

TEST_CASE("text: did-you-mean finds near typos and nothing for unrelated words", "[util]") {
  const std::vector<std::string> ids{"llama-2-7b", "llama-2-70b", "mistral-7b"};
  CHECK(nearest("llama-2-7", ids) == std::optional<std::string>("llama-2-7b"));
  CHECK(nearest("mistrall-7b", ids) == std::optional<std::string>("mistral-7b"));
  CHECK_FALSE(nearest("resnet", ids));
  CHECK(did_you_mean("mistal-7b", ids) == " (did you mean 'mistral-7b'?)");
}

TEST_CASE("text: control, bidi and invalid UTF-8 bytes are escaped for the terminal", "[util]") {
  CHECK(escape_for_terminal("a\x1b[31mb") == "a\\x1b[31mb");
  CHECK(escape_for_terminal("line\nnext") == "line\\nnext");
  CHECK(escape_for_terminal("x\xe2\x80\xaey") == "x\\u{202e}y");  // RIGHT-TO-LEFT OVERRIDE
  CHECK(escape_for_terminal("\xff") == "\\xff");
  CHECK(escape_for_terminal("caf\xc3\xa9") == "caf\xc3\xa9");  // valid UTF-8 stays
}

TEST_CASE("text: lists split on commas and drop blanks", "[util]") {
  CHECK(split_list("aws, gcp,,azure ") == std::vector<std::string>{"aws", "gcp", "azure"});
  CHECK(join({"a", "b"}, ", ") == "a, b");
}
