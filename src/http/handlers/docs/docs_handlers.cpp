// GET /api/v1/openapi.json, /docs and the renderer's files: constants built into the binary.
#include "http/handlers/docs/docs_handlers.hpp"

#include "http/api_reference.hpp"

namespace evently::http::handlers {
namespace {

constexpr std::string_view kPage = R"(<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Evently API reference</title>
<style>body { margin: 0; }</style>
</head>
<body>
<redoc spec-url="/api/v1/openapi.json"></redoc>
<script src="/docs/redoc.standalone.js"></script>
</body>
</html>
)";

// A binary built before `npm ci` in tools/docs still points readers at the document.
constexpr std::string_view kPageWithoutRenderer = R"(<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>Evently API reference</title></head>
<body>
<h1>Evently API reference</h1>
<p>This binary was built without the renderer (run <code>npm ci</code> in <code>tools/docs</code>
and rebuild). The reference itself is at <a href="/api/v1/openapi.json">/api/v1/openapi.json</a>.</p>
</body>
</html>
)";

Response Constant(std::string_view body, std::string content_type) {
  Response res;
  res.content_type = std::move(content_type);
  res.body = std::string(body);
  return res;
}

Handler RendererFile(std::string_view (*file)(), std::string content_type) {
  return [file, content_type = std::move(content_type)](Request& req) {
    std::string_view body = file();
    if (body.empty()) {
      return Failure(req, domain::ErrorCode::kNotFound,
                     "This binary was built without the documentation renderer");
    }
    return Constant(body, content_type);
  };
}

}  // namespace

Handler OpenApiGet() {
  return [](Request&) { return Constant(OpenApiDocument(), "application/json; charset=utf-8"); };
}

Handler DocsPageGet() {
  return [](Request&) {
    bool rendered = !DocsRendererScript().empty();
    return Constant(rendered ? kPage : kPageWithoutRenderer, "text/html; charset=utf-8");
  };
}

Handler DocsScriptGet() {
  return RendererFile(&DocsRendererScript, "text/javascript; charset=utf-8");
}

Handler DocsLicenseGet() { return RendererFile(&DocsRendererLicense, "text/plain; charset=utf-8"); }

}  // namespace evently::http::handlers
