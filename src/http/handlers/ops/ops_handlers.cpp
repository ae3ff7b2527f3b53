#include "http/handlers/ops/ops_handlers.hpp"

#include <string>
#include <utility>

#include "wire/json_writer.hpp"

namespace evently::http::handlers {

Handler HealthGet() {
  return [](Request& req) { return Success(req, 200, R"({"status":"ok"})", "alive"); };
}

namespace {

// details.reason of a 503 from /ready, and its message.
std::pair<std::string, std::string> NotReadyReason(const domain::StoreStatus& status) {
  if (!status.reachable) return {"unreachable", "Store is unreachable"};
  switch (status.write_fault) {
    case domain::WriteFault::kReadOnly:
      return {"read_only", "Store is read-only"};
    case domain::WriteFault::kOutOfSpace:
      return {"out_of_space", "Store is out of space"};
    case domain::WriteFault::kNone:
      break;
  }
  return {"schema", "Schema is not current"};
}

}  // namespace

Handler ReadyGet(domain::HealthPort& health) {
  return [&health](Request& req) {
    domain::StoreStatus status = health.Probe();
    wire::JsonWriter w;
    w.BeginObject()
        .Field("status", status.ready() ? "ready" : "not_ready")
        .Field("store_reachable", status.reachable)
        .Field("schema_version", status.schema_version)
        .Field("expected_schema_version", status.expected_schema_version)
        .Field("pending_migrations", status.pending_migrations)
        .EndObject();
    if (status.ready()) return Success(req, 200, w.Take(), "ready");
    auto [reason, message] = NotReadyReason(status);
    domain::Error error = domain::MakeError(domain::ErrorCode::kServiceUnavailable, message);
    error.details.strings = {{"reason", reason}};
    error.details.numbers = {{"schema_version", status.schema_version},
                             {"expected_schema_version", status.expected_schema_version},
                             {"pending_migrations", status.pending_migrations}};
    return Failure(req, error);
  };
}

Handler MetricsGet(const Metrics& metrics) {
  return [&metrics](Request&) {
    Response res;
    res.content_type = "text/plain; version=0.0.4; charset=utf-8";
    res.body = metrics.Render();
    return res;
  };
}

Handler ApiRootGet() {
  return [](Request& req) {
    return Success(req, 200, R"({"name":"Evently API","version":"v1","build":"1.0.0"})");
  };
}

}  // namespace evently::http::handlers
