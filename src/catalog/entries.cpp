#include "catalog/entries.hpp"

#include <fmt/format.h>

#include <cmath>

#include "aiadvise/rules/rules.hpp"
#include "aiadvise/util/text.hpp"

namespace aiadvise::catalog {

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

std::map<Precision, double> EntryReaders::precision_map(ObjectReader& r, const char* key) {
  std::map<Precision, double> out;
  const Json* obj = r.object(key);
  if (!obj) return out;
  const Location base = r.location_of(key);
  ObjectReader inner(*obj, base, m_diagnostics);
  for (const auto& name : precision_names()) {
    if (auto v = inner.number(name, NumberRule::positive)) out[*parse_precision(name)] = *v;
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
  f.typical_params = r.number("typical_params", NumberRule::positive);
  f.typical_forward_gflops_per_sample = r.number("typical_forward_gflops_per_sample", NumberRule::positive);
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
  m.params = r.number("params", NumberRule::positive);
  m.active_params = r.number("active_params", NumberRule::positive);
  if (const Json* arch = r.object("architecture")) {
    ObjectReader a(*arch, r.location_of("architecture"), m_diagnostics);
    auto read_int = [&](const char* key, std::optional<int>& out) {
      if (auto n = a.integer(key, 1)) {
        if (*n > 100'000'000) a.error(key, fmt::format("expected at most 100000000, got {}", *n));
        else out = static_cast<int>(*n);
      }
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
  if (auto n = r.integer("input_positions", 1)) {
    if (*n > 10'000'000) r.error("input_positions", fmt::format("expected at most 10000000, got {}", *n));
    else m.input_positions = static_cast<int>(*n);
  }
  if (auto n = r.integer("native_resolution", 1)) {
    if (*n > 100'000) r.error("native_resolution", fmt::format("expected at most 100000 pixels, got {}", *n));
    else m.native_resolution = static_cast<int>(*n);
  }
  m.forward_gflops_per_sample = r.number("forward_gflops_per_sample", NumberRule::positive);
  m.activation_mib_per_sample = r.number("activation_mib_per_sample", NumberRule::positive);
  m.input = r.string("input").value_or("");
  if (auto p = r.one_of("default_precision", precision_names())) m.default_precision = parse_precision(*p);
  m.frameworks = r.string_list("frameworks", &framework_names());
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
  h.memory_gib = r.number("memory_gib", NumberRule::positive);
  h.memory_type = r.string("memory_type").value_or("");
  h.memory_bandwidth_gb_per_s = r.number("memory_bandwidth_gb_per_s", NumberRule::positive);
  h.tflops = precision_map(r, "tflops");
  if (const Json* ic = r.object("interconnect")) {
    ObjectReader i(*ic, r.location_of("interconnect"), m_diagnostics);
    h.interconnect_name = i.string("name").value_or("");
    h.interconnect_gb_per_s = i.number("bandwidth_gb_per_s", NumberRule::positive);
    i.allow("notes");
    i.finish();
  }
  h.frameworks = r.string_list("frameworks", &framework_names());
  r.allow("framework_notes");
  h.supported_families = r.string_list("supported_families");
  if (auto n = r.integer("cores_per_socket", 1)) h.cores_per_socket = static_cast<int>(*n);
  if (auto n = r.integer("threads_per_core", 1)) h.threads_per_core = static_cast<int>(*n);
  h.clock_ghz = r.number("clock_ghz", NumberRule::positive);
  h.flops_per_cycle_per_core = precision_map(r, "flops_per_cycle_per_core");
  h.vector_units = r.string("vector_units").value_or("");
  h.provenance = provenance(r);
  r.allow("notes");
  r.finish();
  if (h.kind != ComputeKind::cpu && !h.memory_gib) r.error("memory_gib", "an accelerator needs memory_gib");
  return h;
}

Instance EntryReaders::instance(const Json& v, const Location& at, const FieldLocations& fields) {
  auto r = reader(v, at, fields);
  Instance i;
  i.id = r.id("id", true).value_or("");
  if (auto c = r.one_of("cloud", cloud_names(), true)) i.cloud = *parse_cloud(*c);
  i.name = r.string("name", true).value_or("");
  i.family = r.string("family").value_or("");
  i.vcpus = r.number("vcpus", NumberRule::positive, true).value_or(0);
  i.memory_gib = r.number("memory_gib", NumberRule::positive, true).value_or(0);
  i.cpu = r.id("cpu");
  i.accelerator = r.id("accelerator");
  i.accelerator_count = static_cast<int>(r.integer("accelerator_count", 0).value_or(0));
  i.network_gbps = r.number("network_gbps", NumberRule::positive);
  i.region = r.string("region", true).value_or("");
  i.price_usd_per_hour = r.number("price_usd_per_hour", NumberRule::positive);
  if (const Json* parts = r.object("price_parts")) {
    ObjectReader p(*parts, r.location_of("price_parts"), m_diagnostics);
    i.price_vm_usd_per_hour = p.number("vm_usd_per_hour", NumberRule::positive);
    i.price_accelerators_usd_per_hour = p.number("accelerators_usd_per_hour", NumberRule::positive);
    p.finish();
    if (i.price_vm_usd_per_hour && i.price_accelerators_usd_per_hour && i.price_usd_per_hour) {
      const double sum = *i.price_vm_usd_per_hour + *i.price_accelerators_usd_per_hour;
      if (std::fabs(sum - *i.price_usd_per_hour) > 1e-6 * std::max(1.0, sum)) {
        r.error("price_usd_per_hour", fmt::format("price_usd_per_hour {} is not the sum of price_parts ({} + {} = {})",
                                                  *i.price_usd_per_hour, *i.price_vm_usd_per_hour,
                                                  *i.price_accelerators_usd_per_hour, sum));
      }
    }
  }
  i.spot_price_usd_per_hour = r.number("spot_price_usd_per_hour", NumberRule::positive);
  i.provenance = provenance(r);
  i.price_provenance.source = r.string("price_source", false).value_or(i.provenance.source);
  i.price_provenance.as_of = r.date("price_as_of", false).value_or(i.provenance.as_of);
  r.allow("notes");
  r.finish();
  if (i.accelerator && i.accelerator_count == 0) {
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
      double out = 0;
      if (auto problem = util::check_number(value, NumberRule::positive, out)) {
        m_diagnostics.push_back(util::diagnostic_at(Location{base.document, util::pointer_append(base.pointer, key)}, *problem));
      } else {
        s.limits[key] = out;
      }
    }
  }
  if (const Json* pricing = r.object("pricing", true)) {
    ObjectReader p(*pricing, r.location_of("pricing"), m_diagnostics);
    s.pricing_model = p.one_of("model", k_pricing, true).value_or("");
    s.markup_over_vm = p.number("markup_over_vm", NumberRule::positive);
    s.usd_per_gb_second = p.number("usd_per_gb_second", NumberRule::positive);
    s.usd_per_request = p.number("usd_per_request", NumberRule::non_negative);
    s.cluster_usd_per_hour = p.number("cluster_usd_per_hour", NumberRule::non_negative);
    if (const Json* models = p.array("models")) {
      const Location base = p.location_of("models");
      for (std::size_t k = 0; k < models->size(); ++k) {
        const Location item{base.document, util::pointer_append(base.pointer, k)};
        if (!(*models)[k].is_object()) {
          m_diagnostics.push_back(util::diagnostic_at(item, "expected an object"));
          continue;
        }
        ObjectReader t((*models)[k], item, m_diagnostics);
        TokenPrice price;
        price.model = t.id("model", true).value_or("");
        price.input_usd_per_1m_tokens = t.number("input_usd_per_1m_tokens", NumberRule::non_negative, true).value_or(0);
        price.output_usd_per_1m_tokens = t.number("output_usd_per_1m_tokens", NumberRule::non_negative, true).value_or(0);
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
        m_diagnostics.push_back(util::diagnostic_at(item, "expected an object"));
        continue;
      }
      ObjectReader t((*prices)[k], item, m_diagnostics);
      InstancePrice price;
      price.instance = t.id("instance", true).value_or("");
      price.price_usd_per_hour = t.number("price_usd_per_hour", NumberRule::positive, true).value_or(0);
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
      m_diagnostics.push_back(util::diagnostic_at(Location{base.document, base.pointer + pointer}, message));
    }
  }
  if (const Json* effect = r.object("effect", true)) {
    ObjectReader e(*effect, r.location_of("effect"), m_diagnostics);
    const auto exclude = e.boolean("exclude");
    const auto score = e.number("score", NumberRule::any);
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
    m_diagnostics.push_back(util::diagnostic_at(where, std::move(message)));
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
    if (auto it = v.find("supported_families"); it != v.end() && it->is_array()) {
      const Location base = locate("supported_families");
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
