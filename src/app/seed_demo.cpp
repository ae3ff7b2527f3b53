#include "app/seed_demo.hpp"

#include <stdexcept>
#include <string>

#include "app/seed_catalogue.hpp"

namespace evently::app {
namespace {

struct DemoAccount {
  const char* email;
  const char* password;
  const char* full_name;
  domain::Role role;
};

// The first is the spec's "Test Credentials"; the admin can create events for the demo.
constexpr DemoAccount kDemoAccounts[] = {
    {"test@evently.com", "TestPass123!", "Test User", domain::Role::kUser},
    {"admin@evently.com", "AdminPass123!", "Demo Admin", domain::Role::kAdmin},
};

}  // namespace

void SeedDemoUsers(domain::AccountService& accounts, std::ostream& out) {
  for (const DemoAccount& demo : kDemoAccounts) {
    auto created = accounts.CreateIfAbsent(
        domain::NewAccount{demo.email, demo.password, demo.full_name, std::nullopt}, demo.role);
    if (!created) {
      throw std::runtime_error("demo account " + std::string(demo.email) + ": " +
                               std::string(created.error().Message()));
    }
    out << (*created ? "created " : "exists  ") << domain::RoleName(demo.role) << " " << demo.email
        << "\n";
  }
}

int SeedDemo(Application& app, std::ostream& out, std::ostream& err) {
  try {
    SeedDemoUsers(app.accounts(), out);
    CatalogueSeedResult catalogue = SeedDemoCatalogue(app.catalog(), app.clock());
    out << "demo catalogue: " << catalogue.venues_created << " new venues, "
        << catalogue.events_created << " new events\n";
  } catch (const std::runtime_error& e) {
    err << "evently: seed-demo failed: " << e.what() << "\n";
    return 1;
  }
  out << "seed-demo: done\n";
  return 0;
}

}  // namespace evently::app
