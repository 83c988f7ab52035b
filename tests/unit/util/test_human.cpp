// Numbers for people: separators and units, never exponents; lines that wrap and tables that fit.

#include <catch2/catch.hpp>

#include "aiadvise/util/human.hpp"
#include "aiadvise/util/table.hpp"
#include "aiadvise/util/text.hpp"

using namespace aiadvise::util;

TEST_CASE("util: quantities have separators and three significant digits, never an exponent", "[util]") {
  CHECK(format_quantity(1290.4) == "1,290");
  CHECK(format_quantity(25689.3) == "25,689");
  CHECK(format_quantity(41.23) == "41.2");
  CHECK(format_quantity(4.126) == "4.13");
  CHECK(format_quantity(0.04123) == "0.0412");
  CHECK(format_quantity(0.000012345) == "0.0000123");
  CHECK(format_quantity(0) == "0");
  CHECK(format_quantity(12.0) == "12");
  CHECK(format_quantity(165e6) == "165M");
  CHECK(format_quantity(2.5e12) == "2.5T");
  CHECK(format_quantity(-1234.0) == "-1,234");
  for (double v : {1e-9, 3.3e-5, 12345678.0, 9.99e15, 1.28e4, 2.319e5}) {
    INFO(v);
    CHECK(format_quantity(v).find('e') == std::string::npos);
  }
}

TEST_CASE("util: dollars as budgets read them", "[util]") {
  CHECK(format_usd(231947.0) == "$231,900");
  CHECK(format_usd(1107.08) == "$1,107");
  CHECK(format_usd(275.7) == "$276");
  CHECK(format_usd(23.92) == "$23.92");
  CHECK(format_usd(1.516) == "$1.52");
  CHECK(format_usd(0.329) == "$0.329");
  CHECK(format_usd(0.000208) == "$0.000208");
  CHECK(format_usd(0) == "$0");
  CHECK(format_usd(-12.5) == "-$12.50");
}

TEST_CASE("util: durations in the unit that reads best", "[util]") {
  CHECK(format_duration_ms(0.85) == "0.85 ms");
  CHECK(format_duration_ms(49.6) == "49.6 ms");
  CHECK(format_duration_ms(412) == "412 ms");
  CHECK(format_duration_ms(12830) == "12.8 s");
  CHECK(format_duration_ms(125000) == "2.08 min");
  CHECK(format_hours(1.25) == "1.25 h");
  CHECK(format_hours(0.5) == "30 min");
  CHECK(format_hours(500) == "20.8 days");
  CHECK(format_gib(15.0) == "15.0 GiB");
  CHECK(format_gib(0.0938) == "0.09 GiB");
}

TEST_CASE("util: group_thousands", "[util]") {
  CHECK(group_thousands(1234567.891, 1) == "1,234,567.9");
  CHECK(group_thousands(999) == "999");
  CHECK(group_thousands(-1000) == "-1,000");
  CHECK(group_thousands(-0.4) == "0");
}

TEST_CASE("util: wrap breaks at spaces, within the width, with hanging indents", "[util]") {
  const std::string text = "phase: inference (default); mode: realtime (default); precision: bf16 (the published weights)";
  const std::string out = wrap(text, 40, "Assumed: ", "  ");
  CHECK(max_line_width(out) <= 40);
  CHECK(out.rfind("Assumed: phase:", 0) == 0);
  CHECK(out.find("\n  ") != std::string::npos);
  CHECK(out.back() == '\n');
  // Every word survives, in order.
  std::string joined;
  for (char ch : out) joined += ch == '\n' ? ' ' : ch;
  CHECK(joined.find("(the published weights)") != std::string::npos);
  // A word longer than the width gets a line of its own rather than being cut.
  CHECK(wrap("a averyveryverylongword b", 10) == "a\naveryveryverylongword\nb\n");
  CHECK(wrap("no limit at all", 0) == "no limit at all\n");
}

TEST_CASE("util: a swapped pair is one edit, so --modle suggests --model, not --mode", "[util]") {
  CHECK(typo_distance("modle", "model") == 1);
  CHECK(typo_distance("modle", "mode") == 1);
  CHECK(edit_distance("modle", "model") == 2);
  CHECK(nearest("--modle", {"--mode", "--model", "--method"}) == std::optional<std::string>("--model"));
  CHECK(nearest("--qpss", {"--qps", "--quiet"}) == std::optional<std::string>("--qps"));
}

TEST_CASE("util: a table fits its width by leaving out droppable columns, then bringing back what fits", "[util]") {
  Table t({"#", "instance", "service", "compute", "$/hour", "$/month"});
  t.add_row({"1", "Standard_NC24ads_A100_v4", "azure-ml-online-endpoint", "inferentia", "3.67", "2,681"});
  t.drop_rank(2, 5);
  t.drop_rank(3, 3);
  t.drop_rank(4, 4);
  const std::string all = t.render();
  CHECK(all.find("azure-ml-online-endpoint") != std::string::npos);
  const std::string narrow = t.render(60);
  CHECK(max_line_width(narrow) <= 60);
  CHECK(narrow.find("service") == std::string::npos);
  CHECK(narrow.find("$/month") != std::string::npos);
  CHECK(narrow.find("$/hour") != std::string::npos);
  CHECK(narrow.find("compute") != std::string::npos);
  // At 46 columns $/hour (rank 4) goes before compute (rank 3), and compute goes too; then $/hour,
  // narrower than compute, fits again.
  const std::string fifty = t.render(46);
  CHECK(max_line_width(fifty) <= 46);
  CHECK(fifty.find("compute") == std::string::npos);
  CHECK(fifty.find("$/hour") != std::string::npos);
  // Nothing droppable left: cells are shortened rather than overflow.
  const std::string tiny = t.render(30);
  CHECK(max_line_width(tiny) <= 30);
  CHECK(tiny.find("...") != std::string::npos);
}

TEST_CASE("util: wrap keeps a number with its unit", "[util]") {
  const std::string out = wrap("a request takes TTFT 143 ms + 256 tokens x 49.6 ms TPOT = 12.8 s", 44);
  CHECK(out.find("49.6\n") == std::string::npos);
  CHECK(out.find("49.6 ms") != std::string::npos);
  CHECK(max_line_width(out) <= 44);
}
