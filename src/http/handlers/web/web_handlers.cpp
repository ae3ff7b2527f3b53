#include "http/handlers/web/web_handlers.hpp"

#include <cstdio>
#include <string_view>
#include <unordered_map>

#include "domain/ids.hpp"
#include "http/gzip.hpp"
#include "http/handlers/web/web_app_files.hpp"

namespace evently::http::handlers {
namespace {

// Nothing inline, nothing from elsewhere: the app's scripts, styles and sockets are this origin's.
constexpr std::string_view kContentSecurityPolicy =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; font-src 'self'; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'none'";
constexpr std::string_view kImmutable = "public, max-age=31536000, immutable";
// The shell names the current assets, so a browser asks again each time (a 304 when unchanged).
constexpr std::string_view kRevalidate = "no-cache";

constexpr std::string_view kNotBuiltPage = R"(<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>Evently</title></head>
<body>
<h1>Evently: web app not built</h1>
<p>This binary was built without the web app (run <code>npm ci</code> in <code>web/</code>, or
<code>scripts/deps.sh</code>, and rebuild). The API is at <a href="/api/v1">/api/v1</a> and its
reference at <a href="/docs">/docs</a>.</p>
</body>
</html>
)";

struct Asset {
  std::string_view content_type;
  std::string body;
  std::string gzip;
  std::string etag;       // of the body as is
  std::string gzip_etag;  // of its gzip encoding: another representation, another validator
};

std::string Fingerprint(std::string_view body, std::string_view suffix) {
  char text[24];
  std::snprintf(text, sizeof text, "\"%016llx%.*s\"",
                static_cast<unsigned long long>(domain::Fnv1a(body)),
                static_cast<int>(suffix.size()), suffix.data());
  return text;
}

Asset MakeAsset(std::string_view content_type, std::string body) {
  Asset asset{content_type, std::move(body), {}, {}, {}};
  DeflatedPart part = Deflate(asset.body, true, 9);
  asset.gzip = GzipMember({&part});
  asset.etag = Fingerprint(asset.body, "");
  asset.gzip_etag = Fingerprint(asset.body, "-gz");
  return asset;
}

class WebApp {
 public:
  WebApp() {
    for (WebAppFile& file : WebAppFiles()) {
      assets_.emplace(std::string(file.path), MakeAsset(file.content_type, std::move(file.body)));
    }
    auto index = assets_.find("/index.html");
    if (index == assets_.end()) {
      index = assets_.emplace("", MakeAsset("text/html; charset=utf-8", std::string(kNotBuiltPage)))
                  .first;
    }
    shell_ = &index->second;
  }

  const Asset& Shell() const { return *shell_; }
  const Asset* Find(std::string_view path) const {
    if (!path.starts_with("/assets/")) return nullptr;
    auto it = assets_.find(std::string(path));
    return it == assets_.end() ? nullptr : &it->second;
  }

 private:
  std::unordered_map<std::string, Asset> assets_;
  const Asset* shell_ = nullptr;
};

const WebApp& App() {
  static const WebApp app;
  return app;
}

Response Serve(const Request& req, const Asset& asset, std::string_view cache_control) {
  Response res;
  res.content_type = std::string(asset.content_type);
  res.SetHeader("Cache-Control", std::string(cache_control));
  res.SetHeader("Content-Security-Policy", std::string(kContentSecurityPolicy));
  res.SetHeader("X-Content-Type-Options", "nosniff");
  res.SetHeader("X-Frame-Options", "DENY");
  res.SetHeader("Referrer-Policy", "same-origin");
  res.SetHeader("Vary", "Accept-Encoding");
  bool gzip = AcceptsGzip(req.Header("accept-encoding"));
  const std::string& etag = gzip ? asset.gzip_etag : asset.etag;
  res.SetHeader("ETag", etag);
  if (auto tags = req.Header("if-none-match"); tags && tags->find(etag) != tags->npos) {
    res.status = 304;
    return res;
  }
  if (gzip) res.SetHeader("Content-Encoding", "gzip");
  res.body = gzip ? asset.gzip : asset.body;
  return res;
}

}  // namespace

Handler WebAppShellGet() {
  const WebApp& app = App();  // compressed now, not on the first request
  return [&app](Request& req) { return Serve(req, app.Shell(), kRevalidate); };
}

Handler WebAppAssetGet() {
  const WebApp& app = App();
  return [&app](Request& req) {
    const Asset* asset = app.Find(req.path);
    if (!asset) return Failure(req, domain::ErrorCode::kNotFound);
    return Serve(req, *asset, kImmutable);
  };
}

Handler WebAppRouteGet() {
  const WebApp& app = App();
  return [&app](Request& req) {
    auto accept = req.Header("accept");
    if (!accept || accept->find("text/html") == std::string_view::npos) {
      return Failure(req, domain::ErrorCode::kNotFound);
    }
    return Serve(req, app.Shell(), kRevalidate);
  };
}

std::vector<std::string> WebAppReservedSegments() {
  return {"api", "ws", "docs", "assets", "health", "ready", "metrics"};
}

}  // namespace evently::http::handlers
