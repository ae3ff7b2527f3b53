#include "http/handlers/waitlist/waitlist_handlers.hpp"
#include "http/query.hpp"
#include "wire/waitlist_json.hpp"

namespace evently::http::handlers {

Handler WaitlistListGet(domain::WaitlistService& waitlist) {
  return [&waitlist](Request& req) {
    auto page = ParsePagination(req);
    if (!page.ok()) return Failure(req, page.error());
    auto entries = waitlist.ListMine(req.User(), *page);
    wire::JsonWriter w;
    w.BeginArray();
    for (const auto& entry : entries.items) wire::WriteWaitlistEntry(w, entry);
    w.EndArray();
    auto pagination = PaginationOf(*page, entries.total);
    return Success(req, 200, w.Take(), {}, &pagination);
  };
}

}  // namespace evently::http::handlers
