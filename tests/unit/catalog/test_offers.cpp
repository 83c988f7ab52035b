// Offers per region: how the loader reads and merges them, and how a workload's region and spot
// settings choose one (include/aiadvise/catalog/offers.hpp).

#include <catch2/catch.hpp>

#include "aiadvise/catalog/diff.hpp"
#include "aiadvise/catalog/loader.hpp"
#include "aiadvise/catalog/offers.hpp"
#include "support/helpers.hpp"

using aiadvise::catalog::Catalog;
using aiadvise::catalog::choose_offer;
using aiadvise::catalog::RegionChoice;
using aiadvise::catalog::SourceText;

namespace {

const char* k_base = R"({"instances": [{"id": "aws-x1-large", "cloud": "aws", "name": "x1.large", "vcpus": 2, "memory_gib": 8,
  "region": "us-east-1", "source": "test", "as_of": "2026-12-01",
  "offers": [{"region": "us-east-1", "price_usd_per_hour": 1.0, "spot_price_usd_per_hour": 0.3, "zones": 3},
             {"region": "eu-west-1", "price_usd_per_hour": 1.2, "spot_price_usd_per_hour": 0.2},
             {"region": "ap-south-1", "price_usd_per_hour": 0.9}]}]})";

Catalog load(std::vector<SourceText> sources) { return aiadvise::catalog::load_catalog_texts(sources); }

}  // namespace

TEST_CASE("offers: read sorted by region; the home region's prices are the entry's", "[catalog][offers]") {
  const Catalog c = load({{"base.json", k_base}});
  const auto* i = c.instance("x1.large");
  REQUIRE(i);
  REQUIRE(i->offers.size() == 3);
  CHECK(i->offers[0].region == "ap-south-1");
  CHECK(i->offers[2].region == "us-east-1");
  CHECK(i->price_usd_per_hour == 1.0);
  CHECK(i->spot_price_usd_per_hour == 0.3);
  REQUIRE(i->offer_in("eu-west-1"));
  CHECK(i->offer_in("eu-west-1")->price_usd_per_hour == 1.2);
  CHECK(i->offer_in("us-east-1")->zones == 3);
  CHECK_FALSE(i->offer_in("us-west-2"));
  CHECK(c.regions() == std::vector<std::string>{"ap-south-1", "eu-west-1", "us-east-1"});
  CHECK(c.cloud_of_region("eu-west-1") == aiadvise::catalog::Cloud::aws);
  CHECK_FALSE(c.cloud_of_region("mars-1"));
}

TEST_CASE("offers: a later file merges by region, adds regions, erases with null; the old price fields set the home offer",
          "[catalog][offers]") {
  const char* more = R"({"instances": [{"id": "aws-x1-large", "offers": [
      {"region": "us-west-2", "price_usd_per_hour": 1.1},
      {"region": "eu-west-1", "spot_price_usd_per_hour": null}]}]})";
  const char* old_style = R"({"instances": [{"id": "aws-x1-large", "price_usd_per_hour": 0.8}]})";
  const Catalog c = load({{"base.json", k_base}, {"more.json", more}, {"old.json", old_style}});
  const auto* i = c.instance("aws-x1-large");
  REQUIRE(i);
  CHECK(i->offers.size() == 4);
  CHECK(i->offer_in("us-west-2")->price_usd_per_hour == 1.1);
  CHECK(i->offer_in("eu-west-1")->price_usd_per_hour == 1.2);  // kept
  CHECK_FALSE(i->offer_in("eu-west-1")->spot_price_usd_per_hour);  // erased
  CHECK(i->offer_in("us-east-1")->price_usd_per_hour == 0.8);  // the shorthand wins for the home region
  CHECK(i->offer_in("us-east-1")->spot_price_usd_per_hour == 0.3);
}

TEST_CASE("offers: bad offers are located diagnostics", "[catalog][offers]") {
  const auto errors = aiadvise::test::load_errors(std::vector<SourceText>{
      {"bad.json", R"({"instances": [{"id": "aws-x1-large", "cloud": "aws", "name": "x1.large", "vcpus": 2, "memory_gib": 8,
        "region": "us-east-1", "source": "t", "as_of": "2026-12-01",
        "offers": [{"region": "us-east-1", "price_usd_per_hour": 1e-320},
                   {"region": "us-east-1", "price_usd_per_hour": 2},
                   {"region": "Not A Region"},
                   {"price_usd_per_hour": 1},
                   {"region": "eu-west-1", "zones": 0}]}]})"}});
  const std::string all = aiadvise::test::describe(errors);
  INFO(all);
  CHECK(all.find("/instances/0/offers/0/price_usd_per_hour") != std::string::npos);
  CHECK(all.find("got 1e-320") != std::string::npos);
  CHECK(all.find("two offers for region 'us-east-1'") != std::string::npos);
  CHECK(all.find("/instances/0/offers/2/region") != std::string::npos);
  CHECK(all.find("/instances/0/offers/3: missing required field 'region'") != std::string::npos);
  CHECK(all.find("/instances/0/offers/4/zones") != std::string::npos);
}

TEST_CASE("offers: the choice of an offer: home, a list, any; spot where known", "[catalog][offers]") {
  const Catalog c = load({{"base.json", k_base}});
  const auto& i = *c.instance("x1.large");
  const auto home = choose_offer(i, RegionChoice(), false);
  CHECK(home.offered);
  CHECK(home.region == "us-east-1");
  CHECK(home.price_usd_per_hour == 1.0);
  CHECK_FALSE(home.spot);
  const auto spot = choose_offer(i, RegionChoice(), true);
  CHECK(spot.spot);
  CHECK(spot.price_usd_per_hour == 0.3);
  CHECK(spot.on_demand_usd_per_hour == 1.0);
  // A list: the cheapest listed region, by the price that would be paid.
  CHECK(choose_offer(i, RegionChoice("eu-west-1,us-east-1"), false).region == "us-east-1");
  CHECK(choose_offer(i, RegionChoice("eu-west-1,us-east-1"), true).region == "eu-west-1");
  // Any: the cheapest anywhere; spot unknown in ap-south-1 is priced on demand there, with a flag.
  const auto any = choose_offer(i, RegionChoice("any"), false);
  CHECK(any.region == "ap-south-1");
  const auto only = choose_offer(i, RegionChoice("ap-south-1"), true);
  CHECK(only.price_usd_per_hour == 0.9);
  CHECK(only.spot_unknown);
  CHECK_FALSE(only.spot);
  // Not sold in the listed regions: no candidate.
  CHECK_FALSE(choose_offer(i, RegionChoice("us-west-2"), false).offered);
}

TEST_CASE("offers: --region values are checked against the catalog, with a did-you-mean", "[catalog][offers]") {
  const Catalog c = load({{"base.json", k_base}});
  CHECK_FALSE(aiadvise::catalog::check_regions(c, "us-east-1"));
  CHECK_FALSE(aiadvise::catalog::check_regions(c, " eu-west-1 , us-east-1 "));
  CHECK_FALSE(aiadvise::catalog::check_regions(c, "any"));
  const auto unknown = aiadvise::catalog::check_regions(c, "us-east-2");
  REQUIRE(unknown);
  CHECK(unknown->find("unknown region 'us-east-2'") != std::string::npos);
  CHECK(unknown->find("did you mean") != std::string::npos);
  CHECK(aiadvise::catalog::check_regions(c, "any,us-east-1"));
  CHECK(aiadvise::catalog::check_regions(c, ","));
  CHECK(aiadvise::catalog::canonical_regions(" eu-west-1,us-east-1, eu-west-1 ") == "eu-west-1,us-east-1");
}

TEST_CASE("offers: catalog diff finds new and removed instances and offers and price changes", "[catalog][diff]") {
  const Catalog before = load({{"base.json", k_base}});
  const char* changed = R"({"instances": [{"id": "aws-x1-large", "offers": [
      {"region": "eu-west-1", "price_usd_per_hour": 1.32}, {"region": "us-west-2", "price_usd_per_hour": 1.1}]},
      {"id": "aws-x2-large", "cloud": "aws", "name": "x2.large", "vcpus": 2, "memory_gib": 16, "region": "us-east-1",
       "source": "t", "as_of": "2026-12-01", "offers": [{"region": "us-east-1", "price_usd_per_hour": 2}]}]})";
  const Catalog after = load({{"base.json", k_base}, {"changed.json", changed}});
  const auto d = aiadvise::catalog::diff_catalogs(before, after);
  REQUIRE(d.added.size() == 1);
  CHECK(d.added[0].id == "aws-x2-large");
  CHECK(d.removed.empty());
  REQUIRE(d.offers_added.size() == 1);
  CHECK(d.offers_added[0].region == "us-west-2");
  REQUIRE(d.price_changes.size() == 1);
  CHECK(d.price_changes[0].region == "eu-west-1");
  CHECK_FALSE(d.price_changes[0].spot);
  CHECK(*d.price_changes[0].change() == Approx(0.1));
  const auto back = aiadvise::catalog::diff_catalogs(after, before);
  CHECK(back.removed.size() == 1);
  CHECK(back.offers_removed.size() == 1);
  CHECK(aiadvise::catalog::diff_catalogs(before, before).empty());
}
