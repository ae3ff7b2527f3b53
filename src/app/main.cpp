// The `evently` binary: serve, migrate, seed-demo, admin create.
#include <spdlog/spdlog.h>

#include <cstdio>
#include <iostream>
#include <string>
#include <vector>

#include "app/application.hpp"
#include "app/config.hpp"
#include "app/seed_catalogue.hpp"
#include "domain/error.hpp"

namespace {

constexpr const char* kUsage =
    "usage: evently <command> [options]\n"
    "commands:\n"
    "  serve                 run the HTTP/WebSocket server (applies migrations first)\n"
    "  migrate               apply pending schema migrations and exit\n"
    "  seed-catalogue        add the demo venues and events (idempotent)\n"
    "options (each also an environment variable):\n";

int Run(const std::string& command, const std::vector<std::string>& args) {
  evently::app::Config config;
  if (auto err = evently::app::LoadConfig(config, args); !err.empty()) {
    std::cerr << "evently: " << err << "\n";
    return 2;
  }
  if (auto err = evently::app::ValidateConfig(config); !err.empty()) {
    std::cerr << "evently: " << err << "\n";
    return 2;
  }
  evently::app::SetUpLogging(config);
  evently::app::Application app(config);
  app.OpenStore();
  if (command == "migrate") return 0;
  if (command == "seed-catalogue") {
    auto seeded = evently::app::SeedDemoCatalogue(app.catalog(), app.clock());
    spdlog::info("demo catalogue: {} venues and {} events created", seeded.venues_created,
                 seeded.events_created);
    return 0;
  }
  if (command == "serve") {
    app.Listen();
    app.Serve();
    return 0;
  }
  std::cerr << "evently: unknown command '" << command << "'\n" << kUsage;
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    std::cout << kUsage << evently::app::SettingsHelp();
    return args.empty() ? 2 : 0;
  }
  std::string command = args[0];
  args.erase(args.begin());
  try {
    return Run(command, args);
  } catch (const evently::domain::StoreUnavailable& e) {
    std::cerr << "evently: store unavailable: " << e.what() << "\n";
    return 3;
  } catch (const std::exception& e) {
    std::cerr << "evently: " << e.what() << "\n";
    return 1;
  }
}
