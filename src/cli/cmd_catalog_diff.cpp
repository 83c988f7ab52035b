// `aiadvise catalog diff OLD NEW`: what a catalog refresh changes (new and removed instances and
// offers, price changes), before a team adopts it.

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <memory>

#include "aiadvise/catalog/diff.hpp"
#include "aiadvise/catalog/loader.hpp"
#include "aiadvise/cli/exit_codes.hpp"
#include "aiadvise/render/json.hpp"
#include "aiadvise/util/diagnostics.hpp"
#include "aiadvise/util/table.hpp"
#include "aiadvise/util/text.hpp"
#include "cli/context.hpp"

namespace aiadvise::cli {

namespace {

using util::Json;

struct DiffOptions {
  std::string before, after;
  std::string format = "table";
  double min_change_pct = 0;
};

/// "default": the embedded catalog alone; a path: the default catalog (unless --no-default-catalog)
/// with that file or directory merged over it, as --catalog PATH would give.
catalog::Catalog load_side(const std::string& what, const GlobalOptions& global) {
  catalog::LoadOptions options;
  options.limits = global.limits();
  options.keep_json = false;
  options.include_embedded = what == "default" || !global.no_default_catalog;
  if (what != "default") options.paths.push_back(what);
  return catalog::load_catalog(options);
}

Json price(const std::optional<double>& v) { return v ? Json(*v) : Json(nullptr); }

std::string money(const std::optional<double>& v) { return v ? fmt::format("{:.4g}", *v) : "-"; }

int run_diff(const DiffOptions& o, const GlobalOptions& global, Io& io) {
  const catalog::Catalog before = load_side(o.before, global);
  const catalog::Catalog after = load_side(o.after, global);
  catalog::CatalogDiff d = catalog::diff_catalogs(before, after);
  // Small price moves hidden on request; a price that appeared or went is always shown.
  const double threshold = o.min_change_pct / 100;
  std::size_t hidden = 0;
  if (threshold > 0) {
    const auto before_size = d.price_changes.size();
    d.price_changes.erase(std::remove_if(d.price_changes.begin(), d.price_changes.end(),
                                         [&](const catalog::PriceChange& c) {
                                           const auto change = c.change();
                                           return change && std::fabs(*change) < threshold;
                                         }),
                          d.price_changes.end());
    hidden = before_size - d.price_changes.size();
  }
  const std::size_t on_demand = static_cast<std::size_t>(
      std::count_if(d.price_changes.begin(), d.price_changes.end(), [](const catalog::PriceChange& c) { return !c.spot; }));
  if (o.format == "json") {
    Json doc = Json::object();
    doc["old"] = o.before;
    doc["new"] = o.after;
    doc["summary"] = {{"instances_added", d.added.size()},
                      {"instances_removed", d.removed.size()},
                      {"offers_added", d.offers_added.size()},
                      {"offers_removed", d.offers_removed.size()},
                      {"price_changes", on_demand},
                      {"spot_price_changes", d.price_changes.size() - on_demand},
                      {"price_changes_below_threshold", hidden},
                      {"spec_changes", d.spec_changes.size()}};
    auto instances = [](const std::vector<catalog::DiffInstance>& list) {
      Json out = Json::array();
      for (const auto& i : list) {
        out.push_back({{"id", i.id}, {"instance", i.name}, {"cloud", std::string(catalog::to_string(i.cloud))}, {"regions", i.offers}});
      }
      return out;
    };
    auto offers = [](const std::vector<catalog::DiffOffer>& list) {
      Json out = Json::array();
      for (const auto& x : list) {
        out.push_back({{"id", x.id}, {"instance", x.name}, {"cloud", std::string(catalog::to_string(x.cloud))}, {"region", x.region},
                       {"price_usd_per_hour", price(x.price_usd_per_hour)},
                       {"spot_price_usd_per_hour", price(x.spot_price_usd_per_hour)}});
      }
      return out;
    };
    doc["instances_added"] = instances(d.added);
    doc["instances_removed"] = instances(d.removed);
    doc["offers_added"] = offers(d.offers_added);
    doc["offers_removed"] = offers(d.offers_removed);
    Json changes = Json::array();
    for (const auto& c : d.price_changes) {
      Json row{{"id", c.id}, {"instance", c.name}, {"cloud", std::string(catalog::to_string(c.cloud))}, {"region", c.region},
               {"price", c.spot ? "spot" : "on-demand"}, {"old_usd_per_hour", price(c.old_usd_per_hour)},
               {"new_usd_per_hour", price(c.new_usd_per_hour)}};
      row["change_pct"] = c.change() ? Json(std::round(*c.change() * 1e4) / 100) : Json(nullptr);
      changes.push_back(std::move(row));
    }
    doc["price_changes"] = std::move(changes);
    Json specs = Json::array();
    for (const auto& s : d.spec_changes) {
      specs.push_back({{"id", s.id}, {"instance", s.name}, {"field", s.field}, {"old", s.old_value}, {"new", s.new_value}});
    }
    doc["spec_changes"] = std::move(specs);
    io.out = render::json_text(doc);
    return k_exit_ok;
  }

  std::string out = fmt::format(
      "{} -> {}: {} instances added, {} removed; {} offers added, {} removed; {} on-demand and {} spot price changes{}; {} "
      "specification changes\n",
      util::escape_for_terminal(o.before), util::escape_for_terminal(o.after), d.added.size(), d.removed.size(),
      d.offers_added.size(), d.offers_removed.size(), on_demand, d.price_changes.size() - on_demand,
      hidden ? fmt::format(" ({} more under {:g}%)", hidden, o.min_change_pct) : std::string(), d.spec_changes.size());
  if (d.empty()) {
    io.out = out;
    return k_exit_ok;
  }
  if (!d.price_changes.empty()) {
    util::Table t({"instance", "cloud", "region", "price", "old", "new", "change"});
    for (const auto& c : d.price_changes) {
      t.add_row({c.name, std::string(catalog::to_string(c.cloud)), c.region, c.spot ? "spot" : "on-demand", money(c.old_usd_per_hour),
                 money(c.new_usd_per_hour), c.change() ? fmt::format("{:+.1f}%", *c.change() * 100) : "-"});
    }
    out += "\nPrice changes (USD per hour):\n" + t.render();
  }
  auto instance_table = [&](const char* title, const std::vector<catalog::DiffInstance>& list) {
    if (list.empty()) return;
    util::Table t({"id", "instance", "cloud", "regions"});
    for (const auto& i : list) t.add_row({i.id, i.name, std::string(catalog::to_string(i.cloud)), std::to_string(i.offers)});
    out += fmt::format("\n{}:\n", title) + t.render();
  };
  auto offer_table = [&](const char* title, const std::vector<catalog::DiffOffer>& list) {
    if (list.empty()) return;
    util::Table t({"instance", "cloud", "region", "usd_per_hour", "spot_usd_per_hour"});
    for (const auto& x : list) {
      t.add_row({x.name, std::string(catalog::to_string(x.cloud)), x.region, money(x.price_usd_per_hour), money(x.spot_price_usd_per_hour)});
    }
    out += fmt::format("\n{}:\n", title) + t.render();
  };
  instance_table("New instances", d.added);
  instance_table("Removed instances", d.removed);
  offer_table("New offers (instances in both)", d.offers_added);
  offer_table("Removed offers (instances in both)", d.offers_removed);
  if (!d.spec_changes.empty()) {
    util::Table t({"instance", "field", "old", "new"});
    for (const auto& s : d.spec_changes) t.add_row({s.name, s.field, s.old_value, s.new_value});
    out += "\nSpecification changes:\n" + t.render();
  }
  io.out = out;
  return k_exit_ok;
}

}  // namespace

void setup_catalog_diff(CLI::App& catalog, const GlobalOptions& global, Action& action) {
  auto o = std::make_shared<DiffOptions>();
  CLI::App* cmd = catalog.add_subcommand(
      "diff", "Compare two catalogs' instances: price changes, new and removed instances and offers");
  cmd->add_option("old", o->before, "The catalog before: 'default' (the built-in one) or a user catalog file or directory")
      ->required();
  cmd->add_option("new", o->after, "The catalog after: 'default' or a user catalog file or directory")->required();
  cmd->add_option("--min-change", o->min_change_pct, "Hide price changes smaller than this many percent")
      ->check(CLI::Range(0.0, 1000.0))
      ->type_name("PCT");
  add_format_option(*cmd, o->format, {"table", "json"});
  cmd->footer(
      "A path is merged over the default catalog, as --catalog PATH would be (with --no-default-catalog, it stands alone).\n"
      "Examples:\n  aiadvise catalog diff default prices-2026-12.json\n"
      "  aiadvise catalog diff old-prices/ new-prices/ --min-change 5 --format json");
  cmd->callback([o, &global, &action] { action = [o, &global](Io& io) { return run_diff(*o, global, io); }; });
}

}  // namespace aiadvise::cli
