// The `evently` binary: serve, migrate, seed-demo, admin create.
#include <spdlog/spdlog.h>

#include <cstdio>
#include <iostream>
#include <string>
#include <vector>

#include "app/admin_command.hpp"
#include "app/application.hpp"
#include "app/config.hpp"
#include "app/seed_demo.hpp"
#include "domain/error.hpp"

namespace {

constexpr const char* kUsage =
    "usage: evently <command> [options]\n"
    "commands:\n"
    "  serve                 run the HTTP/WebSocket server (applies migrations first)\n"
    "  migrate               apply pending schema migrations and exit\n"
    "  seed-demo             add the demo data (test@evently.com / TestPass123!, an admin);\n"
    "                        running it again changes nothing; refused in prod mode\n"
    "  admin create --email E [--password P] [--name N]\n"
    "                        create an admin, or promote the existing account of E\n"
    "                        (password also from EVENTLY_ADMIN_PASSWORD)\n"
    "options (each also an environment variable):\n";

int Run(const std::string& command, std::vector<std::string> args) {
  evently::app::AdminCreateOptions admin;
  if (command == "admin") {
    if (args.empty() || args[0] != "create") {
      std::cerr << "evently: admin needs a subcommand: admin create --email E ...\n";
      return 2;
    }
    args.erase(args.begin());
    if (auto err = evently::app::TakeAdminCreateOptions(args, admin); !err.empty()) {
      std::cerr << "evently: " << err << "\n";
      return 2;
    }
  } else if (command != "serve" && command != "migrate" && command != "seed-demo") {
    std::cerr << "evently: unknown command '" << command << "'\n" << kUsage;
    return 2;
  }
  evently::app::Config config;
  if (auto err = evently::app::LoadConfig(config, args); !err.empty()) {
    std::cerr << "evently: " << err << "\n";
    return 2;
  }
  if (auto err = evently::app::ValidateConfig(config); !err.empty()) {
    std::cerr << "evently: " << err << "\n";
    return 2;
  }
  // The demo accounts' passwords are published: a production store must never get them.
  if (command == "seed-demo" && config.mode == "prod") {
    std::cerr << "evently: refusing seed-demo in prod mode (its accounts' passwords are public)\n";
    return 2;
  }
  evently::app::SetUpLogging(config);
  evently::app::Application app(config);
  app.OpenStore();
  if (command == "migrate") return 0;
  if (command == "seed-demo") return evently::app::SeedDemo(app, std::cout, std::cerr);
  if (command == "admin") return evently::app::AdminCreate(app, admin, std::cout, std::cerr);
  app.Listen();
  app.Serve();
  return 0;
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
    return Run(command, std::move(args));
  } catch (const evently::domain::StoreUnavailable& e) {
    std::cerr << "evently: store unavailable: " << e.what() << "\n";
    return 3;
  } catch (const std::exception& e) {
    std::cerr << "evently: " << e.what() << "\n";
    return 1;
  }
}
