// Users in the store, and the booking figures their profile shows.
#pragma once

#include "domain/ports/users.hpp"
#include "storage/sql.hpp"

namespace evently::storage {

class UserStore final : public domain::UsersPort {
 public:
  explicit UserStore(Database& db) : db_(db) {}

  domain::Status Insert(const domain::User& user) override;
  std::optional<domain::User> FindByEmail(std::string_view email) override;
  std::optional<domain::User> FindById(std::string_view id) override;
  domain::Result<domain::User> UpdateProfile(std::string_view id,
                                             const domain::ProfileChange& change,
                                             domain::TimePoint now) override;
  domain::Result<domain::User> SetRole(std::string_view id, domain::Role role,
                                       domain::TimePoint now) override;
  domain::Page<domain::User> List(std::string_view email_contains,
                                  const domain::PageRequest& page) override;
  domain::UserStats Stats(std::string_view id, domain::TimePoint now) override;
  std::optional<domain::UserProfile> FindProfile(std::string_view id,
                                                 domain::TimePoint now) override;

 private:
  Database& db_;
};

}  // namespace evently::storage
