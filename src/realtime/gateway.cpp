// The WebSocket session (Beast chat-multi's websocket_session): each connection on one thread's
// loop, a bounded write queue, reads paused while the client is behind on its answers. Seat updates
// are taken from the hub's log when the socket is free: under a burst, every batch cut while the
// client's previous message was going out (or before the fan-out got to it) leaves in one
// message, so a client is never a whole fan-out pass behind.
#include "realtime/gateway.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <boost/asio/bind_executor.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/bind_handler.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/websocket/stream.hpp>
#include <optional>
#include <span>
#include <vector>

#include "domain/ids.hpp"
#include "wire/envelope.hpp"
#include "wire/queue_json.hpp"
#include "wire/realtime_json.hpp"

namespace evently::realtime {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;
using UpgradeRequest = bhttp::request<bhttp::string_body>;

namespace {

constexpr std::string_view kPrefix = "/ws/events/";
constexpr std::size_t kReadChunk = 512;
constexpr int kMaxSnapshotsInFlight = 8;
// A merged message stays within what common client libraries accept by default (1 MiB).
constexpr std::size_t kMaxMergedBytes = std::size_t{256} * 1024;

std::string_view PathOf(std::string_view target) { return target.substr(0, target.find('?')); }

FramePtr Reply(std::string text) {
  return std::make_shared<const Frame>(Frame{{}, std::move(text), 0});
}

FramePtr ErrorFrame(domain::Error error, std::string_view event_id = {}) {
  if (!event_id.empty()) error.details.strings.emplace_back("event_id", std::string(event_id));
  return Reply(wire::EncodeErrorFrame(error));
}

bool IsBase64(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' ||
           c == '/';
  });
}

// What makes Beast refuse a handshake (websocket::stream::accept), checked before it does: its
// refusals are plain text naming its version, ours are the API's envelope. The server has
// already checked the Connection and Upgrade tokens (websocket::is_upgrade), the gateway the
// method.
std::optional<domain::Error> HandshakeRefusal(const UpgradeRequest& request) {
  if (request.version() != 11) return domain::ValidationError("request", "must be HTTP/1.1");
  if (request.count(bhttp::field::host) == 0) return domain::ValidationError("Host", "is required");
  auto key = request.find(bhttp::field::sec_websocket_key);
  if (key == request.end()) return domain::ValidationError("Sec-WebSocket-Key", "is required");
  // RFC 6455 4.1: 16 random bytes in base64.
  std::string_view k = key->value();
  if (k.size() != 24 || !k.ends_with("==") || !IsBase64(k.substr(0, 22))) {
    return domain::ValidationError("Sec-WebSocket-Key", "must be 16 bytes in base64");
  }
  auto version = request.find(bhttp::field::sec_websocket_version);
  if (version == request.end() || version->value() != "13") {
    return domain::ValidationError("Sec-WebSocket-Version", "must be 13");
  }
  return std::nullopt;
}

// Moves an accepted socket onto `io`, a loop run by one thread: every handler of the connection
// runs there, one at a time.
tcp::socket OnLoop(tcp::socket socket, asio::io_context& io) {
  beast::error_code ec;
  auto protocol = socket.local_endpoint(ec).protocol();
  tcp::socket moved(io);
  if (!ec) {
    auto handle = socket.release(ec);
    if (!ec) moved.assign(protocol, handle, ec);
  }
  return moved;
}

}  // namespace

class Session final : public Subscriber, public std::enable_shared_from_this<Session> {
 public:
  Session(Gateway& gateway, std::size_t loop, tcp::socket socket, UpgradeRequest request,
          bool counted)
      : gateway_(gateway),
        loop_(loop),
        ws_(std::move(socket)),
        watch_timer_(ws_.get_executor()),
        request_(std::move(request)),
        counted_(counted) {}

  ~Session() override {
    for (const auto& sub : subscriptions_) gateway_.hub_.Unsubscribe(this, sub.event_id);
    if (counted_) --gateway_.connections_;
  }

  // A counted connection to an event: subscribe first, upgrade once the snapshot is there.
  void Start(std::string event_id) {
    asio::dispatch(ws_.get_executor(), [self = shared_from_this(), id = std::move(event_id)] {
      self->home_event_ = id;
      self->subscriptions_.push_back({id});
      self->RequestSnapshot(self->subscriptions_.back());
    });
  }
  // Over the connection limit: upgrade, then close with 1013 (try again later).
  void Refuse() {
    asio::dispatch(ws_.get_executor(), [self = shared_from_this()] {
      self->refusing_ = true;
      self->Upgrade();
    });
  }
  // Before any upgrade: a plain HTTP error in the API envelope.
  void RejectHttp(const domain::Error& error) {
    asio::dispatch(ws_.get_executor(),
                   [self = shared_from_this(), error] { self->WriteHttpError(error); });
  }

  void Wake(const std::string& event_id) override {
    gateway_.QueueWake(loop_, weak_from_this(), event_id);
  }
  // On the connection's loop.
  void OnWake(const std::string& event_id) {
    if (auto* sub = Find(event_id)) {
      sub->due = true;
      Flow();
    }
  }
  void FellBehind(const std::string&) override {
    asio::post(ws_.get_executor(), [self = shared_from_this()] {
      if (!self->closed_) self->DropSlow();
    });
  }
  void SnapshotReady(const std::string& event_id, SnapshotStatus status,
                     FramePtr snapshot) override {
    asio::post(ws_.get_executor(),
               [self = shared_from_this(), event_id, status, s = std::move(snapshot)] {
                 self->OnSnapshot(event_id, status, s);
               });
  }
  void Resync(const std::string& event_id) override {
    asio::post(ws_.get_executor(), [self = shared_from_this(), event_id] {
      if (auto* sub = self->Find(event_id); sub && !sub->awaiting) self->RequestSnapshot(*sub);
    });
  }

 private:
  struct Subscription {
    std::string event_id;
    bool awaiting = false;  // a snapshot is on its way; updates wait in the hub behind it
    bool due = false;       // woken by the hub (or just subscribed): there may be frames to take
  };

  Subscription* Find(std::string_view event_id) {
    for (auto& sub : subscriptions_) {
      if (sub.event_id == event_id) return &sub;
    }
    return nullptr;
  }
  void Forget(std::string_view event_id) {
    std::erase_if(subscriptions_, [&](const Subscription& s) { return s.event_id == event_id; });
    gateway_.hub_.Unsubscribe(this, std::string(event_id));
  }
  std::size_t Backlog() const { return queue_.size() - head_; }
  // Each client message is answered by one frame at most: reading stops while the answers owed
  // and queued fill half the queue, so a client that reads its answers is never dropped.
  bool Behind() const {
    return Backlog() + static_cast<std::size_t>(snapshots_in_flight_) >=
               gateway_.options_.send_queue_frames / 2 ||
           snapshots_in_flight_ >= kMaxSnapshotsInFlight;
  }

  void RequestSnapshot(Subscription& sub) {
    sub.awaiting = true;
    ++snapshots_in_flight_;
    gateway_.hub_.Subscribe(shared_from_this(), sub.event_id);
  }

  void OnSnapshot(const std::string& event_id, SnapshotStatus status, const FramePtr& snapshot) {
    --snapshots_in_flight_;
    Subscription* sub = Find(event_id);
    if (closed_ || !sub || !sub->awaiting) return ReadNext();
    if (status != SnapshotStatus::kReady) {
      Forget(event_id);
      domain::Error error = domain::MakeError(status == SnapshotStatus::kNotFound
                                                  ? domain::ErrorCode::kEventNotFound
                                                  : domain::ErrorCode::kServiceUnavailable);
      if (!upgraded_) return WriteHttpError(error);
      Enqueue(ErrorFrame(error, event_id));
      return ReadNext();
    }
    sub->awaiting = false;
    sub->due = true;
    Enqueue(snapshot);
    if (!upgraded_ && !upgrading_) return Upgrade();
    ReadNext();
  }

  // --- upgrade and HTTP refusals ---------------------------------------------------------------

  void Upgrade() {
    upgrading_ = true;
    const GatewayOptions& o = gateway_.options_;
    ws_.set_option(websocket::stream_base::timeout{o.handshake_timeout, o.idle_timeout, true});
    ws_.set_option(websocket::stream_base::decorator(
        [](websocket::response_type& res) { res.set(bhttp::field::server, "evently"); }));
    ws_.read_message_max(1 << 20);  // beyond this Beast closes with 1009; below, we answer
    ws_.async_accept(*request_,
                     beast::bind_front_handler(&Session::OnUpgraded, shared_from_this()));
  }

  void OnUpgraded(beast::error_code ec) {
    request_.reset();
    if (ec) return Close();
    upgraded_ = true;
    ws_.text(true);
    ws_.auto_fragment(false);  // one frame per message: one write, however large the batch
    if (refusing_) {
      websocket::close_reason reason(websocket::close_code::try_again_later,
                                     "connection limit reached, try again later");
      ws_.async_close(reason, [self = shared_from_this()](beast::error_code) { self->Close(); });
      return;
    }
    Flow();
    ReadNext();
  }

  void WriteHttpError(const domain::Error& error) {
    int status = domain::Describe(error.code).http_status;
    response_.emplace(static_cast<bhttp::status>(status), request_ ? request_->version() : 11);
    response_->set(bhttp::field::server, "evently");
    response_->set(bhttp::field::content_type, "application/json; charset=utf-8");
    // The HTTP server put the request's id (the client's, or a new one) on the request.
    std::string request_id = request_ ? std::string((*request_)["X-Request-ID"]) : std::string();
    if (request_id.empty()) request_id = domain::NewUuidV7(gateway_.clock_.Now());
    response_->set("X-Request-ID", request_id);
    if (error.code == domain::ErrorCode::kServiceUnavailable) response_->set("Retry-After", "1");
    // RFC 6455 4.4: the version spoken here, for a client that offered another.
    response_->set(bhttp::field::sec_websocket_version, "13");
    response_->keep_alive(false);
    response_->body() = wire::ErrorEnvelope(error, gateway_.clock_.Now());
    response_->prepare_payload();
    bhttp::async_write(ws_.next_layer(), *response_,
                       [self = shared_from_this()](beast::error_code, std::size_t) {
                         beast::error_code ignored;
                         self->ws_.next_layer().shutdown(tcp::socket::shutdown_send, ignored);
                         self->Close();
                       });
  }

  // --- reading client messages ------------------------------------------------------------------

  void ReadNext() {
    if (closed_ || !upgraded_ || refusing_ || reading_ || Behind()) return;
    reading_ = true;
    ws_.async_read_some(in_, kReadChunk,
                        beast::bind_front_handler(&Session::OnRead, shared_from_this()));
  }

  void OnRead(beast::error_code ec, std::size_t) {
    reading_ = false;
    if (ec) return Close();  // closed by the client, timed out, reset
    binary_ = binary_ || !ws_.got_text();
    if (in_.size() > gateway_.options_.max_message_bytes) {
      oversized_ = true;  // keep reading the rest, keep none of it
      in_.clear();
    }
    if (!ws_.is_message_done()) return ReadNext();
    if (oversized_) {
      domain::Error error = domain::MakeError(domain::ErrorCode::kPayloadTooLarge,
                                              "Message is larger than the limit");
      error.details.numbers = {
          {"max_bytes", static_cast<std::int64_t>(gateway_.options_.max_message_bytes)}};
      Enqueue(ErrorFrame(error));
    } else if (binary_) {
      Enqueue(ErrorFrame(domain::MakeError(domain::ErrorCode::kUnsupportedMediaType,
                                           "Messages must be JSON text frames")));
    } else {
      Handle(beast::buffers_to_string(in_.data()));
    }
    in_.clear();
    if (in_.capacity() > 2 * kReadChunk) in_.shrink_to_fit();
    oversized_ = binary_ = false;
    ReadNext();
  }

  void Handle(const std::string& text) {
    auto message = wire::DecodeClientMessage(text);
    if (!message.ok()) return Enqueue(ErrorFrame(message.error()));
    using Action = wire::ClientMessage::Action;
    const std::string& event_id = message->event_id;
    switch (message->action) {
      case Action::kPing:
        return Enqueue(Reply(wire::EncodePong()));
      case Action::kUnsubscribe:
        if (Find(event_id)) Forget(event_id);
        return Enqueue(Reply(wire::EncodeUnsubscribed(event_id)));
      case Action::kSubscribe:
        if (Subscription* sub = Find(event_id)) {
          if (!sub->awaiting) RequestSnapshot(*sub);  // answered with a fresh snapshot
          return;
        }
        if (subscriptions_.size() >= gateway_.options_.max_subscriptions) {
          return Enqueue(ErrorFrame(domain::ValidationError(
              "event_id", "at most " + std::to_string(gateway_.options_.max_subscriptions) +
                              " events per connection")));
        }
        subscriptions_.push_back({event_id});
        return RequestSnapshot(subscriptions_.back());
      case Action::kWatchQueue:
        return Watch(message->ticket_id, message->access_token);
    }
  }

  // --- waiting-room updates ---------------------------------------------------------------------

  // One watched ticket per connection, of the connection's event: looked up now, then once a
  // second; an update goes out when its status changed or its position moved by 1 % or more,
  // until the ticket is done waiting for good (expired, left, sold out).
  void Watch(const std::string& ticket_id, const std::string& access_token) {
    if (!gateway_.queue_) {
      return Enqueue(ErrorFrame(domain::MakeError(domain::ErrorCode::kQueueNotEnabled)));
    }
    watch_ = Watched{ticket_id, access_token, std::nullopt, ++watch_generation_};
    if (!looking_) Look();
  }

  void Look() {
    if (!watch_ || closed_) return;
    looking_ = true;
    std::weak_ptr<Session> weak = weak_from_this();
    gateway_.queue_->Look(
        home_event_, watch_->ticket_id, watch_->access_token,
        [weak, generation = watch_->generation](domain::Result<domain::QueueTicket> ticket) {
          auto self = weak.lock();
          if (!self) return;
          asio::post(self->ws_.get_executor(),
                     [self, generation, t = std::move(ticket)] { self->OnLooked(generation, t); });
        });
  }

  void OnLooked(std::uint64_t generation, const domain::Result<domain::QueueTicket>& ticket) {
    looking_ = false;
    if (closed_ || !watch_) return;
    if (generation != watch_->generation) return Look();  // a newer watch_queue came meanwhile
    if (!ticket.ok()) {
      watch_.reset();
      return Enqueue(ErrorFrame(ticket.error()));
    }
    const std::optional<domain::QueueTicket>& last = watch_->last;
    bool changed =
        !last || last->status != ticket->status ||
        domain::PositionMovedEnough(last->position.value_or(0), ticket->position.value_or(0));
    if (changed) {
      Enqueue(Reply(wire::EncodeQueueUpdate(*ticket)));
      watch_->last = *ticket;
    }
    auto status = ticket->status;
    if (status != domain::TicketStatus::kWaiting && status != domain::TicketStatus::kAdmitted) {
      watch_.reset();
      return;
    }
    watch_timer_.expires_after(std::chrono::seconds(1));
    watch_timer_.async_wait([self = shared_from_this()](beast::error_code ec) {
      if (!ec && !self->looking_) self->Look();
    });
  }

  // --- writing ----------------------------------------------------------------------------------

  void Enqueue(FramePtr frame) {
    if (closed_) return;
    if (Backlog() >= gateway_.options_.send_queue_frames) return DropSlow();
    queue_.push_back(std::move(frame));
    Flow();
  }

  // Writes what is queued; once it is all written, takes the seat updates cut since the last
  // take. Until then they wait in the hub's log, shared, so a slow write means a larger next
  // message, not more of them.
  void Flow() {
    if (!closed_ && !writing_ && upgraded_ && !refusing_ && head_ == queue_.size()) {
      for (auto& sub : subscriptions_) {
        if (sub.due && !sub.awaiting) {
          sub.due = false;  // the hub wakes us after the next cut
          gateway_.hub_.Take(this, sub.event_id, queue_);
        }
      }
    }
    WriteNext();
  }

  void WriteNext() {
    if (closed_ || writing_ || !upgraded_ || refusing_ || head_ == queue_.size()) return;
    writing_ = true;
    in_flight_ = MergeableRun();
    auto done = beast::bind_front_handler(&Session::OnWritten, shared_from_this());
    if (in_flight_ == 1) return ws_.async_write(asio::buffer(queue_[head_]->text), std::move(done));
    // The frames' updates, joined into one seat_updates message as a gather write: no copy.
    pieces_.clear();
    pieces_.emplace_back(wire::kSeatUpdatesOpen.data(), wire::kSeatUpdatesOpen.size());
    for (std::size_t i = head_; i < head_ + in_flight_; ++i) {
      if (i > head_) pieces_.emplace_back(",", 1);
      std::string_view items = wire::SeatUpdateItems(queue_[i]->text, queue_[i]->seat_updates);
      pieces_.emplace_back(items.data(), items.size());
    }
    pieces_.emplace_back(wire::kSeatUpdatesClose.data(), wire::kSeatUpdatesClose.size());
    ws_.async_write(std::span<const asio::const_buffer>(pieces_), std::move(done));
  }

  // How many frames from the head go out as one message: seat updates of one event, in a row.
  std::size_t MergeableRun() const {
    auto mergeable = [](const Frame& f) {
      return f.seat_updates > 0 && !wire::SeatUpdateItems(f.text, f.seat_updates).empty();
    };
    const Frame& first = *queue_[head_];
    if (!mergeable(first)) return 1;
    std::size_t bytes = first.text.size();
    std::size_t n = 1;
    for (std::size_t i = head_ + 1; i < queue_.size(); ++i, ++n) {
      const Frame& next = *queue_[i];
      bytes += next.text.size();
      if (next.event_id != first.event_id || bytes > kMaxMergedBytes || !mergeable(next)) break;
    }
    return n;
  }

  void OnWritten(beast::error_code ec, std::size_t) {
    writing_ = false;
    if (ec || closed_) return Close();
    for (; in_flight_ > 0; --in_flight_) queue_[head_++].reset();
    if (head_ == queue_.size()) {
      // Idle: a burst's buffers go back (10,000 connections each keeping its peak add up), but
      // not in the middle of one, where they would only grow again.
      queue_.clear();
      head_ = 0;
      if (queue_.capacity() > 16) queue_.shrink_to_fit();
      if (pieces_.capacity() > 64) pieces_.shrink_to_fit();
    } else if (head_ >= 64) {
      queue_.erase(queue_.begin(), queue_.begin() + static_cast<std::ptrdiff_t>(head_));
      head_ = 0;
    }
    Flow();
    ReadNext();  // resumes reading if the client had fallen behind
  }

  // A client that does not keep up is cut off so it never holds memory or slows the others.
  void DropSlow() {
    ++gateway_.dropped_slow_;
    spdlog::debug("live seats: dropped a client {} frames behind", Backlog());
    Close();
  }

  void Close() {
    if (closed_) return;
    closed_ = true;
    watch_timer_.cancel();
    queue_.clear();
    head_ = 0;
    beast::error_code ignored;
    ws_.next_layer().close(ignored);
  }

  Gateway& gateway_;
  std::size_t loop_;  // of gateway_.threads_, which runs every handler of the connection
  websocket::stream<tcp::socket> ws_;
  asio::steady_timer watch_timer_;  // the next look at a watched ticket
  std::optional<UpgradeRequest> request_;                        // until the handshake is done
  std::optional<bhttp::response<bhttp::string_body>> response_;  // an HTTP refusal being sent
  beast::flat_buffer in_;
  std::vector<FramePtr> queue_;
  std::size_t head_ = 0;
  std::size_t in_flight_ = 0;               // frames of queue_ being written
  std::vector<asio::const_buffer> pieces_;  // of a merged message being written
  std::vector<Subscription> subscriptions_;
  struct Watched {
    std::string ticket_id;
    std::string access_token;
    std::optional<domain::QueueTicket> last;  // as last sent
    std::uint64_t generation = 0;
  };
  std::string home_event_;  // the event of the connection's path
  std::optional<Watched> watch_;
  std::uint64_t watch_generation_ = 0;
  bool looking_ = false;
  int snapshots_in_flight_ = 0;
  bool counted_;
  bool upgrading_ = false, upgraded_ = false, refusing_ = false;
  bool reading_ = false, writing_ = false, closed_ = false;
  bool oversized_ = false, binary_ = false;
};

Gateway::Gateway(IoThreads& threads, SeatHub& hub, const domain::Clock& clock,
                 GatewayOptions options)
    : threads_(threads), hub_(hub), clock_(clock), options_(options) {
  for (std::size_t i = 0; i < threads_.size(); ++i) wakes_.push_back(std::make_unique<Wakes>());
}

void Gateway::QueueWake(std::size_t loop, std::weak_ptr<Session> session,
                        const std::string& event_id) {
  Wakes& wakes = *wakes_[loop];
  {
    std::lock_guard lock(wakes.mu);
    wakes.sessions.emplace_back(std::move(session), event_id);
    // Only the first wake since the loop last took them posts the handler that takes them all.
    if (wakes.sessions.size() > 1) return;
  }
  asio::post(threads_.io(loop), [this, loop] { RunWakes(loop); });
}

void Gateway::RunWakes(std::size_t loop) {
  std::vector<std::pair<std::weak_ptr<Session>, std::string>> woken;
  {
    std::lock_guard lock(wakes_[loop]->mu);
    woken.swap(wakes_[loop]->sessions);
  }
  for (auto& [weak, event_id] : woken) {
    if (auto session = weak.lock()) session->OnWake(event_id);
  }
}

bool Gateway::Handles(std::string_view target) { return PathOf(target).starts_with(kPrefix); }

void Gateway::Accept(tcp::socket socket, UpgradeRequest request) {
  std::string_view id = PathOf(request.target()).substr(kPrefix.size());
  bool known_shape = request.method() == bhttp::verb::get && domain::IsUuid(id);
  std::string event_id = known_shape ? domain::NormalizeUuid(id) : std::string();
  std::size_t loop = threads_.Next();
  tcp::socket own = OnLoop(std::move(socket), threads_.io(loop));
  if (options_.socket_send_buffer > 0) {
    beast::error_code ignored;
    own.set_option(
        asio::socket_base::send_buffer_size(static_cast<int>(options_.socket_send_buffer)),
        ignored);
  }
  std::optional<domain::Error> refusal = known_shape
                                             ? HandshakeRefusal(request)
                                             : domain::MakeError(domain::ErrorCode::kEventNotFound);
  if (refusal) {
    std::make_shared<Session>(*this, loop, std::move(own), std::move(request), false)
        ->RejectHttp(*refusal);
    return;
  }
  if (connections_.fetch_add(1) >= options_.max_connections) {
    --connections_;
    ++refused_full_;
    std::make_shared<Session>(*this, loop, std::move(own), std::move(request), false)->Refuse();
    return;
  }
  std::make_shared<Session>(*this, loop, std::move(own), std::move(request), true)->Start(event_id);
}

}  // namespace evently::realtime
