#pragma once
/// Rules are data (data/catalog/rules.json): a condition over workload and candidate facts, and an
/// effect (exclude, or a score adjustment). This module checks, compiles and evaluates them.

#include <map>
#include <string_view>
#include <optional>
#include <string>
#include <unordered_map>
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
  /// By slot (field_slot); a negative slot is ignored like an unknown name.
  void set(int slot, Value value) {
    if (slot >= 0) m_values[static_cast<std::size_t>(slot)] = std::move(value);
  }
  const Value& get(int slot) const { return m_values[static_cast<std::size_t>(slot)]; }
  const Value& get(const std::string& name) const;

 private:
  std::vector<Value> m_values;
};

/// The slot of a fact name, or -1.
int field_slot(std::string_view name);
/// How many slots there are (every known field has one).
int slot_count();

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

/// The words conditions compare facts with, numbered, so that facts can be compared as numbers.
/// A word no condition names has no number (-1), and equals nothing a condition names.
class Symbols {
 public:
  Symbols() = default;
  explicit Symbols(const std::vector<Rule>& rules);
  /// The number of a word, or -1.
  int find(std::string_view word) const;

 private:
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  std::unordered_map<std::string, int, Hash, std::equal_to<>> m_numbers;  ///< numbered in sorted order
};

/// A candidate fact in compact form: a number, a flag, or a word as its symbol number. Lists are
/// not candidate facts (they describe the workload).
struct Fact {
  enum class Kind : unsigned char { absent, number, flag, word };
  Kind kind = Kind::absent;
  bool flag = false;
  int word = -1;
  double number = 0;

  static Fact of(double v) { return Fact{Kind::number, false, -1, v}; }
  static Fact of(bool v) { return Fact{Kind::flag, v, -1, 0}; }
  static Fact of_word(int symbol) { return Fact{Kind::word, false, symbol, 0}; }
  static Fact of(const std::optional<double>& v) { return v ? of(*v) : Fact{}; }
};

/// A rule set specialised to one workload: every comparison of a "workload." fact is decided
/// once, so each rule never fires, always fires, or fires on a condition over "candidate." facts
/// alone, read in compact form. fire() gives the same answer as evaluate() on the full facts.
///
/// Given the slots that many candidates share (say, those of one instance under each of its
/// services), the rules that read only those can be fired once for all of them (fire_shared) and
/// the others per candidate (fire_rest); together they fire what fire() fires.
class Specialised {
 public:
  Specialised(const std::vector<Rule>& rules, const Symbols& symbols, const Facts& workload,
              const std::vector<bool>& shared_slots = {});

  /// Appends the indices (into the rules given) of the rules that fire for candidate facts indexed
  /// by slot, in rule order.
  template <typename Out>
  void fire(const Fact* facts, Out& out) const {
    for (const auto& [rule, root] : m_live) fire_one(rule, root, facts, out);
  }
  /// The same for the rules that read only shared slots, and for the others; each in rule order.
  template <typename Out>
  void fire_shared(const Fact* facts, Out& out) const {
    for (const auto& [rule, root] : m_shared) fire_one(rule, root, facts, out);
  }
  template <typename Out>
  void fire_rest(const Fact* facts, Out& out) const {
    for (const auto& [rule, root] : m_rest) fire_one(rule, root, facts, out);
  }

 private:
  struct Node {
    Condition::Op op = Condition::Op::all;
    int field = -1;
    std::size_t first = 0, count = 0;  ///< children (combinators) or operands (comparisons)
    double number = 0;
    bool flag = false;
  };
  template <typename Out>
  void fire_one(int rule, int root, const Fact* facts, Out& out) const {
    if (root < 0 || test(static_cast<std::size_t>(root), facts)) out.push_back(static_cast<typename Out::value_type>(rule));
  }
  int fold(const Condition& c, const Symbols& symbols, const Facts& workload);  ///< node, or -1 false, -2 true
  bool test(std::size_t node, const Fact* facts) const;
  bool reads_only(int node, const std::vector<bool>& slots) const;

  std::vector<std::pair<int, int>> m_live;  ///< (rule index, root node or -1 when it always fires)
  std::vector<std::pair<int, int>> m_shared, m_rest;  ///< m_live split by the slots read
  std::vector<Node> m_nodes;
  std::vector<std::size_t> m_children;
  std::vector<Fact> m_operands;
};

}  // namespace aiadvise::rules
