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

EnvelopeFrame SuccessEnvelopeFrame(std::string_view message, domain::TimePoint now) {
  EnvelopeFrame frame;
  frame.open = R"({"success":true,"data":)";
  frame.close = R"(,"message":)";
  AppendEscaped(frame.close, message.empty() ? std::string_view("Operation successful") : message);
  frame.close += R"(,"timestamp":)";
  AppendEscaped(frame.close, domain::FormatRfc3339(now));
  frame.close += '}';
  return frame;
}

std::string SuccessEnvelope(std::string_view data_json, std::string_view message,
                            domain::TimePoint now, const Pagination* pagination) {
  EnvelopeFrame frame = SuccessEnvelopeFrame(message, now);
  std::string out;
  out.reserve(frame.open.size() + data_json.size() + frame.close.size() + 128);
  out += frame.open;
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
  out += frame.close;
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
