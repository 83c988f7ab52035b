#pragma once
/// Rules are data (data/catalog/rules.json): a condition over workload and candidate facts, and an
/// effect (exclude, or a score adjustment). This module checks, compiles and evaluates them.

#include <map>
#include <string_view>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "aiadvise/util/json_document.hpp"

namespace aiadvise::rules {

/// A fact's value: absent, a number, a flag, a word, or a list of words.
using Value = std::variant<std::monostate, double, bool, std::string, std::vector<std::string>>;

/// The facts a condition can read, by name ("workload.family", "candidate.compute"). Names are
/// resolved to slots once, so evaluating a rule does no string lookups.
class Facts {
 public:
  Facts();
  void set(const std::string& name, Value value);
  const Value& get(int slot) const { return m_values[static_cast<std::size_t>(slot)]; }
  const Value& get(const std::string& name) const;

 private:
  std::vector<Value> m_values;
};

/// The slot of a fact name, or -1.
int field_slot(std::string_view name);

/// Every fact name a rule may use, with a one-line meaning (for `rules fields` and validation).
const std::map<std::string, std::string>& known_fields();

/// Checks a rule's `when` condition; returns problems as (JSON pointer below `when`, message).
std::vector<std::pair<std::string, std::string>> check_condition(const util::Json& when);

/// A compiled condition: combinators over comparisons of one fact with constants.
struct Condition {
  enum class Op { all, any, negate, equals, in, not_in, contains, not_empty, gt, gte, lt, lte };
  Op op = Op::all;
  int field = -1;  ///< fact slot, for comparisons
  std::vector<Condition> children;
  std::vector<Value> operands;  ///< equals and contains: one; in and not_in: the list
  double number = 0;
  bool flag = false;
};

/// Compiles a condition that check_condition accepted.
Condition compile_condition(const util::Json& when);

/// A rule ready to evaluate.
struct Rule {
  std::string id, description, rationale, source;
  util::Json when;
  Condition condition;
  bool exclude = false;
  double score = 0;
};

std::vector<Rule> compile(const std::vector<util::Json>& raw);

/// Evaluates a condition; `inputs` (when given) receives "field = value" for every fact read.
bool evaluate(const Condition& when, const Facts& facts, std::vector<std::string>* inputs = nullptr);

/// "gpu", "0.2", "[cost, ease]", "absent".
std::string describe(const Value& value);

}  // namespace aiadvise::rules
