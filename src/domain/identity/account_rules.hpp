// What makes an email, password, name and phone acceptable (CONTRACT.md, Identity).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "domain/error.hpp"
#include "domain/identity/user.hpp"

namespace evently::domain {

inline constexpr std::size_t kEmailMaxChars = 254;
inline constexpr std::size_t kPasswordMinChars = 8;
inline constexpr std::size_t kPasswordMaxChars = 128;
inline constexpr std::size_t kFullNameMaxChars = 100;

// Trimmed and lower-cased: the form emails are stored and looked up in.
std::string NormalizeEmail(std::string_view email);
std::string TrimWhitespace(std::string_view text);

// Each returns the problem in words, or nullopt when the value is acceptable.
std::optional<std::string> EmailIssue(std::string_view normalized_email);
std::optional<std::string> PasswordIssue(std::string_view password);
std::optional<std::string> FullNameIssue(std::string_view trimmed_name);
std::optional<std::string> PhoneIssue(std::string_view phone);

// Normalizes the account in place and reports every field's problem at once.
Status ValidateNewAccount(NewAccount& account);
Status ValidateProfileChange(ProfileChange& change);

}  // namespace evently::domain
