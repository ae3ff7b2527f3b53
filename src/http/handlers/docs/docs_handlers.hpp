// The API reference: the OpenAPI document and the /docs page that renders it.
#pragma once

#include "http/router.hpp"

namespace evently::http::handlers {

Handler OpenApiGet();
Handler DocsPageGet();
Handler DocsScriptGet();
Handler DocsLicenseGet();

}  // namespace evently::http::handlers
