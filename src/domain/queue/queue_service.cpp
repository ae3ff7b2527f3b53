#include "domain/queue/queue_service.hpp"

#include "domain/ids.hpp"

namespace evently::domain {

QueueService::QueueService(QueueStore& store, const AdmissionTokens& tokens, const Clock& clock)
    : store_(store),
      tokens_(tokens),
      clock_(clock),
      order_([this](const std::string& event_id) { return store_.WaitingKeys(event_id); }) {}

void QueueService::Join(const Principal& who, const std::string& event_id,
                        std::function<void(Result<QueueJoinOutcome>)> done) {
  if (!IsUuid(event_id)) {
    done(MakeError(ErrorCode::kEventNotFound));
    return;
  }
  TimePoint now = clock_.Now();
  QueueJoinRequest request{NewUuidV7(now), NormalizeUuid(event_id), who.user_id, now, RandomU64()};
  // The request lives until `done` has run: the store keeps its copy in the batch entry.
  store_.Join(request, [this, done = std::move(done), now](Result<QueueJoinOutcome> joined) {
    if (joined.ok()) {
      if (joined->created && joined->ticket.status == TicketStatus::kWaiting) {
        order_.Joined(joined->ticket.event_id, {joined->ticket.order_key});
      }
      joined->ticket = Decorate(std::move(joined->ticket), now, /*owner=*/true,
                                /*may_reload=*/false);
    }
    done(std::move(joined));
  });
}

QueueTicket QueueService::Decorate(QueueTicket ticket, TimePoint now, bool owner, bool may_reload) {
  if (ticket.status == TicketStatus::kWaiting) {
    std::int64_t position = order_.Position(ticket.event_id, ticket.order_key, now, may_reload);
    ticket.position = position;
    ticket.estimated_wait_seconds = EstimatedWaitSeconds(position, ticket.admit_per_minute);
  }
  if (owner && ticket.status == TicketStatus::kAdmitted && ticket.admission_expires_at &&
      *ticket.admission_expires_at > now) {
    ticket.admission_token = tokens_.Issue(ticket);
  }
  return ticket;
}

Result<QueueTicket> QueueService::Mine(const Principal& who, const std::string& event_id) {
  if (!IsUuid(event_id)) return MakeError(ErrorCode::kEventNotFound);
  auto ticket = store_.FindForUser(NormalizeUuid(event_id), who.user_id);
  if (!ticket) return MakeError(ErrorCode::kQueueTicketNotFound);
  return Decorate(std::move(*ticket), clock_.Now(), /*owner=*/true);
}

Result<QueueTicket> QueueService::Leave(const Principal& who, const std::string& event_id) {
  if (!IsUuid(event_id)) return MakeError(ErrorCode::kEventNotFound);
  TimePoint now = clock_.Now();
  Result<QueueTicket> left = store_.Leave(NormalizeUuid(event_id), who.user_id, now);
  if (left.ok() && left->status == TicketStatus::kLeft)
    order_.Left(left->event_id, left->order_key);
  if (!left.ok()) return left;
  return Decorate(std::move(left).value(), now, /*owner=*/true);
}

Result<QueueTicket> QueueService::Watch(const std::string& event_id, const std::string& ticket_id,
                                        const std::string& user_id) {
  if (!IsUuid(ticket_id)) return MakeError(ErrorCode::kQueueTicketNotFound);
  auto ticket = store_.Find(event_id, NormalizeUuid(ticket_id));
  if (!ticket || (!user_id.empty() && ticket->user_id != user_id)) {
    return MakeError(ErrorCode::kQueueTicketNotFound);
  }
  return Decorate(std::move(*ticket), clock_.Now(), /*owner=*/false);
}

Result<QueueSummary> QueueService::Summary(const std::string& event_id,
                                           const std::optional<QueueSettings>& settings) {
  if (!settings) return MakeError(ErrorCode::kQueueNotEnabled);
  return QueueSummary{event_id, *settings, store_.Counts(event_id, clock_.Now())};
}

int QueueService::AdmitDue() {
  TimePoint now = clock_.Now();
  int changed = 0;
  bool recount = now - counted_at_ >= std::chrono::seconds(1);
  std::unordered_map<std::string, QueueCounts> counts;
  for (const std::string& event_id : store_.ActiveQueues(now)) {
    AdmissionRound round = store_.Admit(event_id, now);
    if (round.admitted > 0) order_.Admitted(event_id, round.admitted);
    if (round.sold_out > 0) order_.Admitted(event_id, round.sold_out);
    admitted_total_ += static_cast<std::uint64_t>(round.admitted);
    changed += static_cast<int>(round.admitted + round.expired + round.sold_out);
    if (recount) counts[event_id] = store_.Counts(event_id, now);
  }
  if (recount) {
    std::lock_guard lock(counts_mu_);
    counts_ = std::move(counts);
    counted_at_ = now;
  }
  return changed;
}

QueueCounts QueueService::LastCounts() const {
  std::lock_guard lock(counts_mu_);
  QueueCounts total;
  for (const auto& [_, c] : counts_) {
    total.waiting += c.waiting;
    total.admitted += c.admitted;
    total.expired += c.expired;
    total.left += c.left;
    total.sold_out += c.sold_out;
    total.admitted_last_minute += c.admitted_last_minute;
  }
  return total;
}

}  // namespace evently::domain
