#include "http/handlers/admin_users/admin_users_handlers.hpp"
#include "http/query.hpp"
#include "wire/identity_json.hpp"

namespace evently::http::handlers {

// ?page&per_page&search (a case-insensitive part of the email); newest accounts first.
Handler AdminUsersGet(domain::AccountService& accounts) {
  return [&accounts](Request& req) {
    auto page = ParsePagination(req);
    if (!page) return Failure(req, page.error());
    auto users = accounts.List(req.Query("search").value_or(""), *page);
    if (!users) return Failure(req, users.error());
    wire::Pagination pagination = PaginationOf(*page, users->total);
    return Success(req, 200, wire::EncodeUsers(users->items), {}, &pagination);
  };
}

}  // namespace evently::http::handlers
