// `aiadvise help [COMMAND [SUBCOMMAND]]`: the same text as `aiadvise COMMAND --help`.

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <memory>

#include "aiadvise/cli/exit_codes.hpp"
#include "aiadvise/util/diagnostics.hpp"
#include "aiadvise/util/text.hpp"
#include "cli/context.hpp"

namespace aiadvise::cli {

void setup_help(CLI::App& app, const GlobalOptions&, Action& action) {
  auto topic = std::make_shared<std::vector<std::string>>();
  CLI::App* cmd = app.add_subcommand("help", "Show the help of aiadvise or of one command");
  cmd->add_option("command", *topic, "A command, and a subcommand of it (catalog list)")->type_name("COMMAND");
  cmd->footer(R"(Examples:
  aiadvise help
  aiadvise help recommend
  aiadvise help catalog list

Exit codes: 0 ok, 2 for a command aiadvise does not have.)");
  const CLI::App* root = &app;
  cmd->callback([topic, root, &action] {
    action = [topic, root](Io& io) {
      // Every word must name a command under the previous one, so that a typo is not answered
      // with the top-level help.
      const CLI::App* at = root;
      std::string path = "aiadvise";
      for (const auto& word : *topic) {
        std::vector<std::string> names;
        const CLI::App* next = nullptr;
        for (const CLI::App* sub : at->get_subcommands([](const CLI::App*) { return true; })) {
          names.push_back(sub->get_name());
          if (sub->get_name() == word) next = sub;
        }
        if (!next) {
          throw util::InputError(std::vector<util::Diagnostic>{util::Diagnostic{
              "", 0, 0, "",
              names.empty() ? fmt::format("'{}' has no subcommands", path)
                            : fmt::format("'{}' has no command '{}'{}; commands: {}", path, word,
                                          util::did_you_mean(word, names), util::join(names, ", "))}});
        }
        at = next;
        path += " " + word;
      }
      std::vector<std::string> args = *topic;
      args.emplace_back("--help");
      RunResult r = run_captured(args);
      io.out = std::move(r.out);
      io.err += r.err;
      return r.code;
    };
  });
}

}  // namespace aiadvise::cli
