// A registered person: credentials, contact details and role, plus the profile's booking stats.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "domain/principal.hpp"
#include "domain/time.hpp"

namespace evently::domain {

struct User {
  std::string id;
  std::string email;  // trimmed and lower-cased
  std::string password_hash;
  std::string full_name;
  std::optional<std::string> phone;  // E.164
  Role role = Role::kUser;
  TimePoint created_at{};
  TimePoint updated_at{};
};

struct UserStats {
  std::int64_t total_bookings = 0;   // confirmed bookings
  std::int64_t upcoming_events = 0;  // distinct events of confirmed bookings not yet started
  std::int64_t total_spent = 0;      // minor units: paid for confirmed bookings minus refunded
};

struct UserProfile {
  User user;
  UserStats stats;
};

// What a caller asks for at registration (and the command line for admins).
struct NewAccount {
  std::string email;
  std::string password;
  std::string full_name;
  std::optional<std::string> phone;
};

// A profile edit: absent fields stay as they are; `clear_phone` removes the phone.
struct ProfileChange {
  std::optional<std::string> full_name;
  std::optional<std::string> phone;
  bool clear_phone = false;
};

inline std::optional<Role> ParseRole(std::string_view name) {
  if (name == "user") return Role::kUser;
  if (name == "admin") return Role::kAdmin;
  return std::nullopt;
}

}  // namespace evently::domain
