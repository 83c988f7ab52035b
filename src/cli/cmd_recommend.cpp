// `aiadvise recommend`: compute kind, instance and count, managed or self-managed, with reasons.

#include <CLI/CLI.hpp>

#include <memory>

#include "aiadvise/cli/exit_codes.hpp"
#include "aiadvise/render/chart.hpp"
#include "aiadvise/render/html.hpp"
#include "aiadvise/render/json.hpp"
#include "aiadvise/render/recommend.hpp"
#include "aiadvise/report/recommend.hpp"
#include "cli/batch_cache.hpp"
#include "cli/context.hpp"
#include "cli/workload_options.hpp"

namespace aiadvise::cli {

namespace {

struct RecommendOptions {
  WorkloadOptions workload;
  std::string format;
  bool format_given = false;
  int top = 5;
  bool explain = false;
  bool chart = false;
  std::string batch;
  unsigned jobs = 0;  ///< --jobs; 0: default_jobs()
};

int run_recommend_batch(const RecommendOptions& o, const GlobalOptions& global, Io& io) {
  const catalog::Catalog run_catalog = load_catalog(global);
  run_catalog.share();  // read by every thread of the batch
  const workload::FlagValues flags = workload_flags_given(o.workload);
  scoring::Options options;
  options.top = o.top;
  options.trace = o.explain;  // the report shows the trace only with --explain
  // Each thread's handler keeps its own catalogs and output texts.
  const auto make_handler = [&]() -> BatchHandler {
    struct Kept {
      explicit Kept(const catalog::Catalog& run) : catalogs(run) {}
      // Each line is answered against the run's catalog, or one of its own when it reads a model
      // from files: no line changes what another says.
      LineCatalogs catalogs;
      // A line's text depends on its workload and its catalog only (the options and configuration
      // are the run's), so a repeated workload is answered with the text of its first line. The
      // key names the catalog by its generation: what was kept for one catalog never answers a
      // line of another.
      OutputCache cache;
    };
    auto kept = std::make_shared<Kept>(run_catalog);
    return [kept, &o, &flags, &global, &options](const util::JsonDocument& line, std::size_t, int&, std::string& out) {
      const catalog::Catalog* line_catalog = nullptr;
      const workload::Workload w = scoring::with_headroom(kept->catalogs.normalise(line, flags, global, &line_catalog));
      const catalog::Catalog& c = *line_catalog;
      std::string key = scoring::decision_key(c, w);
      if (const OutputTemplate* text = kept->cache.find(key)) {
        text->fill(out);
        return;
      }
      const sizing::Requirements req = sizing::requirements(w, c);
      const std::size_t start = out.size();
      render::append_json(out, report::recommendation_report(w, req, scoring::recommend(w, req, c, options), c,
                                                             report::ReportOptions{o.explain}));
      OutputTemplate text;
      text.parts.push_back(out.substr(start));
      kept->cache.insert(std::move(key), std::move(text));
    };
  };
  BatchOptions batch;
  batch.kept_decisions = 0;  // the texts answer repeated workloads: a decision kept too would never be read
  batch.jobs = o.jobs > 0 ? o.jobs : default_jobs();
  return run_batch(o.batch, global, io, make_handler, batch);
}

int run_recommend(const RecommendOptions& o, const GlobalOptions& global, Io& io) {
  if (!o.batch.empty()) return run_recommend_batch(o, global, io);
  catalog::Catalog c = load_catalog(global);
  const workload::Workload w = scoring::with_headroom(read_workload(o.workload, global, c));
  const sizing::Requirements req = sizing::requirements(w, c);
  scoring::Options options;
  options.top = o.top;
  options.trace = o.explain;  // the report shows the trace only with --explain
  scoring::Decision d = scoring::recommend(w, req, c, options);
  // --chart draws after the table, so it implies the table format.
  const std::string format = o.chart && !o.format_given ? "table" : o.format;
  report::ReportOptions report_options;
  report_options.explain = o.explain;
  report_options.feasible_points = format == "html";  // the HTML report charts every feasible option
  util::Json report = report::recommendation_report(w, req, d, c, report_options);
  if (format == "json") {
    io.out = render::json_text(report);
  } else if (format == "markdown") {
    io.out = render::recommendation_markdown(report);
  } else if (format == "html") {
    io.out = render::recommendation_html(report);
  } else {
    render::Style style;
    style.color = global.color();
    style.width = global.width();
    style.wide = format == "wide";
    io.out = render::recommendation_table(report, style);
    if (o.chart) {
      render::ChartStyle chart;
      chart.unicode = render::utf8_locale();
      chart.color = style.color;
      chart.columns = style.width;
      const std::string bars = render::recommendation_chart(report, chart);
      if (!bars.empty()) io.out += "\n" + bars;
    }
  }
  // Moved, not copied: none of them is const.
  release(std::move(report));
  release(std::move(d));
  release(std::move(c));
  return k_exit_ok;
}

}  // namespace

void setup_recommend(CLI::App& app, const GlobalOptions& global, Action& action) {
  auto o = std::make_shared<RecommendOptions>();
  CLI::App* cmd = app.add_subcommand("recommend", "Recommend compute kind, instance and count, and managed or self-managed, with reasons");
  cmd->footer(R"(Examples:
  aiadvise recommend --model llama-3.1-8b --qps 5 --tpot-ms 50
  aiadvise recommend --model meta-llama/Llama-3.1-8B-Instruct --qps 5 -o wide
  aiadvise recommend --model-config ./Qwen3-8B/ --qps 2 --tpot-ms 40
  aiadvise recommend --model llama-2-70b --precision fp16 --latency-ms 20000 --format json
  aiadvise recommend --model resnet-50 --phase training --dataset-samples 1.28M --epochs 90 --deadline-hours 24
  aiadvise recommend --model xgboost --phase inference --qps 200 --ops-maturity low --traffic spiky
  aiadvise recommend --workload workload.json --cloud aws,gcp --explain
  aiadvise recommend --model llama-3.1-8b --qps 5 --chart
  aiadvise recommend --model llama-3.1-8b --qps 5 --output-file report.html
  aiadvise recommend --batch fleet.jsonl > reports.jsonl
  aiadvise recommend --batch fleet.jsonl --jobs 1 > reports.jsonl   # one thread

Costs: per hour and per month (730 h) for serving, with the cost per 1M output tokens or 1k requests;
per run for training and batch jobs.

Exit codes: 0 with a report (also when no option is feasible: the report says so and names the
nearest ones), 2 for invalid input (with --batch: if any line was bad; the other lines are still
answered), 3 internal error, 4 output could not be written.)");
  add_workload_options(*cmd, o->workload);
  CLI::Option* format = add_format_option(*cmd, o->format, {"table", "wide", "json", "markdown", "html"});
  format->description(
      "table (fitted to the terminal), wide (every column), json, markdown or html (a self-contained page with a cost chart of "
      "every feasible option), in any case; default: table on a terminal or with --chart, json otherwise");
  cmd->add_option("--top", o->top, "Alternatives to list (at least the best per cloud, and per compute kind within 10x the cost)")
      ->check(CLI::Range(0, 100))
      ->capture_default_str();
  cmd->add_option("--batch", o->batch, "JSON Lines of workloads (a file, or - for stdin): one JSON report per line, streaming")
      ->type_name("FILE.jsonl")
      ->excludes("--workload");
  add_jobs_option(*cmd, o->jobs);
  cmd->add_flag("--explain", o->explain, "Show the trace: rules with their inputs, excluded groups with numbers, score components");
  cmd->add_flag("--chart", o->chart,
                "After the table, chart the top options as bars: cost for the work, and time (jobs) or throughput (serving); "
                "Unicode blocks on a UTF-8 locale, else ASCII. Table format only")
      ->excludes("--batch");
  cmd->callback([o, format, &global, &action] {
    o->format_given = format->count() > 0;
    if (o->chart && o->format_given && o->format != "table" && o->format != "wide") {
      throw CLI::ValidationError("--chart", "draws after the table and needs --format table or wide, not --format " + o->format);
    }
    // Each line's report is a JSON line: another format is refused rather than ignored.
    if (!o->batch.empty() && o->format_given && o->format != "json") {
      throw CLI::ValidationError("--batch", "writes one JSON report per line; --format " + o->format +
                                                " would be ignored (drop it, or run without --batch)");
    }
    action = [o, &global](Io& io) { return run_recommend(*o, global, io); };
  });
}

}  // namespace aiadvise::cli
