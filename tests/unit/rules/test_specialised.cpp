// A rule set specialised to one workload (rules::Specialised) decides the workload's comparisons
// once and reads candidate facts in compact form; it must fire exactly the rules that evaluate()
// fires on the full facts, whatever the conditions and the facts.

#include <catch2/catch.hpp>

#include <algorithm>
#include <iterator>
#include <random>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "aiadvise/rules/rules.hpp"

using aiadvise::rules::Fact;
using aiadvise::rules::Facts;
using aiadvise::rules::Value;
using nlohmann::json;

namespace {

const std::vector<std::string> k_words{"gpu", "cpu", "aws", "managed", "self-managed", "pytorch", "cost", "x", ""};

struct Random {
  std::mt19937 gen{12345};
  int below(int n) { return std::uniform_int_distribution<int>(0, n - 1)(gen); }
  bool chance(double p) { return std::uniform_real_distribution<double>(0, 1)(gen) < p; }

  json scalar() {
    switch (below(6)) {
      case 0: return k_words[static_cast<std::size_t>(below(static_cast<int>(k_words.size())))];
      case 1: return below(4) * 1.5;
      case 2: return chance(0.5);
      case 3: return nullptr;
      case 4: return json::array({1, 2});
      default: return std::string("unnamed-").append(std::to_string(below(3)));
    }
  }

  json condition(const std::vector<std::string>& fields, int depth) {
    if (depth > 0 && chance(0.4)) {
      const int kind = below(3);
      if (kind == 2) return {{"not", condition(fields, depth - 1)}};
      json children = json::array();
      const int n = below(4);  // sometimes empty: all of nothing is true, any of nothing false
      for (int k = 0; k < n; ++k) children.push_back(condition(fields, depth - 1));
      return {{kind == 0 ? "all" : "any", children}};
    }
    json c = {{"field", fields[static_cast<std::size_t>(below(static_cast<int>(fields.size())))]}};
    switch (below(10)) {
      case 0: c["equals"] = scalar(); break;
      case 1: case 2: {
        json list = json::array();
        for (int k = below(4); k > 0; --k) list.push_back(scalar());
        c[below(2) == 0 ? "in" : "not_in"] = list;
        break;
      }
      case 3: c["contains"] = scalar(); break;
      case 4: c["not_empty"] = chance(0.5); break;
      case 5: c["gt"] = below(4) * 1.5; break;
      case 6: c["gte"] = below(4) * 1.5; break;
      case 7: c["lt"] = below(4) * 1.5; break;
      case 8: c["lte"] = below(4) * 1.5; break;
      default: c["equals"] = k_words[static_cast<std::size_t>(below(3))]; break;
    }
    return c;
  }

  // A random value for a slot; lists only for workload facts.
  Value value(bool workload) {
    switch (below(workload ? 6 : 5)) {
      case 0: return std::monostate{};
      case 1: return below(4) * 1.5;
      case 2: return chance(0.5);
      case 3: return k_words[static_cast<std::size_t>(below(static_cast<int>(k_words.size())))];
      case 4: return std::string("unnamed-").append(std::to_string(below(5)));
      default: {
        std::vector<std::string> list;
        for (int k = below(3); k > 0; --k) list.push_back(k_words[static_cast<std::size_t>(below(static_cast<int>(k_words.size())))]);
        return list;
      }
    }
  }
};

Fact compact(const Value& v, const aiadvise::rules::Symbols& symbols) {
  if (const auto* d = std::get_if<double>(&v)) return Fact::of(*d);
  if (const auto* b = std::get_if<bool>(&v)) return Fact::of(*b);
  if (const auto* s = std::get_if<std::string>(&v)) return Fact::of_word(symbols.find(*s));
  return Fact{};
}

}  // namespace

TEST_CASE("rules: a rule set specialised to a workload fires exactly as evaluate() on the full facts", "[rules]") {
  std::vector<std::string> fields, workload_fields;
  for (const auto& [name, meaning] : aiadvise::rules::known_fields()) {
    fields.push_back(name);
    if (name.rfind("workload.", 0) == 0) workload_fields.push_back(name);
  }
  fields.push_back("candidate.no-such-fact");  // compiles to slot -1, which satisfies nothing
  Random random;
  for (int round = 0; round < 200; ++round) {
    std::vector<json> raw;
    for (int r = 0; r < 12; ++r) {
      raw.push_back({{"id", std::string("r").append(std::to_string(r))}, {"when", random.condition(fields, 3)}, {"effect", {{"exclude", true}}}});
    }
    raw.push_back({{"id", "unknown-operator"}, {"when", {{"field", "candidate.count"}, {"near", 3}}}, {"effect", {{"score", 1}}}});
    const auto rules = aiadvise::rules::compile(raw);
    const aiadvise::rules::Symbols symbols(rules);
    Facts workload;
    for (const auto& name : workload_fields) workload.set(name, random.value(true));
    const aiadvise::rules::Specialised specialised(rules, symbols, workload);
    // Half the candidate slots are shared by several candidates: fired once, merged in rule order.
    std::vector<bool> shared_slots(static_cast<std::size_t>(aiadvise::rules::slot_count()));
    for (std::size_t slot = 0; slot < shared_slots.size(); ++slot) shared_slots[slot] = random.chance(0.5);
    const aiadvise::rules::Specialised split(rules, symbols, workload, shared_slots);
    for (int candidate = 0; candidate < 20; ++candidate) {
      Facts full = workload;
      std::vector<Fact> facts(static_cast<std::size_t>(aiadvise::rules::slot_count()));
      for (const auto& name : fields) {
        const int slot = aiadvise::rules::field_slot(name);
        if (slot < 0 || name.rfind("candidate.", 0) != 0) continue;
        const Value v = random.value(false);
        full.set(slot, v);
        facts[static_cast<std::size_t>(slot)] = compact(v, symbols);
      }
      std::vector<int> expected, got;
      for (std::size_t r = 0; r < rules.size(); ++r) {
        if (aiadvise::rules::evaluate(rules[r].condition, full)) expected.push_back(static_cast<int>(r));
      }
      specialised.fire(facts.data(), got);
      std::vector<int> shared, rest, merged;
      split.fire_shared(facts.data(), shared);
      split.fire_rest(facts.data(), rest);
      std::merge(shared.begin(), shared.end(), rest.begin(), rest.end(), std::back_inserter(merged));
      INFO("round " << round << ", candidate " << candidate);
      for (const auto& r : raw) INFO(r.dump());
      REQUIRE(got == expected);
      REQUIRE(merged == expected);
      // A shared rule reads only shared slots: changing the others never changes it.
      for (std::size_t slot = 0; slot < facts.size(); ++slot) {
        if (!shared_slots[slot]) facts[slot] = Fact::of(random.below(4) * 1.5);
      }
      std::vector<int> shared_again;
      split.fire_shared(facts.data(), shared_again);
      REQUIRE(shared_again == shared);
    }
  }
}

TEST_CASE("rules: a word no condition names equals nothing, even another unnamed word", "[rules]") {
  const auto rules = aiadvise::rules::compile({json{{"id", "a"}, {"when", {{"field", "candidate.instance"}, {"equals", "g5"}}}},
                                               json{{"id", "b"}, {"when", {{"field", "candidate.instance"}, {"not_in", {"g5"}}}}}});
  const aiadvise::rules::Symbols symbols(rules);
  CHECK(symbols.find("g5") >= 0);
  CHECK(symbols.find("p4d") == -1);
  const aiadvise::rules::Specialised specialised(rules, symbols, Facts{});
  std::vector<Fact> facts(static_cast<std::size_t>(aiadvise::rules::slot_count()));
  const auto slot = static_cast<std::size_t>(aiadvise::rules::field_slot("candidate.instance"));
  std::vector<int> fired;
  facts[slot] = Fact::of_word(symbols.find("g5"));
  specialised.fire(facts.data(), fired);
  CHECK(fired == std::vector<int>{0});
  fired.clear();
  facts[slot] = Fact::of_word(symbols.find("p4d"));
  specialised.fire(facts.data(), fired);
  CHECK(fired == std::vector<int>{1});
}
