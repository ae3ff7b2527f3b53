// The web app's built files: Vite's build of web/, embedded by cmake/EmbedWebApp.cmake.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace evently::http {

struct WebAppFile {
  std::string_view path;  // "/index.html", "/assets/index-3f2a9c1b.js"
  std::string_view content_type;
  std::string body;
};

// Empty when the binary was built without web/node_modules (no `npm ci` in web/).
std::vector<WebAppFile> WebAppFiles();

}  // namespace evently::http
