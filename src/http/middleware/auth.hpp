// Bearer authentication and role checks, driven by each route's Access level.
#pragma once

#include "domain/identity/known_users.hpp"
#include "domain/principal.hpp"
#include "http/router.hpp"

namespace evently::http {

// A route that needs a caller refuses a token whose user this store does not have.
Middleware Authenticate(const domain::AccessTokenVerifier& verifier, domain::KnownUsers& users);

}  // namespace evently::http
