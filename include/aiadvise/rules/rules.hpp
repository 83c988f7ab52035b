#pragma once
/// Rules are data (data/catalog/rules.json): a condition over workload and candidate facts, and an
/// effect (exclude, or a score adjustment). This module checks, compiles and evaluates them.

#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "aiadvise/util/json_document.hpp"

namespace aiadvise::rules {

/// A fact's value: absent, a number, a flag, a word, or a list of words.
using Value = std::variant<std::monostate, double, bool, std::string, std::vector<std::string>>;

/// The facts a condition can read, by name ("workload.family", "candidate.compute").
class Facts {
 public:
  void set(const std::string& name, Value value) { m_values[name] = std::move(value); }
  const Value& get(const std::string& name) const;

 private:
  std::map<std::string, Value, std::less<>> m_values;
};

/// Every fact name a rule may use, with a one-line meaning (for `rules fields` and validation).
const std::map<std::string, std::string>& known_fields();

/// Checks a rule's `when` condition; returns problems as (JSON pointer below `when`, message).
std::vector<std::pair<std::string, std::string>> check_condition(const util::Json& when);

/// A rule ready to evaluate.
struct Rule {
  std::string id, description, rationale, source;
  util::Json when;
  bool exclude = false;
  double score = 0;
};

std::vector<Rule> compile(const std::vector<util::Json>& raw);

/// Evaluates a condition; `inputs` receives "field = value" for every fact read.
bool evaluate(const util::Json& when, const Facts& facts, std::vector<std::string>* inputs = nullptr);

/// "gpu", "0.2", "[cost, ease]", "absent".
std::string describe(const Value& value);

}  // namespace aiadvise::rules
