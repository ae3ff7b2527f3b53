// What a process has used so far, read from /proc: for benchmarks that report the server's CPU
// next to their latencies (CPU seconds hardly depend on what else runs on a shared box).
#pragma once

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
#include <string_view>

namespace evently::bench {

// CPU seconds (user + system) a process has used so far, from /proc/PID/stat.
inline double CpuSeconds(int pid) {
  std::ifstream f("/proc/" + std::to_string(pid) + "/stat");
  std::string stat((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  std::istringstream rest(stat.substr(stat.rfind(')') + 2));
  std::string field;
  double ticks = 0;
  for (int i = 3; i <= 15 && rest >> field; ++i) {
    if (i >= 14) ticks += std::stod(field);  // utime, stime
  }
  return ticks / static_cast<double>(sysconf(_SC_CLK_TCK));
}

// A numeric field of /proc/PID/status ("VmRSS:" in KiB, "Threads:"); -1 when unknown.
inline long StatusField(int pid, std::string_view name) {
  std::ifstream f("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(f, line)) {
    if (line.starts_with(name)) return std::stol(line.substr(name.size()));
  }
  return -1;
}

// Resident set size in KiB; -1 when unknown.
inline long RssKib(int pid) { return StatusField(pid, "VmRSS:"); }

inline long ThreadCount(int pid) { return StatusField(pid, "Threads:"); }

// Open file descriptors (the entries of /proc/PID/fd); -1 when unknown.
inline long FdCount(int pid) {
  std::error_code ec;
  std::filesystem::directory_iterator it("/proc/" + std::to_string(pid) + "/fd", ec);
  if (ec) return -1;
  long n = 0;
  for (; it != std::filesystem::directory_iterator(); it.increment(ec)) {
    if (ec) return -1;
    ++n;
  }
  return n;
}

}  // namespace evently::bench
