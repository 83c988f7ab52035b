#pragma once
/// Terraform resource addresses (`module.serving["eu"].aws_instance.gpu[2]`) and how a project
/// file's `terraform.resources` keys match them: a key names a resource exactly as written in
/// configuration, with or without each instance key. `aws_instance.gpu` matches every
/// `aws_instance.gpu[N]`; `module.serving.aws_instance.gpu` matches it in every instance of the
/// module; `aws_instance.gpu[1]` matches that instance only.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace aiadvise::check {

struct AddressStep {
  std::string name;                ///< "module", "serving", "aws_instance", "gpu", "data"
  std::optional<std::string> key;  ///< the instance key as written: `2`, `"eu"`
};

/// Splits an address at the dots outside brackets and quotes. Returns nullopt for text that is
/// not an address (empty steps, an unclosed bracket or quote).
std::optional<std::vector<AddressStep>> parse_address(std::string_view address);

/// The address as written in configuration: every instance key removed.
std::string configuration_address(std::string_view address);

/// True when `key` names `address`: the same steps, and each key that `key` gives equal to the
/// address's. The more keys `key` gives, the more specific it is (see key_specificity).
bool address_matches(std::string_view key, std::string_view address);

/// The number of instance keys `key` gives (a more specific key wins over a less specific one).
int key_specificity(std::string_view key);

}  // namespace aiadvise::check
