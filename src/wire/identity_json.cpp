#include "wire/identity_json.hpp"

#include <limits>

#include "wire/body_reader.hpp"
#include "wire/json_writer.hpp"

namespace evently::wire {
namespace {

using domain::Result;
using Fields = std::vector<domain::FieldIssue>;

// Lengths are the domain's rules; here a string only has to be a string.
constexpr StringRule kAnyLength{0, std::numeric_limits<std::size_t>::max(), false};

// Parses the body and runs `read` over it; any issue, or an unknown field, fails the whole.
template <typename T, typename Read>
Result<T> Decode(std::string_view body, Read read) {
  auto object = ParseObject(body);
  if (!object) return std::move(object).error();
  Fields issues;
  ObjectReader reader(*object, issues);
  T value;
  if constexpr (std::is_invocable_v<Read, ObjectReader&, const Fields&>) {
    value = read(reader, issues);
  } else {
    value = read(reader);
  }
  reader.RejectUnknown();
  if (!issues.empty()) return domain::ValidationError(std::move(issues));
  return value;
}

void WriteTokenFields(JsonWriter& w, const domain::AuthTokens& tokens) {
  w.Field("access_token", tokens.access_token)
      .Field("refresh_token", tokens.refresh_token)
      .Field("token_type", "bearer")
      .Field("expires_in", tokens.expires_in.count());
}

enum class Phone { kInclude, kOmit };

void WriteUserFields(JsonWriter& w, const domain::User& user, Phone phone) {
  w.Field("id", user.id).Field("email", user.email).Field("full_name", user.full_name);
  if (phone == Phone::kInclude) w.OptionalString("phone", user.phone ? &*user.phone : nullptr);
  w.Field("role", domain::RoleName(user.role))
      .Field("created_at", domain::FormatRfc3339(user.created_at));
}

template <typename Fill>
std::string ObjectOf(Fill fill) {
  JsonWriter w;
  w.BeginObject();
  fill(w);
  w.EndObject();
  return w.Take();
}

}  // namespace

Result<domain::NewAccount> DecodeNewAccount(std::string_view body) {
  return Decode<domain::NewAccount>(body, [](ObjectReader& r) {
    domain::NewAccount account;
    account.email = r.String("email", Presence::kRequired, kAnyLength).value_or("");
    account.password = r.String("password", Presence::kRequired, kAnyLength).value_or("");
    account.full_name = r.String("full_name", Presence::kRequired, kAnyLength).value_or("");
    account.phone = r.String("phone", Presence::kOptional, kAnyLength);
    if (r.Has("role")) {
      r.String("role", Presence::kOptional, kAnyLength);
      r.Issue("role", "cannot be set at registration; every new account is a user");
    }
    return account;
  });
}

Result<Credentials> DecodeCredentials(std::string_view body) {
  return Decode<Credentials>(body, [](ObjectReader& r) {
    return Credentials{r.String("email", Presence::kRequired, kAnyLength).value_or(""),
                       r.String("password", Presence::kRequired, kAnyLength).value_or("")};
  });
}

Result<std::string> DecodeRefreshToken(std::string_view body) {
  return Decode<std::string>(body, [](ObjectReader& r) {
    return r.String("refresh_token", Presence::kRequired, kAnyLength).value_or("");
  });
}

Result<domain::ProfileChange> DecodeProfileChange(std::string_view body) {
  return Decode<domain::ProfileChange>(body, [](ObjectReader& r, const Fields& issues) {
    domain::ProfileChange change;
    // A field present with no value and no new issue was JSON null.
    auto was_null = [&](std::string_view key, const auto& value, std::size_t issues_before) {
      return r.Has(key) && !value && issues.size() == issues_before;
    };
    std::size_t before = issues.size();
    change.full_name = r.String("full_name", Presence::kOptional, kAnyLength);
    if (was_null("full_name", change.full_name, before)) r.Issue("full_name", "must not be null");
    before = issues.size();
    change.phone = r.String("phone", Presence::kOptional, kAnyLength);
    change.clear_phone = was_null("phone", change.phone, before);
    return change;
  });
}

Result<std::string> DecodeRoleChange(std::string_view body) {
  return Decode<std::string>(body, [](ObjectReader& r) {
    return r.String("role", Presence::kRequired, kAnyLength).value_or("");
  });
}

std::string EncodeTokens(const domain::AuthTokens& tokens) {
  return ObjectOf([&](JsonWriter& w) { WriteTokenFields(w, tokens); });
}

std::string EncodeRegistration(const domain::Registration& registration) {
  return ObjectOf([&](JsonWriter& w) {
    w.Key("user").BeginObject();
    WriteUserFields(w, registration.user, Phone::kOmit);  // the spec's registration answer
    w.EndObject();
    WriteTokenFields(w, registration.tokens);
  });
}

std::string EncodeProfile(const domain::UserProfile& profile) {
  return ObjectOf([&](JsonWriter& w) {
    WriteUserFields(w, profile.user, Phone::kInclude);
    w.Key("stats")
        .BeginObject()
        .Field("total_bookings", profile.stats.total_bookings)
        .Field("upcoming_events", profile.stats.upcoming_events)
        .MoneyField("total_spent", profile.stats.total_spent)
        .EndObject();
  });
}

std::string EncodeUser(const domain::User& user) {
  return ObjectOf([&](JsonWriter& w) { WriteUserFields(w, user, Phone::kInclude); });
}

std::string EncodeUsers(const std::vector<domain::User>& users) {
  JsonWriter w;
  w.BeginArray();
  for (const domain::User& user : users) {
    w.BeginObject();
    WriteUserFields(w, user, Phone::kInclude);
    w.EndObject();
  }
  w.EndArray();
  return w.Take();
}

}  // namespace evently::wire
