// The web app (web/): "/" and client-side routes answer its shell (index.html), /assets/{asset}
// its content-hashed files. All are built into the binary and gzip-compressed once at start-up.
#pragma once

#include <string>
#include <vector>

#include "http/router.hpp"

namespace evently::http::handlers {

Handler WebAppShellGet();
Handler WebAppAssetGet();
// The router's fallback: the shell for a request that accepts HTML (a browser opening a
// client-side route such as /events/{id}), the 404 envelope for anything else.
Handler WebAppRouteGet();
// First path segments the fallback never answers: their unknown paths keep the JSON 404.
std::vector<std::string> WebAppReservedSegments();

}  // namespace evently::http::handlers
