// Waiting-room admission tokens: "q1.<ticket>.<user>.<event>.<expires ms>.<HMAC-SHA256>", signed
// with a key derived from the server's token secret (so no JWT verifies as one, nor the reverse).
// Checking one reads nothing from the store: every node with the secret can.
#pragma once

#include <string>
#include <string_view>

#include "domain/ports/queue.hpp"
#include "security/hmac.hpp"

namespace evently::security {

class AdmissionTokenCodec final : public domain::AdmissionTokens {
 public:
  explicit AdmissionTokenCodec(std::string_view secret);

  std::string Issue(const domain::QueueTicket& ticket) const override;
  bool Verify(std::string_view token, std::string_view user_id, std::string_view event_id,
              domain::TimePoint now) const override;

 private:
  std::string Mac(std::string_view signed_part) const;
  HmacSha256 hmac_;
};

}  // namespace evently::security
