// `evently seed-demo`: demo data for a fresh install, one function per part. Every part is
// idempotent: a second run changes nothing.
#pragma once

#include <ostream>

#include "app/application.hpp"

namespace evently::app {

// The spec's sandbox user (test@evently.com) and a demo admin.
void SeedDemoUsers(domain::AccountService& accounts, std::ostream& out);

// Runs every part in order; returns the process exit code.
int SeedDemo(Application& app, std::ostream& out, std::ostream& err);

}  // namespace evently::app
