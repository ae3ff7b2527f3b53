// POST /api/v1/events/{event_id}/queue — the request a whole crowd sends at once. It runs on the
// I/O thread (Route::io_first) and parks no thread: the join is queued for its event's next
// batch (group commit, one transaction for many joins) and the answer is written when the
// batch's completion resumes it.
#include <memory>
#include <optional>

#include "http/handlers/queue/queue_handlers.hpp"
#include "wire/queue_json.hpp"

namespace evently::http::handlers {
namespace {

struct JoinState {
  std::optional<domain::Result<domain::QueueJoinOutcome>> outcome;
};

}  // namespace

Handler QueueJoinPost(domain::QueueService& queue) {
  return [&queue](Request& req) {
    auto state = std::static_pointer_cast<JoinState>(req.io_state);
    if (!state) {
      state = std::make_shared<JoinState>();
      req.io_state = state;
      return Response::After([&queue, state, who = req.User(),
                              event_id = std::string(req.Param("event_id"))](
                                 const std::function<void()>& resume) {
        queue.Join(who, event_id, [state, resume](domain::Result<domain::QueueJoinOutcome> joined) {
          state->outcome = std::move(joined);
          resume();
        });
      });
    }
    const auto& joined = *state->outcome;
    if (!joined.ok()) return Failure(req, joined.error());
    return Success(req, joined->created ? 201 : 200, wire::EncodeQueueTicket(joined->ticket),
                   joined->created ? "Joined the waiting room" : "Already in the waiting room");
  };
}

}  // namespace evently::http::handlers
