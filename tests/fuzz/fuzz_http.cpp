// libFuzzer: the whole server in process, fed raw bytes on a TCP connection: HTTP parsing,
// routing, every middleware and handler, over a SQLite store with the demo data. Whatever
// arrives, every answer is a well-formed HTTP response; none is a 5xx other than 503 with
// Retry-After; every refusal (4xx) is the JSON envelope with an error code; and the server
// answers within a bound. In the input, @USER@ and @ADMIN@ stand for live bearer tokens of
// the demo buyer and admin, @EVENT@ for a demo event's id.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <boost/json.hpp>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "app/application.hpp"
#include "app/config.hpp"
#include "app/seed_demo.hpp"

namespace {

namespace http = boost::beast::http;
using Clock = std::chrono::steady_clock;

constexpr auto kAnswerBound = std::chrono::seconds(10);
constexpr std::string_view kDemoEvent = "550e8400-e29b-41d4-a716-446655440001";

struct Target {
  std::unique_ptr<evently::app::Application> app;
  unsigned short port = 0;
  std::string user_token;
  std::string admin_token;
};

// Never destroyed: the server keeps serving on its own thread until the process exits.
Target& TheTarget() {
  static Target* target = new Target;  // NOLINT(cppcoreguidelines-owning-memory)
  return *target;
}

[[noreturn]] void Fail(std::string_view what, std::string_view input, std::string_view answer) {
  std::fprintf(stderr, "fuzz_http: %.*s\n--- sent\n%.*s\n--- answered\n%.*s\n",
               static_cast<int>(what.size()), what.data(), static_cast<int>(input.size()),
               input.data(), static_cast<int>(answer.size()), answer.data());
  std::abort();
}

int Connect(unsigned short port) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return -1;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

// Sends `bytes`, half-closes, and reads until the server closes: everything it answered. Empty
// optional when the server kept the connection open past the bound.
std::optional<std::string> Exchange(std::string_view bytes) {
  int fd = Connect(TheTarget().port);
  if (fd < 0) {
    std::perror("fuzz_http: connect");
    std::abort();
  }
  std::string answer;
  std::size_t sent = 0;
  auto deadline = Clock::now() + kAnswerBound;
  bool half_closed = false;
  while (Clock::now() < deadline) {
    if (sent == bytes.size() && !half_closed) {
      ::shutdown(fd, SHUT_WR);
      half_closed = true;
    }
    pollfd p{fd, static_cast<short>(POLLIN | (half_closed ? 0 : POLLOUT)), 0};
    if (::poll(&p, 1, 100) <= 0) continue;
    if (p.revents & POLLOUT) {
      ssize_t n = ::send(fd, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
      if (n < 0) half_closed = true;  // the server closed on us: read what it said
      if (n > 0) sent += static_cast<std::size_t>(n);
    }
    if (p.revents & (POLLIN | POLLHUP | POLLERR)) {
      char buf[16384];
      ssize_t n = ::recv(fd, buf, sizeof buf, 0);
      if (n <= 0) {
        ::close(fd);
        return answer;
      }
      answer.append(buf, static_cast<std::size_t>(n));
    }
  }
  ::close(fd);
  return std::nullopt;
}

// Feeds `bytes` to `parser` until it holds one whole message: the bytes that took, or none
// when they end first or do not parse. With `at_eof` a body delimited by the close is whole.
template <bool kIsRequest>
std::optional<std::size_t> ParseOne(http::parser<kIsRequest, http::string_body>& parser,
                                    std::string_view bytes, bool at_eof) {
  parser.body_limit(64 * 1024 * 1024);
  parser.eager(true);
  boost::beast::error_code ec;
  std::size_t used = 0;
  while (!parser.is_done() && used < bytes.size()) {
    std::size_t n = parser.put(boost::asio::buffer(bytes.data() + used, bytes.size() - used), ec);
    used += n;
    if (ec == http::error::need_more) ec = {};
    if (ec || n == 0) break;
  }
  if (!ec && !parser.is_done() && at_eof && used == bytes.size()) parser.put_eof(ec);
  if (ec || !parser.is_done()) return std::nullopt;
  return used;
}

// The methods of the requests in `bytes`, as far as they parse (the server reads them alike).
std::vector<http::verb> Methods(std::string_view bytes) {
  std::vector<http::verb> methods;
  while (!bytes.empty()) {
    http::request_parser<http::string_body> parser;
    std::optional<std::size_t> used = ParseOne(parser, bytes, false);
    if (!used) break;
    methods.push_back(parser.get().method());
    bytes.remove_prefix(*used);
  }
  return methods;
}

void CheckEnvelope(int status, std::string_view body, std::string_view input,
                   std::string_view answer) {
  boost::system::error_code ec;
  boost::json::value doc = boost::json::parse(body, ec);
  const boost::json::object* object = ec ? nullptr : doc.if_object();
  const boost::json::value* success = object ? object->if_contains("success") : nullptr;
  const boost::json::value* error = object ? object->if_contains("error") : nullptr;
  bool ok = success && success->is_bool() && !success->as_bool() && error && error->is_object() &&
            error->as_object().if_contains("code") && error->as_object().at("code").is_string() &&
            error->as_object().if_contains("message") &&
            error->as_object().at("message").is_string();
  if (!ok) Fail("a " + std::to_string(status) + " that is not the error envelope", input, answer);
}

void CheckAnswers(std::string_view input, std::string_view answer) {
  std::vector<http::verb> methods = Methods(input);
  std::string_view rest = answer;
  for (std::size_t i = 0; !rest.empty(); ++i) {
    http::response_parser<http::string_body> parser;
    if (i < methods.size() && methods[i] == http::verb::head) parser.skip(true);
    std::optional<std::size_t> used = ParseOne(parser, rest, true);
    if (!used) Fail("an answer that is not HTTP", input, answer);
    const auto& res = parser.get();
    int status = static_cast<int>(res.result_int());
    if (status == 101) return;  // a WebSocket from here on
    if (status >= 500 && !(status == 503 && res.count(http::field::retry_after) > 0)) {
      Fail("a " + std::to_string(status), input, answer);
    }
    bool has_body = i >= methods.size() || methods[i] != http::verb::head;
    if (status >= 400 && has_body) {
      if (res[http::field::content_type].substr(0, 16) != "application/json") {
        Fail("a refusal that is not JSON", input, answer);
      }
      CheckEnvelope(status, res.body(), input, answer);
    }
    rest.remove_prefix(*used);
  }
}

std::string Substitute(std::string text) {
  const Target& t = TheTarget();
  for (auto [mark, value] : {std::pair<std::string_view, std::string_view>{"@USER@", t.user_token},
                             {"@ADMIN@", t.admin_token},
                             {"@EVENT@", kDemoEvent}}) {
    for (std::size_t at = text.find(mark); at != std::string::npos; at = text.find(mark, at)) {
      text.replace(at, mark.size(), value);
      at += value.size();
    }
  }
  return text;
}

std::string LogIn(std::string_view email, std::string_view password) {
  std::string body =
      R"({"email":")" + std::string(email) + R"(","password":")" + std::string(password) + R"("})";
  std::ostringstream req;
  req << "POST /api/v1/auth/login HTTP/1.1\r\nHost: fuzz\r\nContent-Type: application/json\r\n"
      << "Connection: close\r\nContent-Length: " << body.size() << "\r\n\r\n"
      << body;
  auto answer = Exchange(req.str());
  std::size_t at = answer ? answer->find("\"access_token\":\"") : std::string::npos;
  if (at == std::string::npos) {
    std::cerr << "fuzz_http: cannot log in as " << email << "\n";
    std::abort();
  }
  at += 16;
  return answer->substr(at, answer->find('"', at) - at);
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int* /*argc*/, char*** /*argv*/) {
  char dir[] = "/tmp/evently-fuzz-XXXXXX";
  if (::mkdtemp(dir) == nullptr) {
    std::perror("fuzz_http: mkdtemp");
    std::abort();
  }
  evently::app::Config config;
  config.port = 0;
  config.database_url = std::string("sqlite:") + dir + "/fuzz.db";
  config.rate_limits = false;
  config.access_log = false;
  config.log_level = "off";
  config.worker_threads = 4;
  config.password_hash = "fast";
  config.header_timeout_seconds = 5;
  evently::app::SetUpLogging(config);
  Target& t = TheTarget();
  t.app = std::make_unique<evently::app::Application>(config);
  t.app->OpenStore();
  std::ostringstream quiet;
  if (evently::app::SeedDemo(*t.app, quiet, std::cerr) != 0) std::abort();
  t.app->Listen();
  t.port = t.app->port();
  std::thread([] { TheTarget().app->Serve(); }).detach();  // serves until the process exits
  t.user_token = LogIn("test@evently.com", "TestPass123!");
  t.admin_token = LogIn("admin@evently.com", "AdminPass123!");
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string input = Substitute(std::string(reinterpret_cast<const char*>(data), size));
  std::optional<std::string> answer = Exchange(input);
  if (!answer) Fail("no close within the bound", input, {});
  CheckAnswers(input, *answer);
  return 0;
}
