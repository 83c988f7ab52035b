#include "aiadvise/rules/rules.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <functional>

#include "aiadvise/util/text.hpp"

namespace aiadvise::rules {

using util::Json;

namespace {
const std::vector<std::string> k_combinators{"all", "any", "not"};
const std::vector<std::string> k_operators{"equals", "in", "not_in", "contains", "not_empty", "gt", "gte", "lt", "lte"};
}  // namespace

const std::map<std::string, std::string>& known_fields() {
  static const std::map<std::string, std::string> fields{
      {"workload.family", "family id"},
      {"workload.sizing", "how the family is sized: transformer-decoder, transformer-encoder, ..., dense, classical"},
      {"workload.model", "model id, when a named model was given"},
      {"workload.phase", "training, fine-tuning or inference"},
      {"workload.method", "full, lora or qlora"},
      {"workload.mode", "realtime or batch"},
      {"workload.params", "parameters"},
      {"workload.precision", "fp32, fp16, bf16, fp8, int8, int4"},
      {"workload.optimizations", "list: quantized, pruned, distilled"},
      {"workload.priorities", "list: flexibility, security, integration, ease, scalability, cost, maintenance"},
      {"workload.ops_maturity", "low, medium, high"},
      {"workload.traffic", "steady, spiky, intermittent"},
      {"workload.qps", "requests per second"},
      {"workload.framework", "pytorch, tensorflow, jax, xgboost, sklearn, onnx"},
      {"workload.dataset_samples", "training or batch samples"},
      {"workload.memory_gib", "memory of one replica"},
      {"workload.needs_accelerator", "true when no CPU candidate is feasible for the workload"},
      {"workload.compute", "list: the compute kinds the user allows (--compute); empty when any is"},
      {"candidate.compute", "cpu, gpu, tpu, inferentia, trainium"},
      {"candidate.cloud", "aws, gcp, azure"},
      {"candidate.instance", "instance id"},
      {"candidate.accelerator", "hardware id of the accelerator, absent for CPU"},
      {"candidate.has_accelerator", "the instance has an accelerator, used or not"},
      {"candidate.accelerators_per_instance", "accelerators per instance (0 for CPU instances)"},
      {"candidate.service", "service id"},
      {"candidate.service_kind", "training, realtime-inference, serverless-inference, async-inference, batch-inference, model-api, vm, kubernetes"},
      {"candidate.management", "managed or self-managed"},
      {"candidate.count", "instances"},
      {"candidate.price_usd_per_hour", "price of the fleet"},
      {"candidate.latency_ms", "latency per request at the load"},
      {"candidate.fits", "the model fits in memory"},
      {"candidate.performance_known", "the catalog has the figures to estimate speed (peak compute for the precision)"},
      {"candidate.meets_targets", "latency, TTFT and TPOT targets met"},
      {"candidate.meets_deadline", "finishes before the deadline"},
      {"candidate.within_hourly_budget", "price per hour within the budget"},
      {"candidate.within_total_budget", "cost of the run within the budget"},
      {"candidate.price_known", "the catalog has a price"},
      {"candidate.framework_supported", "the accelerator runs the framework"},
      {"candidate.precision_supported", "the accelerator computes in the workload's precision or a wider one"},
      {"candidate.family_supported", "the accelerator's compiler supports the family"},
      {"candidate.model_runs_here", "the named model's own tooling runs on this compute kind (its runs_on; true when it has none)"},
      {"candidate.within_service_limits", "the service's limits allow the workload"},
  };
  return fields;
}

namespace {
const std::map<std::string, int, std::less<>>& slots() {
  static const std::map<std::string, int, std::less<>> table = [] {
    std::map<std::string, int, std::less<>> t;
    int next = 0;
    for (const auto& [name, meaning] : known_fields()) t.emplace(name, next++);
    return t;
  }();
  return table;
}
}  // namespace

int field_slot(std::string_view name) {
  auto it = slots().find(name);
  return it == slots().end() ? -1 : it->second;
}

int slot_count() { return static_cast<int>(slots().size()); }

Facts::Facts() : m_values(slots().size()) {}

void Facts::set(const std::string& name, Value value) {
  const int slot = field_slot(name);
  if (slot >= 0) m_values[static_cast<std::size_t>(slot)] = std::move(value);
}

const Value& Facts::get(const std::string& name) const {
  static const Value k_absent;
  const int slot = field_slot(name);
  return slot < 0 ? k_absent : m_values[static_cast<std::size_t>(slot)];
}

std::vector<std::pair<std::string, std::string>> check_condition(const Json& when) {
  std::vector<std::pair<std::string, std::string>> problems;
  std::vector<std::string> fields;
  for (const auto& [name, meaning] : known_fields()) fields.push_back(name);
  std::function<void(const Json&, const std::string&)> walk = [&](const Json& c, const std::string& at) {
    if (!c.is_object() || c.empty()) {
      problems.emplace_back(at, "expected a condition object");
      return;
    }
    if (c.size() == 1) {
      // NOTE: items() returns a proxy; keep the iterator alive while its key and value are used.
      const auto item = c.items().begin();
      const std::string& key = item.key();
      const Json& value = item.value();
      if (key == "all" || key == "any") {
        if (!value.is_array() || value.empty()) {
          problems.emplace_back(util::pointer_append(at, key), "expected a non-empty array of conditions");
          return;
        }
        for (std::size_t i = 0; i < value.size(); ++i) walk(value[i], util::pointer_append(util::pointer_append(at, key), i));
        return;
      }
      if (key == "not") {
        walk(value, util::pointer_append(at, key));
        return;
      }
      problems.emplace_back(util::pointer_append(at, key),
                            fmt::format("unknown combinator '{}'{}", key, util::did_you_mean(key, k_combinators)));
      return;
    }
    if (!c.contains("field") || !c["field"].is_string()) {
      problems.emplace_back(at, "a comparison needs a string 'field'");
      return;
    }
    const std::string field = c["field"];
    if (!known_fields().count(field)) {
      problems.emplace_back(util::pointer_append(at, "field"),
                            fmt::format("unknown field '{}'{}", field, util::did_you_mean(field, fields)));
    }
    if (c.size() != 2) {
      problems.emplace_back(at, "a comparison has 'field' and exactly one operator");
      return;
    }
    for (const auto& [key, value] : c.items()) {
      if (key == "field") continue;
      if (std::find(k_operators.begin(), k_operators.end(), key) == k_operators.end()) {
        problems.emplace_back(util::pointer_append(at, key),
                              fmt::format("unknown operator '{}'{}", key, util::did_you_mean(key, k_operators)));
      } else if ((key == "gt" || key == "gte" || key == "lt" || key == "lte") && !value.is_number()) {
        problems.emplace_back(util::pointer_append(at, key), "expected a number");
      } else if ((key == "in" || key == "not_in") && !value.is_array()) {
        problems.emplace_back(util::pointer_append(at, key), "expected an array");
      } else if (key == "not_empty" && !value.is_boolean()) {
        problems.emplace_back(util::pointer_append(at, key), "expected true or false");
      }
    }
  };
  walk(when, "");
  return problems;
}

std::vector<Rule> compile(const std::vector<Json>& raw) {
  std::vector<Rule> out;
  for (const auto& r : raw) {
    Rule rule;
    rule.id = r.value("id", "");
    rule.description = r.value("description", "");
    rule.rationale = r.value("rationale", "");
    rule.source = r.value("source", "");
    rule.when = r.value("when", Json::object());
    rule.condition = compile_condition(rule.when);
    const Json effect = r.value("effect", Json::object());
    rule.exclude = effect.value("exclude", false);
    rule.score = effect.value("score", 0.0);
    out.push_back(std::move(rule));
  }
  std::sort(out.begin(), out.end(), [](const Rule& a, const Rule& b) { return a.id < b.id; });
  return out;
}

std::string describe(const Value& v) {
  struct Visitor {
    std::string operator()(std::monostate) const { return "absent"; }
    std::string operator()(double d) const { return fmt::format("{:g}", d); }
    std::string operator()(bool b) const { return b ? "true" : "false"; }
    std::string operator()(const std::string& s) const { return s; }
    std::string operator()(const std::vector<std::string>& l) const { return fmt::format("[{}]", util::join(l, ", ")); }
  };
  return std::visit(Visitor{}, v);
}

namespace {

Value to_value(const Json& j) {
  if (j.is_boolean()) return j.get<bool>();
  if (j.is_number()) return j.get<double>();
  if (j.is_string()) return j.get<std::string>();
  return std::monostate{};
}

bool same(const Value& a, const Value& b) {
  if (a.index() != b.index() || std::holds_alternative<std::monostate>(a)) return false;
  return a == b;
}

bool compare(const Value& v, const Condition& c) {
  using Op = Condition::Op;
  switch (c.op) {
    case Op::equals: return same(v, c.operands.front());
    case Op::in:
    case Op::not_in: {
      bool found = false;
      for (const auto& item : c.operands) found = found || same(v, item);
      return c.op == Op::in ? found : !found;
    }
    case Op::contains: {
      const auto* list = std::get_if<std::vector<std::string>>(&v);
      const auto* word = std::get_if<std::string>(&c.operands.front());
      return list && word && std::find(list->begin(), list->end(), *word) != list->end();
    }
    case Op::not_empty: {
      const auto* list = std::get_if<std::vector<std::string>>(&v);
      return (list && !list->empty()) == c.flag;
    }
    default: break;
  }
  const auto* d = std::get_if<double>(&v);
  if (!d) return false;  // an absent number satisfies no comparison
  switch (c.op) {
    case Op::gt: return *d > c.number;
    case Op::gte: return *d >= c.number;
    case Op::lt: return *d < c.number;
    case Op::lte: return *d <= c.number;
    default: return false;
  }
}

}  // namespace

Condition compile_condition(const Json& when) {
  using Op = Condition::Op;
  Condition c;
  if (when.contains("all") || when.contains("any")) {
    c.op = when.contains("all") ? Op::all : Op::any;
    for (const auto& child : when.contains("all") ? when["all"] : when["any"]) c.children.push_back(compile_condition(child));
    return c;
  }
  if (when.contains("not")) {
    c.op = Op::negate;
    c.children.push_back(compile_condition(when["not"]));
    return c;
  }
  c.field = field_slot(when.value("field", ""));
  static const std::map<std::string, Op, std::less<>> ops{{"equals", Op::equals}, {"in", Op::in}, {"not_in", Op::not_in},
                                                          {"contains", Op::contains}, {"not_empty", Op::not_empty},
                                                          {"gt", Op::gt}, {"gte", Op::gte}, {"lt", Op::lt}, {"lte", Op::lte}};
  for (const auto& [key, operand] : when.items()) {
    auto it = ops.find(key);
    if (it == ops.end()) continue;
    c.op = it->second;
    if (operand.is_array()) {
      for (const auto& item : operand) c.operands.push_back(to_value(item));
    } else {
      c.operands.push_back(to_value(operand));
    }
    if (operand.is_number()) c.number = operand.get<double>();
    if (operand.is_boolean()) c.flag = operand.get<bool>();
  }
  return c;
}

bool evaluate(const Condition& c, const Facts& facts, std::vector<std::string>* inputs) {
  using Op = Condition::Op;
  switch (c.op) {
    case Op::all:
      for (const auto& child : c.children) {
        if (!evaluate(child, facts, inputs)) return false;
      }
      return true;
    case Op::any:
      for (const auto& child : c.children) {
        if (evaluate(child, facts, inputs)) return true;
      }
      return false;
    case Op::negate: return !evaluate(c.children.front(), facts, inputs);
    default: break;
  }
  if (c.field < 0) return false;
  const Value& v = facts.get(c.field);
  if (inputs) {
    std::string name;
    for (const auto& [n, slot] : slots()) {
      if (slot == c.field) name = n;
    }
    std::string entry = fmt::format("{} = {}", name, describe(v));
    if (std::find(inputs->begin(), inputs->end(), entry) == inputs->end()) inputs->push_back(std::move(entry));
  }
  return compare(v, c);
}

Symbols::Symbols(const std::vector<Rule>& rules) {
  std::vector<std::string> words;
  std::function<void(const Condition&)> walk = [&](const Condition& c) {
    for (const auto& child : c.children) walk(child);
    for (const auto& operand : c.operands) {
      if (const auto* word = std::get_if<std::string>(&operand)) words.push_back(*word);
    }
  };
  for (const auto& r : rules) walk(r.condition);
  std::sort(words.begin(), words.end());
  words.erase(std::unique(words.begin(), words.end()), words.end());
  for (std::size_t k = 0; k < words.size(); ++k) m_numbers.emplace(std::move(words[k]), static_cast<int>(k));
}

int Symbols::find(std::string_view word) const {
  auto it = m_numbers.find(word);
  return it == m_numbers.end() ? -1 : it->second;
}

namespace {

constexpr int k_false = -1;
constexpr int k_true = -2;

bool workload_slot(int field) {
  static const std::vector<bool> table = [] {
    std::vector<bool> t(slots().size());
    for (const auto& [name, slot] : slots()) t[static_cast<std::size_t>(slot)] = name.rfind("workload.", 0) == 0;
    return t;
  }();
  return table[static_cast<std::size_t>(field)];
}

// same() over compact values: a word is equal only to the same named word.
bool same(const Fact& a, const Fact& b) {
  if (a.kind != b.kind) return false;
  switch (a.kind) {
    case Fact::Kind::absent: return false;
    case Fact::Kind::number: return a.number == b.number;
    case Fact::Kind::flag: return a.flag == b.flag;
    case Fact::Kind::word: return a.word >= 0 && a.word == b.word;
  }
  return false;
}

Fact compact_operand(const Value& v, const Symbols& symbols) {
  if (const auto* d = std::get_if<double>(&v)) return Fact::of(*d);
  if (const auto* b = std::get_if<bool>(&v)) return Fact::of(*b);
  if (const auto* w = std::get_if<std::string>(&v)) return Fact::of_word(symbols.find(*w));
  return Fact{};  // absent (null, arrays, objects): equal to nothing
}

}  // namespace

Specialised::Specialised(const std::vector<Rule>& rules, const Symbols& symbols, const Facts& workload,
                         const std::vector<bool>& shared_slots) {
  for (std::size_t k = 0; k < rules.size(); ++k) {
    const int root = fold(rules[k].condition, symbols, workload);
    if (root == k_false) continue;
    m_live.emplace_back(static_cast<int>(k), root == k_true ? -1 : root);
  }
  for (const auto& live : m_live) (reads_only(live.second, shared_slots) ? m_shared : m_rest).push_back(live);
}

bool Specialised::reads_only(int node, const std::vector<bool>& slots) const {
  if (node < 0) return true;
  const Node& n = m_nodes[static_cast<std::size_t>(node)];
  if (n.op == Condition::Op::all || n.op == Condition::Op::any || n.op == Condition::Op::negate) {
    for (std::size_t k = 0; k < n.count; ++k) {
      if (!reads_only(static_cast<int>(m_children[n.first + k]), slots)) return false;
    }
    return true;
  }
  return n.field >= 0 && static_cast<std::size_t>(n.field) < slots.size() && slots[static_cast<std::size_t>(n.field)];
}

// Folds what the workload decides; comparisons of candidate facts stay as nodes. Conditions have
// no side effects, so dropping decided parts of all/any keeps every answer.
int Specialised::fold(const Condition& c, const Symbols& symbols, const Facts& workload) {
  using Op = Condition::Op;
  if (c.op == Op::all || c.op == Op::any) {
    const bool all = c.op == Op::all;
    std::vector<std::size_t> kept;
    for (const auto& child : c.children) {
      const int f = fold(child, symbols, workload);
      if (f == (all ? k_false : k_true)) return f;
      if (f >= 0) kept.push_back(static_cast<std::size_t>(f));
    }
    if (kept.empty()) return all ? k_true : k_false;
    if (kept.size() == 1) return static_cast<int>(kept.front());
    Node n;
    n.op = c.op;
    n.first = m_children.size();
    n.count = kept.size();
    m_children.insert(m_children.end(), kept.begin(), kept.end());
    m_nodes.push_back(n);
    return static_cast<int>(m_nodes.size() - 1);
  }
  if (c.op == Op::negate) {
    const int f = fold(c.children.front(), symbols, workload);
    if (f < 0) return f == k_true ? k_false : k_true;
    Node n;
    n.op = Op::negate;
    n.first = m_children.size();
    n.count = 1;
    m_children.push_back(static_cast<std::size_t>(f));
    m_nodes.push_back(n);
    return static_cast<int>(m_nodes.size() - 1);
  }
  if (c.field < 0) return k_false;
  if (workload_slot(c.field)) return rules::evaluate(c, workload) ? k_true : k_false;
  Node n;
  n.op = c.op;
  n.field = c.field;
  n.number = c.number;
  n.flag = c.flag;
  n.first = m_operands.size();
  n.count = c.operands.size();
  for (const auto& operand : c.operands) m_operands.push_back(compact_operand(operand, symbols));
  m_nodes.push_back(n);
  return static_cast<int>(m_nodes.size() - 1);
}

bool Specialised::test(std::size_t node, const Fact* facts) const {
  using Op = Condition::Op;
  const Node& n = m_nodes[node];
  switch (n.op) {
    case Op::all:
      for (std::size_t k = 0; k < n.count; ++k) {
        if (!test(m_children[n.first + k], facts)) return false;
      }
      return true;
    case Op::any:
      for (std::size_t k = 0; k < n.count; ++k) {
        if (test(m_children[n.first + k], facts)) return true;
      }
      return false;
    case Op::negate: return !test(m_children[n.first], facts);
    default: break;
  }
  const Fact& v = facts[n.field];
  switch (n.op) {
    case Op::equals: return n.count > 0 && same(v, m_operands[n.first]);
    case Op::in:
    case Op::not_in: {
      bool found = false;
      for (std::size_t k = 0; k < n.count && !found; ++k) found = same(v, m_operands[n.first + k]);
      return n.op == Op::in ? found : !found;
    }
    case Op::contains: return false;         // candidate facts are never lists
    case Op::not_empty: return !n.flag;      // (no list, so "not empty" is false)
    case Op::gt: return v.kind == Fact::Kind::number && v.number > n.number;
    case Op::gte: return v.kind == Fact::Kind::number && v.number >= n.number;
    case Op::lt: return v.kind == Fact::Kind::number && v.number < n.number;
    case Op::lte: return v.kind == Fact::Kind::number && v.number <= n.number;
    default: return false;
  }
}

}  // namespace aiadvise::rules
