#include "storage/user_store.hpp"

namespace evently::storage {
namespace {

using domain::ErrorCode;
using domain::User;

#define EVENTLY_USER_COLUMNS \
  "id, email, password_hash, full_name, phone, role, created_at, updated_at"

constexpr Statement kInsertUser{
    "insert_user",
    "INSERT INTO users (id, email, password_hash, full_name, phone, role, created_at, updated_at) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"};
constexpr Statement kSelectUserByEmail{
    "select_user_by_email", "SELECT " EVENTLY_USER_COLUMNS " FROM users WHERE email = $1"};
constexpr Statement kSelectUserById{"select_user_by_id",
                                    "SELECT " EVENTLY_USER_COLUMNS " FROM users WHERE id = $1"};
// $3 = 1 clears the phone; otherwise a NULL $2 or $4 keeps what is stored.
constexpr Statement kUpdateUserProfile{
    "update_user_profile",
    "UPDATE users SET full_name = COALESCE($2, full_name), "
    "phone = CASE WHEN $3 = 1 THEN NULL ELSE COALESCE($4, phone) END, updated_at = $5 "
    "WHERE id = $1 RETURNING " EVENTLY_USER_COLUMNS};
constexpr Statement kUpdateUserRole{
    "update_user_role",
    "UPDATE users SET role = $2, updated_at = $3 WHERE id = $1 RETURNING " EVENTLY_USER_COLUMNS};
constexpr Statement kCountUsersMatching{
    "count_users_matching", "SELECT COUNT(*) FROM users WHERE email LIKE $1 ESCAPE '\\'"};
constexpr Statement kListUsersMatching{"list_users_matching",
                                       "SELECT " EVENTLY_USER_COLUMNS
                                       " FROM users WHERE email LIKE $1 ESCAPE '\\' "
                                       "ORDER BY created_at DESC, id DESC LIMIT $2 OFFSET $3"};
// Spent (CONTRACT.md, Identity) = the charges taken for the user's bookings less the refunds owed
// on them, a refund counting from the commit that created it (processing) as well as once
// completed. Counted from the money, not the bookings: a charge that lost its race to the hold's
// expiry and the refund recorded with it, or a second charge of one booking and its refund, net
// to nothing. A refund that failed for good leaves its charge spent.
constexpr Statement kUserStats{
    "user_stats",
    "SELECT "
    "(SELECT COUNT(*) FROM bookings WHERE user_id = $1 AND status = 'confirmed'), "
    "(SELECT COUNT(DISTINCT b.event_id) FROM bookings b JOIN events e ON e.id = b.event_id "
    " WHERE b.user_id = $1 AND b.status = 'confirmed' AND e.start_time > $2 "
    " AND e.cancelled_at IS NULL), "
    "(SELECT COALESCE(SUM(p.amount), 0) FROM payments p JOIN bookings b ON b.id = p.booking_id "
    " WHERE b.user_id = $1 AND p.status IN ('succeeded', 'refunded')), "
    "(SELECT COALESCE(SUM(r.amount), 0) FROM refunds r JOIN bookings b ON b.id = r.booking_id "
    " WHERE b.user_id = $1 AND r.status IN ('processing', 'completed'))"};

#undef EVENTLY_USER_COLUMNS

User ReadUser(const Rows& rows, std::size_t r) {
  return User{rows.Text(r, 0),
              rows.Text(r, 1),
              rows.Text(r, 2),
              rows.Text(r, 3),
              rows.OptText(r, 4),
              domain::ParseRole(rows.Text(r, 5)).value_or(domain::Role::kUser),
              domain::FromEpochMillis(rows.Int(r, 6)),
              domain::FromEpochMillis(rows.Int(r, 7))};
}

Param OptionalParam(const std::optional<std::string>& value) {
  if (value) return *value;
  return nullptr;
}

// LIKE treats % and _ as wildcards: a search for "a_b" means those three characters.
std::string ContainsPattern(std::string_view needle) {
  std::string pattern = "%";
  for (char c : needle) {
    if (c == '%' || c == '_' || c == '\\') pattern.push_back('\\');
    pattern.push_back(c);
  }
  pattern.push_back('%');
  return pattern;
}

domain::UserStats ReadStats(Connection& conn, std::string_view id, domain::TimePoint now) {
  Rows rows = conn.Exec(kUserStats, {std::string(id), domain::ToEpochMillis(now)});
  return domain::UserStats{rows.Int(0, 0), rows.Int(0, 1), rows.Int(0, 2) - rows.Int(0, 3)};
}

std::optional<User> FindOne(Database& db, const Statement& statement, std::string_view key) {
  std::optional<User> user;
  db.Read([&](Connection& conn) {
    Rows rows = conn.Exec(statement, {std::string(key)});
    if (!rows.empty()) user = ReadUser(rows, 0);
  });
  return user;
}

domain::Result<User> UpdateOne(Database& db, const Statement& statement,
                               std::initializer_list<Param> params) {
  std::optional<User> user;
  db.Write([&](Connection& conn) {
    Rows rows = conn.Exec(statement, params);
    if (!rows.empty()) user = ReadUser(rows, 0);
  });
  if (!user) return domain::MakeError(ErrorCode::kUserNotFound);
  return std::move(*user);
}

}  // namespace

domain::Status UserStore::Insert(const User& user) {
  try {
    db_.Write([&](Connection& conn) {
      conn.Exec(kInsertUser,
                {user.id, user.email, user.password_hash, user.full_name, OptionalParam(user.phone),
                 std::string(domain::RoleName(user.role)), domain::ToEpochMillis(user.created_at),
                 domain::ToEpochMillis(user.updated_at)});
    });
  } catch (const SqlError& e) {
    if (e.kind() != SqlError::Kind::kUniqueViolation) throw;
    return domain::MakeError(ErrorCode::kEmailAlreadyRegistered);
  }
  return domain::Ok();
}

std::optional<User> UserStore::FindByEmail(std::string_view email) {
  return FindOne(db_, kSelectUserByEmail, email);
}

std::optional<User> UserStore::FindById(std::string_view id) {
  return FindOne(db_, kSelectUserById, id);
}

domain::Result<User> UserStore::UpdateProfile(std::string_view id,
                                              const domain::ProfileChange& change,
                                              domain::TimePoint now) {
  return UpdateOne(
      db_, kUpdateUserProfile,
      {std::string(id), OptionalParam(change.full_name), std::int64_t{change.clear_phone ? 1 : 0},
       OptionalParam(change.phone), domain::ToEpochMillis(now)});
}

domain::Result<User> UserStore::SetRole(std::string_view id, domain::Role role,
                                        domain::TimePoint now) {
  return UpdateOne(
      db_, kUpdateUserRole,
      {std::string(id), std::string(domain::RoleName(role)), domain::ToEpochMillis(now)});
}

domain::Page<User> UserStore::List(std::string_view email_contains,
                                   const domain::PageRequest& page) {
  domain::Page<User> out;
  std::string pattern = ContainsPattern(email_contains);
  db_.Read([&](Connection& conn) {
    out.total = conn.Exec(kCountUsersMatching, {pattern}).Int(0, 0);
    Rows rows = conn.Exec(kListUsersMatching, {pattern, page.per_page, page.offset()});
    out.items.clear();
    for (std::size_t r = 0; r < rows.size(); ++r) out.items.push_back(ReadUser(rows, r));
  });
  return out;
}

domain::UserStats UserStore::Stats(std::string_view id, domain::TimePoint now) {
  domain::UserStats stats;
  db_.Read([&](Connection& conn) { stats = ReadStats(conn, id, now); });
  return stats;
}

std::optional<domain::UserProfile> UserStore::FindProfile(std::string_view id,
                                                          domain::TimePoint now) {
  std::optional<domain::UserProfile> profile;
  db_.Read([&](Connection& conn) {
    profile.reset();
    Rows rows = conn.Exec(kSelectUserById, {std::string(id)});
    if (rows.empty()) return;
    profile = domain::UserProfile{ReadUser(rows, 0), ReadStats(conn, id, now)};
  });
  return profile;
}

}  // namespace evently::storage
