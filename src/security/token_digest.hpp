// SHA-256 (hex) of refresh tokens: they are 256-bit random, so no salt or stretching is needed.
#pragma once

#include "domain/ports/credentials.hpp"

namespace evently::security {

class Sha256TokenDigest final : public domain::TokenDigest {
 public:
  std::string Digest(std::string_view secret) const override;
};

}  // namespace evently::security
