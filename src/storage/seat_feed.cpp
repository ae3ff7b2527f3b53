#include "storage/seat_feed.hpp"

#include <charconv>

#include "domain/ids.hpp"

namespace evently::storage {
namespace {

constexpr std::size_t kMaxPayload = 7000;  // PostgreSQL refuses payloads of 8000 bytes or more

constexpr Statement kNotify{"seat_feed_notify",
                            "SELECT pg_notify('evently_seats:' || current_schema(), $1)"};

}  // namespace

const std::string& NodeId() {
  static const std::string id = domain::RandomHex(8);
  return id;
}

std::vector<std::string> EncodeSeatNotices(std::string_view origin,
                                           const domain::SeatChange& change) {
  std::string head = std::string(origin) + "|" + change.event_id + "|" + change.status + "|" +
                     std::to_string(change.available_seats) + "|";
  std::vector<std::string> out;
  std::string payload = head;
  bool empty = true;
  for (const std::string& id : change.seat_ids) {
    if (!empty && payload.size() + 1 + id.size() > kMaxPayload) {
      out.push_back(std::move(payload));
      payload = head;
      empty = true;
    }
    if (!empty) payload += ',';
    payload += id;
    empty = false;
  }
  out.push_back(std::move(payload));
  return out;
}

std::optional<SeatNotice> DecodeSeatNotice(std::string_view payload) {
  std::string_view parts[5];
  for (int i = 0; i < 4; ++i) {
    std::size_t bar = payload.find('|');
    if (bar == std::string_view::npos) return std::nullopt;
    parts[i] = payload.substr(0, bar);
    payload.remove_prefix(bar + 1);
  }
  parts[4] = payload;
  SeatNotice notice;
  notice.origin = std::string(parts[0]);
  notice.change.event_id = std::string(parts[1]);
  notice.change.status = std::string(parts[2]);
  auto [ptr, ec] = std::from_chars(parts[3].data(), parts[3].data() + parts[3].size(),
                                   notice.change.available_seats);
  if (ec != std::errc() || ptr != parts[3].data() + parts[3].size()) return std::nullopt;
  if (!domain::IsUuid(notice.change.event_id) || notice.origin.empty()) return std::nullopt;
  for (std::string_view ids = parts[4]; !ids.empty();) {
    std::size_t comma = ids.find(',');
    std::string_view id = ids.substr(0, comma);
    if (!domain::IsUuid(id)) return std::nullopt;
    notice.change.seat_ids.emplace_back(id);
    if (comma == std::string_view::npos) break;
    ids.remove_prefix(comma + 1);
  }
  return notice;
}

void AnnounceSeatChange(Connection& conn, const domain::SeatChange& change) {
  if (conn.dialect() != Dialect::kPostgres) return;
  for (std::string& payload : EncodeSeatNotices(NodeId(), change)) {
    conn.Defer(kNotify, {std::move(payload)});
  }
}

}  // namespace evently::storage
