#include "domain/identity/known_users.hpp"

namespace evently::domain {

bool KnownUsers::Exists(std::string_view user_id, TimePoint now) {
  {
    std::lock_guard lock(mu_);
    auto it = seen_.find(std::string(user_id));
    if (it != seen_.end() && now - it->second < remember_) return true;
  }
  if (!users_.FindById(user_id)) return false;
  std::lock_guard lock(mu_);
  if (seen_.size() >= capacity_) seen_.clear();  // a crowd of users: start remembering anew
  seen_[std::string(user_id)] = now;
  return true;
}

}  // namespace evently::domain
