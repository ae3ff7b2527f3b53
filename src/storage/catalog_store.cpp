#include "storage/catalog_store.hpp"

#include <array>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
#include <limits>
#include <map>

#include "domain/catalog/layout.hpp"
#include "domain/catalog/search_text.hpp"
#include "domain/ids.hpp"

namespace evently::storage {
namespace {

using domain::FromEpochMillis;
using domain::ToEpochMillis;

constexpr Statement kInsertVenue{
    "catalog_insert_venue",
    "INSERT INTO venues (id, name, address, city, state, country, postal_code, capacity, "
    "layout_config, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)"};
constexpr Statement kUpdateVenue{
    "catalog_update_venue",
    "UPDATE venues SET name = $2, address = $3, city = $4, state = $5, country = $6, "
    "postal_code = $7, capacity = $8, layout_config = $9, updated_at = $10 WHERE id = $1"};
constexpr Statement kSelectVenue{
    "catalog_select_venue",
    "SELECT id, name, address, city, state, country, postal_code, capacity, layout_config, "
    "created_at, updated_at FROM venues WHERE id = $1"};
constexpr Statement kCountVenues{"catalog_count_venues", "SELECT COUNT(*) FROM venues"};
constexpr Statement kListVenues{
    "catalog_list_venues",
    "SELECT id, name, address, city, state, country, postal_code, capacity, layout_config, "
    "created_at, updated_at FROM venues ORDER BY name, id LIMIT $1 OFFSET $2"};
constexpr Statement kLargestLiveEventCapacity{
    "catalog_largest_live_event_capacity",
    "SELECT COALESCE(MAX(capacity), 0) FROM events "
    "WHERE venue_id = $1 AND cancelled_at IS NULL AND end_time > $2"};

constexpr Statement kInsertEvent{
    "catalog_insert_event",
    "INSERT INTO events (id, venue_id, name, description, start_time, end_time, capacity, "
    "currency, seat_version, created_at, updated_at, search_text, sale_starts_at, "
    "max_tickets_per_user, queue_enabled, queue_admit_per_minute, queue_window_seconds, "
    "queue_opens_before_seconds) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)"};
constexpr Statement kInsertSection{
    "catalog_insert_section",
    "INSERT INTO event_sections (event_id, position, name, price, rows_json, seats_per_row, "
    "seat_count, available) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"};
// The event, its venue and its sections in one statement: one round trip, one snapshot.
constexpr Statement kSelectEvent{
    "catalog_select_event",
    "SELECT e.id, e.venue_id, e.name, e.description, e.start_time, e.end_time, e.capacity, "
    "e.currency, e.cancelled_at, e.seat_version, e.created_at, e.updated_at, "
    "e.sale_starts_at, e.max_tickets_per_user, "
    "e.queue_enabled, e.queue_admit_per_minute, e.queue_window_seconds, "
    "e.queue_opens_before_seconds, "
    "v.id, v.name, v.address, v.city, v.state, v.country, v.postal_code, v.capacity, "
    "v.layout_config, v.created_at, v.updated_at, "
    "s.position, s.name, s.price, s.rows_json, s.seats_per_row, s.seat_count, s.available "
    "FROM events e JOIN venues v ON v.id = e.venue_id "
    "LEFT JOIN event_sections s ON s.event_id = e.id WHERE e.id = $1 ORDER BY s.position"};
constexpr Statement kUpdateEvent{
    "catalog_update_event",
    "UPDATE events SET name = $2, description = $3, start_time = $4, end_time = $5, "
    "capacity = $6, updated_at = $7, search_text = $8, seat_version = seat_version + $9, "
    "sale_starts_at = $11, max_tickets_per_user = $12, queue_enabled = $13, "
    "queue_admit_per_minute = $14, queue_window_seconds = $15, queue_opens_before_seconds = $16 "
    "WHERE id = $1 AND updated_at = $10"};
constexpr Statement kEventExists{"catalog_event_exists", "SELECT 1 FROM events WHERE id = $1"};
constexpr Statement kEventHasBookings{
    "catalog_event_has_bookings",
    "SELECT CASE WHEN EXISTS (SELECT 1 FROM bookings WHERE event_id = $1) "
    "OR EXISTS (SELECT 1 FROM seats WHERE event_id = $1 AND status <> 'available') "
    "THEN 1 ELSE 0 END"};
constexpr Statement kDeleteAvailableSeats{
    "catalog_delete_available_seats",
    "DELETE FROM seats WHERE event_id = $1 AND status = 'available'"};
constexpr Statement kCountSeats{"catalog_count_seats",
                                "SELECT COUNT(*) FROM seats WHERE event_id = $1"};
constexpr Statement kDeleteSections{"catalog_delete_sections",
                                    "DELETE FROM event_sections WHERE event_id = $1"};
constexpr Statement kUpdateSectionPrice{
    "catalog_update_section_price",
    "UPDATE event_sections SET price = $3 WHERE event_id = $1 AND position = $2"};
constexpr Statement kCancelEvent{
    "catalog_cancel_event",
    "UPDATE events SET cancelled_at = $2, "
    "updated_at = CASE WHEN updated_at >= $2 THEN updated_at + 1 ELSE $2 END "
    "WHERE id = $1 AND cancelled_at IS NULL"};

constexpr Statement kSeatVersion{"catalog_seat_version",
                                 "SELECT seat_version FROM events WHERE id = $1"};
constexpr Statement kSeatMapSections{
    "catalog_seat_map_sections",
    "SELECT position, name, price, available FROM event_sections WHERE event_id = $1 "
    "ORDER BY position"};
// Typed ranges instead of optional filters, so PostgreSQL's generic plan stays index-friendly.
constexpr Statement kSeatMapSeats{
    "catalog_seat_map_seats",
    "SELECT id, section_position, row_position, row_label, seat_number, status FROM seats "
    "WHERE event_id = $1 AND status IN ($2, $3, $4) AND section_position BETWEEN $5 AND $6 "
    "ORDER BY section_position, row_position, seat_number"};

// Event listing: one filter, with or without search, per dialect. Parameters: $1 now,
// $2..$5 upcoming/ongoing/completed/cancelled wanted (1/0), $6 venue, $7..$8 start range,
// $9 search pattern when searching; then LIMIT and OFFSET. An optional parameter is compared
// before it is tested for NULL: PostgreSQL takes its type from the first use.
constexpr std::string_view kEventFilter =
    " WHERE ((e.cancelled_at IS NOT NULL AND $5 = 1) OR (e.cancelled_at IS NULL AND ("
    "($2 = 1 AND e.start_time > $1) OR ($3 = 1 AND e.start_time <= $1 AND e.end_time > $1) OR "
    "($4 = 1 AND e.end_time <= $1))))"
    " AND (e.venue_id = $6 OR $6 IS NULL) AND (e.start_time >= $7 OR $7 IS NULL)"
    " AND (e.start_time < $8 OR $8 IS NULL)";
// SQLite: trigram FTS5 over the folded text (GLOB); PostgreSQL: pg_trgm GIN (LIKE).
constexpr std::string_view kSearchSqlite =
    " AND e.id IN (SELECT event_id FROM events_search WHERE search_text GLOB $9)";
constexpr std::string_view kSearchPostgres = " AND e.search_text LIKE $9";
constexpr std::string_view kListingSelect =
    "SELECT e.id, e.venue_id, e.name, e.description, e.start_time, e.end_time, e.capacity, "
    "e.currency, e.cancelled_at, e.seat_version, e.created_at, e.updated_at, "
    "e.sale_starts_at, e.max_tickets_per_user, "
    "e.queue_enabled, e.queue_admit_per_minute, e.queue_window_seconds, "
    "e.queue_opens_before_seconds, "
    "v.name, v.city, v.capacity, "
    "(SELECT COALESCE(SUM(s.available), 0) FROM event_sections s WHERE s.event_id = e.id), "
    "(SELECT COALESCE(MIN(s.price), 0) FROM event_sections s WHERE s.event_id = e.id), "
    "(SELECT COALESCE(MAX(s.price), 0) FROM event_sections s WHERE s.event_id = e.id), "
    "COUNT(*) OVER () "
    "FROM events e JOIN venues v ON v.id = e.venue_id";

struct OwnedStatement {
  std::string name;
  std::string sql;
  Statement get() const { return {name, sql}; }
};

struct ListingStatements {
  OwnedStatement count;
  OwnedStatement page;
};

const ListingStatements& ListingStatementsFor(Dialect dialect, bool search) {
  static const std::array<ListingStatements, 4> all = [] {
    std::array<ListingStatements, 4> out;
    for (int i = 0; i < 4; ++i) {
      bool pg = i >= 2, with_search = i % 2 == 1;
      std::string suffix = std::string(pg ? "_pg" : "_sqlite") + (with_search ? "_search" : "");
      std::string where(kEventFilter);
      if (with_search) where += pg ? kSearchPostgres : kSearchSqlite;
      int limit = with_search ? 10 : 9;
      out[i].count = {"catalog_count_events" + suffix, "SELECT COUNT(*) FROM events e" + where};
      out[i].page = {"catalog_list_events" + suffix,
                     std::string(kListingSelect) + where + " ORDER BY e.start_time, e.id LIMIT $" +
                         std::to_string(limit) + " OFFSET $" + std::to_string(limit + 1)};
    }
    return out;
  }();
  return all[(dialect == Dialect::kPostgres ? 2 : 0) + (search ? 1 : 0)];
}

// Seats go in as multi-row INSERTs inside the event's transaction. PostgreSQL pays a round trip
// per statement, so its batches are large; SQLite binds parameters by name (a linear search per
// parameter), so its batches stay small.
constexpr std::array<std::size_t, 3> kPgSeatBatches = {512, 32, 1};
constexpr std::array<std::size_t, 3> kSqliteSeatBatches = {16, 4, 1};
constexpr std::size_t kSeatColumns = 5;  // per seat: id, section, row position, row label, number

const Statement& SeatBatchStatement(std::size_t rows) {
  static const std::map<std::size_t, OwnedStatement> all = [] {
    std::map<std::size_t, OwnedStatement> out;
    auto add = [&out](std::size_t n) {
      std::string sql =
          "INSERT INTO seats (id, event_id, section_position, row_position, row_label, "
          "seat_number) VALUES ";
      for (std::size_t r = 0; r < n; ++r) {
        std::size_t p = 2 + r * kSeatColumns;
        sql += (r ? ", ($" : "($") + std::to_string(p) + ", $1";
        for (std::size_t c = 1; c < kSeatColumns; ++c) sql += ", $" + std::to_string(p + c);
        sql += ")";
      }
      out[n] = {"catalog_insert_seats_" + std::to_string(n), std::move(sql)};
    };
    for (std::size_t n : kPgSeatBatches) add(n);
    for (std::size_t n : kSqliteSeatBatches) add(n);
    return out;
  }();
  static const std::map<std::size_t, Statement> views = [] {
    std::map<std::size_t, Statement> out;
    for (const auto& [n, owned] : all) out[n] = owned.get();
    return out;
  }();
  return views.at(rows);
}

void InsertSeats(Connection& conn, const domain::Event& event) {
  std::span<const std::size_t> batches = conn.dialect() == Dialect::kPostgres
                                             ? std::span<const std::size_t>(kPgSeatBatches)
                                             : std::span<const std::size_t>(kSqliteSeatBatches);
  std::vector<Param> params;
  params.reserve(1 + batches[0] * kSeatColumns);
  params.emplace_back(event.id);
  std::size_t pending = 0;
  domain::UuidV7Sequence seat_ids(event.created_at);
  auto flush = [&](std::size_t rows) {
    conn.Exec(SeatBatchStatement(rows),
              std::span<const Param>(params.data(), 1 + rows * kSeatColumns));
    params.erase(params.begin() + 1,
                 params.begin() + 1 + static_cast<std::ptrdiff_t>(rows * kSeatColumns));
    pending -= rows;
  };
  domain::ForEachSeat(event.sections, [&](std::int64_t section, std::int64_t row,
                                          const std::string& label, std::int64_t number) {
    params.emplace_back(seat_ids.Next());
    params.emplace_back(section);
    params.emplace_back(row);
    params.emplace_back(label);
    params.emplace_back(number);
    if (++pending == batches[0]) flush(batches[0]);
  });
  for (std::size_t rows : batches) {
    while (pending >= rows) flush(rows);
  }
}

std::string RowsToJson(const std::vector<std::string>& rows) {
  boost::json::array array;
  for (const auto& row : rows) array.emplace_back(row);
  return boost::json::serialize(array);
}

std::vector<std::string> RowsFromJson(const std::string& text) {
  std::vector<std::string> rows;
  boost::system::error_code ec;
  boost::json::value value = boost::json::parse(text, ec);
  if (ec || !value.is_array()) throw SqlError(SqlError::Kind::kOther, "bad rows_json: " + text);
  for (const auto& row : value.as_array()) {
    if (row.is_string()) rows.emplace_back(row.as_string());
  }
  return rows;
}

Param OptionalParam(const std::optional<std::string>& value) {
  if (!value) return nullptr;
  return *value;
}

Param OptionalParam(const std::optional<domain::TimePoint>& value) {
  if (!value) return nullptr;
  return ToEpochMillis(*value);
}

// One column of an event's queue settings (NULL: no queue).
using QS = domain::QueueSettings;
template <typename T>
Param QueueParam(const std::optional<QS>& queue, T QS::*field) {
  if (!queue) return nullptr;
  return static_cast<std::int64_t>((*queue).*field);
}

Param OptionalParam(const std::optional<std::int64_t>& value) {
  if (!value) return nullptr;
  return *value;
}

domain::Venue ReadVenue(const Rows& rows, std::size_t r, std::size_t c) {
  domain::Venue v;
  v.id = rows.Text(r, c);
  v.name = rows.Text(r, c + 1);
  v.address = rows.Text(r, c + 2);
  v.city = rows.Text(r, c + 3);
  v.state = rows.Text(r, c + 4);
  v.country = rows.Text(r, c + 5);
  v.postal_code = rows.Text(r, c + 6);
  v.capacity = rows.Int(r, c + 7);
  v.layout_config = rows.Text(r, c + 8);
  v.created_at = FromEpochMillis(rows.Int(r, c + 9));
  v.updated_at = FromEpochMillis(rows.Int(r, c + 10));
  return v;
}

// The eighteen event columns every event query starts with.
domain::Event ReadEvent(const Rows& rows, std::size_t r) {
  domain::Event e;
  e.id = rows.Text(r, 0);
  e.venue_id = rows.Text(r, 1);
  e.name = rows.Text(r, 2);
  e.description = rows.Text(r, 3);
  e.start_time = FromEpochMillis(rows.Int(r, 4));
  e.end_time = FromEpochMillis(rows.Int(r, 5));
  e.capacity = rows.Int(r, 6);
  e.currency = rows.Text(r, 7);
  if (auto cancelled = rows.OptInt(r, 8)) e.cancelled_at = FromEpochMillis(*cancelled);
  e.seat_version = rows.Int(r, 9);
  e.created_at = FromEpochMillis(rows.Int(r, 10));
  e.updated_at = FromEpochMillis(rows.Int(r, 11));
  if (auto sale = rows.OptInt(r, 12)) e.sale_starts_at = FromEpochMillis(*sale);
  e.max_tickets_per_user = rows.OptInt(r, 13);
  if (auto rate = rows.OptInt(r, 15)) {
    e.queue = domain::QueueSettings{rows.Int(r, 14) != 0, *rate, rows.Int(r, 16), rows.Int(r, 17)};
  }
  return e;
}

// Sections from column `c` on, one per row (none when the LEFT JOIN found none).
std::vector<domain::Section> ReadSections(const Rows& rows, std::size_t c) {
  std::vector<domain::Section> sections;
  for (std::size_t r = 0; r < rows.size(); ++r) {
    if (rows.IsNull(r, c)) continue;
    domain::Section s;
    s.position = rows.Int(r, c);
    s.layout.name = rows.Text(r, c + 1);
    s.layout.price = rows.Int(r, c + 2);
    s.layout.rows = RowsFromJson(rows.Text(r, c + 3));
    s.layout.seats_per_row = rows.Int(r, c + 4);
    s.seat_count = rows.Int(r, c + 5);
    s.available = rows.Int(r, c + 6);
    sections.push_back(std::move(s));
  }
  return sections;
}

void InsertSectionsAndSeats(Connection& conn, const domain::Event& event) {
  for (const domain::Section& s : event.sections) {
    conn.Exec(kInsertSection,
              {event.id, s.position, s.layout.name, s.layout.price, RowsToJson(s.layout.rows),
               s.layout.seats_per_row, s.seat_count, s.available});
  }
  InsertSeats(conn, event);
}

// Escapes a folded search term into a substring pattern for the dialect's matcher.
std::string SearchPattern(Dialect dialect, const std::string& folded) {
  std::string pattern = dialect == Dialect::kPostgres ? "%" : "*";
  for (char c : folded) {
    if (dialect == Dialect::kPostgres && (c == '%' || c == '_' || c == '\\')) {
      pattern += '\\';
      pattern += c;
    } else if (dialect == Dialect::kSqlite && (c == '*' || c == '?' || c == '[')) {
      pattern += '[';
      pattern += c;
      pattern += ']';
    } else {
      pattern += c;
    }
  }
  pattern += dialect == Dialect::kPostgres ? "%" : "*";
  return pattern;
}

// Thrown inside a write to roll it back when sold or held seats forbid a layout change.
struct LayoutLocked {};

}  // namespace

void CatalogStoreSql::InsertVenue(const domain::Venue& v) {
  db_.Write([&](Connection& conn) {
    conn.Exec(kInsertVenue,
              {v.id, v.name, v.address, v.city, v.state, v.country, v.postal_code, v.capacity,
               v.layout_config, ToEpochMillis(v.created_at), ToEpochMillis(v.updated_at)});
  });
}

bool CatalogStoreSql::UpdateVenue(const domain::Venue& v) {
  bool found = false;
  db_.Write([&](Connection& conn) {
    found =
        conn.Exec(kUpdateVenue, {v.id, v.name, v.address, v.city, v.state, v.country, v.postal_code,
                                 v.capacity, v.layout_config, ToEpochMillis(v.updated_at)})
            .affected() == 1;
  });
  return found;
}

std::optional<domain::Venue> CatalogStoreSql::FindVenue(std::string_view id) {
  std::optional<domain::Venue> venue;
  db_.Read([&](Connection& conn) {
    Rows rows = conn.Exec(kSelectVenue, {std::string(id)});
    if (!rows.empty()) venue = ReadVenue(rows, 0, 0);
  });
  return venue;
}

domain::Page<domain::Venue> CatalogStoreSql::ListVenues(const domain::PageRequest& page) {
  domain::Page<domain::Venue> out;
  db_.Read([&](Connection& conn) {
    out.total = conn.Exec(kCountVenues).Int(0, 0);
    if (page.offset() >= out.total) return;
    Rows rows = conn.Exec(kListVenues, {page.per_page, page.offset()});
    for (std::size_t r = 0; r < rows.size(); ++r) out.items.push_back(ReadVenue(rows, r, 0));
  });
  return out;
}

std::int64_t CatalogStoreSql::LargestLiveEventCapacity(std::string_view venue_id,
                                                       domain::TimePoint now) {
  std::int64_t largest = 0;
  db_.Read([&](Connection& conn) {
    largest =
        conn.Exec(kLargestLiveEventCapacity, {std::string(venue_id), ToEpochMillis(now)}).Int(0, 0);
  });
  return largest;
}

void CatalogStoreSql::InsertEvent(const domain::Event& e) {
  std::string search_text = domain::EventSearchText(e.name, e.description);
  db_.Write([&](Connection& conn) {
    conn.Exec(
        kInsertEvent,
        {e.id, e.venue_id, e.name, e.description, ToEpochMillis(e.start_time),
         ToEpochMillis(e.end_time), e.capacity, e.currency, e.seat_version,
         ToEpochMillis(e.created_at), ToEpochMillis(e.updated_at), search_text,
         OptionalParam(e.sale_starts_at), OptionalParam(e.max_tickets_per_user),
         QueueParam(e.queue, &QS::enabled), QueueParam(e.queue, &QS::admit_per_minute),
         QueueParam(e.queue, &QS::window_seconds), QueueParam(e.queue, &QS::opens_before_seconds)});
    InsertSectionsAndSeats(conn, e);
  });
}

std::optional<domain::EventDetails> CatalogStoreSql::FindEvent(std::string_view id) {
  Rows rows = db_.ReadOne(kSelectEvent, {std::string(id)});
  if (rows.empty()) return std::nullopt;
  domain::EventDetails found{ReadEvent(rows, 0), ReadVenue(rows, 0, 18)};
  found.event.sections = ReadSections(rows, 29);
  return found;
}

domain::Page<domain::EventListing> CatalogStoreSql::ListEvents(const domain::EventFilter& f,
                                                               const domain::PageRequest& page) {
  const ListingStatements& statements =
      ListingStatementsFor(db_.dialect(), f.search_folded.has_value());
  std::vector<Param> params = {ToEpochMillis(f.now),         std::int64_t{f.upcoming},
                               std::int64_t{f.ongoing},      std::int64_t{f.completed},
                               std::int64_t{f.cancelled},    OptionalParam(f.venue_id),
                               OptionalParam(f.starts_from), OptionalParam(f.starts_before)};
  if (f.search_folded) params.emplace_back(SearchPattern(db_.dialect(), *f.search_folded));
  std::size_t filter_params = params.size();
  params.emplace_back(page.per_page);
  params.emplace_back(page.offset());
  // The page carries the total (a window count), so the usual answer is one round trip.
  Rows rows = db_.ReadOne(statements.page.get(), params);
  domain::Page<domain::EventListing> out;
  for (std::size_t r = 0; r < rows.size(); ++r) {
    domain::EventListing item;
    item.event = ReadEvent(rows, r);
    item.venue = {item.event.venue_id, rows.Text(r, 18), rows.Text(r, 19), rows.Int(r, 20)};
    item.available_seats = rows.Int(r, 21);
    item.prices = {rows.Int(r, 22), rows.Int(r, 23)};
    out.total = rows.Int(r, 24);
    out.items.push_back(std::move(item));
  }
  if (rows.empty() && page.offset() > 0) {
    out.total =
        db_.ReadOne(statements.count.get(), std::span<const Param>(params.data(), filter_params))
            .Int(0, 0);
  }
  return out;
}

domain::EventWrite CatalogStoreSql::UpdateEvent(const domain::EventUpdate& update) {
  const domain::Event& e = update.event;
  std::string search_text = domain::EventSearchText(e.name, e.description);
  domain::EventWrite outcome = domain::EventWrite::kDone;
  try {
    db_.Write([&](Connection& conn) {
      outcome = domain::EventWrite::kDone;
      // The conditional update comes first: on PostgreSQL it also locks the event row, which
      // every booking transaction updates (seat_version), so no seat changes hands meanwhile.
      Rows updated = conn.Exec(
          kUpdateEvent,
          {e.id, e.name, e.description, ToEpochMillis(e.start_time), ToEpochMillis(e.end_time),
           e.capacity, ToEpochMillis(e.updated_at), search_text,
           std::int64_t{update.seat_map_changed ? 1 : 0}, ToEpochMillis(update.read_updated_at),
           OptionalParam(e.sale_starts_at), OptionalParam(e.max_tickets_per_user),
           QueueParam(e.queue, &QS::enabled), QueueParam(e.queue, &QS::admit_per_minute),
           QueueParam(e.queue, &QS::window_seconds),
           QueueParam(e.queue, &QS::opens_before_seconds)});
      if (updated.affected() == 0) {
        outcome = conn.Exec(kEventExists, {e.id}).empty() ? domain::EventWrite::kNotFound
                                                          : domain::EventWrite::kStale;
        return;
      }
      if (update.layout_changed) {
        if (conn.Exec(kEventHasBookings, {e.id}).Int(0, 0) != 0) throw LayoutLocked{};
        conn.Exec(kDeleteAvailableSeats, {e.id});
        if (conn.Exec(kCountSeats, {e.id}).Int(0, 0) != 0) throw LayoutLocked{};
        conn.Exec(kDeleteSections, {e.id});
        InsertSectionsAndSeats(conn, e);
      } else {
        for (const domain::Section& s : e.sections) {
          conn.Exec(kUpdateSectionPrice, {e.id, s.position, s.layout.price});
        }
      }
    });
  } catch (const LayoutLocked&) {
    return domain::EventWrite::kHasBookings;
  }
  return outcome;
}

bool CatalogStoreSql::MarkEventCancelled(std::string_view id, domain::TimePoint now) {
  bool found = false;
  db_.Write([&](Connection& conn) {
    std::string event_id(id);
    found = conn.Exec(kCancelEvent, {event_id, ToEpochMillis(now)}).affected() == 1 ||
            !conn.Exec(kEventExists, {event_id}).empty();
  });
  return found;
}

std::optional<std::int64_t> CatalogStoreSql::SeatVersion(std::string_view event_id) {
  Rows rows = db_.ReadOne(kSeatVersion, {std::string(event_id)});
  if (rows.empty()) return std::nullopt;
  return rows.Int(0, 0);
}

std::optional<domain::SeatMap> CatalogStoreSql::LoadSeatMap(std::string_view event_id,
                                                            const domain::SeatMapQuery& query) {
  std::optional<domain::SeatMap> result;
  // One snapshot for version, counters and seats.
  db_.ReadSnapshot([&](Connection& conn) {
    std::string id(event_id);
    Rows version = conn.Exec(kSeatVersion, {id});
    if (version.empty()) return;
    domain::SeatMap map;
    map.event_id = id;
    map.seat_version = version.Int(0, 0);
    Rows sections = conn.Exec(kSeatMapSections, {id});
    std::int64_t first_kept = 1, last_kept = 0;
    std::map<std::int64_t, std::size_t> kept;  // position -> index in map.sections
    for (std::size_t r = 0; r < sections.size(); ++r) {
      std::int64_t position = sections.Int(r, 0);
      const std::string& name = sections.Text(r, 1);
      std::int64_t available = sections.Int(r, 3);
      map.available_by_tier.emplace_back(name, available);
      map.total_available += available;
      if (!query.Keeps(name)) continue;
      if (kept.empty()) first_kept = position;
      last_kept = position;
      kept[position] = map.sections.size();
      map.sections.push_back({name, sections.Int(r, 2), {}});
    }
    if (kept.empty()) {
      result = std::move(map);
      return;
    }
    std::array<std::string, 3> statuses;
    if (query.status) {
      statuses.fill(std::string(domain::SeatStatusName(*query.status)));
    } else {
      statuses = {"available", "held", "booked"};
    }
    Rows seats = conn.Exec(kSeatMapSeats,
                           {id, statuses[0], statuses[1], statuses[2], first_kept, last_kept});
    domain::SeatMapRow* row = nullptr;
    std::int64_t row_section = -1, row_position = -1;
    for (std::size_t r = 0; r < seats.size(); ++r) {
      std::int64_t section = seats.Int(r, 1), position = seats.Int(r, 2);
      auto it = kept.find(section);
      if (it == kept.end()) continue;
      if (section != row_section || position != row_position) {
        auto& rows = map.sections[it->second].rows;
        rows.push_back({seats.Text(r, 3), {}});
        row = &rows.back();
        row_section = section;
        row_position = position;
      }
      auto status = domain::ParseSeatStatus(seats.Text(r, 5));
      row->seats.push_back(
          {seats.Text(r, 0), seats.Int(r, 4), status.value_or(domain::SeatStatus::kBooked)});
    }
    result = std::move(map);
  });
  return result;
}

}  // namespace evently::storage
