// `evently admin create --email E --password P --name N`: creates an admin, or promotes the
// account that has that email.
#pragma once

#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "app/application.hpp"

namespace evently::app {

struct AdminCreateOptions {
  std::string email;
  std::optional<std::string> password;  // also EVENTLY_ADMIN_PASSWORD (kept out of `ps`)
  std::optional<std::string> full_name;
};

// Removes the command's own options from `args` (the rest are configuration flags).
// Returns an error message, or empty.
std::string TakeAdminCreateOptions(std::vector<std::string>& args, AdminCreateOptions& options);

// Returns the process exit code: 0 done, 2 bad input.
int AdminCreate(Application& app, const AdminCreateOptions& options, std::ostream& out,
                std::ostream& err);

}  // namespace evently::app
