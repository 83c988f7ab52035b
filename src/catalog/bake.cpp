// Writes the default catalog as C++ (see include/aiadvise/catalog/baked.hpp). The output is plain
// assignments, one per field that holds a value, grouped in functions of a few dozen entries so it
// compiles quickly; an empty optional is simply not assigned.

#include <fmt/format.h>

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "aiadvise/catalog/baked.hpp"

namespace aiadvise::catalog {

namespace {

constexpr std::size_t k_entries_per_function = 40;

std::string literal(std::string_view text) {
  std::string out = "\"";
  for (const char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += ch;
    } else if (c >= 0x20 && c < 0x7f && c != '?') {  // '?' escaped: no trigraph can form
      out += ch;
    } else {
      out += fmt::format("\\{:03o}", c);  // octal escapes end after three digits, unlike \x
    }
  }
  out += '"';
  return out;
}

std::string number(double value) {
  std::string out = fmt::format("{}", value);  // shortest text that reads back as the same double
  if (out.find_first_of(".e") == std::string::npos) out += ".0";
  return out;
}

class Writer {
 public:
  std::string& out() { return m_out; }

  void line(std::string_view text) {
    m_out += "  ";
    m_out += text;
    m_out += '\n';
  }

  void text(std::string_view field, const std::string& value) {
    if (!value.empty()) line(fmt::format("e.{} = {};", field, literal(value)));
  }
  void text(std::string_view field, const std::optional<std::string>& value) {
    if (value) line(fmt::format("e.{} = std::string({});", field, literal(*value)));
  }
  void real(std::string_view field, double value) { line(fmt::format("e.{} = {};", field, number(value))); }
  void real(std::string_view field, const std::optional<double>& value) {
    if (value) real(field, *value);
  }
  void integer(std::string_view field, int value) { line(fmt::format("e.{} = {};", field, value)); }
  void integer(std::string_view field, const std::optional<int>& value) {
    if (value) integer(field, *value);
  }
  void flag(std::string_view field, bool value) { line(fmt::format("e.{} = {};", field, value ? "true" : "false")); }
  template <typename Enum>
  void enumerator(std::string_view field, std::string_view type, Enum value) {
    line(fmt::format("e.{} = static_cast<{}>({});", field, type, static_cast<int>(value)));
  }
  template <typename Enum>
  void enumerator(std::string_view field, std::string_view type, const std::optional<Enum>& value) {
    if (value) enumerator(field, type, *value);
  }
  void texts(std::string_view field, const std::vector<std::string>& values) {
    if (values.empty()) return;
    std::string items;
    for (const auto& v : values) items += literal(v) + ", ";
    line(fmt::format("e.{} = {{{}}};", field, items));
  }
  void kinds(std::string_view field, const std::vector<ComputeKind>& values) {
    if (values.empty()) return;
    std::string items;
    for (const auto v : values) items += fmt::format("static_cast<ComputeKind>({}), ", static_cast<int>(v));
    line(fmt::format("e.{} = {{{}}};", field, items));
  }
  void per_precision(std::string_view field, const std::map<Precision, double>& values) {
    if (values.empty()) return;
    std::string items;
    for (const auto& [p, v] : values) items += fmt::format("{{static_cast<Precision>({}), {}}}, ", static_cast<int>(p), number(v));
    line(fmt::format("e.{} = {{{}}};", field, items));
  }
  void per_name(std::string_view field, const std::map<std::string, double>& values) {
    if (values.empty()) return;
    std::string items;
    for (const auto& [k, v] : values) items += fmt::format("{{{}, {}}}, ", literal(k), number(v));
    line(fmt::format("e.{} = {{{}}};", field, items));
  }
  void provenance(std::string_view field, const Provenance& p) {
    text(fmt::format("{}.source", field), p.source);
    text(fmt::format("{}.as_of", field), p.as_of);
  }

 private:
  std::string m_out;
};

void write(Writer& w, const ComputePreference& p, std::string_view field) {
  w.enumerator(fmt::format("{}.default_kind", field), "ComputeKind", p.default_kind);
  w.texts(fmt::format("{}.cpu_viable_when", field), p.cpu_viable_when);
  w.texts(fmt::format("{}.gpu_needed_when", field), p.gpu_needed_when);
}

void write(Writer& w, const Family& e) {
  w.text("id", e.id);
  w.text("name", e.name);
  w.text("description", e.description);
  w.enumerator("sizing", "SizingMethod", e.sizing);
  w.text("training_guidance", e.training_guidance);
  w.text("inference_guidance", e.inference_guidance);
  write(w, e.training, "training");
  write(w, e.inference, "inference");
  w.real("typical_params", e.typical_params);
  w.real("typical_forward_gflops_per_sample", e.typical_forward_gflops_per_sample);
  w.texts("frameworks", e.frameworks);
  w.provenance("provenance", e.provenance);
}

void write(Writer& w, const Model& e) {
  w.text("id", e.id);
  w.text("name", e.name);
  w.text("family", e.family);
  w.real("params", e.params);
  w.real("active_params", e.active_params);
  const Architecture& a = e.architecture;
  w.integer("architecture.layers", a.layers);
  w.integer("architecture.hidden_size", a.hidden_size);
  w.integer("architecture.attention_heads", a.attention_heads);
  w.integer("architecture.kv_heads", a.kv_heads);
  w.integer("architecture.head_dim", a.head_dim);
  w.integer("architecture.intermediate_size", a.intermediate_size);
  w.integer("architecture.vocab_size", a.vocab_size);
  w.integer("architecture.context_length", a.context_length);
  w.integer("architecture.experts", a.experts);
  w.integer("architecture.experts_per_token", a.experts_per_token);
  w.integer("architecture.encoder_layers", a.encoder_layers);
  w.integer("architecture.decoder_layers", a.decoder_layers);
  for (const auto& c : e.components) {
    w.line("{");
    w.line(fmt::format("  Component& p = e.components.emplace_back(); p.name = {}; p.runs = {}; p.used_in = {}; p.trainable = {};",
                       literal(c.name), literal(c.runs), literal(c.used_in), c.trainable ? "true" : "false"));
    if (c.params) w.line(fmt::format("  p.params = {};", number(*c.params)));
    if (c.gflops) w.line(fmt::format("  p.gflops = {};", number(*c.gflops)));
    w.line("}");
  }
  w.integer("input_positions", e.input_positions);
  w.integer("native_resolution", e.native_resolution);
  w.real("forward_gflops_per_sample", e.forward_gflops_per_sample);
  w.real("activation_mib_per_sample", e.activation_mib_per_sample);
  w.text("input", e.input);
  w.enumerator("default_precision", "Precision", e.default_precision);
  w.texts("frameworks", e.frameworks);
  w.kinds("runs_on", e.runs_on);
  w.provenance("provenance", e.provenance);
}

void write(Writer& w, const Hardware& e) {
  w.text("id", e.id);
  w.text("name", e.name);
  w.text("vendor", e.vendor);
  w.enumerator("kind", "ComputeKind", e.kind);
  w.real("memory_gib", e.memory_gib);
  w.text("memory_type", e.memory_type);
  w.real("memory_bandwidth_gb_per_s", e.memory_bandwidth_gb_per_s);
  w.per_precision("tflops", e.tflops);
  if (!e.precisions.empty()) {
    std::string items;
    for (Precision p : e.precisions) items += fmt::format("static_cast<Precision>({}), ", static_cast<int>(p));
    w.line(fmt::format("e.precisions = {{{}}};", items));
  }
  w.provenance("precisions_provenance", e.precisions_provenance);
  w.text("interconnect_name", e.interconnect_name);
  w.real("interconnect_gb_per_s", e.interconnect_gb_per_s);
  w.texts("frameworks", e.frameworks);
  w.texts("supported_families", e.supported_families);
  w.texts("training_families", e.training_families);
  w.integer("cores_per_socket", e.cores_per_socket);
  w.integer("threads_per_core", e.threads_per_core);
  w.real("clock_ghz", e.clock_ghz);
  w.per_precision("flops_per_cycle_per_core", e.flops_per_cycle_per_core);
  w.text("vector_units", e.vector_units);
  w.provenance("provenance", e.provenance);
}

void write(Writer& w, const Instance& e) {
  w.text("id", e.id);
  w.enumerator("cloud", "Cloud", e.cloud);
  w.text("name", e.name);
  w.text("family", e.family);
  w.real("vcpus", e.vcpus);
  w.real("memory_gib", e.memory_gib);
  w.text("cpu", e.cpu);
  w.text("accelerator", e.accelerator);
  w.integer("accelerator_count", e.accelerator_count);
  w.real("accelerator_share", e.accelerator_share);
  w.real("network_gbps", e.network_gbps);
  if (e.burstable) w.flag("burstable", true);
  w.text("region", e.region);
  w.real("price_usd_per_hour", e.price_usd_per_hour);
  w.real("price_vm_usd_per_hour", e.price_vm_usd_per_hour);
  w.real("price_accelerators_usd_per_hour", e.price_accelerators_usd_per_hour);
  w.real("spot_price_usd_per_hour", e.spot_price_usd_per_hour);
  w.provenance("provenance", e.provenance);
  w.provenance("price_provenance", e.price_provenance);
  if (e.offers.empty()) return;
  // NOTE: offers are most of the catalog (thousands): a constant table per instance, copied in one
  // go, costs far less at start-up than a statement per field.
  std::string table;
  for (const auto& o : e.offers) {
    table += fmt::format("{{{}, {}, {}, {}, {}}}, ", literal(o.region), number(o.price_usd_per_hour.value_or(0)),
                         number(o.spot_price_usd_per_hour.value_or(0)), o.zones.value_or(0),
                         (o.price_usd_per_hour ? 1 : 0) | (o.spot_price_usd_per_hour ? 2 : 0) | (o.zones ? 4 : 0));
  }
  w.line(fmt::format("static constexpr BakedOffer k_offers[] = {{{}}};", table));
  w.line("add_offers(e, k_offers);");
  for (std::size_t k = 0; k < e.offers.size(); ++k) {
    const auto& p = e.offers[k].provenance;
    if (!p.source.empty()) w.line(fmt::format("e.offers[{}].provenance.source = {};", k, literal(p.source)));
    if (!p.as_of.empty()) w.line(fmt::format("e.offers[{}].provenance.as_of = {};", k, literal(p.as_of)));
  }
}

void write(Writer& w, const Service& e) {
  w.text("id", e.id);
  w.text("name", e.name);
  w.enumerator("cloud", "Cloud", e.cloud);
  w.flag("managed", e.managed);
  w.text("kind", e.kind);
  w.texts("phases", e.phases);
  w.texts("modes", e.modes);
  w.kinds("accelerators", e.accelerators);
  w.per_name("limits", e.limits);
  w.text("pricing_model", e.pricing_model);
  w.real("markup_over_vm", e.markup_over_vm);
  w.real("usd_per_gb_second", e.usd_per_gb_second);
  w.real("usd_per_request", e.usd_per_request);
  w.real("cluster_usd_per_hour", e.cluster_usd_per_hour);
  for (const auto& t : e.token_prices) {
    w.line("{");
    w.line(fmt::format("  TokenPrice& t = e.token_prices.emplace_back(); t.model = {}; t.input_usd_per_1m_tokens = {};",
                       literal(t.model), number(t.input_usd_per_1m_tokens)));
    w.line(fmt::format("  t.output_usd_per_1m_tokens = {}; t.region = {};", number(t.output_usd_per_1m_tokens), literal(t.region)));
    w.line(fmt::format("  t.provenance.source = {}; t.provenance.as_of = {};", literal(t.provenance.source), literal(t.provenance.as_of)));
    w.line("}");
  }
  for (const auto& p : e.instance_prices) {
    w.line("{");
    w.line(fmt::format("  InstancePrice& p = e.instance_prices.emplace_back(); p.instance = {}; p.price_usd_per_hour = {};",
                       literal(p.instance), number(p.price_usd_per_hour)));
    w.line(fmt::format("  p.region = {}; p.provenance.source = {}; p.provenance.as_of = {};", literal(p.region),
                       literal(p.provenance.source), literal(p.provenance.as_of)));
    w.line("}");
  }
  w.texts("takes_off_the_team", e.takes_off_the_team);
  w.provenance("provenance", e.provenance);
}

void write(Writer& w, const Factor& e) {
  w.text("id", e.id);
  w.text("hardware", e.hardware);
  w.text("family", e.family);
  w.text("regime", e.regime);
  w.real("value", e.value);
  w.texts("points", e.points);
  w.real("band", e.band);
  w.text("band_basis", e.band_basis);
  w.provenance("provenance", e.provenance);
}

// Statements that build `value` into the variable `name` without parsing: each container is built
// in its own variable and moved into its parent. Number types are kept (integer, unsigned, float).
void write_json(std::string& out, const util::Json& value, const std::string& name, int& counter) {
  switch (value.type()) {
    case util::Json::value_t::object: {
      out += fmt::format("  util::Json {} = util::Json::object();\n", name);
      for (const auto& [key, item] : value.items()) {
        const std::string child = fmt::format("j{}", counter++);
        write_json(out, item, child, counter);
        out += fmt::format("  {}.emplace({}, std::move({}));\n", name, literal(key), child);
      }
      return;
    }
    case util::Json::value_t::array: {
      out += fmt::format("  util::Json {} = util::Json::array();\n", name);
      for (const auto& item : value) {
        const std::string child = fmt::format("j{}", counter++);
        write_json(out, item, child, counter);
        out += fmt::format("  {}.push_back(std::move({}));\n", name, child);
      }
      return;
    }
    case util::Json::value_t::string:
      out += fmt::format("  util::Json {}({});\n", name, literal(value.get_ref<const std::string&>()));
      return;
    case util::Json::value_t::boolean:
      out += fmt::format("  util::Json {}({});\n", name, value.get<bool>() ? "true" : "false");
      return;
    case util::Json::value_t::number_integer:
      out += fmt::format("  util::Json {}(static_cast<std::int64_t>({}));\n", name, value.get<std::int64_t>());
      return;
    case util::Json::value_t::number_unsigned:
      out += fmt::format("  util::Json {}(static_cast<std::uint64_t>({}u));\n", name, value.get<std::uint64_t>());
      return;
    case util::Json::value_t::number_float:
      out += fmt::format("  util::Json {}({});\n", name, number(value.get<double>()));
      return;
    default:
      out += fmt::format("  util::Json {}(nullptr);\n", name);
      return;
  }
}

/// One function per chunk of a section; returns the names of the functions written.
template <typename T>
std::vector<std::string> write_section(std::string& out, std::string_view section, std::string_view type,
                                       const std::vector<T>& items) {
  std::vector<std::string> functions;
  for (std::size_t begin = 0; begin < items.size(); begin += k_entries_per_function) {
    const std::string name = fmt::format("add_{}_{}", section, functions.size());
    functions.push_back(name);
    Writer w;
    for (std::size_t i = begin; i < items.size() && i < begin + k_entries_per_function; ++i) {
      w.out() += fmt::format("  {{\n  {}& e = c.{}.emplace_back();\n", type, section);
      write(w, items[i]);
      w.out() += "  }\n";
    }
    out += fmt::format("void {}(Catalog& c) {{\n{}}}\n\n", name, w.out());
  }
  return functions;
}

}  // namespace

std::string bake_catalog_source(const Catalog& catalog) {
  std::string out =
      "// Generated at build time by aiadvise_bake (src/tools/bake_catalog.cpp) from data/catalog,\n"
      "// after validating it: do not edit.\n"
      "#include <cstddef>\n#include <cstdint>\n#include <string>\n#include <utility>\n\n#include \"aiadvise/catalog/baked.hpp\"\n\n"
      "namespace aiadvise::catalog {\n\nnamespace {\n\n"
      "struct BakedOffer {\n  const char* region;\n  double price, spot;\n  int zones;\n  unsigned flags;  // 1 price, 2 spot, 4 zones\n};\n\n"
      "template <std::size_t N>\nvoid add_offers(Instance& e, const BakedOffer (&offers)[N]) {\n  e.offers.reserve(N);\n"
      "  for (const auto& o : offers) {\n    Offer& x = e.offers.emplace_back();\n    x.region = o.region;\n"
      "    if (o.flags & 1u) x.price_usd_per_hour = o.price;\n    if (o.flags & 2u) x.spot_price_usd_per_hour = o.spot;\n"
      "    if (o.flags & 4u) x.zones = o.zones;\n  }\n}\n\n";
  std::vector<std::string> calls;
  auto add = [&calls](std::vector<std::string> names) { calls.insert(calls.end(), names.begin(), names.end()); };
  add(write_section(out, "families", "Family", catalog.families));
  add(write_section(out, "models", "Model", catalog.models));
  add(write_section(out, "hardware", "Hardware", catalog.hardware));
  add(write_section(out, "instances", "Instance", catalog.instances));
  add(write_section(out, "services", "Service", catalog.services));
  add(write_section(out, "factors", "Factor", catalog.factors));

  for (std::size_t i = 0; i < catalog.rules.size(); ++i) {
    int counter = 0;
    out += fmt::format("void add_rule_{}(Catalog& c) {{\n", i);
    write_json(out, catalog.rules[i], "rule", counter);
    out += "  c.rules.push_back(std::move(rule));\n}\n\n";
    calls.push_back(fmt::format("add_rule_{}", i));
  }
  out += "}  // namespace\n\nCatalog baked_default_catalog() {\n  Catalog c;\n";
  out += fmt::format("  c.meta.version = {};\n  c.meta.as_of = {};\n  c.meta.description = {};\n", literal(catalog.meta.version),
                     literal(catalog.meta.as_of), literal(catalog.meta.description));
  for (const auto& file : catalog.files) out += fmt::format("  c.files.push_back({});\n", literal(file));
  out += fmt::format("  c.families.reserve({});\n  c.models.reserve({});\n  c.hardware.reserve({});\n", catalog.families.size(),
                     catalog.models.size(), catalog.hardware.size());
  out += fmt::format("  c.instances.reserve({});\n  c.services.reserve({});\n  c.rules.reserve({});\n  c.factors.reserve({});\n",
                     catalog.instances.size(), catalog.services.size(), catalog.rules.size(), catalog.factors.size());
  for (const auto& call : calls) out += fmt::format("  {}(c);\n", call);
  out += "  c.index();\n  return c;\n}\n\n}  // namespace aiadvise::catalog\n";
  return out;
}

}  // namespace aiadvise::catalog
