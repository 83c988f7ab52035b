// Renderers of the check report for CI systems: SARIF 2.1.0 (GitHub code scanning and other
// static-analysis dashboards) and JUnit XML (test reports in GitLab, Jenkins, Azure Pipelines,
// CircleCI). They read the report; they never compute.

#include <fmt/format.h>

#include "aiadvise/check/check.hpp"

namespace aiadvise::check {

using util::Json;

namespace {

/// A relative path as a URI reference (RFC 3986): unreserved characters and '/' kept, the rest
/// percent-encoded. Absolute paths become file:// URIs.
std::string path_uri(const std::string& path) {
  std::string out;
  for (unsigned char c : path) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~' || c == '/') {
      out += static_cast<char>(c);
    } else {
      out += fmt::format("%{:02X}", c);
    }
  }
  return !path.empty() && path.front() == '/' ? "file://" + out : out;
}

Json physical(const Json& l) {
  const std::string file = l["file"].get<std::string>();
  Json artifact = {{"uri", path_uri(file)}};
  if (file.front() != '/') artifact["uriBaseId"] = "%SRCROOT%";
  Json region = {{"startLine", std::max(1, l["line"].get<int>())}};
  if (l["column"].get<int>() > 0) region["startColumn"] = l["column"].get<int>();
  return {{"artifactLocation", artifact}, {"region", region}};
}

bool has_file(const Json& l) {
  const std::string file = l["file"].get<std::string>();
  return !file.empty() && file != "<stdin>" && l["line"].get<int>() > 0;
}

/// XML 1.0 text or attribute value: markup escaped, characters XML cannot hold replaced.
std::string xml(const std::string& text) {
  std::string out;
  for (unsigned char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      case '\n': out += "&#10;"; break;
      case '\t': out += "&#9;"; break;
      case '\r': out += "&#13;"; break;
      default: out += c < 0x20 ? std::string("?") : std::string(1, static_cast<char>(c));
    }
  }
  return out;
}

}  // namespace

std::string render_sarif(const Json& r) {
  Json rules = Json::array();
  std::map<std::string, std::size_t> rule_index;
  for (const auto& [id, description] : r["rules"].items()) {
    rule_index[id] = rules.size();
    Json rule = {{"id", id}, {"shortDescription", {{"text", description}}}};
    rule["help"] = {{"text", id.rfind("check-", 0) == 0 ? std::string("docs/ci.md (Findings) in aiadvise's sources")
                                                        : fmt::format("docs/rules/{}.md in aiadvise's sources; `aiadvise rules list`", id)}};
    rules.push_back(rule);
  }
  Json results = Json::array();
  for (const auto& w : r["workloads"]) {
    const std::string name = w["name"].get<std::string>();
    const std::string address = w.value("address", "");
    Json locations = Json::array();
    Json related = Json::array();
    for (const auto& l : w["locations"]) {
      if (!has_file(l)) continue;
      Json location = {{"physicalLocation", physical(l)}};
      if (locations.empty()) {
        if (!address.empty()) location["logicalLocations"] = Json::array({{{"fullyQualifiedName", address}, {"kind", "resource"}}});
        locations.push_back(location);
      } else {
        location["id"] = related.size();
        location["message"] = {{"text", l["what"].get<std::string>()}};
        related.push_back(location);
      }
    }
    for (const auto& f : w["findings"]) {
      const std::string rule = f["rule"].get<std::string>();
      Json result = {{"ruleId", rule},
                     {"level", f["severity"] == "fail" ? "error" : "warning"},
                     {"message", {{"text", fmt::format("{}: {}", name, f["message"].get<std::string>())}}},
                     {"partialFingerprints", {{"aiadviseFinding/v1", fmt::format("{}/{}", w.value("workload_name", name), rule)}}},
                     {"properties", {{"workload", name}, {"verdict", w["verdict"]}}}};
      if (auto it = rule_index.find(rule); it != rule_index.end()) result["ruleIndex"] = it->second;
      if (!locations.empty()) result["locations"] = locations;
      if (!related.empty()) result["relatedLocations"] = related;
      results.push_back(result);
    }
  }
  const Json sarif = {
      {"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
      {"version", "2.1.0"},
      {"runs", Json::array({{{"tool", {{"driver",
                                        {{"name", "aiadvise"},
                                         {"version", r["tool"]["version"]},
                                         {"informationUri", "https://aiadvise.dev"},
                                         {"rules", rules}}}}},
                             {"results", results},
                             {"columnKind", "unicodeCodePoints"},
                             {"properties", {{"summary", r["summary"]}}}}})},
  };
  return sarif.dump(2) + "\n";
}

std::string render_junit(const Json& r) {
  const auto& s = r["summary"];
  const std::string fail_on = s["fail_on"].get<std::string>();
  auto reaches = [&](const std::string& severity) { return severity == "fail" || (severity == "warn" && fail_on == "warn"); };
  int failures = 0;
  std::string cases;
  for (const auto& w : r["workloads"]) {
    const std::string name = w["name"].get<std::string>();
    std::string failing_text, other_text;
    std::string first_rule, first_message;
    for (const auto& l : w["locations"]) {
      if (has_file(l))
        other_text += fmt::format("{} at {}:{}\n", l["what"].get<std::string>(), l["file"].get<std::string>(), l["line"].get<int>());
    }
    for (const auto& f : w["findings"]) {
      const std::string line =
          fmt::format("{} {}: {}\n", f["severity"].get<std::string>(), f["rule"].get<std::string>(), f["message"].get<std::string>());
      if (reaches(f["severity"].get<std::string>())) {
        if (first_rule.empty()) {
          first_rule = f["rule"].get<std::string>();
          first_message = f["message"].get<std::string>();
        }
        failing_text += line;
      } else {
        other_text += line;
      }
    }
    for (const auto& a : w["proposed"]["assumed"]) other_text += "assumed: " + a.get<std::string>() + "\n";
    cases += fmt::format("    <testcase name=\"{}\" classname=\"aiadvise.check\" time=\"0\">\n", xml(name));
    if (!first_rule.empty()) {
      ++failures;
      cases += fmt::format("      <failure type=\"{}\" message=\"{}\">{}</failure>\n", xml(first_rule), xml(first_rule + ": " + first_message),
                           xml(failing_text));
    }
    if (!other_text.empty()) cases += fmt::format("      <system-out>{}</system-out>\n", xml(other_text));
    cases += "    </testcase>\n";
  }
  std::string suite_out;
  for (const auto& k : r["skipped_summary"])
    suite_out += fmt::format("not checked: {} {}\n", k["count"].get<int>(), k["kind"].get<std::string>());
  for (const auto& w : r["warnings"]) suite_out += "warning: " + w.get<std::string>() + "\n";
  const int tests = static_cast<int>(r["workloads"].size());
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out += fmt::format("<testsuites name=\"aiadvise check\" tests=\"{}\" failures=\"{}\" errors=\"0\" time=\"0\">\n", tests, failures);
  out += fmt::format("  <testsuite name=\"aiadvise check\" tests=\"{}\" failures=\"{}\" errors=\"0\" skipped=\"0\" time=\"0\">\n", tests, failures);
  out += fmt::format("    <properties>\n      <property name=\"fail_on\" value=\"{}\"/>\n      <property name=\"aiadvise_version\" value=\"{}\"/>\n    </properties>\n",
                     xml(fail_on), xml(r["tool"]["version"].get<std::string>()));
  out += cases;
  if (!suite_out.empty()) out += fmt::format("    <system-out>{}</system-out>\n", xml(suite_out));
  out += "  </testsuite>\n</testsuites>\n";
  return out;
}

}  // namespace aiadvise::check
