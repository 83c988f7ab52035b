// Terraform addresses and the project file's keys that name them.

#include <catch2/catch.hpp>

#include "aiadvise/check/address.hpp"

using aiadvise::check::address_matches;
using aiadvise::check::configuration_address;
using aiadvise::check::key_specificity;
using aiadvise::check::parse_address;

TEST_CASE("address: parsing keeps instance keys, quoted dots and brackets included", "[address]") {
  const auto steps = parse_address(R"(module.fleet["eu.west"].aws_instance.worker["a[1]"])");
  REQUIRE(steps);
  REQUIRE(steps->size() == 4);
  CHECK((*steps)[1].name == "fleet");
  CHECK((*steps)[1].key == R"("eu.west")");
  CHECK((*steps)[3].key == R"("a[1]")");
  for (const char* bad : {"", "a..b", "a.", "a[0", "a[]", "a[0]b", ".a"}) {
    INFO(bad);
    CHECK_FALSE(parse_address(bad));
  }
}

TEST_CASE("address: a key matches with or without each instance key", "[address]") {
  CHECK(address_matches("aws_instance.gpu", "aws_instance.gpu[3]"));
  CHECK(address_matches("aws_instance.gpu", "aws_instance.gpu"));
  CHECK(address_matches("aws_instance.gpu[3]", "aws_instance.gpu[3]"));
  CHECK_FALSE(address_matches("aws_instance.gpu[2]", "aws_instance.gpu[3]"));
  CHECK_FALSE(address_matches("aws_instance.gpu", "aws_instance.gpus[0]"));
  CHECK(address_matches("module.fleet.aws_instance.worker", R"(module.fleet["eu"].aws_instance.worker["a"])"));
  CHECK(address_matches(R"(module.fleet["eu"].aws_instance.worker)", R"(module.fleet["eu"].aws_instance.worker["a"])"));
  CHECK_FALSE(address_matches(R"(module.fleet["us"].aws_instance.worker)", R"(module.fleet["eu"].aws_instance.worker["a"])"));
  CHECK_FALSE(address_matches("aws_instance.worker", R"(module.fleet["eu"].aws_instance.worker["a"])"));  // a module is not skipped
  CHECK(configuration_address(R"(module.fleet["eu"].aws_instance.worker["a"])") == "module.fleet.aws_instance.worker");
  CHECK(key_specificity(R"(module.fleet["us"].aws_instance.worker["a"])") == 2);
  CHECK(key_specificity("module.fleet.aws_instance.worker") == 0);
}
