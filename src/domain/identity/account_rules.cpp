#include "domain/identity/account_rules.hpp"

#include <vector>

#include "domain/text.hpp"

namespace evently::domain {
namespace {

bool IsAsciiAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// RFC 5322 "atext" plus dots: what real mailboxes use in their local part.
bool IsLocalPartChar(char c) {
  static constexpr std::string_view kSpecials = "!#$%&'*+/=?^_`{|}~-.";
  return IsAsciiAlpha(c) || IsDigit(c) || kSpecials.find(c) != std::string_view::npos;
}

std::optional<std::string> LocalPartIssue(std::string_view local) {
  if (local.empty() || local.size() > 64) return "must have 1 to 64 characters before the @";
  for (char c : local) {
    if (!IsLocalPartChar(c)) return "contains a character not allowed in an email address";
  }
  if (local.front() == '.' || local.back() == '.' || local.find("..") != std::string_view::npos) {
    return "must not start or end with a dot or contain two dots in a row";
  }
  return std::nullopt;
}

std::optional<std::string> DomainIssue(std::string_view domain) {
  if (domain.empty() || domain.size() > 253) return "must have a domain after the @";
  std::size_t labels = 0;
  std::string_view last;
  for (std::size_t pos = 0; pos <= domain.size();) {
    std::size_t end = domain.find('.', pos);
    if (end == std::string_view::npos) end = domain.size();
    std::string_view label = domain.substr(pos, end - pos);
    if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-') {
      return "has an invalid domain";
    }
    for (char c : label) {
      if (!IsAsciiAlpha(c) && !IsDigit(c) && c != '-') return "has an invalid domain";
    }
    ++labels;
    last = label;
    pos = end + 1;
  }
  bool numeric_tld = true;
  for (char c : last) numeric_tld = numeric_tld && IsDigit(c);
  if (labels < 2 || last.size() < 2 || numeric_tld) {
    return "must have a domain with a top-level part, e.g. example.com";
  }
  return std::nullopt;
}

}  // namespace

std::string TrimWhitespace(std::string_view text) {
  auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return {};
  auto last = text.find_last_not_of(" \t\r\n");
  return std::string(text.substr(first, last - first + 1));
}

std::string NormalizeEmail(std::string_view email) {
  std::string out = TrimWhitespace(email);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

std::optional<std::string> EmailIssue(std::string_view email) {
  if (email.empty()) return "must not be empty";
  if (email.size() > kEmailMaxChars) return "must be at most 254 characters";
  auto at = email.find('@');
  if (at == std::string_view::npos || email.find('@', at + 1) != std::string_view::npos) {
    return "must contain exactly one @";
  }
  if (auto issue = LocalPartIssue(email.substr(0, at))) return issue;
  return DomainIssue(email.substr(at + 1));
}

std::optional<std::string> PasswordIssue(std::string_view password) {
  // Length first, in bytes then code points: an oversized password is refused before any
  // further work (and long before it could reach the hasher).
  if (password.size() > kPasswordMaxChars * 4) return "must be at most 128 characters";
  std::size_t length = Utf8Length(password);
  if (length == std::string_view::npos) return "must be valid UTF-8";
  if (length < kPasswordMinChars) return "must be at least 8 characters";
  if (length > kPasswordMaxChars) return "must be at most 128 characters";
  bool letter = false, digit = false;
  for (char c : password) {
    // Any non-ASCII code point counts as a letter, so non-Latin scripts are not refused.
    letter = letter || IsAsciiAlpha(c) || static_cast<unsigned char>(c) >= 0x80;
    digit = digit || IsDigit(c);
  }
  if (!letter) return "must contain at least one letter";
  if (!digit) return "must contain at least one digit";
  return std::nullopt;
}

std::optional<std::string> FullNameIssue(std::string_view name) {
  std::size_t length = Utf8Length(name);
  if (length == std::string_view::npos) return "must be valid UTF-8";
  if (length == 0) return "must not be empty";
  if (length > kFullNameMaxChars) return "must be at most 100 characters";
  return DisplayNameIssue(name);
}

std::optional<std::string> PhoneIssue(std::string_view phone) {
  // E.164: a plus, a non-zero leading digit, at most 15 digits in all.
  bool ok = phone.size() >= 3 && phone.size() <= 16 && phone[0] == '+' && phone[1] >= '1' &&
            phone[1] <= '9';
  for (std::size_t i = 1; ok && i < phone.size(); ++i) ok = IsDigit(phone[i]);
  if (!ok) return "must be an E.164 number such as +14155550123";
  return std::nullopt;
}

Status ValidateNewAccount(NewAccount& account) {
  std::vector<FieldIssue> issues;
  account.email = NormalizeEmail(account.email);
  account.full_name = TrimWhitespace(account.full_name);
  if (auto issue = EmailIssue(account.email)) issues.push_back({"email", *issue});
  if (auto issue = PasswordIssue(account.password)) issues.push_back({"password", *issue});
  if (auto issue = FullNameIssue(account.full_name)) issues.push_back({"full_name", *issue});
  if (account.phone) {
    if (auto issue = PhoneIssue(*account.phone)) issues.push_back({"phone", *issue});
  }
  if (!issues.empty()) return ValidationError(std::move(issues));
  return Ok();
}

Status ValidateProfileChange(ProfileChange& change) {
  std::vector<FieldIssue> issues;
  if (change.full_name) {
    change.full_name = TrimWhitespace(*change.full_name);
    if (auto issue = FullNameIssue(*change.full_name)) issues.push_back({"full_name", *issue});
  }
  if (change.phone) {
    if (auto issue = PhoneIssue(*change.phone)) issues.push_back({"phone", *issue});
  }
  if (!issues.empty()) return ValidationError(std::move(issues));
  return Ok();
}

}  // namespace evently::domain
