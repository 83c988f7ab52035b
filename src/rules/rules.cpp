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

const Value& Facts::get(const std::string& name) const {
  static const Value k_absent;
  auto it = m_values.find(name);
  return it == m_values.end() ? k_absent : it->second;
}

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
      {"candidate.family_supported", "the accelerator's compiler supports the family"},
      {"candidate.within_service_limits", "the service's limits allow the workload"},
  };
  return fields;
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

bool equal(const Value& v, const Json& expected) {
  if (const auto* d = std::get_if<double>(&v)) return expected.is_number() && *d == expected.get<double>();
  if (const auto* b = std::get_if<bool>(&v)) return expected.is_boolean() && *b == expected.get<bool>();
  if (const auto* s = std::get_if<std::string>(&v)) return expected.is_string() && *s == expected.get<std::string>();
  return false;
}

bool compare(const Value& v, const std::string& op, const Json& operand) {
  if (op == "equals") return equal(v, operand);
  if (op == "in" || op == "not_in") {
    bool found = false;
    for (const auto& item : operand) found = found || equal(v, item);
    return op == "in" ? found : !found;
  }
  if (op == "contains") {
    const auto* list = std::get_if<std::vector<std::string>>(&v);
    return list && operand.is_string() && std::find(list->begin(), list->end(), operand.get<std::string>()) != list->end();
  }
  if (op == "not_empty") {
    const auto* list = std::get_if<std::vector<std::string>>(&v);
    const bool not_empty = list && !list->empty();
    return not_empty == operand.get<bool>();
  }
  const auto* d = std::get_if<double>(&v);
  if (!d) return false;  // an absent number satisfies no comparison
  const double x = operand.get<double>();
  if (op == "gt") return *d > x;
  if (op == "gte") return *d >= x;
  if (op == "lt") return *d < x;
  if (op == "lte") return *d <= x;
  return false;
}

}  // namespace

bool evaluate(const Json& when, const Facts& facts, std::vector<std::string>* inputs) {
  if (when.contains("all")) {
    for (const auto& c : when["all"]) {
      if (!evaluate(c, facts, inputs)) return false;
    }
    return true;
  }
  if (when.contains("any")) {
    for (const auto& c : when["any"]) {
      if (evaluate(c, facts, inputs)) return true;
    }
    return false;
  }
  if (when.contains("not")) return !evaluate(when["not"], facts, inputs);
  const std::string field = when.value("field", "");
  const Value& v = facts.get(field);
  if (inputs) {
    std::string entry = fmt::format("{} = {}", field, describe(v));
    if (std::find(inputs->begin(), inputs->end(), entry) == inputs->end()) inputs->push_back(std::move(entry));
  }
  for (const auto& [op, operand] : when.items()) {
    if (op != "field") return compare(v, op, operand);
  }
  return false;
}

}  // namespace aiadvise::rules
