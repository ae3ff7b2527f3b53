#include "domain/catalog/catalog_service.hpp"

#include <algorithm>

#include "domain/catalog/layout.hpp"
#include "domain/catalog/search_text.hpp"
#include "domain/ids.hpp"
#include "domain/queue/queue.hpp"
#include "domain/text.hpp"

namespace evently::domain {
namespace {

constexpr std::string_view kLayoutPath = "seat_configuration.sections";
constexpr int kUpdateAttempts = 4;

void CheckVenueCapacity(std::int64_t capacity, std::vector<FieldIssue>& issues) {
  if (capacity < 1 || capacity > kMaxVenueCapacity) {
    issues.push_back({"capacity", "must be between 1 and " + std::to_string(kMaxVenueCapacity)});
  }
}

std::optional<Error> SeatsFitVenue(std::int64_t seats, const Venue& venue) {
  if (seats <= venue.capacity) return std::nullopt;
  return ValidationError("seat_configuration", "has " + std::to_string(seats) +
                                                   " seats, more than the venue holds (" +
                                                   std::to_string(venue.capacity) + ")");
}

// updated_at doubles as the optimistic-concurrency token, so it must always move forward.
TimePoint NextUpdatedAt(TimePoint previous, TimePoint now) {
  return std::max(now, previous + Millis(1));
}

Section* FindSection(std::vector<Section>& sections, std::string_view name) {
  for (Section& s : sections) {
    if (SameNameIgnoringCase(s.layout.name, name)) return &s;
  }
  return nullptr;
}

// Terms of sale as they would be stored: the sale starts before the event, the limit in range.
void CheckSaleTerms(const std::optional<TimePoint>& sale_starts_at,
                    const std::optional<std::int64_t>& limit, TimePoint start,
                    std::vector<FieldIssue>& issues) {
  if (sale_starts_at && *sale_starts_at >= start) {
    issues.push_back({"sale_starts_at", "must be before start_time"});
  }
  if (limit && (*limit < 1 || *limit > kMaxTicketsPerUserLimit)) {
    issues.push_back({"max_tickets_per_user",
                      "must be between 1 and " + std::to_string(kMaxTicketsPerUserLimit)});
  }
}

// Applies a change of one term of sale; once the sale has started it may not change any more.
template <typename T>
void ChangeSaleTerm(std::optional<T>& term, const std::optional<std::optional<T>>& change,
                    bool sale_started, std::string_view field, std::vector<FieldIssue>& issues) {
  if (!change || *change == term) return;
  if (sale_started) {
    issues.push_back({std::string(field), "cannot change once the sale has started"});
    return;
  }
  term = *change;
}

}  // namespace

void CatalogService::Changed() const {
  for (CatalogChangeListener* listener : change_listeners_) listener->CatalogChanged();
}

bool IsCurrencyCode(std::string_view code) {
  return code.size() == 3 &&
         std::all_of(code.begin(), code.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
}

Result<Venue> CatalogService::CreateVenue(Venue draft) {
  std::vector<FieldIssue> issues;
  if (auto issue = DisplayNameIssue(draft.name)) issues.push_back({"name", *issue});
  CheckVenueCapacity(draft.capacity, issues);
  if (!draft.id.empty() && !IsUuid(draft.id)) issues.push_back({"id", "must be a UUID"});
  if (!issues.empty()) return ValidationError(std::move(issues));
  TimePoint now = clock_.Now();
  draft.id = draft.id.empty() ? NewUuidV7(now) : NormalizeUuid(draft.id);
  draft.created_at = draft.updated_at = now;
  store_.InsertVenue(draft);
  Changed();
  return draft;
}

Result<Venue> CatalogService::UpdateVenue(std::string_view id, const VenueChanges& changes) {
  if (!IsUuid(id)) return MakeError(ErrorCode::kVenueNotFound);
  std::optional<Venue> venue = store_.FindVenue(NormalizeUuid(id));
  if (!venue) return MakeError(ErrorCode::kVenueNotFound);
  TimePoint now = clock_.Now();
  std::vector<FieldIssue> issues;
  if (changes.capacity) {
    CheckVenueCapacity(*changes.capacity, issues);
    std::int64_t largest = store_.LargestLiveEventCapacity(venue->id, now);
    if (issues.empty() && *changes.capacity < largest) {
      issues.push_back({"capacity", "must hold the largest event scheduled here (" +
                                        std::to_string(largest) + " seats)"});
    }
  }
  if (changes.name) {
    if (auto issue = DisplayNameIssue(*changes.name)) issues.push_back({"name", *issue});
  }
  if (!issues.empty()) return ValidationError(std::move(issues));
  auto apply = [](std::string& field, const std::optional<std::string>& value) {
    if (value) field = *value;
  };
  apply(venue->name, changes.name);
  apply(venue->address, changes.address);
  apply(venue->city, changes.city);
  apply(venue->state, changes.state);
  apply(venue->country, changes.country);
  apply(venue->postal_code, changes.postal_code);
  apply(venue->layout_config, changes.layout_config);
  if (changes.capacity) venue->capacity = *changes.capacity;
  venue->updated_at = NextUpdatedAt(venue->updated_at, now);
  if (!store_.UpdateVenue(*venue)) return MakeError(ErrorCode::kVenueNotFound);
  Changed();
  return std::move(*venue);
}

Result<Venue> CatalogService::GetVenue(std::string_view id) {
  if (!IsUuid(id)) return MakeError(ErrorCode::kVenueNotFound);
  std::optional<Venue> venue = store_.FindVenue(NormalizeUuid(id));
  if (!venue) return MakeError(ErrorCode::kVenueNotFound);
  return std::move(*venue);
}

Page<Venue> CatalogService::ListVenues(const PageRequest& page) { return store_.ListVenues(page); }

Result<EventDetails> CatalogService::CreateEvent(const NewEvent& draft) {
  TimePoint now = clock_.Now();
  std::vector<FieldIssue> issues = ValidateLayout(draft.sections, kLayoutPath);
  if (auto issue = DisplayNameIssue(draft.name)) issues.push_back({"name", *issue});
  if (!IsUuid(draft.venue_id)) issues.push_back({"venue_id", "must be a UUID"});
  if (draft.start_time <= now) issues.push_back({"start_time", "must be in the future"});
  if (draft.end_time <= draft.start_time)
    issues.push_back({"end_time", "must be after start_time"});
  if (!IsCurrencyCode(draft.currency)) {
    issues.push_back({"currency", "must be an ISO 4217 code of three upper-case letters"});
  }
  if (draft.id && !IsUuid(*draft.id)) issues.push_back({"id", "must be a UUID"});
  CheckSaleTerms(draft.sale_starts_at, draft.max_tickets_per_user, draft.start_time, issues);
  CheckQueueSettings(draft.queue, draft.sale_starts_at, issues);
  std::int64_t seats = issues.empty() ? SeatCount(draft.sections) : 0;
  if (issues.empty() && draft.capacity && *draft.capacity != seats) {
    issues.push_back({"capacity", "must equal the number of seats in seat_configuration (" +
                                      std::to_string(seats) + ")"});
  }
  if (!issues.empty()) return ValidationError(std::move(issues));

  std::optional<Venue> venue = store_.FindVenue(NormalizeUuid(draft.venue_id));
  if (!venue) return MakeError(ErrorCode::kVenueNotFound);
  if (auto error = SeatsFitVenue(seats, *venue)) return std::move(*error);

  Event event;
  event.id = draft.id ? NormalizeUuid(*draft.id) : NewUuidV7(now);
  event.venue_id = venue->id;
  event.name = draft.name;
  event.description = draft.description;
  event.start_time = draft.start_time;
  event.end_time = draft.end_time;
  event.capacity = seats;
  event.currency = draft.currency;
  event.sale_starts_at = draft.sale_starts_at;
  event.max_tickets_per_user = draft.max_tickets_per_user;
  event.queue = draft.queue;
  event.created_at = event.updated_at = now;
  event.sections = NumberSections(draft.sections);
  store_.InsertEvent(event);
  Changed();
  return EventDetails{std::move(event), std::move(*venue)};
}

Result<EventUpdate> CatalogService::PlanUpdate(const EventDetails& current,
                                               const EventChanges& changes, TimePoint now) const {
  if (current.event.cancelled_at) {
    return MakeError(ErrorCode::kEventNotBookable, "A cancelled event cannot be changed");
  }
  EventUpdate update;
  Event& next = update.event;
  next = current.event;
  update.read_updated_at = current.event.updated_at;
  std::vector<FieldIssue> issues;
  if (changes.name) next.name = *changes.name;
  if (changes.name) {
    if (auto issue = DisplayNameIssue(*changes.name)) issues.push_back({"name", *issue});
  }
  if (changes.description) next.description = *changes.description;
  if (changes.start_time) {
    if (*changes.start_time <= now) issues.push_back({"start_time", "must be in the future"});
    next.start_time = *changes.start_time;
  }
  if (changes.end_time) {
    if (*changes.end_time <= now) issues.push_back({"end_time", "must be in the future"});
    next.end_time = *changes.end_time;
  }
  if ((changes.start_time || changes.end_time) && next.end_time <= next.start_time) {
    issues.push_back({"end_time", "must be after start_time"});
  }
  bool sale_started = SaleStarted(current.event, now);
  ChangeSaleTerm(next.sale_starts_at, changes.sale_starts_at, sale_started, "sale_starts_at",
                 issues);
  ChangeSaleTerm(next.max_tickets_per_user, changes.max_tickets_per_user, sale_started,
                 "max_tickets_per_user", issues);
  ChangeSaleTerm(next.queue, changes.queue, sale_started, "queue", issues);
  if (changes.start_time || changes.sale_starts_at || changes.max_tickets_per_user) {
    CheckSaleTerms(next.sale_starts_at, next.max_tickets_per_user, next.start_time, issues);
  }
  if (changes.sale_starts_at || changes.queue) {
    CheckQueueSettings(next.queue, next.sale_starts_at, issues);
  }
  if (changes.layout) {
    std::vector<FieldIssue> layout_issues = ValidateLayout(*changes.layout, kLayoutPath);
    issues.insert(issues.end(), layout_issues.begin(), layout_issues.end());
    if (layout_issues.empty()) next.sections = NumberSections(*changes.layout);
    update.layout_changed = true;
  }
  for (const auto& [tier, price] : changes.prices) {
    Section* section = FindSection(next.sections, tier);
    if (!section) {
      issues.push_back({"prices." + tier, "is not a section of this event"});
    } else if (price < 0 || price > kMaxTicketPrice) {
      issues.push_back(
          {"prices." + tier, "must be between 0 and " + std::to_string(kMaxTicketPrice / 100)});
    } else {
      section->layout.price = price;
    }
  }
  std::int64_t seats = 0;
  for (const Section& s : next.sections) seats += s.seat_count;
  if (issues.empty() && changes.capacity && *changes.capacity != seats) {
    issues.push_back(
        {"capacity", "must equal the number of seats (" + std::to_string(seats) + ")"});
  }
  if (!issues.empty()) return ValidationError(std::move(issues));
  if (update.layout_changed) {
    if (auto error = SeatsFitVenue(seats, current.venue)) return std::move(*error);
  }
  next.capacity = seats;
  next.updated_at = NextUpdatedAt(current.event.updated_at, now);
  update.seat_map_changed = update.layout_changed || !changes.prices.empty();
  return update;
}

Result<EventDetails> CatalogService::UpdateEvent(std::string_view id, const EventChanges& changes) {
  if (!IsUuid(id)) return MakeError(ErrorCode::kEventNotFound);
  std::string event_id = NormalizeUuid(id);
  // Optimistic: plan from what was read; a concurrent change makes the write stale.
  for (int attempt = 0; attempt < kUpdateAttempts; ++attempt) {
    std::optional<EventDetails> current = store_.FindEvent(event_id);
    if (!current) return MakeError(ErrorCode::kEventNotFound);
    Result<EventUpdate> update = PlanUpdate(*current, changes, clock_.Now());
    if (!update) return std::move(update).error();
    switch (store_.UpdateEvent(*update)) {
      case EventWrite::kDone:
        Changed();
        return GetEvent(event_id);
      case EventWrite::kNotFound:
        return MakeError(ErrorCode::kEventNotFound);
      case EventWrite::kHasBookings:
        return MakeError(ErrorCode::kEventHasBookings);
      case EventWrite::kStale:
        continue;
    }
  }
  return MakeError(ErrorCode::kServiceUnavailable, "The event is being changed; try again");
}

Result<EventDetails> CatalogService::CancelEvent(std::string_view id) {
  if (!IsUuid(id)) return MakeError(ErrorCode::kEventNotFound);
  TimePoint now = clock_.Now();
  std::string event_id = NormalizeUuid(id);
  if (!store_.MarkEventCancelled(event_id, now)) return MakeError(ErrorCode::kEventNotFound);
  Changed();
  std::optional<EventDetails> details = store_.FindEvent(event_id);
  if (!details) return MakeError(ErrorCode::kEventNotFound);
  for (EventCancellationListener* listener : cancellation_listeners_) {
    listener->EventCancelled(*details, now);
  }
  return std::move(*details);
}

Result<EventDetails> CatalogService::GetEvent(std::string_view id) {
  if (!IsUuid(id)) return MakeError(ErrorCode::kEventNotFound);
  std::optional<EventDetails> details = store_.FindEvent(NormalizeUuid(id));
  if (!details) return MakeError(ErrorCode::kEventNotFound);
  return std::move(*details);
}

Result<Page<EventListing>> CatalogService::ListEvents(const EventQuery& query,
                                                      const PageRequest& page) {
  EventFilter filter;
  filter.now = clock_.Now();
  std::vector<EventStatus> statuses = query.statuses;
  if (statuses.empty()) statuses = {EventStatus::kUpcoming, EventStatus::kOngoing};
  for (EventStatus status : statuses) {
    filter.upcoming |= status == EventStatus::kUpcoming;
    filter.ongoing |= status == EventStatus::kOngoing;
    filter.completed |= status == EventStatus::kCompleted;
    filter.cancelled |= status == EventStatus::kCancelled;
  }
  std::vector<FieldIssue> issues;
  if (query.venue_id) {
    if (IsUuid(*query.venue_id)) {
      filter.venue_id = NormalizeUuid(*query.venue_id);
    } else {
      issues.push_back({"venue_id", "must be a UUID"});
    }
  }
  if (query.start_date && query.end_date && *query.end_date < *query.start_date) {
    issues.push_back({"end_date", "must not be before start_date"});
  }
  if (query.start_date) filter.starts_from = StartOfDay(*query.start_date);
  if (query.end_date) filter.starts_before = StartOfDay(*query.end_date) + std::chrono::days(1);
  if (query.search) {
    std::string_view text = *query.search;
    text.remove_prefix(std::min(text.find_first_not_of(' '), text.size()));
    text.remove_suffix(text.size() - (text.find_last_not_of(' ') + 1));
    auto chars = static_cast<std::size_t>(std::count_if(text.begin(), text.end(), [](char c) {
      return (static_cast<unsigned char>(c) >> 6) != 2;
    }));
    if (std::any_of(text.begin(), text.end(),
                    [](char c) { return static_cast<unsigned char>(c) < 0x20; })) {
      issues.push_back({"search", "must not contain control characters"});
    } else if (chars > kMaxSearchChars) {
      issues.push_back(
          {"search", "must be at most " + std::to_string(kMaxSearchChars) + " characters"});
    } else if (!text.empty()) {
      filter.search_folded = FoldCase(text);
    }
  }
  if (!issues.empty()) return ValidationError(std::move(issues));
  return store_.ListEvents(filter, page);
}

Result<std::int64_t> CatalogService::SeatVersion(std::string_view event_id) {
  if (!IsUuid(event_id)) return MakeError(ErrorCode::kEventNotFound);
  std::optional<std::int64_t> version = store_.SeatVersion(NormalizeUuid(event_id));
  if (!version) return MakeError(ErrorCode::kEventNotFound);
  return *version;
}

Result<SeatMap> CatalogService::GetSeatMap(std::string_view event_id, const SeatMapQuery& query) {
  if (!IsUuid(event_id)) return MakeError(ErrorCode::kEventNotFound);
  std::optional<SeatMap> map = store_.LoadSeatMap(NormalizeUuid(event_id), query);
  if (!map) return MakeError(ErrorCode::kEventNotFound);
  return std::move(*map);
}

}  // namespace evently::domain
