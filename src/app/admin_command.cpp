#include "app/admin_command.hpp"

#include <cstdlib>

namespace evently::app {
namespace {

// `--name value` or `--name=value`; nullopt when absent, an error when the value is missing.
std::optional<std::string> TakeOption(std::vector<std::string>& args, std::string_view name,
                                      std::string& error) {
  for (std::size_t i = 0; i < args.size(); ++i) {
    std::string_view arg = args[i];
    if (arg.starts_with(name) && arg.size() > name.size() && arg[name.size()] == '=') {
      std::string value(arg.substr(name.size() + 1));
      args.erase(args.begin() + static_cast<std::ptrdiff_t>(i));
      return value;
    }
    if (arg == name) {
      if (i + 1 >= args.size()) {
        error = std::string(name) + " needs a value";
        return std::nullopt;
      }
      std::string value = args[i + 1];
      args.erase(args.begin() + static_cast<std::ptrdiff_t>(i),
                 args.begin() + static_cast<std::ptrdiff_t>(i + 2));
      return value;
    }
  }
  return std::nullopt;
}

void PrintError(const domain::Error& error, std::ostream& err) {
  err << "evently: " << error.Message() << "\n";
  for (const auto& issue : error.details.fields) {
    err << "  " << (issue.field == "full_name" ? "--name" : "--" + issue.field) << ": "
        << issue.issue << "\n";
  }
}

}  // namespace

std::string TakeAdminCreateOptions(std::vector<std::string>& args, AdminCreateOptions& options) {
  std::string error;
  auto email = TakeOption(args, "--email", error);
  options.password = TakeOption(args, "--password", error);
  options.full_name = TakeOption(args, "--name", error);
  if (!error.empty()) return error;
  if (!email) return "admin create needs --email";
  options.email = *email;
  if (!options.password) {
    if (const char* env = std::getenv("EVENTLY_ADMIN_PASSWORD")) options.password = env;
  }
  return {};
}

int AdminCreate(Application& app, const AdminCreateOptions& options, std::ostream& out,
                std::ostream& err) {
  auto outcome = app.accounts().CreateOrPromoteAdmin(domain::NewAccount{
      options.email, options.password.value_or(""), options.full_name.value_or(""), std::nullopt});
  if (!outcome) {
    PrintError(outcome.error(), err);
    return 2;
  }
  const domain::User& user = outcome->user;
  switch (outcome->grant) {
    case domain::AdminGrant::kCreated:
      out << "created admin " << user.email << " (" << user.id << ")\n";
      break;
    case domain::AdminGrant::kPromoted:
      out << "promoted " << user.email << " (" << user.id
          << ") to admin; password and name unchanged\n";
      break;
    case domain::AdminGrant::kAlreadyAdmin:
      out << user.email << " (" << user.id << ") is already an admin; nothing changed\n";
      break;
  }
  return 0;
}

}  // namespace evently::app
