// The catalog baked in at build time must hold exactly what loading the embedded JSON gives.

#include <catch2/catch.hpp>

#include "aiadvise/catalog/baked.hpp"
#include "aiadvise/catalog/loader.hpp"
#include "support/helpers.hpp"

using aiadvise::catalog::baked_default_catalog;
using aiadvise::catalog::Catalog;

TEST_CASE("baked catalog: equals the embedded JSON loaded and validated at run time", "[catalog][baked]") {
  const Catalog baked = baked_default_catalog();
  const Catalog& loaded = aiadvise::test::default_catalog();
  CHECK(baked.meta == loaded.meta);
  CHECK(baked.files == loaded.files);
  REQUIRE(baked.families.size() == loaded.families.size());
  REQUIRE(baked.models.size() == loaded.models.size());
  REQUIRE(baked.hardware.size() == loaded.hardware.size());
  REQUIRE(baked.instances.size() == loaded.instances.size());
  REQUIRE(baked.services.size() == loaded.services.size());
  REQUIRE(baked.rules.size() == loaded.rules.size());
  REQUIRE(baked.factors.size() == loaded.factors.size());
  REQUIRE(!loaded.factors.empty());
  for (std::size_t i = 0; i < loaded.factors.size(); ++i) {
    INFO(loaded.factors[i].id);
    CHECK(baked.factors[i] == loaded.factors[i]);
  }
  // Entry by entry, so that a difference names the entry.
  for (std::size_t i = 0; i < loaded.families.size(); ++i) {
    INFO(loaded.families[i].id);
    CHECK(baked.families[i] == loaded.families[i]);
  }
  for (std::size_t i = 0; i < loaded.models.size(); ++i) {
    INFO(loaded.models[i].id);
    CHECK(baked.models[i] == loaded.models[i]);
  }
  for (std::size_t i = 0; i < loaded.hardware.size(); ++i) {
    INFO(loaded.hardware[i].id);
    CHECK(baked.hardware[i] == loaded.hardware[i]);
  }
  for (std::size_t i = 0; i < loaded.instances.size(); ++i) {
    INFO(loaded.instances[i].id);
    CHECK(baked.instances[i] == loaded.instances[i]);
  }
  for (std::size_t i = 0; i < loaded.services.size(); ++i) {
    INFO(loaded.services[i].id);
    CHECK(baked.services[i] == loaded.services[i]);
  }
  for (std::size_t i = 0; i < loaded.rules.size(); ++i) {
    INFO(loaded.rules[i].dump());
    CHECK(baked.rules[i] == loaded.rules[i]);
    CHECK(baked.rules[i].dump() == loaded.rules[i].dump());  // number types too (1 and 1.0 compare equal)
  }
  // The lookups work on the baked copy too.
  REQUIRE(baked.instance("g5.xlarge") != nullptr);
  CHECK(baked.instance("g5.xlarge")->id == "aws-g5-xlarge");
  CHECK(baked.ids("rules") == loaded.ids("rules"));
}

TEST_CASE("baked catalog: the generated source is deterministic and escapes every byte it must", "[catalog][baked]") {
  Catalog c;
  aiadvise::catalog::Family f;
  f.id = "odd";
  f.description = "quote \" backslash \\ newline \n trigraph ?" "?= bytes \xc3\xa9";
  c.families.push_back(f);
  const std::string a = aiadvise::catalog::bake_catalog_source(c);
  CHECK(a == aiadvise::catalog::bake_catalog_source(c));
  CHECK(a.find(R"(e.description = "quote \" backslash \\ newline \012 trigraph \077\077= bytes \303\251";)") != std::string::npos);
  CHECK(a.find("add_families_0(c);") != std::string::npos);
}
