// The API reference built into the binary (cmake/EmbedApiReference.cmake): docs/openapi.json and
// the renderer /docs loads, so the reference works offline and always matches the binary.
#pragma once

#include <string_view>

namespace evently::http {

std::string_view OpenApiDocument();
// Redoc's standalone bundle and its licence notices; empty when built without them.
std::string_view DocsRendererScript();
std::string_view DocsRendererLicense();

}  // namespace evently::http
