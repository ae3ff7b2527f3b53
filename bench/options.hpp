// Command-line flags shared by the load generators: "--name value" pairs into typed settings.
#pragma once

#include <functional>
#include <iostream>
#include <map>
#include <string>

namespace evently::bench {

using FlagSetter = std::function<void(const std::string&)>;

inline FlagSetter Into(std::string& out) {
  return [&out](const std::string& v) { out = v; };
}
inline FlagSetter Into(int& out) {
  return [&out](const std::string& v) { out = std::stoi(v); };
}
inline FlagSetter Into(double& out) {
  return [&out](const std::string& v) { out = std::stod(v); };
}
inline FlagSetter Into(unsigned short& out) {
  return [&out](const std::string& v) { out = static_cast<unsigned short>(std::stoi(v)); };
}
inline FlagSetter Into(bool& out) {
  return [&out](const std::string& v) { out = v == "1" || v == "true"; };
}

// Applies every pair; on an unknown name or a missing value prints the known names and returns
// false.
inline bool ParseFlags(int argc, char** argv, const std::map<std::string, FlagSetter>& flags) {
  for (int i = 1; i < argc; i += 2) {
    auto it = flags.find(argv[i]);
    if (it == flags.end() || i + 1 >= argc) {
      std::cerr << argv[0] << ": unknown option or missing value: " << argv[i] << "\nknown:";
      for (const auto& [name, _] : flags) std::cerr << ' ' << name;
      std::cerr << "\n";
      return false;
    }
    it->second(argv[i + 1]);
  }
  return true;
}

// Where a load generator finds the server and how it logs in as its admin: the flags every
// generator against a running `evently serve` takes.
struct ServerOptions {
  std::string host = "127.0.0.1";
  unsigned short port = 8000;
  int server_pid = 0;  // when given: the server process's figures from /proc
  std::string admin_email = "admin@evently.com";
  std::string admin_password = "AdminPass123!";
};

// ParseFlags with --host, --port, --server-pid, --admin-email and --admin-password added.
inline bool ParseFlags(int argc, char** argv, ServerOptions& server,
                       std::map<std::string, FlagSetter> flags) {
  flags.insert({{"--host", Into(server.host)},
                {"--port", Into(server.port)},
                {"--server-pid", Into(server.server_pid)},
                {"--admin-email", Into(server.admin_email)},
                {"--admin-password", Into(server.admin_password)}});
  return ParseFlags(argc, argv, flags);
}

}  // namespace evently::bench
