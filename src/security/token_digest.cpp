#include "security/token_digest.hpp"

#include "security/digest.hpp"

namespace evently::security {

std::string Sha256TokenDigest::Digest(std::string_view secret) const { return Sha256Hex(secret); }

}  // namespace evently::security
