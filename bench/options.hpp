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

}  // namespace evently::bench
