// WebSocket messages and waitlist / notification bodies on the wire.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include "wire/notification_json.hpp"
#include "wire/realtime_json.hpp"
#include "wire/waitlist_json.hpp"

namespace evently::wire {
namespace {

namespace json = boost::json;
using domain::ErrorCode;
constexpr const char* kEvent = "0190b4b2-7c5e-7a3c-8f00-1234567890ab";

TEST(ClientMessage, SubscribeUnsubscribeAndPing) {
  auto sub = DecodeClientMessage(
      R"({"action":"subscribe","event_id":"0190B4B2-7C5E-7A3C-8F00-1234567890AB"})");
  ASSERT_TRUE(sub.ok());
  EXPECT_EQ(sub->action, ClientMessage::Action::kSubscribe);
  EXPECT_EQ(sub->event_id, kEvent);
  auto unsub =
      DecodeClientMessage(std::string(R"({"action":"unsubscribe","event_id":")") + kEvent + "\"}");
  ASSERT_TRUE(unsub.ok());
  EXPECT_EQ(unsub->action, ClientMessage::Action::kUnsubscribe);
  EXPECT_EQ(DecodeClientMessage(R"({"action":"ping"})")->action, ClientMessage::Action::kPing);
}

TEST(ClientMessage, BadMessagesAreValidationErrors) {
  for (const char* bad :
       {"not json", "[1,2]", "{}", R"({"action":"dance","event_id":"x"})",
        R"({"action":"subscribe"})", R"({"action":"subscribe","event_id":"nope"})",
        R"({"action":"subscribe","event_id":42})", R"({"action":7})",
        R"({"action":"ping","extra":true})"}) {
    auto decoded = DecodeClientMessage(bad);
    ASSERT_FALSE(decoded.ok()) << bad;
    EXPECT_EQ(decoded.error().code, ErrorCode::kValidationError) << bad;
    EXPECT_FALSE(decoded.error().details.fields.empty()) << bad;
  }
  auto unknown = DecodeClientMessage(R"({"action":"dance","event_id":"x"})");
  EXPECT_EQ(unknown.error().details.fields[0].field, "action");
}

TEST(ServerFrames, SnapshotHasCountsPerTier) {
  domain::SeatAvailability a{kEvent, 7, {{"VIP", 2}, {"Floor", 5}}, 42};
  EXPECT_EQ(EncodeSnapshot(a),
            std::string(R"({"type":"snapshot","data":{"event_id":")") + kEvent +
                R"(","available_seats":7,"by_tier":{"VIP":2,"Floor":5},"seat_version":42}})");
}

TEST(ServerFrames, OneSeatIsASeatUpdateExactlyAsTheSpec) {
  std::vector<domain::SeatChange> one{{kEvent, {"s1"}, "booked", 12499}};
  auto frames = EncodeSeatUpdateFrames(one, 100);
  ASSERT_EQ(frames.size(), 1u);
  EXPECT_EQ(
      frames[0].text,
      R"({"type":"seat_update","data":{"seat_id":"s1","status":"booked","available_seats":12499}})");
}

TEST(ServerFrames, BurstsAreBatchedInOrderAndSplit) {
  std::vector<domain::SeatChange> burst{{kEvent, {"a", "b"}, "held", 10},
                                        {kEvent, {"c"}, "available", 11}};
  auto frames = EncodeSeatUpdateFrames(burst, 2);
  ASSERT_EQ(frames.size(), 2u);
  EXPECT_EQ(frames[0].updates, 2u);
  EXPECT_EQ(frames[1].updates, 1u);
  json::value first = json::parse(frames[0].text);
  EXPECT_EQ(first.at("type"), "seat_updates");
  ASSERT_EQ(first.at("data").as_array().size(), 2u);
  EXPECT_EQ(first.at("data").at(1).at("seat_id"), "b");
  json::value second = json::parse(frames[1].text);
  EXPECT_EQ(second.at("data").at(0).at("status"), "available");
  EXPECT_EQ(second.at("data").at(0).at("available_seats"), 11);
  EXPECT_TRUE(EncodeSeatUpdateFrames({}, 10).empty());
}

// What a client that was busy while three batches were cut receives in one message: the same
// as one batch of all their updates, in order.
TEST(ServerFrames, BatchesMergeIntoOneSeatUpdatesMessage) {
  std::vector<domain::SeatChange> first{{kEvent, {"a", "b"}, "held", 10}};
  std::vector<domain::SeatChange> second{{kEvent, {"c"}, "available", 11}};
  std::vector<domain::SeatChange> third{{kEvent, {"d", "e", "f"}, "booked", 8}};
  std::string merged(kSeatUpdatesOpen);
  std::string_view separator;
  for (const auto* batch : {&first, &second, &third}) {
    auto frames = EncodeSeatUpdateFrames(*batch, 100);
    ASSERT_EQ(frames.size(), 1u);
    std::string_view items = SeatUpdateItems(frames[0].text, frames[0].updates);
    ASSERT_FALSE(items.empty()) << frames[0].text;
    merged.append(separator).append(items);
    separator = ",";
  }
  merged.append(kSeatUpdatesClose);
  std::vector<domain::SeatChange> all{first[0], second[0], third[0]};
  EXPECT_EQ(merged, EncodeSeatUpdateFrames(all, 100).at(0).text);
  EXPECT_EQ(json::parse(merged).at("data").as_array().size(), 6u);
}

TEST(ServerFrames, OnlySeatUpdateFramesHaveItems) {
  EXPECT_TRUE(SeatUpdateItems(EncodePong(), 1).empty());
  EXPECT_TRUE(SeatUpdateItems(R"({"type":"seat_updates","data":[]})", 0).empty());
}

TEST(ServerFrames, ErrorFrameCarriesTheEnvelopeError) {
  json::value v = json::parse(EncodeErrorFrame(domain::ValidationError("action", "unknown")));
  EXPECT_EQ(v.at("type"), "error");
  EXPECT_EQ(v.at("error").at("code"), "VALIDATION_ERROR");
  EXPECT_EQ(v.at("error").at("details").at("fields").at(0).at("field"), "action");
  EXPECT_EQ(json::parse(EncodeUnsubscribed(kEvent)).at("data").at("event_id"), kEvent);
  EXPECT_EQ(json::parse(EncodePong()).at("type"), "pong");
}

TEST(WaitlistBody, DefaultsAndStrictness) {
  auto plain = DecodeJoin(std::string(R"({"event_id":")") + kEvent + "\"}");
  ASSERT_TRUE(plain.ok());
  EXPECT_TRUE(plain->preferences.email);
  EXPECT_FALSE(plain->preferences.sms);
  auto prefs = DecodeJoin(std::string(R"({"event_id":")") + kEvent +
                          R"(","notification_preferences":{"sms":true}})");
  ASSERT_TRUE(prefs.ok());
  EXPECT_TRUE(prefs->preferences.email && prefs->preferences.sms);
  auto bad =
      DecodeJoin(R"({"event_id":5,"notification_preferences":{"email":"yes","fax":true},"x":1})");
  ASSERT_FALSE(bad.ok());
  std::vector<std::string> fields;
  for (const auto& f : bad.error().details.fields) fields.push_back(f.field);
  EXPECT_EQ(fields, (std::vector<std::string>{"event_id", "notification_preferences.email",
                                              "notification_preferences.fax", "x"}));
}

TEST(WaitlistBody, EntryHasTheSpecFieldsAndTheOffer) {
  domain::WaitlistEntry e;
  e.id = "w1";
  e.event_id = kEvent;
  e.event_name = "Summer";
  e.status = domain::WaitlistStatus::kWaiting;
  e.position = 42;
  e.estimated_wait_time = "2-3 days";
  json::value waiting = json::parse(EncodeWaitlistEntry(e));
  EXPECT_EQ(waiting.at("waitlist_id"), "w1");
  EXPECT_EQ(waiting.at("position"), 42);
  EXPECT_EQ(waiting.at("estimated_wait_time"), "2-3 days");
  EXPECT_EQ(waiting.at("event").at("name"), "Summer");
  EXPECT_TRUE(waiting.at("offer").is_null());
  e.status = domain::WaitlistStatus::kOffered;
  e.position.reset();
  e.estimated_wait_time.reset();
  e.offer_expires_at = domain::FromEpochMillis(1705314600000);
  e.offered_seat_ids = {"s1", "s2"};
  json::value offered = json::parse(EncodeWaitlistEntry(e));
  EXPECT_TRUE(offered.at("position").is_null());
  EXPECT_EQ(offered.at("offer").at("expires_at"), "2024-01-15T10:30:00Z");
  EXPECT_EQ(offered.at("offer").at("seat_ids").as_array().size(), 2u);
}

TEST(NotificationBody, ReadFlagFollowsReadAt) {
  domain::Notification n{"n1", "u1",         "waitlist_offer",           "T",
                         "B",  std::nullopt, domain::FromEpochMillis(0), std::nullopt};
  json::value unread = json::parse(EncodeNotification(n));
  EXPECT_EQ(unread.at("read"), false);
  EXPECT_TRUE(unread.at("read_at").is_null());
  EXPECT_TRUE(unread.at("event_id").is_null());
  n.read_at = domain::FromEpochMillis(1000);
  EXPECT_EQ(json::parse(EncodeNotification(n)).at("read_at"), "1970-01-01T00:00:01Z");
}

}  // namespace
}  // namespace evently::wire
