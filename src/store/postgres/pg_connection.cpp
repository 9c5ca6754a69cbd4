#include "store/postgres/pg_connection.h"

#include <libpq-fe.h>

#include <charconv>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <limits>
#include <variant>
#include <vector>

namespace leadline::store::postgres {

// Type OIDs fixed by PostgreSQL's catalog (pg_type.dat); libpq does not export them.
constexpr Oid kBoolOid = 16;
constexpr Oid kInt8Oid = 20;
constexpr Oid kInt2Oid = 21;
constexpr Oid kInt4Oid = 23;
constexpr Oid kTextOid = 25;
constexpr Oid kVarcharOid = 1043;
constexpr Oid kTimestampOid = 1114;
constexpr Oid kTimestampTzOid = 1184;

// Binary times are microseconds since 2000-01-01 00:00:00 UTC; the extremes are -infinity and
// infinity, which read as 0, as their text does.
constexpr std::int64_t kPostgresEpoch = 946'684'800;

namespace {

bool IsTime(Oid type) { return type == kTimestampTzOid || type == kTimestampOid; }
bool IsText(Oid type) { return type == kTextOid || type == kVarcharOid; }
bool ReadsInBinary(Oid type) {
  return IsText(type) || IsTime(type) || type == kBoolOid || type == kInt2Oid || type == kInt4Oid ||
         type == kInt8Oid;
}

// A big-endian integer of `size` bytes (2, 4 or 8), sign-extended.
std::int64_t BigEndian(const char* bytes, int size) {
  std::uint64_t value = 0;
  for (int i = 0; i < size; ++i) value = (value << 8) | static_cast<unsigned char>(bytes[i]);
  const int unused = 64 - 8 * size;
  return static_cast<std::int64_t>(value << unused) >> unused;
}

std::int64_t BinaryTimeSeconds(std::int64_t microseconds) {
  if (microseconds == std::numeric_limits<std::int64_t>::min() ||
      microseconds == std::numeric_limits<std::int64_t>::max()) {
    return 0;
  }
  const std::int64_t seconds = microseconds / 1'000'000;
  // Truncated towards the past, as the text form's fraction is dropped.
  return seconds - (microseconds % 1'000'000 < 0 ? 1 : 0) + kPostgresEpoch;
}

// A binary time in the server's text form for the UTC session ("2023-11-14 22:13:20.5+00").
std::string BinaryTimeText(std::int64_t microseconds, bool with_zone) {
  if (microseconds == std::numeric_limits<std::int64_t>::min()) return "-infinity";
  if (microseconds == std::numeric_limits<std::int64_t>::max()) return "infinity";
  const std::int64_t seconds = BinaryTimeSeconds(microseconds);
  std::string text = FormatTimestamp(seconds);
  text.resize(text.size() - 3);  // "+00"
  if (const std::int64_t fraction = microseconds - (seconds - kPostgresEpoch) * 1'000'000) {
    char digits[8];
    std::snprintf(digits, sizeof digits, ".%06lld", static_cast<long long>(fraction));
    std::string_view shown(digits);
    while (shown.back() == '0') shown.remove_suffix(1);
    text += shown;
  }
  return with_zone ? text + "+00" : text;
}

std::int64_t ParseInt(std::string_view text) {
  std::int64_t value = 0;
  std::from_chars(text.data(), text.data() + text.size(), value);
  return value;
}

// An integer parameter in the text form of the parameter's type: Unix seconds as a time, 0/1 as a
// boolean.
std::string IntParameter(Oid type, std::int64_t value) {
  if (IsTime(type)) return FormatTimestamp(value);
  if (type == kBoolOid) return value != 0 ? "t" : "f";
  return std::to_string(value);
}

// One use of a prepared statement: its parameters, then its result, row by row.
class PgStatement final : public sql::StatementImpl {
 public:
  PgStatement(PgConnection& connection, PreparedStatement& prepared)
      : connection_(connection),
        prepared_(prepared),
        values_(prepared.parameter_types.size()),
        is_null_(prepared.parameter_types.size(), true) {}
  ~PgStatement() override { PQclear(result_); }
  PgStatement(const PgStatement&) = delete;
  PgStatement& operator=(const PgStatement&) = delete;

  void BindInt(int index, std::int64_t value) override {
    const std::size_t at = Slot(index);
    if (at >= values_.size()) return;
    values_[at] = IntParameter(prepared_.parameter_types[at], value);
    is_null_[at] = false;
  }
  void BindText(int index, std::string_view text) override {
    const std::size_t at = Slot(index);
    if (at >= values_.size()) return;
    values_[at].assign(text);
    is_null_[at] = false;
  }
  void BindNull(int index) override {
    const std::size_t at = Slot(index);
    if (at < values_.size()) is_null_[at] = true;
  }
  // The shortest text that reads back as the same double.
  void BindReal(int index, double value) override {
    char text[32];
    const auto end = std::to_chars(text, text + sizeof(text), value).ptr;
    BindText(index, std::string_view(text, static_cast<std::size_t>(end - text)));
  }

  Result<bool> Step() override {
    if (result_ == nullptr) LEADLINE_RETURN_IF_ERROR(Execute());
    ++row_;
    return row_ < PQntuples(result_);
  }
  void Reset() override {
    PQclear(result_);
    result_ = nullptr;
    row_ = -1;
    std::fill(is_null_.begin(), is_null_.end(), true);
  }

  std::int64_t ColumnInt(int index) const override {
    if (PQgetisnull(result_, row_, index)) return 0;
    const Oid type = PQftype(result_, index);
    if (prepared_.binary_results && !IsText(type)) return BinaryInt(index, type);
    const std::string_view text = RawValue(index);
    if (IsTime(type)) return ParseTimestamp(text);
    if (type == kBoolOid) return text == "t" ? 1 : 0;
    return ParseInt(text);
  }
  bool ColumnIsNull(int index) const override { return PQgetisnull(result_, row_, index) != 0; }
  // float8 comes as text (binary_results is off for it), printed as the shortest text that reads
  // back as the same double (PostgreSQL 12 and later); 0 when NULL or not a number.
  double ColumnReal(int index) const override {
    if (PQgetisnull(result_, row_, index)) return 0;
    const std::string_view text = RawValue(index);
    double value = 0;
    std::from_chars(text.data(), text.data() + text.size(), value);
    return value;
  }
  std::string_view ColumnText(int index) const override {
    const Oid type = PQftype(result_, index);
    if (!prepared_.binary_results || IsText(type) || PQgetisnull(result_, row_, index)) {
      return RawValue(index);
    }
    // A number, flag or time asked for as text: as the server would have printed it.
    const std::size_t at = static_cast<std::size_t>(index);
    if (texts_.size() <= at) texts_.resize(at + 1);
    const std::int64_t value = BinaryInt(index, type);
    texts_[at] = type == kBoolOid ? (value != 0 ? "t" : "f")
                 : IsTime(type)   ? BinaryTimeText(BigEndian(PQgetvalue(result_, row_, index), 8),
                                                   type == kTimestampTzOid)
                                  : std::to_string(value);
    return texts_[at];
  }

 private:
  static std::size_t Slot(int index) { return static_cast<std::size_t>(index - 1); }

  std::string_view RawValue(int index) const {
    return {PQgetvalue(result_, row_, index),
            static_cast<std::size_t>(PQgetlength(result_, row_, index))};
  }
  // A binary value of one of the types ReadsInBinary takes, other than text.
  std::int64_t BinaryInt(int index, Oid type) const {
    const char* bytes = PQgetvalue(result_, row_, index);
    if (type == kBoolOid) return bytes[0] != 0 ? 1 : 0;
    if (IsTime(type)) return BinaryTimeSeconds(BigEndian(bytes, 8));
    return BigEndian(bytes, type == kInt2Oid ? 2 : type == kInt4Oid ? 4 : 8);
  }

  Status Execute() {
    LEADLINE_RETURN_IF_ERROR(connection_.Ready(prepared_));
    std::vector<const char*> values(values_.size());
    for (std::size_t i = 0; i < values_.size(); ++i) {
      values[i] = is_null_[i] ? nullptr : values_[i].c_str();
    }
    result_ =
        PQexecPrepared(connection_.raw(), prepared_.name.c_str(), static_cast<int>(values.size()),
                       values.data(), nullptr, nullptr, prepared_.binary_results ? 1 : 0);
    const ExecStatusType status = PQresultStatus(result_);
    if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK) {
      // No result at all (the connection broke on the way): libpq says why on the connection.
      const Status failure = connection_.Failure(
          result_ != nullptr ? PQresultErrorMessage(result_) : PQerrorMessage(connection_.raw()));
      Reset();
      return failure;
    }
    connection_.SetChanges(ParseInt(PQcmdTuples(result_)));
    return Status::Ok();
  }

  PgConnection& connection_;
  PreparedStatement& prepared_;
  std::vector<std::string> values_;
  std::vector<bool> is_null_;
  PGresult* result_ = nullptr;
  int row_ = -1;
  mutable std::vector<std::string> texts_;  // ColumnText of binary numbers, flags and times
};

// libpq's messages span lines ("...failed: Connection refused\n\tIs the server running...");
// Leadline's errors are one line.
std::string OneLine(std::string_view message) {
  std::string out;
  for (const char c : message) {
    if (c == '\n' || c == '\t' || c == '\r') {
      if (!out.empty() && out.back() != ' ') out += ' ';
    } else {
      out += c;
    }
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

}  // namespace

std::string NumberPlaceholders(std::string_view sql) {
  std::string out;
  out.reserve(sql.size() + 16);
  int next = 1;
  char quote = 0;  // inside '...' or "..."
  for (std::size_t i = 0; i < sql.size(); ++i) {
    const char c = sql[i];
    if (quote != 0) {
      if (c == quote) quote = 0;
      out += c;
    } else if (c == '\'' || c == '"') {
      quote = c;
      out += c;
    } else if (c == '?' && i + 1 < sql.size() && sql[i + 1] >= '0' && sql[i + 1] <= '9') {
      out += '$';  // "?3" names its parameter: the digits follow as they are
    } else if (c == '?') {
      out += '$';
      out += std::to_string(next++);
    } else {
      out += c;
    }
  }
  return out;
}

std::string FormatTimestamp(std::int64_t unix_seconds) {
  const std::time_t t = static_cast<std::time_t>(unix_seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02d %02d:%02d:%02d+00", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
  return buffer;
}

// Called for every time column of every row read (two per commit): parsed by hand, since sscanf
// and timegm were half of the client's time reading a million commits.
std::int64_t ParseTimestamp(std::string_view text) {
  // "YYYY-MM-DD HH:MM:SS[.ffffff][+HH[:MM]]", as the server prints in the ISO style.
  const char* p = text.data();
  const char* const end = p + text.size();
  const auto number = [&](int& out) {
    const auto [next, error] = std::from_chars(p, end, out);
    if (error != std::errc()) return false;
    p = next;
    return true;
  };
  const auto expect = [&](char c) {
    if (p == end || *p != c) return false;
    ++p;
    return true;
  };
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  if (!number(year) || !expect('-') || !number(month) || !expect('-') || !number(day) ||
      !expect(' ') || !number(hour) || !expect(':') || !number(minute) || !expect(':') ||
      !number(second)) {
    return 0;
  }
  const std::chrono::year_month_day date{std::chrono::year(year),
                                         std::chrono::month(static_cast<unsigned>(month)),
                                         std::chrono::day(static_cast<unsigned>(day))};
  std::int64_t seconds =
      static_cast<std::int64_t>(std::chrono::sys_days(date).time_since_epoch().count()) * 86400 +
      hour * 3600 + minute * 60 + second;
  if (expect('.')) {
    while (p != end && *p >= '0' && *p <= '9') ++p;
  }
  if (p != end && (*p == '+' || *p == '-')) {
    const int sign = *p == '-' ? -1 : 1;
    ++p;
    int offset_hours = 0, offset_minutes = 0;
    if (number(offset_hours) && expect(':')) (void)number(offset_minutes);
    seconds -= sign * (offset_hours * 3600 + offset_minutes * 60);
  }
  return seconds;
}

Result<std::unique_ptr<PgConnection>> PgConnection::Open(const std::string& url,
                                                         const std::string& display_name) {
  PGconn* conn = PQconnectdb(url.c_str());
  if (conn == nullptr) {
    return Status::IoError("cannot connect to the store " + display_name + ": out of memory");
  }
  if (PQstatus(conn) != CONNECTION_OK) {
    const std::string message = OneLine(PQerrorMessage(conn));
    PQfinish(conn);
    return Status::IoError("cannot connect to the store " + display_name + ": " + message);
  }
  std::unique_ptr<PgConnection> connection(new PgConnection(conn, display_name));
  if (PQserverVersion(conn) < 130000) {
    return Status::FailedPrecondition("the store " + display_name + " runs PostgreSQL " +
                                      std::to_string(PQserverVersion(conn) / 10000) +
                                      "; Leadline needs 13 or newer");
  }
  LEADLINE_RETURN_IF_ERROR(connection->StartSession());
  return connection;
}

Status PgConnection::StartSession() {
  // Times read back as text are parsed as UTC; notices (e.g. "relation already exists, skipping")
  // stay out of the output.
  PGresult* result = PQexec(conn_,
                            "SET TIME ZONE 'UTC'; SET DateStyle = 'ISO'; SET client_min_messages = "
                            "warning");
  const bool ok = PQresultStatus(result) == PGRES_COMMAND_OK;
  const Status failure = ok ? Status::Ok() : Failure(PQresultErrorMessage(result));
  PQclear(result);
  return failure;
}

Status PgConnection::Begin() {
  LEADLINE_RETURN_IF_ERROR(Exec("BEGIN"));
  transaction_open_ = true;
  return Status::Ok();
}

Status PgConnection::Commit() {
  // After a failed statement the server answers COMMIT by rolling back, without an error: the
  // caller must not take that for a commit.
  if (PQtransactionStatus(conn_) == PQTRANS_INERROR) {
    Rollback();
    return Status::DatabaseError("the transaction on " + display_name_ +
                                 " was rolled back: a statement in it had failed");
  }
  const Status committed = Exec("COMMIT");
  transaction_open_ = false;
  return committed;
}

void PgConnection::Rollback() {
  transaction_open_ = false;
  if (PQstatus(conn_) == CONNECTION_OK) (void)Exec("ROLLBACK");
}

Status PgConnection::Reconnect() {
  if (PQstatus(conn_) == CONNECTION_OK) return Status::Ok();
  if (transaction_open_) {
    return Status::Unavailable("lost the connection to the store " + display_name_ +
                               " in the middle of a transaction, which the server rolled back");
  }
  PQreset(conn_);
  if (PQstatus(conn_) != CONNECTION_OK) {
    return Status::Unavailable("the store " + display_name_ +
                               " is unreachable: " + OneLine(PQerrorMessage(conn_)));
  }
  ++session_;  // the server forgot the prepared statements: each is prepared again on its next use
  return StartSession();
}

Status PgConnection::Ready(PreparedStatement& prepared) {
  LEADLINE_RETURN_IF_ERROR(Reconnect());
  if (prepared.session == session_) return Status::Ok();
  PGresult* result = PQprepare(conn_, prepared.name.c_str(), prepared.sql.c_str(), 0, nullptr);
  const bool ok = PQresultStatus(result) == PGRES_COMMAND_OK;
  const Status failure = ok ? Status::Ok() : Failure(PQresultErrorMessage(result));
  PQclear(result);
  if (ok) prepared.session = session_;
  return failure;
}

PgConnection::~PgConnection() {
  cached_.clear();
  PQfinish(conn_);
}

bool PgConnection::InTransaction() const { return PQtransactionStatus(conn_) != PQTRANS_IDLE; }

int PgConnection::ServerVersion() const { return PQserverVersion(conn_); }

Status PgConnection::Failure(std::string_view what) const {
  if (PQstatus(conn_) != CONNECTION_OK) {
    return Status::Unavailable("lost the connection to the store " + display_name_ + ": " +
                               OneLine(what));
  }
  return Status::DatabaseError("PostgreSQL: " + OneLine(what));
}

Status PgConnection::Exec(std::string_view sql) {
  LEADLINE_RETURN_IF_ERROR(Reconnect());
  const std::string statement(sql);
  PGresult* result = PQexec(conn_, statement.c_str());
  const ExecStatusType status = PQresultStatus(result);
  Status outcome = Status::Ok();
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
    outcome = Failure(result != nullptr ? PQresultErrorMessage(result) : PQerrorMessage(conn_));
  } else {
    changes_ = ParseInt(PQcmdTuples(result));
  }
  PQclear(result);
  return outcome;
}

Result<PreparedStatement*> PgConnection::Described(std::string_view sql) {
  const std::string key(sql);
  auto found = prepared_.find(key);
  if (found != prepared_.end()) return found->second.get();
  LEADLINE_RETURN_IF_ERROR(Reconnect());
  auto prepared = std::make_unique<PreparedStatement>();
  prepared->name = "leadline_" + std::to_string(prepared_.size() + 1);
  prepared->sql = NumberPlaceholders(sql);
  prepared->session = session_;
  PGresult* result = PQprepare(conn_, prepared->name.c_str(), prepared->sql.c_str(), 0, nullptr);
  if (PQresultStatus(result) != PGRES_COMMAND_OK) {
    const Status failure = Failure(PQresultErrorMessage(result));
    PQclear(result);
    return failure;
  }
  PQclear(result);
  result = PQdescribePrepared(conn_, prepared->name.c_str());
  if (PQresultStatus(result) != PGRES_COMMAND_OK) {
    const Status failure = Failure(PQresultErrorMessage(result));
    PQclear(result);
    return failure;
  }
  for (int i = 0; i < PQnparams(result); ++i)
    prepared->parameter_types.push_back(PQparamtype(result, i));
  prepared->binary_results = PQnfields(result) > 0;
  for (int i = 0; i < PQnfields(result); ++i) {
    prepared->binary_results = prepared->binary_results && ReadsInBinary(PQftype(result, i));
  }
  PQclear(result);
  return prepared_.emplace(key, std::move(prepared)).first->second.get();
}

Result<Statement> PgConnection::Prepare(std::string_view sql) {
  LEADLINE_ASSIGN_OR_RETURN(PreparedStatement * prepared, Described(sql));
  return Statement::Owned(new PgStatement(*this, *prepared));
}

Result<Statement> PgConnection::PrepareCached(const std::string& sql) {
  auto found = cached_.find(sql);
  if (found == cached_.end()) {
    LEADLINE_ASSIGN_OR_RETURN(PreparedStatement * prepared, Described(sql));
    found = cached_.emplace(sql, std::make_unique<PgStatement>(*this, *prepared)).first;
  }
  return Statement::Borrowed(found->second.get());
}

Result<std::vector<std::int64_t>> PgConnection::RunEachInTransaction(
    const std::string& sql, const std::vector<std::vector<sql::Parameter>>& runs,
    std::size_t* failed_run) {
  if (InTransaction()) {
    return Status::Internal("a transaction of runs cannot start inside another transaction");
  }
  if (runs.empty()) return std::vector<std::int64_t>{};
  LEADLINE_ASSIGN_OR_RETURN(PreparedStatement * prepared, Described(sql));
  LEADLINE_RETURN_IF_ERROR(Ready(*prepared));  // connected, and prepared in this session
  // Every run's parameters, kept until the pipeline is sent: text bound to a text parameter goes
  // in binary form (its bytes, uncopied), anything else in the parameter type's text form.
  const std::size_t count = prepared->parameter_types.size();
  const std::size_t slots = runs.size() * count;
  std::vector<std::string> texts(slots);
  std::vector<const char*> values(slots, nullptr);
  std::vector<int> lengths(slots, 0);
  std::vector<int> formats(slots, 0);
  for (std::size_t run = 0; run < runs.size(); ++run) {
    if (runs[run].size() != count) {
      return Status::Internal("a run has " + std::to_string(runs[run].size()) +
                              " parameters; the statement takes " + std::to_string(count));
    }
    for (std::size_t i = 0; i < count; ++i) {
      const std::size_t at = run * count + i;
      const Oid type = prepared->parameter_types[i];
      if (const auto* number = std::get_if<std::int64_t>(&runs[run][i])) {
        texts[at] = IntParameter(type, *number);
        values[at] = texts[at].c_str();
      } else if (const auto* text = std::get_if<std::string_view>(&runs[run][i])) {
        if (IsText(type)) {
          values[at] = text->data();
          lengths[at] = static_cast<int>(text->size());
          formats[at] = 1;
        } else {
          texts[at].assign(*text);
          values[at] = texts[at].c_str();
        }
      }
    }
  }
  if (PQenterPipelineMode(conn_) != 1) return Failure(PQerrorMessage(conn_));
  transaction_open_ = true;  // a connection lost on the way is not made again under it
  bool sent = PQsendQueryParams(conn_, "BEGIN", 0, nullptr, nullptr, nullptr, nullptr, 0) == 1;
  for (std::size_t run = 0; sent && run < runs.size(); ++run) {
    const std::size_t at = run * count;
    sent =
        PQsendQueryPrepared(conn_, prepared->name.c_str(), static_cast<int>(count),
                            values.data() + at, lengths.data() + at, formats.data() + at, 0) == 1;
  }
  sent = sent &&
         PQsendQueryParams(conn_, "COMMIT", 0, nullptr, nullptr, nullptr, nullptr, 0) == 1 &&
         PQpipelineSync(conn_) == 1;
  // The answers, in order: each query's results end with a null; then the sync's. After a failed
  // run the server skips the rest (PGRES_PIPELINE_ABORTED), COMMIT included.
  Status failure = sent ? Status::Ok() : Failure(PQerrorMessage(conn_));
  std::vector<std::int64_t> changes;
  const std::size_t queries = runs.size() + 2;  // BEGIN, the runs, COMMIT
  std::size_t query = 0;
  while (sent && query < queries) {
    PGresult* result = PQgetResult(conn_);
    if (result == nullptr) {
      if (PQstatus(conn_) != CONNECTION_OK) break;
      ++query;
      continue;
    }
    const ExecStatusType status = PQresultStatus(result);
    if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) {
      if (query >= 1 && query <= runs.size()) changes.push_back(ParseInt(PQcmdTuples(result)));
    } else if (failure.ok()) {
      if (failed_run != nullptr && query >= 1 && query <= runs.size()) *failed_run = query - 1;
      failure = status == PGRES_PIPELINE_ABORTED
                    ? Status::DatabaseError("PostgreSQL: a transaction of runs was cut short")
                    : Failure(PQresultErrorMessage(result));
    }
    PQclear(result);
  }
  if (query == queries) {
    PGresult* sync = PQgetResult(conn_);
    if (PQresultStatus(sync) != PGRES_PIPELINE_SYNC && failure.ok()) {
      failure = Failure(PQerrorMessage(conn_));
    }
    PQclear(sync);
  } else if (failure.ok()) {
    failure = Failure(PQerrorMessage(conn_));  // the connection went before every answer came
  }
  // libpq leaves pipeline mode only when every answer was read. A lost connection leaves it when
  // it is made again (PQreset); one still up with answers unread (a send that failed half-way) is
  // made again here, so that the next statement starts clean.
  transaction_open_ = false;
  if (PQstatus(conn_) == CONNECTION_OK && PQexitPipelineMode(conn_) != 1) {
    PQreset(conn_);
    ++session_;  // its statements are prepared again on their next use
    if (PQstatus(conn_) == CONNECTION_OK) (void)StartSession();
  }
  if (!failure.ok()) {
    // A failed run leaves the transaction open and aborted: end it here.
    if (PQstatus(conn_) == CONNECTION_OK && InTransaction()) Rollback();
    return failure;
  }
  if (changes.size() != runs.size()) {
    return Status::Internal("PostgreSQL answered " + std::to_string(changes.size()) + " of " +
                            std::to_string(runs.size()) + " runs");
  }
  return changes;
}

}  // namespace leadline::store::postgres
