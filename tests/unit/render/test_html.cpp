// The HTML reports (recommend --format html, check --format html) and the terminal bar chart
// (recommend --chart).

#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdlib>
#include <string>
#include <vector>

#include "aiadvise/cli/app.hpp"
#include "aiadvise/cli/exit_codes.hpp"
#include "aiadvise/render/chart.hpp"
#include "aiadvise/render/html.hpp"
#include "aiadvise/report/recommend.hpp"
#include "aiadvise/scoring/recommend.hpp"
#include "aiadvise/sizing/sizing.hpp"
#include "aiadvise/workload/workload.hpp"
#include "support/helpers.hpp"

using aiadvise::util::Json;
namespace render = aiadvise::render;

namespace {

Json report_for(const aiadvise::workload::FlagValues& flags, bool feasible_points = true) {
  const auto& c = aiadvise::test::default_catalog();
  const auto w = aiadvise::workload::normalise(nullptr, flags, c);
  const auto req = aiadvise::sizing::requirements(w, c);
  const auto d = aiadvise::scoring::recommend(w, req, c, {});
  aiadvise::report::ReportOptions options;
  options.feasible_points = feasible_points;
  return aiadvise::report::recommendation_report(w, req, d, c, options);
}

Json training_report() {
  return report_for({{"model", "resnet-50"}, {"phase", "training"}, {"dataset_samples", "1.28M"}, {"epochs", "90"}, {"deadline_hours", "24"}});
}

Json serving_report() { return report_for({{"model", "llama-3.1-8b"}, {"qps", "5"}}); }

std::size_t count(const std::string& text, const std::string& needle) {
  std::size_t n = 0;
  for (auto at = text.find(needle); at != std::string::npos; at = text.find(needle, at + needle.size())) ++n;
  return n;
}

/// The tags of a document (text between '<' and '>'; escaped text has no '<'), without their
/// attribute values.
std::vector<std::string> tags(const std::string& html) {
  std::vector<std::string> out;
  for (auto at = html.find('<'); at != std::string::npos; at = html.find('<', at + 1)) {
    const std::string tag = html.substr(at, html.find('>', at) - at + 1);
    // Attribute values are escaped text: keep the names and the quotes, drop what is between.
    std::string names;
    bool quoted = false;
    for (char ch : tag) {
      if (ch == '"') {
        quoted = !quoted;
        names += ch;
      } else if (!quoted) {
        names += ch;
      }
    }
    out.push_back(names);
  }
  return out;
}

/// One document; nothing it would load or link to from outside. `any_text`: not even a URL in its
/// text (true of every report whose own data names none).
void check_self_contained(const std::string& html, bool any_text = true) {
  CHECK(html.rfind("<!DOCTYPE html>", 0) == 0);
  CHECK(count(html, "<html") == 1);
  CHECK(count(html, "</html>") == 1);
  CHECK(count(html, "<body") == 1);
  if (any_text) {
    CHECK(html.find("http://") == std::string::npos);
    CHECK(html.find("https://") == std::string::npos);
    CHECK(html.find("src=") == std::string::npos);
  }
  for (const auto& tag : tags(html)) {
    INFO(tag);
    CHECK(tag.find("src=") == std::string::npos);
    CHECK(tag.find("href=") == std::string::npos);
    CHECK(tag.rfind("<script", 0) != 0);
    CHECK(tag.rfind("<link", 0) != 0);
    CHECK(tag.rfind("<img", 0) != 0);
    CHECK(tag.rfind("<iframe", 0) != 0);
    CHECK(tag.rfind("<object", 0) != 0);
  }
  CHECK(html.find("url(") == std::string::npos);
  CHECK(html.find("@import") == std::string::npos);
}

/// Sets an environment variable for a scope.
struct ScopedEnv {
  std::string name;
  std::string old;
  bool had = false;
  ScopedEnv(std::string n, const char* value) : name(std::move(n)) {
    if (const char* v = std::getenv(name.c_str())) {
      had = true;
      old = v;
    }
    if (value) ::setenv(name.c_str(), value, 1);
    else ::unsetenv(name.c_str());
  }
  ~ScopedEnv() {
    if (had) ::setenv(name.c_str(), old.c_str(), 1);
    else ::unsetenv(name.c_str());
  }
};

}  // namespace

TEST_CASE("html: the report's feasible points mark the Pareto front and the pick", "[html]") {
  const Json r = training_report();
  REQUIRE(r.contains("feasible"));
  const Json& pts = r["feasible"];
  REQUIRE(pts.size() > 10);
  int recommended = 0, pareto = 0;
  for (const auto& p : pts) {
    REQUIRE(p.contains("cost"));
    REQUIRE(p.contains("time_hours"));
    CHECK_FALSE(p.contains("throughput"));
    recommended += p["recommended"].get<bool>();
    pareto += p["pareto"].get<bool>();
    // Pareto: no other point is no worse on both axes and better on one.
    if (p["pareto"].get<bool>()) {
      for (const auto& q : pts) {
        const double pc = p["cost"], pt = p["time_hours"], qc = q["cost"], qt = q["time_hours"];
        CHECK_FALSE((qc <= pc && qt <= pt && (qc < pc || qt < pt)));
      }
    }
  }
  CHECK(recommended == 1);
  CHECK(pareto >= 1);
  CHECK(pts[0]["recommended"].get<bool>());
  CHECK(pts[0]["instance"] == r["recommendation"]["instance"]);

  // Without the option the report is unchanged.
  CHECK_FALSE(report_for({{"model", "resnet-50"}, {"phase", "training"}, {"dataset_samples", "1.28M"}, {"epochs", "90"}}, false)
                  .contains("feasible"));
  // Serving: throughput, not time.
  const Json s = serving_report();
  REQUIRE(!s["feasible"].empty());
  CHECK(s["feasible"][0].contains("throughput"));
  CHECK_FALSE(s["feasible"][0].contains("time_hours"));
}

TEST_CASE("html: the recommendation page is one self-contained document with the chart", "[html]") {
  for (const Json& r : {training_report(), serving_report()}) {
    const std::string html = render::recommendation_html(r);
    check_self_contained(html);
    const std::string instance = r["recommendation"]["instance"].get<std::string>();
    CHECK(html.find("id=\"recommended-instance\">" + render::html_escape(instance) + "<") != std::string::npos);
    for (const char* id : {"recommendation", "reasons", "compute-reasons", "deployment-reasons", "chart", "alternatives", "excluded", "assumed"}) {
      INFO(id);
      CHECK(html.find(std::string("id=\"") + id + "\"") != std::string::npos);
    }
    CHECK(count(html, "<svg") == 1);
    std::size_t pareto = 0;
    for (const auto& p : r["feasible"]) pareto += p["pareto"].get<bool>();
    // One circle per feasible candidate, and only those.
    CHECK(count(html, "<circle") == r["feasible"].size());
    CHECK(count(html, "<circle class=\"point") == r["feasible"].size());
    CHECK(count(html, "class=\"point pareto") == pareto);
    CHECK(count(html, " recommended\"") == 1);
    const bool front_drawn = html.find("class=\"pareto-front\" points=") != std::string::npos;
    CHECK((front_drawn || pareto == 1));
    // Axes with titles and ticks.
    CHECK(html.find("class=\"axis-title x-title\"") != std::string::npos);
    CHECK(html.find("class=\"axis-title y-title\"") != std::string::npos);
    CHECK(count(html, "class=\"tick x-tick\"") >= 2);
    CHECK(count(html, "class=\"tick y-tick\"") >= 2);
    // Every alternative is in the table.
    CHECK(count(html, "<tr class=\"option") == 1 + r["alternatives"].size());
  }
}

TEST_CASE("html: hostile text is escaped", "[html]") {
  CHECK(render::html_escape("<script>alert('x')</script> & \"q\"") == "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;");
  CHECK(render::html_escape(std::string("a\x1b[31mb")) == "a\xEF\xBF\xBD[31mb");

  Json r = training_report();
  const std::string hostile = "<img src=x onerror=alert(1)>\"'&";
  r["recommendation"]["instance"] = hostile;
  r["compute"]["reasons"].push_back(hostile);
  r["workload"]["assumed"].push_back(hostile);
  r["warnings"].push_back("https://evil.example/" + hostile);
  r["feasible"][0]["instance"] = hostile;
  r["excluded"][hostile] = 3;
  const std::string html = render::recommendation_html(r);
  check_self_contained(html, false);
  CHECK(html.find("<img") == std::string::npos);
  CHECK(html.find("&lt;img src=x onerror=alert(1)&gt;&quot;&#39;&amp;") != std::string::npos);

  Json check = {{"schema_version", 1},
                {"summary", {{"workloads", 1}, {"pass", 0}, {"warn", 0}, {"fail", 1}, {"failed", true}, {"fail_on", "fail"},
                             {"max_cost_ratio", 1.5}, {"min_cost_difference_usd", 0.5}}},
                {"skipped", Json::array({{{"address", hostile}, {"type", "aws_instance"}, {"reason", hostile}}})},
                {"warnings", Json::array({hostile})},
                {"workloads", Json::array({{{"name", hostile},
                                            {"verdict", "fail"},
                                            {"proposed", {{"instance", hostile}, {"count", 2}, {"service", "ec2"}, {"cloud", "aws"}, {"origin", "flags"}}},
                                            {"best", nullptr},
                                            {"findings", Json::array({{{"rule", "fit-memory"}, {"severity", "fail"}, {"message", hostile}}})}}})}};
  const std::string page = render::check_html(check);
  check_self_contained(page, false);
  CHECK(page.find("<img") == std::string::npos);
  CHECK(page.find("id=\"workloads\"") != std::string::npos);
  CHECK(page.find("<tr class=\"workload fail\">") != std::string::npos);
  CHECK(page.find("class=\"finding fail\"") != std::string::npos);
}

TEST_CASE("html: check --format html summarises every workload with its verdict", "[html]") {
  const auto r = aiadvise::cli::run_captured(
      {"--no-config", "check", "--project", std::string(AIADVISE_SOURCE_DIR) + "/examples/aiadvise.json", "--format", "html"});
  REQUIRE(r.err.empty());
  CHECK((r.code == aiadvise::cli::k_exit_ok || r.code == aiadvise::cli::k_exit_findings));
  check_self_contained(r.out);
  const auto json = aiadvise::cli::run_captured(
      {"--no-config", "check", "--project", std::string(AIADVISE_SOURCE_DIR) + "/examples/aiadvise.json", "--format", "json"});
  const Json report = Json::parse(json.out);
  CHECK(count(r.out, "<tr class=\"workload ") == report["workloads"].size());
  std::size_t findings = 0;
  for (const auto& w : report["workloads"]) findings += w["findings"].size();
  CHECK(count(r.out, "<li class=\"finding ") == findings);
}

TEST_CASE("html: recommend --format html through the command line", "[html]") {
  const auto r = aiadvise::cli::run_captured({"--no-config", "recommend", "--model", "llama-3.1-8b", "--qps", "5", "--format", "html"});
  REQUIRE(r.code == aiadvise::cli::k_exit_ok);
  check_self_contained(r.out);
  CHECK(r.out.find("<svg id=\"chart\"") != std::string::npos);
  // JSON stays as it was: the feasible points are only asked for by the HTML report.
  const auto json = aiadvise::cli::run_captured({"--no-config", "recommend", "--model", "llama-3.1-8b", "--qps", "5", "--format", "json"});
  CHECK_FALSE(Json::parse(json.out).contains("feasible"));
}

TEST_CASE("html: chart bars in UTF-8 and in ASCII", "[html]") {
  const Json r = training_report();
  render::ChartStyle style;
  style.unicode = true;
  const std::string unicode = render::recommendation_chart(r, style);
  CHECK(unicode.find("Cost for the run (USD, lower is better)") != std::string::npos);
  CHECK(unicode.find("Time (lower is better)") != std::string::npos);
  CHECK(unicode.find("█") != std::string::npos);
  CHECK(unicode.find('#') == std::string::npos);
  // The longest bar is the full width: 40 full blocks.
  std::string full;
  for (int k = 0; k < 40; ++k) full += "█";
  CHECK(unicode.find(full) != std::string::npos);
  CHECK(unicode.find(full + "█") == std::string::npos);
  // Every top option is there with its label, twice (cost and time).
  CHECK(count(unicode, r["recommendation"]["instance"].get<std::string>() + " on ") >= 2);

  style.unicode = false;
  const std::string ascii = render::recommendation_chart(r, style);
  CHECK(ascii.find(std::string(40, '#')) != std::string::npos);
  for (unsigned char ch : ascii) CHECK(ch < 0x80);
  // Aligned: within each section (cost, then time) every bar starts in the same column.
  std::vector<std::vector<std::size_t>> sections(1);
  std::size_t line_start = 0;
  for (std::size_t at = 0; at <= ascii.size(); ++at) {
    if (at != ascii.size() && ascii[at] != '\n') continue;
    const std::string line = ascii.substr(line_start, at - line_start);
    line_start = at + 1;
    if (line.empty() && at != ascii.size()) sections.emplace_back();
    else if (line.find('#') != std::string::npos) sections.back().push_back(line.find('#'));
  }
  REQUIRE(sections.size() == 2);
  for (const auto& starts : sections) {
    REQUIRE(starts.size() == 1 + r["alternatives"].size());
    CHECK(std::count(starts.begin(), starts.end(), starts.front()) == static_cast<long>(starts.size()));
  }

  // Serving: cost per month (730 h) and throughput.
  const std::string serving = render::recommendation_chart(serving_report(), style);
  CHECK(serving.find("Cost (USD per month of 730 h, lower is better)") != std::string::npos);
  CHECK(serving.find("Throughput (") != std::string::npos);
  CHECK(serving.find("/month") != std::string::npos);
}

TEST_CASE("html: the chart follows the locale and --chart needs the table format", "[html]") {
  {
    ScopedEnv all("LC_ALL", nullptr), ctype("LC_CTYPE", nullptr), lang("LANG", "en_US.UTF-8");
    CHECK(render::utf8_locale());
  }
  {
    ScopedEnv all("LC_ALL", "C"), lang("LANG", "en_US.UTF-8");
    CHECK_FALSE(render::utf8_locale());
  }
  {
    ScopedEnv all("LC_ALL", nullptr), ctype("LC_CTYPE", "C.utf8"), lang("LANG", nullptr);
    CHECK(render::utf8_locale());
  }
  {
    ScopedEnv all("LC_ALL", nullptr), ctype("LC_CTYPE", nullptr), lang("LANG", nullptr);
    CHECK_FALSE(render::utf8_locale());
  }
  {
    ScopedEnv all("LC_ALL", "POSIX");
    const auto r = aiadvise::cli::run_captured({"--no-config", "recommend", "--model", "llama-3.1-8b", "--qps", "5", "--chart"});
    REQUIRE(r.code == aiadvise::cli::k_exit_ok);
    CHECK(r.out.find("Options") != std::string::npos);
    CHECK(r.out.find("Throughput (") != std::string::npos);
    CHECK(r.out.find("########") != std::string::npos);
  }
  for (const char* format : {"json", "markdown", "html"}) {
    const auto r = aiadvise::cli::run_captured({"--no-config", "recommend", "--model", "llama-3.1-8b", "--qps", "5", "--chart", "--format", format});
    CHECK(r.code == aiadvise::cli::k_exit_invalid);
    CHECK(r.out.empty());
    CHECK(r.err.find("--chart") != std::string::npos);
    CHECK(r.err.find("--format table") != std::string::npos);
  }
}
