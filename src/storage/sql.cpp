#include "storage/sql.hpp"

#include <charconv>

#include "storage/postgres/pg_database.hpp"
#include "storage/sqlite/sqlite_database.hpp"

namespace evently::storage {

const std::string& Rows::Text(std::size_t row, std::size_t col) const {
  const auto& cell = Cell(row, col);
  if (!cell) throw SqlError(SqlError::Kind::kOther, "unexpected NULL in column");
  return *cell;
}

std::int64_t Rows::Int(std::size_t row, std::size_t col) const {
  const std::string& text = Text(row, col);
  std::int64_t value = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || ptr != text.data() + text.size()) {
    throw SqlError(SqlError::Kind::kOther, "not an integer: " + text);
  }
  return value;
}

std::optional<std::int64_t> Rows::OptInt(std::size_t row, std::size_t col) const {
  if (IsNull(row, col)) return std::nullopt;
  return Int(row, col);
}

std::string IdList(Dialect dialect, const std::vector<std::string>& ids) {
  std::string out = dialect == Dialect::kPostgres ? "{" : "[";
  for (std::size_t i = 0; i < ids.size(); ++i) {
    if (i) out += ',';
    out += dialect == Dialect::kPostgres ? ids[i] : "\"" + ids[i] + "\"";
  }
  out += dialect == Dialect::kPostgres ? "}" : "]";
  return out;
}

std::unique_ptr<Database> OpenDatabase(const std::string& url, const DatabaseOptions& options) {
  if (url.rfind("sqlite:", 0) == 0) {
    return std::make_unique<SqliteDatabase>(url.substr(7), options);
  }
  if (url.rfind("postgresql://", 0) == 0 || url.rfind("postgres://", 0) == 0) {
    return std::make_unique<PgDatabase>(url, options);
  }
  throw std::invalid_argument("database URL must start with sqlite: or postgresql://");
}

}  // namespace evently::storage
