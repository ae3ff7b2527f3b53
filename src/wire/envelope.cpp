#include "wire/envelope.hpp"

#include "wire/json_writer.hpp"

namespace evently::wire {
namespace {

void WriteDetails(JsonWriter& w, const domain::ErrorDetails& details) {
  w.BeginObject();
  if (!details.fields.empty()) {
    w.Key("fields").BeginArray();
    for (const auto& issue : details.fields) {
      w.BeginObject().Field("field", issue.field).Field("issue", issue.issue).EndObject();
    }
    w.EndArray();
  }
  for (const auto& [key, value] : details.strings) w.Field(key, value);
  for (const auto& [key, value] : details.numbers) w.Field(key, value);
  for (const auto& [key, values] : details.string_lists) {
    w.Key(key).BeginArray();
    for (const auto& v : values) w.String(v);
    w.EndArray();
  }
  w.EndObject();
}

void WriteError(JsonWriter& w, const domain::Error& error) {
  w.BeginObject()
      .Field("code", domain::Describe(error.code).api_code)
      .Field("message", error.Message())
      .Key("details");
  WriteDetails(w, error.details);
  w.EndObject();
}

}  // namespace

namespace {

constexpr std::string_view kSuccessOpen = R"({"success":true,"data":)";

// ,"message":...,"timestamp":...}
void AppendSuccessClose(std::string& out, std::string_view message, domain::TimePoint now) {
  out += R"(,"message":)";
  AppendEscaped(out, message.empty() ? std::string_view("Operation successful") : message);
  out += R"(,"timestamp":")";
  domain::AppendRfc3339(out, now);  // digits, '-', ':', 'T', 'Z': nothing to escape
  out += "\"}";
}

}  // namespace

EnvelopeFrame SuccessEnvelopeFrame(std::string_view message, domain::TimePoint now) {
  EnvelopeFrame frame;
  frame.open = kSuccessOpen;
  AppendSuccessClose(frame.close, message, now);
  return frame;
}

std::string SuccessEnvelope(std::string_view data_json, std::string_view message,
                            domain::TimePoint now, const Pagination* pagination) {
  std::string out;
  out.reserve(kSuccessOpen.size() + data_json.size() + message.size() + 96 +
              (pagination ? 128 : 0));
  out += kSuccessOpen;
  out += data_json.empty() ? std::string_view("null") : data_json;
  if (pagination) {
    std::int64_t per_page = pagination->per_page > 0 ? pagination->per_page : 1;
    std::int64_t total_pages = (pagination->total + per_page - 1) / per_page;
    JsonWriter w;
    w.BeginObject()
        .Field("page", pagination->page)
        .Field("per_page", per_page)
        .Field("total", pagination->total)
        .Field("total_pages", total_pages)
        .Field("has_next", pagination->page < total_pages)
        .Field("has_prev", pagination->page > 1)
        .EndObject();
    out += R"(,"pagination":)";
    out += w.str();
  }
  AppendSuccessClose(out, message, now);
  return out;
}

std::string ErrorEnvelope(const domain::Error& error, domain::TimePoint now) {
  JsonWriter w;
  w.BeginObject().Field("success", false).Key("error");
  WriteError(w, error);
  w.Field("timestamp", domain::FormatRfc3339(now)).EndObject();
  return w.Take();
}

std::string ErrorObject(const domain::Error& error) {
  JsonWriter w;
  WriteError(w, error);
  return w.Take();
}

}  // namespace evently::wire
