// `aiadvise check`: the CI gate. Fails when a proposed infrastructure choice does not fit its ML
// workload.

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <memory>
#include <set>

#include "aiadvise/check/check.hpp"
#include "aiadvise/cli/exit_codes.hpp"
#include "aiadvise/render/html.hpp"
#include "aiadvise/render/json.hpp"
#include "aiadvise/scoring/recommend.hpp"
#include "aiadvise/util/file_io.hpp"
#include "aiadvise/util/numeric.hpp"
#include "aiadvise/util/text.hpp"
#include "cli/batch_cache.hpp"
#include "cli/context.hpp"
#include "cli/workload_options.hpp"

namespace aiadvise::cli {

namespace {

struct CheckOptions {
  WorkloadOptions workload;
  std::string proposed;
  std::string service;
  std::string project;
  std::string terraform_plan;
  double max_cost_ratio = 1.5;
  double min_cost_difference = 0.5;
  std::string fail_on = "fail";
  std::string format = "table";
  std::string batch;
  unsigned jobs = 0;  ///< --jobs; 0: default_jobs()
  std::string baseline;
  bool allow_empty = false;
};

check::Proposed parse_proposed(const std::string& text) {
  check::Proposed p;
  p.origin = "flags";
  const auto colon = text.rfind(':');
  p.instance = text.substr(0, colon);
  if (colon != std::string::npos) {
    const std::string count = text.substr(colon + 1);
    const auto v = util::parse_count(count);
    const auto n = v ? util::to_integer(*v, 1, check::k_max_proposed_count) : std::nullopt;
    if (!n) {
      throw util::InputError(std::vector<util::Diagnostic>{util::Diagnostic{
          "", 0, 0, "--proposed",
          fmt::format("expected INSTANCE[:COUNT] with a whole count from 1 to {}, got '{}'", check::k_max_proposed_count,
                      util::escape_for_terminal(text))}});
    }
    p.count = static_cast<int>(*n);
  }
  if (p.instance.empty()) {
    throw util::InputError(std::vector<util::Diagnostic>{util::Diagnostic{"", 0, 0, "--proposed", "expected INSTANCE[:COUNT]"}});
  }
  return p;
}

util::JsonDocument read_json(const std::string& path, const GlobalOptions& global, bool plan = false) {
  std::vector<util::Diagnostic> diagnostics;
  std::string text = util::read_input(path, global.max_input_bytes);
  const std::string name = util::display_name(path);
  // A binary plan or `terraform plan -json` output fails as JSON; say what to run instead.
  if (plan) {
    if (auto wrong = check::recognise_wrong_plan_input(text, name)) {
      throw util::InputError(std::vector<util::Diagnostic>{util::Diagnostic{name, 0, 0, "", *wrong}});
    }
  }
  auto doc = util::JsonDocument::parse(name, std::move(text), global.limits(), diagnostics);
  if (!doc.ok()) throw util::InputError(std::move(diagnostics));
  return doc;
}

/// What a check --batch line's output depends on besides its number and name: the workload (as
/// the decision memo keys it) and every field of the proposed choice.
std::string check_line_key(const catalog::Catalog& c, const workload::Workload& w, const check::Proposed& p) {
#if defined(__GLIBCXX__) && defined(__x86_64__)
  // NOTE: a field added to Proposed must be added to the key below, or two lines that differ only in
  // it would share an output. The size reminds whoever adds one.
  static_assert(sizeof(check::Proposed) == 184, "Proposed changed: update check_line_key");
#endif
  std::string key = scoring::decision_key(c, w);
  const auto text = [&key](std::string_view s) {
    key += std::to_string(s.size());
    key += ':';
    key += s;
  };
  for (const std::string* s : {&p.cloud, &p.instance, &p.service, &p.origin}) text(*s);
  text(std::to_string(p.count));
  for (const auto* list : {&p.assumptions, &p.notes}) {
    text(std::to_string(list->size()));
    for (const auto& s : *list) text(s);
  }
  return key;
}

/// Why nothing was checked, for the error that stops an empty run.
std::string nothing_checked(const std::vector<check::SkippedResource>& skipped, const std::vector<std::string>& warnings, bool plan) {
  std::map<std::string, int> kinds;
  for (const auto& s : skipped) ++kinds[std::string(check::to_string(s.kind))];
  std::vector<std::pair<std::string, int>> sorted(kinds.begin(), kinds.end());
  std::stable_sort(sorted.begin(), sorted.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
  std::vector<std::string> parts;
  for (const auto& [kind, n] : sorted) parts.push_back(fmt::format("{} {}", n, kind));
  std::string why = parts.empty() ? std::string() : fmt::format(" ({} resource(s) not checked: {})", skipped.size(), util::join(parts, ", "));
  if (!warnings.empty()) why += fmt::format("; {} warning(s), the first: {}", warnings.size(), warnings.front());
  return fmt::format("nothing was checked: 0 workloads{}. {}--allow-empty accepts a run that checks nothing", why,
                     plan ? fmt::format("Map the plan's resources to workloads in the project file's terraform.resources, or tag them "
                                        "{}=NAME; ",
                                        check::workload_tag)
                          : std::string("Give each workload a \"proposed\" choice; "));
}

int run_check(const CheckOptions& o, const GlobalOptions& global, Io& io) {
  catalog::Catalog c = load_catalog(global);
  check::Options options;
  // The effective thresholds: default < config file < project config < environment < flag.
  options.max_cost_ratio = global.config.max_cost_ratio;
  options.min_cost_difference_usd = global.config.min_cost_difference_usd;
  const check::Severity fail_on = global.config.fail_on == "warn" ? check::Severity::warn : check::Severity::fail;

  if (!o.batch.empty()) {
    c.share();  // read by every thread of the batch
    // One {name, workload, proposed} per line, one workload result per line.
    // Lines of the same workload and proposed choice differ only in their number and name, so a
    // repeated one is answered with the text of the first, those two filled in (each thread keeps
    // its own texts).
    const auto make_handler = [&]() -> BatchHandler {
      struct Kept {
        OutputCache cache;
        std::string number_text, name_text;
      };
      auto kept = std::make_shared<Kept>();
      return [kept, &c, &options, fail_on](const util::JsonDocument& line, std::size_t number, int& worst, std::string& out) {
        const check::ProjectWorkload entry = check::read_project_entry(line, "", c, fmt::format("line {}", number));
        if (!entry.proposed) {
          throw util::InputError(std::vector<util::Diagnostic>{line.diagnostic("", "a check line needs a \"proposed\" choice")});
        }
        std::string& number_text = kept->number_text;
        std::string& name_text = kept->name_text;
        number_text.clear();
        render::append_json(number_text, util::Json(number));
        name_text.clear();
        render::append_json(name_text, util::Json(entry.name));
        // A kept line's holes are "line", "name" and "workload_name" (output_template below), filled
        // in that order.
        const auto fill = [&](const OutputTemplate& text) { text.fill(out, {number_text, name_text, name_text}); };
        std::string key = check_line_key(c, entry.workload, *entry.proposed);
        if (const OutputTemplate* text = kept->cache.find(key)) {
          if (text->failed) worst = k_exit_findings;
          fill(*text);
          return;
        }
        std::vector<check::WorkloadCheck> checks;
        checks.push_back(check::check_workload(entry.name, entry.workload, *entry.proposed, c, options));
        // NOTE: the workload's name is written in "name", in "workload_name" (the same, since a line
        // names no project workload) and in the words of plausibility warnings. Whether there are
        // warnings does not depend on the name, and a line with warnings is written whole, not kept.
        const bool keep = checks.front().workload.empty() && checks.front().name == entry.name;
        util::Json report = check::check_report(checks, {}, {}, options, fail_on);
        const bool failed = report["summary"]["failed"].get<bool>();
        if (failed) worst = k_exit_findings;
        util::Json result = std::move(report["workloads"][0]);
        result["line"] = number;
        if (!report["warnings"].empty() || !keep) {
          if (!report["warnings"].empty()) result["warnings"] = std::move(report["warnings"]);
          render::append_json(out, result);
          return;
        }
        OutputTemplate text = output_template(result, {"line", "name", "workload_name"});
        text.failed = failed;
        fill(text);
        kept->cache.insert(std::move(key), std::move(text));
      };
    };
    BatchOptions batch;
    batch.jobs = o.jobs > 0 ? o.jobs : default_jobs();
    // The decisions kept for workloads checked against another choice: the threads share the
    // default number between them (memory as with one thread; each kept decision is about 0.2 MB).
    batch.kept_decisions = std::max<std::size_t>(16, BatchOptions{}.kept_decisions / batch.jobs);
    return run_batch(o.batch, global, io, make_handler, batch);
  }

  std::vector<check::WorkloadCheck> checks;
  std::vector<check::SkippedResource> skipped;
  std::vector<std::string> warnings;
  // NOTE: the JSON report is streamed: a project of 100,000 workloads would otherwise hold every
  // result, and the report, in memory at once. Every input has been read and checked before the
  // first check runs, so a bad input still leaves nothing on stdout.
  std::unique_ptr<check::JsonReportWriter> json;
  // A baseline compares the whole report, so it is built in memory.
  if (o.format == "json" && o.baseline.empty()) json = std::make_unique<check::JsonReportWriter>(options, fail_on, &c);
  const auto add = [&](check::WorkloadCheck&& result) {
    if (json) json->add(result);
    else checks.push_back(std::move(result));
  };

  if (!o.proposed.empty()) {
    const workload::Workload w = read_workload(o.workload, global, c);
    check::Proposed p = parse_proposed(o.proposed);
    p.service = o.service;
    if (w.clouds.size() == 1) p.cloud = std::string(catalog::to_string(w.clouds.front()));
    add(check::check_workload("workload", w, p, c, options));
  } else {
    std::string project_path = o.project;
    if (project_path.empty() && std::filesystem::exists("aiadvise.json")) project_path = "aiadvise.json";
    if (project_path.empty() && o.terraform_plan.empty()) {
      throw util::InputError(std::vector<util::Diagnostic>{util::Diagnostic{
          "", 0, 0, "", "nothing to check: give --proposed INSTANCE[:COUNT] with a workload, --project FILE, or --terraform-plan PLAN.json "
                        "(with a project file naming the workloads)"}});
    }
    check::Project project;
    std::unique_ptr<util::JsonDocument> project_doc;
    if (!project_path.empty()) {
      project_doc = std::make_unique<util::JsonDocument>(read_json(project_path, global));
      project = check::read_project(*project_doc, c);
      project_doc.reset();  // the workloads are read; the document is not needed while checking
    }
    std::set<std::string> covered;
    if (!o.terraform_plan.empty()) {
      const util::JsonDocument plan_doc = read_json(o.terraform_plan, global, true);
      const check::TerraformPlan plan = check::read_terraform_plan(plan_doc, c);
      skipped = plan.skipped;
      std::vector<check::WorkloadCheck> planned;
      check::check_terraform_plan(plan, project, c, options, planned, skipped, warnings);
      for (auto& ch : planned) {
        covered.insert(ch.workload);
        add(std::move(ch));
      }
    }
    for (const auto& pw : project.workloads) {
      if (pw.proposed) {
        check::WorkloadCheck ch = check::check_workload(pw.name, pw.workload, *pw.proposed, c, options);
        ch.workload = pw.name;
        ch.locations.push_back(pw.location);
        add(std::move(ch));
      } else if (!covered.count(pw.name)) {
        warnings.push_back(fmt::format("workload '{}' has no proposed choice and no Terraform resource: nothing to check", pw.name));
      }
    }
  }
  // NOTE: a gate that checked nothing must not pass: zero workloads is an error unless asked for.
  if ((json ? json->workloads() : checks.size()) == 0 && !o.allow_empty) {
    throw util::InputError(std::vector<util::Diagnostic>{
        util::Diagnostic{"", 0, 0, "", nothing_checked(skipped, warnings, !o.terraform_plan.empty())}});
  }

  if (json) {
    const int status = json->write(skipped, warnings, [&io](std::string_view text) { return io.emit(text); });
    if (status > 0) {
      io.err += fmt::format("aiadvise: error: cannot write the result to standard output: {}\n", std::strerror(status));
      return k_exit_io;
    }
    return json->failed() ? k_exit_findings : k_exit_ok;
  }
  util::Json report = check::check_report(checks, skipped, warnings, options, fail_on, &c);
  if (!o.baseline.empty()) check::compare_with_baseline(report, read_json(o.baseline, global));
  if (o.format == "json") io.out = render::json_text(report);
  else if (o.format == "markdown") io.out = check::render_markdown(report);
  else if (o.format == "github") io.out = check::render_github(report, global.verbose);
  else if (o.format == "sarif") io.out = check::render_sarif(report);
  else if (o.format == "junit") io.out = check::render_junit(report);
  else if (o.format == "html") io.out = render::check_html(report);
  else io.out = check::render_table(report, global.width(), global.verbose);
  return report["summary"]["failed"].get<bool>() ? k_exit_findings : k_exit_ok;
}

}  // namespace

void setup_check(CLI::App& app, const GlobalOptions& global, Action& action) {
  auto o = std::make_shared<CheckOptions>();
  CLI::App* cmd = app.add_subcommand("check", "CI gate: fail when a proposed instance or service does not fit its ML workload");
  cmd->footer(R"(Examples:
  aiadvise check --model llama-2-70b --precision fp16 --qps 1 --proposed g5.xlarge:2
  aiadvise check --model resnet-50 --qps 20 --proposed ml.g5.xlarge --service sagemaker-realtime --cloud aws
  aiadvise check --project aiadvise.json --format markdown > comment.md
  aiadvise check --project aiadvise.json --format html > check.html
  aiadvise check --project aiadvise.json --terraform-plan plan.json --format github --fail-on warn
  aiadvise check --project aiadvise.json --terraform-plan plan.json --format sarif > aiadvise.sarif
  aiadvise check --project aiadvise.json --format junit > aiadvise-junit.xml
  aiadvise check --project aiadvise.json --format json > base.json   # on the main branch, then on the PR:
  aiadvise check --project aiadvise.json --baseline base.json --format markdown > comment.md
  aiadvise check --batch proposals.jsonl > results.jsonl

Exit codes: 0 when no finding is at or above --fail-on, 1 when one is, 2 for invalid input or usage
(also: a terraform.resources key that names nothing in the plan, or nothing checked without
--allow-empty), 3 internal error. Findings: fit-memory, latency-targets, deadline, budget-*,
accelerator-framework, accelerator-family, service-limits, serverless-needs-cpu-model (fail);
check-cost-ratio (fail); check-cpu-would-do, check-deployment, check-unknown-instance, price-unknown
(warn). Skipped resources are counted by reason; -v lists them. See docs/ci.md.)");
  add_workload_options(*cmd, o->workload);
  cmd->add_option("--proposed", o->proposed, "The choice to check: INSTANCE[:COUNT] (count default: as many as the targets need)")
      ->type_name("INSTANCE[:COUNT]");
  cmd->add_option("--service", o->service, "Service the instance runs under (default: the cloud's VMs: ec2, gce, azure-vm)");
  cmd->add_option("--project", o->project, "Project file with workloads and proposed choices (default: ./aiadvise.json if present)")
      ->type_name("FILE");
  cmd->add_option("--terraform-plan", o->terraform_plan, "JSON from `terraform show -json PLAN`; resources tagged aiadvise-workload=NAME")
      ->type_name("FILE");
  cmd->add_option("--max-cost-ratio", o->max_cost_ratio, "Fail when the choice costs more than this times the best feasible option")
      ->check(CLI::Range(1.0, 1000.0))
      ->capture_default_str();
  cmd->add_option("--min-cost-difference", o->min_cost_difference,
                  "...and costs at least this many USD more (per hour for serving, per run for jobs)")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  cmd->add_option("--fail-on", o->fail_on, "Lowest severity that fails the run: fail or warn")
      ->check(CLI::IsMember({"fail", "warn"}))
      ->capture_default_str();
  CLI::Option* format = add_format_option(*cmd, o->format, {"table", "json", "markdown", "github", "html", "sarif", "junit"});
  cmd->add_flag("--allow-empty", o->allow_empty, "Exit 0 when nothing was checked (default: a run that checks no workload is an error)");
  cmd->add_option("--baseline", o->baseline,
                  "An earlier `check --format json` report: show new, resolved and unchanged findings and the cost difference")
      ->type_name("PREVIOUS.json");
  cmd->add_option("--batch", o->batch,
                  "JSON Lines of {name, workload, proposed} (a file, or - for stdin): one JSON result per line; the lines give the "
                  "workloads and choices, so workload flags, --proposed, --service, --project, --terraform-plan, --baseline and a "
                  "format other than json are refused with it")
      ->type_name("FILE.jsonl");
  add_jobs_option(*cmd, o->jobs);
  cmd->callback([o, cmd, format, &global, &action] {
    if (!o->batch.empty()) {
      // NOTE: a batch line carries its own workload and proposed choice, and every result is a JSON
      // line: a flag that would choose them, or another format, is refused rather than ignored (a
      // CI job that passed --terraform-plan with --batch would otherwise pass a plan never checked).
      std::vector<std::string> ignored;
      for (const char* name : {"--proposed", "--service", "--project", "--terraform-plan", "--baseline", "--workload"}) {
        if (cmd->get_option(name)->count() > 0) ignored.emplace_back(name);
      }
      for (const auto& [key, option] : o->workload.options) {
        if (option->count() > 0) ignored.push_back(option->get_name());
      }
      if (format->count() > 0 && o->format != "json") ignored.push_back("--format " + o->format);
      if (!ignored.empty()) {
        throw CLI::ValidationError("--batch", fmt::format("each line gives its workload and proposed choice, and each result is a JSON "
                                                          "line: {} would be ignored (drop {}, or check without --batch)",
                                                          util::join(ignored, ", "), ignored.size() == 1 ? "it" : "them"));
      }
    }
    action = [o, &global](Io& io) { return run_check(*o, global, io); };
  });
}

}  // namespace aiadvise::cli
