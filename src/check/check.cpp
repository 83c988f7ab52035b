#include "aiadvise/check/check.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstdio>
#include <set>
#include <stdexcept>

#include "aiadvise/report/plausibility.hpp"
#include "aiadvise/report/recommend.hpp"
#include "aiadvise/scoring/recommend.hpp"
#include "aiadvise/sizing/sizing.hpp"
#include "aiadvise/util/human.hpp"
#include "aiadvise/util/text.hpp"

namespace aiadvise::check {

using util::Json;

std::string_view to_string(Severity s) {
  switch (s) {
    case Severity::pass: return "pass";
    case Severity::warn: return "warn";
    case Severity::fail: return "fail";
  }
  return "fail";
}

namespace {

std::string money(double usd) { return util::format_usd(usd); }

std::string describe_option(const scoring::Candidate& cand, const catalog::Catalog& c) {
  if (cand.instance == "serverless") return cand.service;
  const catalog::Instance* i = c.instance(cand.instance);
  return fmt::format("{} x {} on {}", cand.estimate.count, i ? i->name : cand.instance, cand.service);
}

const catalog::Service* default_service(const catalog::Catalog& c, catalog::Cloud cloud) {
  switch (cloud) {
    case catalog::Cloud::aws: return c.service("ec2");
    case catalog::Cloud::gcp: return c.service("gce");
    case catalog::Cloud::azure: return c.service("azure-vm");
  }
  return nullptr;
}

// Findings from the rules that exclude a candidate: a missing price only warns (nothing is known
// to be wrong); every other exclusion means the choice cannot do the job.
Severity severity_of(const std::string& rule) { return rule == "price-unknown" ? Severity::warn : Severity::fail; }

}  // namespace

WorkloadCheck check_workload(const std::string& name, const workload::Workload& given, const Proposed& proposed,
                             const catalog::Catalog& c, const Options& options) {
  const workload::Workload w = scoring::with_headroom(given);
  WorkloadCheck out;
  out.name = name;
  out.proposed = proposed;
  out.workload_spec = workload::to_json(w);
  out.proposed_option = nullptr;
  out.best = nullptr;
  auto add = [&](std::string rule, Severity severity, std::string message) {
    out.findings.push_back(Finding{std::move(rule), severity, std::move(message)});
  };

  const sizing::Requirements req = sizing::requirements(w, c);
  scoring::Options decide;
  decide.trace = false;  // a check shows the best option and the relaxations, never the trace
  const scoring::Decision decision = scoring::recommend(w, req, c, decide);
  const scoring::Candidate* best = decision.ranked.empty() ? nullptr : &decision.ranked.front();
  if (best) out.best = report::option_json(*best, c, &w);

  std::string instance_name = proposed.instance;
  if (instance_name.rfind("ml.", 0) == 0) instance_name = instance_name.substr(3);  // SageMaker's names
  const catalog::Instance* instance = instance_name.empty() ? nullptr : c.instance(instance_name);
  const catalog::Service* service = nullptr;
  if (!proposed.service.empty()) {
    service = c.service(proposed.service);
    if (!service) {
      add("check-unknown-service", Severity::fail,
          fmt::format("unknown service '{}'{}", proposed.service, util::did_you_mean(proposed.service, c.ids("services"))));
    }
  }
  const bool serverless = service && service->kind == "serverless-inference";
  if (!instance && !serverless) {
    // NOTE: an instance type the catalog does not know says nothing about the plan: it warns (so
    // --fail-on warn still fails) and says how to teach the catalog the type.
    add("check-unknown-instance", Severity::warn,
        proposed.instance.empty()
            ? (proposed.notes.empty() ? std::string("no instance type to check: the plan or project file names none")
                                      : fmt::format("no instance type to check: {}", util::join(proposed.notes, "; ")))
            : fmt::format("instance type '{}' is not in the catalog{}, so this choice was not checked; add it with "
                          "`aiadvise catalog import skypilot FILE.csv --cloud CLOUD -o my-catalog.json` or an instance entry "
                          "in a catalog file, passed with --catalog (docs/catalog.md)",
                          proposed.instance, util::did_you_mean(instance_name, c.ids("instances"))));
  }
  if (instance && !proposed.cloud.empty() && proposed.cloud != catalog::to_string(instance->cloud)) {
    add("check-cloud-mismatch", Severity::fail,
        fmt::format("{} is a {} instance, not {}", instance->name, catalog::to_string(instance->cloud), proposed.cloud));
  }
  if (instance && std::find(w.clouds.begin(), w.clouds.end(), instance->cloud) == w.clouds.end()) {
    add("check-cloud-not-allowed", Severity::fail,
        fmt::format("{} is on {}, which the workload's cloud list excludes", instance->name, catalog::to_string(instance->cloud)));
  }
  if (!service && instance && proposed.service.empty()) service = default_service(c, instance->cloud);

  std::optional<scoring::Candidate> chosen;
  if (service && (instance || serverless)) {
    scoring::Evaluator evaluator(w, req, c);
    if (serverless) {
      if (instance && instance->accelerator) {
        add("check-service-cannot-run", Severity::fail,
            fmt::format("{} has no accelerators; the {} of {} is not available there", service->name, *instance->accelerator,
                        instance->name));
      }
      chosen = evaluator.serverless(*service);
      if (!chosen) {
        add("service-limits", Severity::fail,
            fmt::format("{} serves real-time inference only; this workload is {}", service->name, workload::to_string(w.phase)));
      }
    } else {
      sizing::EstimateOptions o = scoring::decision_options(w);
      o.count = proposed.count;
      const sizing::Estimate base = sizing::estimate(w, req, c, *instance, o);
      if (service->cloud != instance->cloud) {
        add("check-service-cloud", Severity::fail,
            fmt::format("{} runs on {}, but {} is a {} instance", service->name, catalog::to_string(service->cloud), instance->name,
                        catalog::to_string(instance->cloud)));
      } else if (!scoring::service_applies(*service, w, base.compute)) {
        add("check-service-cannot-run", Severity::fail,
            fmt::format("{} does not run {} {} on {}", service->name, workload::to_string(w.phase),
                        w.phase == workload::Phase::inference ? std::string(workload::to_string(w.mode)) : std::string(),
                        catalog::to_string(base.compute)));
      }
      chosen = evaluator.evaluate(*instance, *service, base);
    }
  }
  if (chosen) {
    out.proposed_option = report::option_json(*chosen, c, &w);
    for (const auto& why : chosen->exclusions) {
      const auto colon = why.find(':');
      const std::string rule = why.substr(0, colon);
      add(rule, severity_of(rule), why.substr(colon + 2));
    }
    const bool feasible = !chosen->excluded();
    // The proposed fleet against the headroom a recommendation keeps (scoring::serving_headroom).
    const auto& pe = chosen->estimate;
    if (feasible && pe.fits && !pe.overloaded && chosen->instance != "serverless" && w.phase == workload::Phase::inference &&
        w.mode == workload::Mode::realtime) {
      const int replicas = pe.count * pe.replicas_per_instance;
      if (pe.utilisation > pe.max_utilisation + 1e-9) {
        add("check-headroom", Severity::warn,
            fmt::format("{} runs at {:.0f}% of its capacity; the headroom asked for is at most {:.0f}% (--max-utilisation)",
                        describe_option(*chosen, c), pe.utilisation * 100, pe.max_utilisation * 100));
      } else if (replicas < pe.min_replicas) {
        add("check-headroom", Severity::warn,
            fmt::format("{} has {} replica(s); production serving asks for at least {} (--min-replicas)", describe_option(*chosen, c),
                        replicas, pe.min_replicas));
      } else if (pe.min_replicas >= 2 && pe.count < 2) {
        add("check-headroom", Severity::warn,
            fmt::format("{} runs its {} replicas on one instance, which takes them all down when it fails or is maintained; "
                        "production serving spreads them over at least 2 instances (--min-replicas)",
                        describe_option(*chosen, c), replicas));
      }
    }
    if (feasible && best) {
      const double mine = chosen->cost_for_work, theirs = best->cost_for_work;
      const std::string basis = (w.trains() || w.mode == workload::Mode::batch) ? "for the run" : "per hour";
      if (theirs > 0 && mine / theirs > options.max_cost_ratio && mine - theirs > options.min_cost_difference_usd) {
        add("check-cost-ratio", Severity::fail,
            fmt::format("{} costs {} {}, {:.2f}x the best feasible option ({} at {}); the limit is {:.2f}x (and {} more)",
                        describe_option(*chosen, c), money(mine), basis, mine / theirs, describe_option(*best, c), money(theirs),
                        options.max_cost_ratio, money(options.min_cost_difference_usd)));
      }
    }
    const catalog::Instance* ci = c.instance(chosen->instance);
    if (feasible && chosen->estimate.compute == catalog::ComputeKind::cpu && ci && ci->accelerator) {
      add("check-cpu-would-do", Severity::warn,
          fmt::format("{} pays for {} x {} that {} does not use; the work runs on the host CPUs", describe_option(*chosen, c),
                      ci->accelerator_count, *ci->accelerator, w.framework));
    } else if (feasible && chosen->estimate.compute != catalog::ComputeKind::cpu) {
      // Only a CPU option that is no dearer than this choice is worth pointing at.
      // Searched over the compact ranking entries: reading decision.ranked[k] builds the full candidate.
      for (std::size_t k = 0; k < decision.ranked.size(); ++k) {
        const auto& x = decision.ranked.entry(k);
        if (x.compute != catalog::ComputeKind::cpu || x.cost_for_work > chosen->cost_for_work) continue;
        const scoring::Candidate& cpu = decision.ranked[k];
        add("check-cpu-would-do", Severity::warn,
            fmt::format("{} uses {} accelerators, but a CPU option meets the targets: {} at {} (this choice: {})",
                        describe_option(*chosen, c), catalog::to_string(chosen->estimate.compute), describe_option(cpu, c),
                        money(cpu.cost_for_work), money(chosen->cost_for_work)));
        break;
      }
    }
    if (feasible && best && best->managed != chosen->managed) {
      std::vector<std::string> why;
      for (const auto& id : best->rules_fired) {
        if (id.rfind("deploy-", 0) == 0) why.push_back(id);
      }
      if (!why.empty()) {
        add("check-deployment", Severity::warn,
            fmt::format("{} is {}, but the workload's priorities, team and traffic favour {} ({}): aiadvise would pick {}", chosen->service,
                        chosen->managed ? "managed" : "self-managed", best->managed ? "managed" : "self-managed", util::join(why, ", "),
                        describe_option(*best, c)));
      }
    }
  }
  if (!best) {
    std::string message = "aiadvise finds no feasible option for this workload in the catalog; the choice cannot be compared";
    // What would give one, each change alone (as recommend shows them).
    std::vector<std::string> changes;
    for (const auto& x : decision.relaxations) {
      std::string cost = x.option.estimate.cost_usd && (w.trains() || w.mode == workload::Mode::batch)
                             ? money(*x.option.estimate.cost_usd) + " for the run"
                             : money(x.option.estimate.price_usd_per_hour.value_or(0)) + "/hour";
      changes.push_back(fmt::format("{} {} -> {} ({} at {})", x.field, x.from, x.to, describe_option(x.option, c), cost));
    }
    if (!changes.empty()) message += "; an option is feasible with " + util::join(changes, ", or ");
    add("check-no-feasible-option", Severity::warn, std::move(message));
  }
  for (const auto& f : out.findings) out.verdict = std::max(out.verdict, f.severity);
  return out;
}

const std::map<std::string, std::string>& check_rule_descriptions() {
  static const std::map<std::string, std::string> descriptions = {
      {"check-unknown-instance", "The instance type is not in the catalog: the choice could not be checked"},
      {"check-unknown-service", "The service is not in the catalog"},
      {"check-cloud-mismatch", "The proposed cloud and the instance's cloud differ"},
      {"check-cloud-not-allowed", "The instance's cloud is not in the workload's cloud list"},
      {"check-service-cloud", "The service and the instance are on different clouds"},
      {"check-service-cannot-run", "The service cannot run this work"},
      {"check-cost-ratio", "Feasible, but costs more than --max-cost-ratio times the best feasible option"},
      {"check-cpu-would-do", "Accelerators the work does not use, or a cheaper CPU option meets the targets"},
      {"check-deployment", "Self-managed where managed fits the team better, or the reverse"},
      {"check-headroom", "Real-time serving above the utilisation limit or with fewer replicas than asked (--max-utilisation, --min-replicas)"},
      {"check-no-feasible-option", "Nothing in the catalog meets the workload, so the choice cannot be compared"},
  };
  return descriptions;
}

// What the report says of all its workloads together, gathered one workload at a time. Not in the
// anonymous namespace: JsonReportWriter::State (a member of a class with linkage) holds one.
struct ReportTotals {
  int counts[3] = {0, 0, 0};
  bool failing = false;
  std::size_t workloads = 0;
  std::set<std::string> fired;
  std::vector<std::string> warnings;
};

namespace {

using Totals = ReportTotals;

Json location_json(const SourceLocation& l) {
  return {{"file", l.file}, {"line", l.line}, {"column", l.column}, {"pointer", l.pointer}, {"what", l.what}};
}

Json workload_entry(const WorkloadCheck& ch, Severity fail_on, Totals& totals) {
  ++totals.workloads;
  ++totals.counts[static_cast<int>(ch.verdict)];
  Json findings = Json::array();
  for (const auto& f : ch.findings) {
    findings.push_back({{"rule", f.rule}, {"severity", std::string(to_string(f.severity))}, {"message", f.message}});
    totals.failing = totals.failing || f.severity >= fail_on;
    totals.fired.insert(f.rule);
  }
  // Results beyond human scale are flagged, naming the input that caused them (report/plausibility.hpp).
  const std::string subject = fmt::format("workload '{}': the proposed {}", ch.name, ch.proposed.instance);
  for (auto& w : report::plausibility_warnings(ch.workload_spec, ch.proposed_option, subject, ch.proposed.count > 0 ? ch.proposed.origin : "")) {
    totals.warnings.push_back(std::move(w));
  }
  Json locations = Json::array();
  for (const auto& l : ch.locations) locations.push_back(location_json(l));
  return {{"name", ch.name},
          {"workload_name", ch.workload.empty() ? ch.name : ch.workload},
          {"address", ch.address},
          {"verdict", std::string(to_string(ch.verdict))},
          {"proposed", {{"cloud", ch.proposed.cloud}, {"instance", ch.proposed.instance}, {"count", ch.proposed.count},
                        {"service", ch.proposed.service}, {"origin", ch.proposed.origin},
                        {"assumed", ch.proposed.assumptions}, {"notes", ch.proposed.notes}}},
          {"locations", locations},
          {"estimate", ch.proposed_option},
          {"findings", findings},
          {"best", ch.best},
          {"workload", ch.workload_spec}};
}

// The report without its workloads ("workloads": []).
Json report_shell(const Totals& totals, const std::vector<SkippedResource>& skipped, const std::vector<std::string>& warnings,
                  const Options& options, Severity fail_on, const catalog::Catalog* catalog) {
  Json r = Json::object();
  r["schema_version"] = 1;
  r["tool"] = {{"name", "aiadvise"}, {"version", AIADVISE_VERSION}};
  // Skipped resources, one entry each, and counted by reason for a summary that fits a screen.
  Json skipped_json = Json::array();
  std::map<std::string, int> by_reason;
  for (const auto& s : skipped) {
    const std::string kind(to_string(s.kind));
    skipped_json.push_back({{"address", s.address}, {"type", s.type}, {"reason", s.reason}, {"kind", kind}});
    ++by_reason[kind];
  }
  std::vector<std::pair<std::string, int>> reasons(by_reason.begin(), by_reason.end());
  std::stable_sort(reasons.begin(), reasons.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
  Json skipped_summary = Json::array();
  for (const auto& [kind, n] : reasons) skipped_summary.push_back({{"kind", kind}, {"count", n}});

  Json rules = Json::object();
  for (const auto& id : totals.fired) {
    std::string description;
    if (auto it = check_rule_descriptions().find(id); it != check_rule_descriptions().end()) description = it->second;
    if (description.empty() && catalog != nullptr) {
      for (const auto& rule : catalog->rules) {
        if (rule.value("id", "") == id) description = rule.value("description", "");
      }
    }
    rules[id] = description.empty() ? id : description;
  }
  r["summary"] = {{"workloads", totals.workloads}, {"pass", totals.counts[0]}, {"warn", totals.counts[1]}, {"fail", totals.counts[2]},
                  {"skipped", skipped.size()}, {"fail_on", std::string(to_string(fail_on))}, {"max_cost_ratio", options.max_cost_ratio},
                  {"min_cost_difference_usd", options.min_cost_difference_usd}, {"failed", totals.failing}};
  r["workloads"] = Json::array();
  r["skipped"] = skipped_json;
  r["skipped_summary"] = skipped_summary;
  std::vector<std::string> all = warnings;
  all.insert(all.end(), totals.warnings.begin(), totals.warnings.end());
  r["warnings"] = all;
  r["rules"] = rules;
  return r;
}

}  // namespace

Json check_report(const std::vector<WorkloadCheck>& checks, const std::vector<SkippedResource>& skipped, const std::vector<std::string>& warnings,
                  const Options& options, Severity fail_on, const catalog::Catalog* catalog) {
  Totals totals;
  Json workloads = Json::array();
  for (const auto& ch : checks) workloads.push_back(workload_entry(ch, fail_on, totals));
  Json r = report_shell(totals, skipped, warnings, options, fail_on, catalog);
  r["workloads"] = std::move(workloads);
  return r;
}

struct JsonReportWriter::State {
  Totals totals;
  std::FILE* spill = nullptr;  // the workloads' entries, as text
  std::string pending;         // what is not yet in `spill`
};

JsonReportWriter::JsonReportWriter(const Options& options, Severity fail_on, const catalog::Catalog* catalog)
    : m_options(options), m_fail_on(fail_on), m_catalog(catalog), m_state(std::make_unique<State>()) {
  // NOTE: an anonymous temporary file (removed by the system when closed, even on a crash); when
  // none can be made, the entries stay in memory.
  m_state->spill = std::tmpfile();
}

JsonReportWriter::~JsonReportWriter() {
  if (m_state->spill) std::fclose(m_state->spill);
}

bool JsonReportWriter::failed() const { return m_state->totals.failing; }

std::size_t JsonReportWriter::workloads() const { return m_state->totals.workloads; }

void JsonReportWriter::add(const WorkloadCheck& check) {
  const Json entry = workload_entry(check, m_fail_on, m_state->totals);
  std::string& out = m_state->pending;
  if (m_state->totals.workloads > 1) out += ",\n";
  // Indented as the entry of an array inside the report's top-level object (dump(2)): four spaces
  // in front of every line. JSON text holds no raw newline inside a string.
  const std::string text = entry.dump(2);
  out += "    ";
  for (const char c : text) {
    out += c;
    if (c == '\n') out += "    ";
  }
  if (m_state->spill && out.size() >= (1u << 20)) {
    if (std::fwrite(out.data(), 1, out.size(), m_state->spill) != out.size()) {
      throw std::runtime_error("cannot write the report's temporary file");
    }
    out.clear();
  }
}

int JsonReportWriter::write(const std::vector<SkippedResource>& skipped, const std::vector<std::string>& warnings,
                            const std::function<int(std::string_view)>& emit) {
  const std::string shell = report_shell(m_state->totals, skipped, warnings, m_options, m_fail_on, m_catalog).dump(2);
  // "workloads" sorts last, so the shell ends with its empty array: `"workloads": []\n}`.
  const std::string_view tail = "[]\n}";
  if (shell.size() < tail.size() || shell.compare(shell.size() - tail.size(), tail.size(), tail) != 0) {
    throw std::logic_error("check report: \"workloads\" is not the last member");
  }
  if (m_state->totals.workloads == 0) return emit(shell + "\n");
  if (int status = emit(std::string_view(shell).substr(0, shell.size() - tail.size()))) return status;
  if (int status = emit("[\n")) return status;
  if (m_state->spill) {
    std::rewind(m_state->spill);
    char buffer[1 << 16];
    std::size_t n = 0;
    while ((n = std::fread(buffer, 1, sizeof buffer, m_state->spill)) > 0) {
      if (int status = emit(std::string_view(buffer, n))) return status;
    }
    if (std::ferror(m_state->spill)) throw std::runtime_error("cannot read the report's temporary file");
  }
  if (int status = emit(m_state->pending)) return status;
  return emit("\n  ]\n}\n");
}

}  // namespace aiadvise::check
