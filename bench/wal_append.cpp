// What one WAL frame costs a SQLite commit on this machine's file system: a pwrite of the 24-byte
// frame header and one of the page, as SQLite writes them, appended to a new file (a WAL that
// grows, as it does through a storm) and then written over the same bytes again (a WAL that has
// started over). Prints microseconds per frame for 2 and 4 KiB pages.
// Usage: wal_append [--frames N] [--dir DIR]
#include <fcntl.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "options.hpp"

namespace {

using Clock = std::chrono::steady_clock;

// Writes `frames` frames of `page` bytes from the start of `fd`; microseconds per frame.
double WriteFrames(int fd, int frames, std::size_t page) {
  std::vector<char> bytes(24 + page, 7);
  auto started = Clock::now();
  off_t at = 0;
  for (int i = 0; i < frames; ++i) {
    if (::pwrite(fd, bytes.data(), 24, at) != 24 ||
        ::pwrite(fd, bytes.data() + 24, page, at + 24) != static_cast<ssize_t>(page)) {
      std::perror("pwrite");
      return -1;
    }
    at += static_cast<off_t>(24 + page);
  }
  return std::chrono::duration<double, std::micro>(Clock::now() - started).count() / frames;
}

}  // namespace

int main(int argc, char** argv) {
  int frames = 40000;
  std::string dir = std::filesystem::temp_directory_path().string();
  if (!evently::bench::ParseFlags(
          argc, argv,
          {{"--frames", evently::bench::Into(frames)}, {"--dir", evently::bench::Into(dir)}})) {
    return 2;
  }
  std::string path = dir + "/wal_append_" + std::to_string(::getpid());
  for (std::size_t page : {std::size_t{2048}, std::size_t{4096}}) {
    int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_TRUNC, 0600);
    if (fd < 0) {
      std::perror(path.c_str());
      return 1;
    }
    double appended = WriteFrames(fd, frames, page);
    double overwritten = WriteFrames(fd, frames, page);
    ::close(fd);
    std::filesystem::remove(path);
    std::printf("%zu-byte pages, %d frames: appended %.2f us per frame, written over %.2f us\n",
                page, frames, appended, overwritten);
  }
  return 0;
}
