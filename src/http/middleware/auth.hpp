// Bearer authentication and role checks, driven by each route's Access level.
#pragma once

#include "domain/principal.hpp"
#include "http/router.hpp"

namespace evently::http {

Middleware Authenticate(const domain::AccessTokenVerifier& verifier);

}  // namespace evently::http
