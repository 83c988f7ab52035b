#include "catalog/entries.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <functional>

#include "aiadvise/rules/rules.hpp"
#include "aiadvise/util/text.hpp"

namespace aiadvise::catalog {

namespace {
// NOTE: the stated range of each catalog quantity (docs/reliability.md, "Stated ranges"). Each
// holds every real entry with a margin of a hundredfold or more, and keeps every product the
// sizing model forms finite and every count within an int: at most 1,000,000 instances of at most
// 1,024 accelerators is about 1e9 devices.
constexpr util::Bounds k_params{1, 1e15};
constexpr util::Bounds k_gflops{1e-9, 1e9};
constexpr util::Bounds k_mib_per_sample{1e-9, 1e9};
constexpr util::Bounds k_gib{1e-3, 1e6};
constexpr util::Bounds k_gb_per_s{1e-3, 1e6};
constexpr util::Bounds k_tflops{1e-6, 1e7};
constexpr util::Bounds k_price{1e-6, 1e6};           // USD per hour: a millionth of a dollar to a million
constexpr util::Bounds k_price_or_free{0, 1e6};      // USD per request, per million tokens, per cluster hour
constexpr util::Bounds k_vcpus{1e-2, 1e5};
constexpr util::Bounds k_ghz{1e-3, 100};
constexpr util::Bounds k_flops_per_cycle{1e-3, 1e6};
constexpr util::Bounds k_markup{1e-3, 1e3};
constexpr util::Bounds k_usd_per_gb_second{1e-12, 1e3};
constexpr util::Bounds k_limit{1e-6, 1e12};          // service limits: seconds, GB, requests, ...
constexpr std::int64_t k_max_architecture = 100'000'000;
constexpr std::int64_t k_max_accelerators = 1024;   // per instance
}  // namespace

using util::Json;
using util::Location;
using util::NumberRule;
using util::ObjectReader;

util::ObjectReader EntryReaders::reader(const Json& v, const Location& at, const FieldLocations& fields) {
  return ObjectReader(v, at, m_diagnostics, [at, &fields](std::string_view key) {
    auto it = fields.find(std::string(key));
    if (it != fields.end()) return it->second;
    return Location{at.document, util::pointer_append(at.pointer, key)};
  });
}

Provenance EntryReaders::provenance(ObjectReader& r, const char* source_key, const char* date_key, bool required) {
  Provenance p;
  p.source = r.string(source_key, required).value_or("");
  p.as_of = r.date(date_key, required).value_or("");
  return p;
}

std::map<Precision, double> EntryReaders::precision_map(ObjectReader& r, const char* key, const util::Bounds& bounds) {
  std::map<Precision, double> out;
  const Json* obj = r.object(key);
  if (!obj) return out;
  const Location base = r.location_of(key);
  ObjectReader inner(*obj, base, m_diagnostics);
  for (const auto& name : precision_names()) {
    if (auto v = inner.number(name, bounds)) out[*parse_precision(name)] = *v;
  }
  inner.finish();
  return out;
}

ComputePreference EntryReaders::preference(ObjectReader& r, const char* key) {
  ComputePreference p;
  const Json* obj = r.object(key);
  if (!obj) return p;
  ObjectReader inner(*obj, r.location_of(key), m_diagnostics);
  if (auto kind = inner.one_of("default", compute_kind_names(), true)) p.default_kind = *parse_compute_kind(*kind);
  p.cpu_viable_when = inner.string_list("cpu_viable_when");
  p.gpu_needed_when = inner.string_list("gpu_needed_when");
  inner.finish();
  return p;
}

CatalogMeta EntryReaders::meta(const Json& v, const Location& at, const FieldLocations& fields) {
  auto r = reader(v, at, fields);
  CatalogMeta m;
  m.version = r.string("version", true).value_or("");
  m.as_of = r.date("as_of", true).value_or("");
  m.description = r.string("description").value_or("");
  r.allow("source");
  r.allow("notes");
  r.finish();
  return m;
}

Family EntryReaders::family(const Json& v, const Location& at, const FieldLocations& fields) {
  auto r = reader(v, at, fields);
  Family f;
  f.id = r.id("id", true).value_or("");
  f.name = r.string("name", true).value_or("");
  f.description = r.string("description").value_or("");
  if (auto s = r.one_of("sizing", sizing_method_names(), true)) f.sizing = *parse_sizing_method(*s);
  f.training_guidance = r.string("training_guidance").value_or("");
  f.inference_guidance = r.string("inference_guidance").value_or("");
  f.training = preference(r, "training_preference");
  f.inference = preference(r, "inference_preference");
  f.typical_params = r.number("typical_params", k_params);
  f.typical_forward_gflops_per_sample = r.number("typical_forward_gflops_per_sample", k_gflops);
  f.frameworks = r.string_list("frameworks", &framework_names());
  f.provenance = provenance(r);
  r.allow("notes");
  r.finish();
  return f;
}

Model EntryReaders::model(const Json& v, const Location& at, const FieldLocations& fields) {
  auto r = reader(v, at, fields);
  Model m;
  m.id = r.id("id", true).value_or("");
  m.name = r.string("name", true).value_or("");
  m.family = r.id("family", true).value_or("");
  m.params = r.number("params", k_params);
  m.active_params = r.number("active_params", k_params);
  if (const Json* arch = r.object("architecture")) {
    ObjectReader a(*arch, r.location_of("architecture"), m_diagnostics);
    auto read_int = [&](const char* key, std::optional<int>& out) {
      if (auto n = a.integer(key, 1, k_max_architecture)) out = static_cast<int>(*n);
    };
    Architecture& x = m.architecture;
    read_int("layers", x.layers);
    read_int("hidden_size", x.hidden_size);
    read_int("attention_heads", x.attention_heads);
    read_int("kv_heads", x.kv_heads);
    read_int("head_dim", x.head_dim);
    read_int("intermediate_size", x.intermediate_size);
    read_int("vocab_size", x.vocab_size);
    read_int("context_length", x.context_length);
    read_int("experts", x.experts);
    read_int("experts_per_token", x.experts_per_token);
    read_int("encoder_layers", x.encoder_layers);
    read_int("decoder_layers", x.decoder_layers);
    a.finish();
  }
  if (const Json* parts = r.array("components")) {
    static const std::vector<std::string> k_runs{"once", "per-step", "per-token"};
    static const std::vector<std::string> k_used{"inference", "training", "both"};
    const Location base = r.location_of("components");
    for (std::size_t k = 0; k < parts->size(); ++k) {
      const Location item{base.document, util::pointer_append(base.pointer, k)};
      if (!(*parts)[k].is_object()) {
        m_diagnostics.push_back(util::diagnostic_at(item, "expected an object"));
        continue;
      }
      ObjectReader c((*parts)[k], item, m_diagnostics);
      Component& part = m.components.emplace_back();
      part.name = c.id("name", true).value_or("");
      part.params = c.number("params", NumberRule::positive);
      part.gflops = c.number("gflops", NumberRule::positive, true);
      part.runs = c.one_of("runs", k_runs).value_or("once");
      part.used_in = c.one_of("used_in", k_used).value_or("both");
      part.trainable = c.boolean("trainable").value_or(true);
      c.allow("notes");
      c.finish();
    }
  }
  if (auto n = r.integer("input_positions", 1, 10'000'000)) m.input_positions = static_cast<int>(*n);
  if (auto n = r.integer("native_resolution", 1, 100'000)) m.native_resolution = static_cast<int>(*n);
  m.forward_gflops_per_sample = r.number("forward_gflops_per_sample", k_gflops);
  m.activation_mib_per_sample = r.number("activation_mib_per_sample", k_mib_per_sample);
  m.input = r.string("input").value_or("");
  if (auto p = r.one_of("default_precision", precision_names())) m.default_precision = parse_precision(*p);
  m.frameworks = r.string_list("frameworks", &framework_names());
  for (const auto& k : r.string_list("runs_on", &compute_kind_names())) m.runs_on.push_back(*parse_compute_kind(k));
  m.provenance = provenance(r);
  r.allow("notes");
  r.finish();
  if (m.active_params && m.params && *m.active_params > *m.params) {
    r.error("active_params", fmt::format("active_params ({}) exceeds params ({})", util::format_count(*m.active_params),
                                         util::format_count(*m.params)));
  }
  return m;
}

Hardware EntryReaders::hardware(const Json& v, const Location& at, const FieldLocations& fields) {
  auto r = reader(v, at, fields);
  Hardware h;
  h.id = r.id("id", true).value_or("");
  h.name = r.string("name", true).value_or("");
  h.vendor = r.string("vendor").value_or("");
  if (auto k = r.one_of("kind", compute_kind_names(), true)) h.kind = *parse_compute_kind(*k);
  h.memory_gib = r.number("memory_gib", k_gib);
  h.memory_type = r.string("memory_type").value_or("");
  h.memory_bandwidth_gb_per_s = r.number("memory_bandwidth_gb_per_s", k_gb_per_s);
  h.tflops = precision_map(r, "tflops", k_tflops);
  if (const Json* pr = r.object("precisions")) {
    ObjectReader p(*pr, r.location_of("precisions"), m_diagnostics);
    for (const auto& name : p.string_list("supported", &precision_names())) {
      const Precision parsed = *parse_precision(name);
      if (std::find(h.precisions.begin(), h.precisions.end(), parsed) == h.precisions.end()) h.precisions.push_back(parsed);
    }
    h.precisions_provenance = provenance(p);
    p.allow("notes");
    p.finish();
    if (h.precisions.empty()) {
      r.error("precisions", "precisions.supported lists no precision: name at least one the chip computes in");
    }
    // A peak for a precision the chip does not compute in is the error the list exists to catch
    // (an fp8 peak on a chip without FP8 units).
    for (const auto& [p_, peak] : h.tflops) {
      if (!h.precisions.empty() && std::find(h.precisions.begin(), h.precisions.end(), p_) == h.precisions.end()) {
        r.error("tflops", fmt::format("tflops gives a {} peak ({:g}) but precisions.supported does not list {}", to_string(p_), peak,
                                      to_string(p_)));
      }
    }
  }
  if (const Json* ic = r.object("interconnect")) {
    ObjectReader i(*ic, r.location_of("interconnect"), m_diagnostics);
    h.interconnect_name = i.string("name").value_or("");
    h.interconnect_gb_per_s = i.number("bandwidth_gb_per_s", k_gb_per_s);
    i.allow("notes");
    i.finish();
  }
  h.frameworks = r.string_list("frameworks", &framework_names());
  r.allow("framework_notes");
  h.supported_families = r.string_list("supported_families");
  h.training_families = r.string_list("training_families");
  if (auto n = r.integer("cores_per_socket", 1, 100'000)) h.cores_per_socket = static_cast<int>(*n);
  if (auto n = r.integer("threads_per_core", 1, 64)) h.threads_per_core = static_cast<int>(*n);
  h.clock_ghz = r.number("clock_ghz", k_ghz);
  h.flops_per_cycle_per_core = precision_map(r, "flops_per_cycle_per_core", k_flops_per_cycle);
  h.vector_units = r.string("vector_units").value_or("");
  h.provenance = provenance(r);
  r.allow("notes");
  r.finish();
  if (h.kind != ComputeKind::cpu && !h.memory_gib) r.error("memory_gib", "an accelerator needs memory_gib");
  return h;
}

namespace {

// Prices are within k_price: below a millionth of a dollar an hour is no price (a subnormal number
// in a hand-edited or generated file), and both ends keep the arithmetic on them finite.
std::optional<double> price_field(ObjectReader& r, const char* key) { return r.number(key, k_price); }

}  // namespace

Offer EntryReaders::offer(const Json& v, const Location& at) {
  ObjectReader r(v, at, m_diagnostics);
  Offer o;
  o.region = intern_region(r.id("region", true).value_or(""));
  o.price_usd_per_hour = price_field(r, "price_usd_per_hour");
  o.spot_price_usd_per_hour = price_field(r, "spot_price_usd_per_hour");
  if (auto n = r.integer("zones", 1, 1000)) o.zones = static_cast<int>(*n);
  o.provenance.source = r.string("source").value_or("");
  o.provenance.as_of = r.date("as_of").value_or("");
  r.allow("notes");
  r.finish();
  return o;
}

Offer EntryReaders::compact_offer(const Json& v, const std::function<Location()>& where) {
  // [region, price_usd_per_hour, spot_price_usd_per_hour, zones]: the form large generated catalogs
  // use (an import of every region); null or absent for what is not known.
  Offer o;
  auto item = [&](std::size_t k) {
    const Location at = where();
    return Location{at.document, util::pointer_append(at.pointer, k)};
  };
  auto problem = [&](std::size_t k, std::string message) { m_diagnostics.push_back(util::diagnostic_at(item(k), std::move(message))); };
  if (v.empty() || v.size() > 4) {
    m_diagnostics.push_back(util::diagnostic_at(
        where(), fmt::format("expected [region, price, spot price, zones] (1 to 4 items), got {} items", v.size())));
    return o;
  }
  if (!v[0].is_string() || !util::is_kebab_id(v[0].get_ref<const std::string&>())) {
    problem(0, fmt::format("expected a region name, got {}", util::describe_value(v[0])));
  } else {
    o.region = intern_region(v[0].get_ref<const std::string&>());
  }
  for (std::size_t k = 1; k < 3 && k < v.size(); ++k) {
    if (v[k].is_null()) continue;
    if (!v[k].is_number()) {
      problem(k, fmt::format("expected {}, got {}", util::describe_bounds(k_price), util::describe_value(v[k])));
    } else if (auto bad = util::check_bounds(v[k].get<double>(), k_price)) {
      problem(k, *bad);
    } else {
      (k == 1 ? o.price_usd_per_hour : o.spot_price_usd_per_hour) = v[k].get<double>();
    }
  }
  if (v.size() == 4 && !v[3].is_null()) {
    double zones = 0;
    if (util::check_number(v[3], NumberRule::positive, zones) || zones != std::floor(zones) || zones > 1000) {
      problem(3, fmt::format("expected a zone count from 1 to 1000, got {}", util::describe_value(v[3])));
    } else {
      o.zones = static_cast<int>(zones);
    }
  }
  return o;
}

Instance EntryReaders::instance(const Json& v, const Location& at, const FieldLocations& fields) {
  auto r = reader(v, at, fields);
  Instance i;
  i.id = r.id("id", true).value_or("");
  if (auto c = r.one_of("cloud", cloud_names(), true)) i.cloud = *parse_cloud(*c);
  i.name = r.string("name", true).value_or("");
  i.family = r.string("family").value_or("");
  i.vcpus = r.number("vcpus", k_vcpus, true).value_or(0);
  i.memory_gib = r.number("memory_gib", k_gib, true).value_or(0);
  i.cpu = r.id("cpu");
  i.accelerator = r.id("accelerator");
  const bool count_given = r.has("accelerator_count");
  const auto count = r.integer("accelerator_count", 0, k_max_accelerators);
  i.accelerator_count = static_cast<int>(count.value_or(0));
  if (auto share = r.number("accelerator_share", NumberRule::positive)) {
    if (*share >= 1 || *share < 0.01) {
      r.error("accelerator_share", fmt::format("expected a fraction of one accelerator between 0.01 and 1 (exclusive), got {:g}", *share));
    } else if (i.accelerator_count != 1) {
      r.error("accelerator_share", fmt::format("a share of one accelerator needs accelerator_count 1, got {}", i.accelerator_count));
    } else {
      i.accelerator_share = share;
    }
  }
  i.network_gbps = r.number("network_gbps", k_gb_per_s);
  i.burstable = r.boolean("burstable").value_or(false);
  i.region = r.id("region", true).value_or("");
  // The home region's prices may be given on the entry itself (the form before offers, and the
  // short way to override one price): they set the offer in `region`.
  const auto price = price_field(r, "price_usd_per_hour");
  const auto spot = price_field(r, "spot_price_usd_per_hour");
  if (const Json* parts = r.object("price_parts")) {
    ObjectReader p(*parts, r.location_of("price_parts"), m_diagnostics);
    i.price_vm_usd_per_hour = p.number("vm_usd_per_hour", k_price);
    i.price_accelerators_usd_per_hour = p.number("accelerators_usd_per_hour", k_price);
    p.finish();
  }
  i.provenance = provenance(r);
  i.price_provenance.source = r.string("price_source", false).value_or(i.provenance.source);
  i.price_provenance.as_of = r.date("price_as_of", false).value_or(i.provenance.as_of);
  if (const Json* offers = r.array("offers")) {
    const Location base = r.location_of("offers");
    i.offers.reserve(offers->size() + 1);
    // Where an offer came from: recorded by the merger when a later file set it; else its place in
    // the entry's own file. Only looked up when there is a diagnostic to locate, or an object
    // offer to read (a catalog of every region holds tens of thousands of compact ones).
    const bool merged = fields.lower_bound("offers/") != fields.end() && fields.lower_bound("offers/")->first.rfind("offers/", 0) == 0;
    auto locate = [&](std::size_t k) {
      if (merged) {
        auto located = fields.find("offers/" + std::to_string(k));
        if (located != fields.end()) return located->second;
      }
      return Location{base.document, util::pointer_append(base.pointer, k)};
    };
    for (std::size_t k = 0; k < offers->size(); ++k) {
      const Json& x = (*offers)[k];
      if (x.is_array()) {
        i.offers.push_back(compact_offer(x, [&] { return locate(k); }));
        continue;
      }
      const Location item = locate(k);
      if (x.is_object()) {
        i.offers.push_back(offer(x, item));
      } else {
        m_diagnostics.push_back(util::diagnostic_at(
            item, fmt::format("expected an offer: an object, or [region, price, spot price, zones]; got {}", util::describe_value(x))));
      }
    }
    const auto by_region = [](const Offer& a, const Offer& b) { return a.region < b.region; };
    if (!std::is_sorted(i.offers.begin(), i.offers.end(), by_region)) std::stable_sort(i.offers.begin(), i.offers.end(), by_region);
    for (std::size_t k = 1; k < i.offers.size(); ++k) {
      if (i.offers[k].region == i.offers[k - 1].region && !i.offers[k].region.empty()) {
        r.error("offers", fmt::format("two offers for region '{}': an instance has one offer per region", i.offers[k].region));
        break;
      }
    }
  }
  if ((price || spot) && !i.region.empty()) {
    Offer* home = nullptr;
    auto it = std::lower_bound(i.offers.begin(), i.offers.end(), i.region, [](const Offer& o, const std::string& x) { return o.region < x; });
    if (it != i.offers.end() && it->region == i.region) {
      home = &*it;
    } else {
      Offer o;
      o.region = intern_region(i.region);
      home = &*i.offers.insert(it, std::move(o));
    }
    if (price) home->price_usd_per_hour = price;
    if (spot) home->spot_price_usd_per_hour = spot;
  }
  if (const Offer* home = i.offer_in(i.region)) {
    i.price_usd_per_hour = home->price_usd_per_hour;
    i.spot_price_usd_per_hour = home->spot_price_usd_per_hour;
  }
  if (i.price_vm_usd_per_hour && i.price_accelerators_usd_per_hour && i.price_usd_per_hour) {
    const double sum = *i.price_vm_usd_per_hour + *i.price_accelerators_usd_per_hour;
    if (std::fabs(sum - *i.price_usd_per_hour) > 1e-6 * std::max(1.0, sum)) {
      r.error(price ? "price_usd_per_hour" : "price_parts",
              fmt::format("price_usd_per_hour {} is not the sum of price_parts ({} + {} = {})", *i.price_usd_per_hour,
                          *i.price_vm_usd_per_hour, *i.price_accelerators_usd_per_hour, sum));
    }
  }
  r.allow("notes");
  r.allow("price_notes");
  r.finish();
  if (i.accelerator && i.accelerator_count == 0 && (count || !count_given)) {  // an out-of-range count is reported already
    r.error("accelerator_count", fmt::format("instance names accelerator '{}' but accelerator_count is 0 or missing",
                                             *i.accelerator));
  }
  if (!i.accelerator && i.accelerator_count > 0) {
    r.error("accelerator", fmt::format("accelerator_count is {} but no accelerator is named", i.accelerator_count));
  }
  return i;
}

Service EntryReaders::service(const Json& v, const Location& at, const FieldLocations& fields) {
  static const std::vector<std::string> k_managements{"managed", "self-managed"};
  static const std::vector<std::string> k_kinds{"training", "realtime-inference", "serverless-inference",
                                                "async-inference", "batch-inference", "model-api", "vm", "kubernetes"};
  static const std::vector<std::string> k_modes{"realtime", "batch"};
  static const std::vector<std::string> k_pricing{"instance-hour", "per-request", "per-token", "vm"};
  auto r = reader(v, at, fields);
  Service s;
  s.id = r.id("id", true).value_or("");
  s.name = r.string("name", true).value_or("");
  if (auto c = r.one_of("cloud", cloud_names(), true)) s.cloud = *parse_cloud(*c);
  s.managed = r.one_of("management", k_managements, true).value_or("managed") == "managed";
  s.kind = r.one_of("kind", k_kinds, true).value_or("");
  s.phases = r.string_list("phases", &phase_names(), true);
  s.modes = r.string_list("modes", &k_modes);
  for (const auto& k : r.string_list("accelerators", &compute_kind_names(), true)) {
    s.accelerators.push_back(*parse_compute_kind(k));
  }
  r.string_list("frameworks", &framework_names());
  if (const Json* limits = r.object("limits")) {
    const Location base = r.location_of("limits");
    for (const auto& [key, value] : limits->items()) {
      if (key == "notes" || key == "source" || key == "as_of") continue;
      const Location where{base.document, util::pointer_append(base.pointer, key)};
      if (!value.is_number()) {
        util::add_diagnostic(m_diagnostics, where,
                             fmt::format("expected {}, got {}", util::describe_bounds(k_limit), util::describe_value(value)));
      } else if (auto problem = util::check_bounds(value.get<double>(), k_limit, util::describe_value(value))) {
        util::add_diagnostic(m_diagnostics, where, *problem);
      } else {
        s.limits[key] = value.get<double>();
      }
    }
  }
  if (const Json* pricing = r.object("pricing", true)) {
    ObjectReader p(*pricing, r.location_of("pricing"), m_diagnostics);
    s.pricing_model = p.one_of("model", k_pricing, true).value_or("");
    s.markup_over_vm = p.number("markup_over_vm", k_markup);
    s.usd_per_gb_second = p.number("usd_per_gb_second", k_usd_per_gb_second);
    s.usd_per_request = p.number("usd_per_request", k_price_or_free);
    s.cluster_usd_per_hour = p.number("cluster_usd_per_hour", k_price_or_free);
    if (const Json* models = p.array("models")) {
      const Location base = p.location_of("models");
      for (std::size_t k = 0; k < models->size(); ++k) {
        const Location item{base.document, util::pointer_append(base.pointer, k)};
        if (!(*models)[k].is_object()) {
          util::add_diagnostic(m_diagnostics, item, "expected an object");
          continue;
        }
        ObjectReader t((*models)[k], item, m_diagnostics);
        TokenPrice price;
        price.model = t.id("model", true).value_or("");
        price.input_usd_per_1m_tokens = t.number("input_usd_per_1m_tokens", k_price_or_free, true).value_or(0);
        price.output_usd_per_1m_tokens = t.number("output_usd_per_1m_tokens", k_price_or_free, true).value_or(0);
        price.region = t.string("region").value_or("");
        price.provenance = provenance(t);
        t.allow("notes");
        t.allow("provider_model_id");
        t.finish();
        s.token_prices.push_back(std::move(price));
      }
    }
    // Provenance of the derived markup: kept in the data for people, not used by the engine.
    for (const char* key : {"source", "as_of", "notes", "markup_over_vm_min", "markup_over_vm_max", "markup_derived",
                            "markup_pairs", "usd_per_gb_data_processed", "region", "cluster_usd_per_hour_tiers"}) {
      p.allow(key);
    }
    p.finish();
  }
  if (const Json* prices = r.array("instance_prices")) {
    const Location base = r.location_of("instance_prices");
    for (std::size_t k = 0; k < prices->size(); ++k) {
      const Location item{base.document, util::pointer_append(base.pointer, k)};
      if (!(*prices)[k].is_object()) {
        util::add_diagnostic(m_diagnostics, item, "expected an object");
        continue;
      }
      ObjectReader t((*prices)[k], item, m_diagnostics);
      InstancePrice price;
      price.instance = t.id("instance", true).value_or("");
      price.price_usd_per_hour = t.number("price_usd_per_hour", k_price, true).value_or(0);
      price.region = t.string("region").value_or("");
      price.provenance = provenance(t);
      t.allow("notes");
      t.allow("service_instance_name");
      t.finish();
      s.instance_prices.push_back(std::move(price));
    }
  }
  s.takes_off_the_team = r.string_list("takes_off_the_team");
  s.provenance = provenance(r);
  r.string("limits_source");
  r.date("limits_as_of");
  r.string("price_source");
  r.date("price_as_of");
  r.allow("notes");
  r.finish();
  return s;
}

Json EntryReaders::rule(const Json& v, const Location& at, const FieldLocations& fields) {
  auto r = reader(v, at, fields);
  r.id("id", true);
  r.string("description", true);
  if (const Json* when = r.object("when", true)) {
    const Location base = r.location_of("when");
    for (const auto& [pointer, message] : rules::check_condition(*when)) {
      util::add_diagnostic(m_diagnostics, Location{base.document, base.pointer + pointer}, message);
    }
  }
  if (const Json* effect = r.object("effect", true)) {
    ObjectReader e(*effect, r.location_of("effect"), m_diagnostics);
    const auto exclude = e.boolean("exclude");
    const auto score = e.number("score", util::Bounds{-1e3, 1e3});
    e.finish();
    if (!exclude && !score) r.error("effect", "an effect needs 'exclude': true or a 'score' adjustment");
    if (score && std::fabs(*score) > 1) e.error("score", "a score adjustment is between -1 and 1");
  }
  r.string("rationale", true);
  r.string("source", true);
  r.allow("as_of");
  r.allow("notes");
  r.finish();
  return v;
}

Factor EntryReaders::factor(const Json& v, const Location& at, const FieldLocations& fields) {
  auto r = reader(v, at, fields);
  Factor f;
  f.id = r.id("id", true).value_or("");
  f.hardware = r.id("hardware", true).value_or("");
  f.family = r.id("family", true).value_or("");
  f.regime = r.one_of("regime", factor_regimes(), true).value_or("");
  if (auto value = r.number("value", NumberRule::positive, true)) {
    // NOTE: a fraction of a peak; gbdt is a rate (work per core-cycle or per byte) and overhead a time
    // (microseconds per layer per pass), not fractions.
    if (f.regime != "gbdt" && f.regime != "overhead" && *value > 1) {
      r.error("value", fmt::format("a fraction of the peak is at most 1, got {}", *value));
    } else if (f.regime == "overhead" && *value > 10000) {
      r.error("value", fmt::format("an overhead is at most 10000 microseconds per layer, got {}", *value));
    }
    else f.value = *value;
  }
  f.points = r.string_list("points");
  if (auto band = r.number("band", NumberRule::positive)) {
    if (*band < 1) r.error("band", fmt::format("a multiplicative error band is at least 1, got {}", *band));
    else f.band = band;
  }
  f.band_basis = r.string("band_basis").value_or("");
  f.provenance = provenance(r);
  r.allow("notes");
  r.allow("validation");
  r.finish();
  return f;
}

void EntryReaders::check_references(const Catalog& catalog, const std::string& section, const Json& v,
                                    const Location& at, const FieldLocations& fields) {
  auto locate = [&](const std::string& key) {
    auto it = fields.find(key);
    return it != fields.end() ? it->second : Location{at.document, util::pointer_append(at.pointer, key)};
  };
  auto report = [&](const Location& where, std::string message) {
    util::add_diagnostic(m_diagnostics, where, std::move(message));
  };
  auto string_field = [&](const char* key) -> std::string {
    auto it = v.find(key);
    return (it != v.end() && it->is_string()) ? it->get<std::string>() : std::string();
  };

  if (section == "models") {
    const std::string family = string_field("family");
    if (!family.empty() && !catalog.family(family)) {
      report(locate("family"), fmt::format("unknown family '{}'{}", family, util::did_you_mean(family, catalog.ids("families"))));
    }
  } else if (section == "instances") {
    const std::string accelerator = string_field("accelerator");
    if (!accelerator.empty()) {
      const Hardware* h = catalog.hardware_by_id(accelerator);
      if (!h) {
        report(locate("accelerator"), fmt::format("unknown hardware '{}'{}", accelerator,
                                                  util::did_you_mean(accelerator, catalog.ids("hardware"))));
      } else if (h->kind == ComputeKind::cpu) {
        report(locate("accelerator"), fmt::format("'{}' is a CPU, not an accelerator", accelerator));
      }
    }
    const std::string cpu = string_field("cpu");
    if (!cpu.empty()) {
      const Hardware* h = catalog.hardware_by_id(cpu);
      if (!h) {
        report(locate("cpu"), fmt::format("unknown hardware '{}'{}", cpu, util::did_you_mean(cpu, catalog.ids("hardware"))));
      } else if (h->kind != ComputeKind::cpu) {
        report(locate("cpu"), fmt::format("'{}' is an accelerator ({}), not a CPU", cpu, to_string(h->kind)));
      }
    }
  } else if (section == "factors") {
    const std::string hardware = string_field("hardware");
    if (!hardware.empty() && !parse_compute_kind(hardware) && !catalog.hardware_by_id(hardware)) {
      std::vector<std::string> known = catalog.ids("hardware");
      known.insert(known.end(), compute_kind_names().begin(), compute_kind_names().end());
      report(locate("hardware"), fmt::format("unknown hardware '{}': give a compute kind ({}) or a hardware id{}", hardware,
                                             util::join(compute_kind_names(), ", "), util::did_you_mean(hardware, known)));
    }
    const std::string family = string_field("family");
    if (!family.empty() && family != "any" && !catalog.family(family)) {
      report(locate("family"), fmt::format("unknown family '{}': give a family id or 'any'{}", family,
                                           util::did_you_mean(family, catalog.ids("families"))));
    }
  } else if (section == "hardware") {
    for (const char* key : {"supported_families", "training_families"}) {
      auto it = v.find(key);
      if (it == v.end() || !it->is_array()) continue;
      const Location base = locate(key);
      for (std::size_t k = 0; k < it->size(); ++k) {
        const Json& f = (*it)[k];
        if (f.is_string() && !catalog.family(f.get<std::string>())) {
          report(Location{base.document, util::pointer_append(base.pointer, k)},
                 fmt::format("unknown family '{}'{}", f.get<std::string>(),
                             util::did_you_mean(f.get<std::string>(), catalog.ids("families"))));
        }
      }
    }
  } else if (section == "services") {
    if (auto it = v.find("instance_prices"); it != v.end() && it->is_array()) {
      const Location base = locate("instance_prices");
      for (std::size_t k = 0; k < it->size(); ++k) {
        const Json& p = (*it)[k];
        if (!p.is_object() || !p.contains("instance") || !p["instance"].is_string()) continue;
        const auto id = p["instance"].get<std::string>();
        if (!catalog.instance(id)) {
          report(Location{base.document, util::pointer_append(util::pointer_append(base.pointer, k), "instance")},
                 fmt::format("unknown instance '{}'{}", id, util::did_you_mean(id, catalog.ids("instances"))));
        }
      }
    }
    if (auto it = v.find("pricing"); it != v.end() && it->is_object() && it->contains("models") &&
                                      (*it)["models"].is_array()) {
      const Location base = locate("pricing");
      const Json& models = (*it)["models"];
      for (std::size_t k = 0; k < models.size(); ++k) {
        const Json& p = models[k];
        if (!p.is_object() || !p.contains("model") || !p["model"].is_string()) continue;
        const auto id = p["model"].get<std::string>();
        if (!catalog.model(id)) {
          report(Location{base.document,
                          util::pointer_append(util::pointer_append(util::pointer_append(base.pointer, "models"), k), "model")},
                 fmt::format("unknown model '{}'{}", id, util::did_you_mean(id, catalog.ids("models"))));
        }
      }
    }
  }
}

}  // namespace aiadvise::catalog
