// Table options (CREATE TABLE ... WITH, ALTER TABLE ... WITH), read and checked as Cassandra
// 4.0 does: TableAttributes (the known keywords and how each is read), PropertyDefinitions
// (SyntaxException texts), CachingParams, CompactionParams, CompressionParams,
// SpeculativeRetryPolicy and TableParams.validate (ConfigurationException texts).
#include "exec/executor_internal.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <set>

namespace nosqlc::sandbox::detail {
namespace {

constexpr std::string_view kCompactionPackage = "org.apache.cassandra.db.compaction.";
constexpr std::string_view kCompressionPackage = "org.apache.cassandra.io.compress.";
constexpr std::int32_t kMaxTtl = 20 * 365 * 24 * 60 * 60;  // Attributes.MAX_TTL
// BloomCalculations.minSupportedBloomFilterFpChance(), as Java prints it.
constexpr double kMinBloomFpChance = 6.71e-05;

[[noreturn]] void syntax(std::string message) {
  fail(error(ServerErrorCode::syntax_error, std::move(message)));
}
[[noreturn]] void config(std::string message) {
  fail(error(ServerErrorCode::config_error, std::move(message)));
}

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

// The options' values as TableAttributes reads them (PropertyDefinitions getString, getMap,
// parseInt, parseDouble, parseBoolean).
struct Reader {
  const std::vector<cql::Property>& props;

  const cql::PropertyValue* find(std::string_view name) const {
    for (const auto& p : props) {
      if (p.name == name) return &p.value;
    }
    return nullptr;
  }
  std::optional<std::string> string(std::string_view name) const {
    const auto* v = find(name);
    if (!v) return std::nullopt;
    const auto* s = std::get_if<std::string>(v);
    if (!s) {
      syntax("Invalid value for property '" + std::string(name) + "'. It should be a string");
    }
    return *s;
  }
  std::optional<std::map<std::string, std::string>> map(std::string_view name) const {
    const auto* v = find(name);
    if (!v) return std::nullopt;
    const auto* m = std::get_if<std::map<std::string, std::string>>(v);
    if (!m) syntax("Invalid value for property '" + std::string(name) + "'. It should be a map.");
    return *m;
  }
  std::optional<std::int32_t> integer(std::string_view name) const {
    auto s = string(name);
    if (!s) return std::nullopt;
    std::int32_t out = 0;
    // Integer.parseInt: an optional sign, then digits only.
    std::string_view digits = *s;
    if (!digits.empty() && digits.front() == '+') digits.remove_prefix(1);
    auto r = std::from_chars(digits.data(), digits.data() + digits.size(), out);
    if (digits.empty() || r.ec != std::errc() || r.ptr != digits.data() + digits.size()) {
      syntax("Invalid integer value " + *s + " for '" + std::string(name) + "'");
    }
    return out;
  }
  std::optional<double> real(std::string_view name) const {
    auto s = string(name);
    if (!s) return std::nullopt;
    double out = 0;
    std::string_view text = *s;
    if (!text.empty() && text.front() == '+') text.remove_prefix(1);
    auto r = std::from_chars(text.data(), text.data() + text.size(), out);
    if (text.empty() || r.ec != std::errc() || r.ptr != text.data() + text.size()) {
      syntax("Invalid double value " + *s + " for '" + std::string(name) + "'");
    }
    return out;
  }
  std::optional<bool> boolean(std::string_view name) const {
    auto s = string(name);
    if (!s) return std::nullopt;
    std::string v = lower(*s);
    if (v == "1" || v == "true" || v == "yes") return true;
    if (v == "0" || v == "false" || v == "no") return false;
    syntax("Invalid boolean value " + *s + " for '" + std::string(name) +
           "'. Positive values can be '1', 'true' or 'yes'. Negative values can be '0', "
           "'false' or 'no'.");
  }
};

bool all_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// CachingParams.fromMap: a sub-option left out is NONE; asMap shows 0 rows as NONE.
std::map<std::string, std::string> caching(const std::map<std::string, std::string>& m) {
  auto upper = [](std::string v) {
    std::transform(v.begin(), v.end(), v.begin(),
                   [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    return v;
  };
  std::map<std::string, std::string> out{{"keys", "NONE"}, {"rows_per_partition", "NONE"}};
  if (auto it = m.find("keys"); it != m.end()) {
    std::string v = upper(it->second);
    if (v != "ALL" && v != "NONE") {
      config("Invalid value '" + it->second +
             "' for caching sub-option 'keys': only 'ALL' and 'NONE' are allowed");
    }
    out["keys"] = v;
  }
  if (auto it = m.find("rows_per_partition"); it != m.end()) {
    std::string v = upper(it->second);
    if (v != "ALL" && v != "NONE" && (!all_digits(v) || v.size() > 9)) {
      config("Invalid value '" + it->second +
             "' for caching sub-option 'rows_per_partition': only 'ALL', 'NONE', and integer "
             "values are allowed");
    }
    if (all_digits(v)) v = std::stol(v) == 0 ? "NONE" : std::to_string(std::stol(v));
    out["rows_per_partition"] = v;
  }
  std::string unknown;
  for (const auto& [k, v] : m) {
    if (k != "keys" && k != "rows_per_partition") unknown += (unknown.empty() ? "" : ", ") + k;
  }
  if (!unknown.empty()) {
    config("Invalid caching sub-options [" + unknown +
           "]: only 'keys' and 'rows_per_partition' are allowed");
  }
  return out;
}

// The strategies Cassandra 4.0 ships and the sub-options each one's validateOptions
// understands (AbstractCompactionStrategy's, then its own).
const std::map<std::string, std::set<std::string>, std::less<>>& strategies() {
  static const std::map<std::string, std::set<std::string>, std::less<>> known{
      {"SizeTieredCompactionStrategy", {"bucket_high", "bucket_low", "min_sstable_size"}},
      {"LeveledCompactionStrategy",
       {"sstable_size_in_mb", "fanout_size", "single_sstable_uplevel"}},
      {"TimeWindowCompactionStrategy",
       {"compaction_window_unit", "compaction_window_size", "timestamp_resolution",
        "expired_sstable_check_frequency_seconds", "unsafe_aggressive_sstable_expiration"}},
      {"DateTieredCompactionStrategy",
       {"base_time_seconds", "max_sstable_age_days", "max_window_size_seconds",
        "timestamp_resolution", "expired_sstable_check_frequency_seconds"}},
  };
  return known;
}

// CompactionParams.fromMap, create and validate.
std::map<std::string, std::string> compaction(const std::map<std::string, std::string>& m) {
  auto cls = m.find("class");
  if (cls == m.end()) config("Missing sub-option 'class' for the 'compaction' option");
  std::string full = cls->second.find('.') == std::string::npos
                         ? std::string(kCompactionPackage) + cls->second
                         : cls->second;
  std::string simple;
  if (full.starts_with(kCompactionPackage)) simple = full.substr(kCompactionPackage.size());
  auto strategy = strategies().find(simple);
  if (strategy == strategies().end()) {
    config("Unable to find compaction strategy class '" + full + "'");
  }
  static const std::set<std::string> common{"enabled",
                                            "min_threshold",
                                            "max_threshold",
                                            "tombstone_threshold",
                                            "tombstone_compaction_interval",
                                            "unchecked_tombstone_compaction",
                                            "log_all",
                                            "only_purge_repaired_tombstones",
                                            "provide_overlapping_tombstones"};
  std::string unknown;
  for (const auto& [k, v] : m) {
    if (k == "class" || common.contains(k) || strategy->second.contains(k)) continue;
    unknown += (unknown.empty() ? "" : ", ") + k;
  }
  if (!unknown.empty()) {
    config("Properties specified [" + unknown + "] are not understood by " + simple);
  }
  std::map<std::string, std::string> out = m;
  out["class"] = full;
  // Every built-in strategy takes the thresholds, so create() fills in their defaults.
  out.try_emplace("min_threshold", "4");
  out.try_emplace("max_threshold", "32");
  for (const char* t : {"min_threshold", "max_threshold"}) {
    if (!all_digits(out[t])) {
      config("Invalid value " + out[t] + " for '" + t +
             "' compaction sub-option - must be an integer");
    }
  }
  long min = std::stol(out["min_threshold"].substr(0, 9));
  long max = std::stol(out["max_threshold"].substr(0, 9));
  if (min <= 0 || max <= 0) {
    config(
        "Disabling compaction by setting compaction thresholds to 0 has been removed, set the "
        "compaction option 'enabled' to false instead.");
  }
  if (min <= 1)
    config("Min compaction threshold cannot be less than 2 (got " + std::to_string(min) + ")");
  if (min > max) {
    config("Min compaction threshold (got " + std::to_string(min) +
           ") cannot be greater than max compaction threshold (got " + std::to_string(max) + ")");
  }
  return out;
}

// CompressionParams.fromMap and validate: the compressors Cassandra 4.0 ships and their
// options.
std::map<std::string, std::string> compression(const std::map<std::string, std::string>& m) {
  auto enabled = m.find("enabled");
  const bool on = enabled == m.end() || lower(enabled->second) != "false";
  auto cls = m.find("class");
  if (!m.empty() && on && (cls == m.end() || cls->second.empty())) {
    config("Missing sub-option 'class' for the 'compression' option.");
  }
  if (!on && m.size() > 1) {
    config("If the 'enabled' option is set to false no other options must be specified");
  }
  if (!on || m.empty()) return {{"enabled", "false"}};  // no compression
  std::string full = cls->second.find('.') == std::string::npos
                         ? std::string(kCompressionPackage) + cls->second
                         : cls->second;
  static const std::map<std::string, std::set<std::string>, std::less<>> compressors{
      {"LZ4Compressor", {"lz4_compressor_type", "lz4_high_compressor_level"}},
      {"SnappyCompressor", {}},
      {"DeflateCompressor", {}},
      {"ZstdCompressor", {"compression_level"}},
      {"NoopCompressor", {}},
  };
  std::string simple;
  if (full.starts_with(kCompressionPackage)) simple = full.substr(kCompressionPackage.size());
  auto compressor = compressors.find(simple);
  if (compressor == compressors.end()) config("Could not create Compression for type " + full);
  std::map<std::string, std::string> out{{"class", full}, {"chunk_length_in_kb", "16"}};
  for (const auto& [k, v] : m) {
    if (k == "class" || k == "enabled") continue;
    if (k == "chunk_length_in_kb") {
      if (!all_digits(v) || v.size() > 9) config("Invalid value for chunk_length_in_kb");
      long kb = std::stol(v);
      if (kb <= 0) config("Invalid negative or null chunk_length_in_kb");
      if ((kb & (kb - 1)) != 0) config("chunk_length_in_kb must be a power of 2");
      out[k] = std::to_string(kb);
    } else if (k == "min_compress_ratio") {
      out[k] = v;
    } else if (compressor->second.contains(k)) {
      out[k] = v;
    } else {
      config("Unknown compression options " + k);
    }
  }
  return out;
}

// SpeculativeRetryPolicy.fromString and its policies' toString: 99p, 50ms, ALWAYS, NEVER,
// MIN(a,b), MAX(a,b).
std::optional<std::string> retry_policy(std::string text, int depth = 0) {
  std::string upper = text;
  std::transform(upper.begin(), upper.end(), upper.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  upper.erase(std::remove(upper.begin(), upper.end(), ' '), upper.end());
  if (upper == "ALWAYS" || upper == "NEVER") return upper;
  auto number = [](std::string_view s) -> std::optional<double> {
    double d = 0;
    auto r = std::from_chars(s.data(), s.data() + s.size(), d);
    if (s.empty() || r.ec != std::errc() || r.ptr != s.data() + s.size()) return std::nullopt;
    return d;
  };
  auto plain = [](double d) {
    char buf[32];
    auto r = std::to_chars(buf, buf + sizeof buf, d, std::chars_format::fixed);
    return std::string(buf, r.ptr);
  };
  if (depth == 0 && (upper.starts_with("MIN(") || upper.starts_with("MAX(")) &&
      upper.ends_with(")")) {
    std::string inner = upper.substr(4, upper.size() - 5);
    auto comma = inner.find(',');
    if (comma == std::string::npos) return std::nullopt;
    auto a = retry_policy(inner.substr(0, comma), 1);
    auto b = retry_policy(inner.substr(comma + 1), 1);
    if (!a || !b || *a == "ALWAYS" || *a == "NEVER" || *b == "ALWAYS" || *b == "NEVER") {
      return std::nullopt;
    }
    return upper.substr(0, 3) + "(" + *a + "," + *b + ")";
  }
  for (std::string_view suffix : {"PERCENTILE", "P"}) {
    if (upper.size() > suffix.size() && upper.ends_with(suffix)) {
      auto p = number(std::string_view(upper).substr(0, upper.size() - suffix.size()));
      if (!p || *p < 0 || *p >= 100) return std::nullopt;
      return plain(*p) + "p";
    }
  }
  if (upper.size() > 2 && upper.ends_with("MS")) {
    auto ms = number(std::string_view(upper).substr(0, upper.size() - 2));
    if (!ms || *ms < 0) return std::nullopt;
    return plain(std::floor(*ms)) + "ms";
  }
  return std::nullopt;
}

std::string retry(const Reader& r, std::string_view name, std::string current) {
  auto s = r.string(name);
  if (!s) return current;
  auto policy = retry_policy(*s);
  // fromString names speculative_retry whichever option it parses.
  if (!policy) config("Invalid value " + *s + " for option 'speculative_retry'");
  return *policy;
}

void check_uuid(const std::string& s) {
  bool ok = s.size() == 36;
  for (std::size_t i = 0; ok && i < s.size(); ++i) {
    bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    ok = dash ? s[i] == '-' : std::isxdigit(static_cast<unsigned char>(s[i])) != 0;
  }
  if (!ok) config("Invalid table id");
}

}  // namespace

std::string java_double(double d) {
  char buf[64];
  double a = std::fabs(d);
  bool plain = a == 0 || (a >= 1e-3 && a < 1e7);
  auto r = std::to_chars(buf, buf + sizeof buf, d,
                         plain ? std::chars_format::fixed : std::chars_format::scientific);
  std::string s(buf, r.ptr);
  if (plain) {
    // Shortest form: to_chars(fixed) without precision is already the shortest round trip.
    if (s.find('.') == std::string::npos) s += ".0";
    return s;
  }
  auto e = s.find('e');
  std::string mantissa = s.substr(0, e);
  if (mantissa.find('.') == std::string::npos) mantissa += ".0";
  int exponent = std::stoi(s.substr(e + 1));
  return mantissa + "E" + std::to_string(exponent);
}

TableParams table_params(const std::vector<cql::Property>& options, TableParams params,
                         bool altering) {
  static const std::set<std::string, std::less<>> keywords{"bloom_filter_fp_chance",
                                                           "caching",
                                                           "comment",
                                                           "compaction",
                                                           "compression",
                                                           "default_time_to_live",
                                                           "extensions",
                                                           "gc_grace_seconds",
                                                           "max_index_interval",
                                                           "memtable_flush_period_in_ms",
                                                           "min_index_interval",
                                                           "speculative_retry",
                                                           "additional_write_policy",
                                                           "crc_check_chance",
                                                           "cdc",
                                                           "read_repair",
                                                           "id"};
  for (const cql::Property& p : options) {
    // CLUSTERING ORDER BY and COMPACT STORAGE come as these two; the executor checks them.
    if (p.name == "clustering_order" || p.name == "compact_storage") continue;
    if (!keywords.contains(p.name)) syntax("Unknown property '" + p.name + "'");
  }
  Reader r{options};
  bool bloom_given = false;
  if (auto v = r.real("bloom_filter_fp_chance")) {
    params.bloom_filter_fp_chance = *v;
    bloom_given = true;
  }
  if (auto m = r.map("caching")) params.caching = caching(*m);
  if (auto s = r.string("comment")) params.comment = *s;
  if (auto m = r.map("compaction")) {
    params.compaction = compaction(*m);
    // TableParams: without its own, the fp chance follows the strategy's default.
    if (!bloom_given && !altering) {
      params.bloom_filter_fp_chance =
          params.compaction["class"].ends_with(".LeveledCompactionStrategy") ? 0.1 : 0.01;
    }
  }
  if (auto m = r.map("compression")) params.compression = compression(*m);
  if (auto v = r.integer("default_time_to_live")) params.default_time_to_live = *v;
  if (auto v = r.integer("gc_grace_seconds")) params.gc_grace_seconds = *v;
  if (auto v = r.integer("max_index_interval")) params.max_index_interval = *v;
  if (auto v = r.integer("memtable_flush_period_in_ms")) params.memtable_flush_period_in_ms = *v;
  if (auto v = r.integer("min_index_interval")) params.min_index_interval = *v;
  params.speculative_retry = retry(r, "speculative_retry", params.speculative_retry);
  params.additional_write_policy =
      retry(r, "additional_write_policy", params.additional_write_policy);
  if (auto v = r.real("crc_check_chance")) params.crc_check_chance = *v;
  if (auto v = r.boolean("cdc")) params.cdc = *v;
  if (auto s = r.string("read_repair")) {
    std::string v = *s;
    std::transform(v.begin(), v.end(), v.begin(),
                   [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    if (v != "BLOCKING" && v != "NONE") {
      // ReadRepairStrategy.fromString is Enum.valueOf: Cassandra answers its exception as a
      // server error.
      fail(error(ServerErrorCode::server_error,
                 "java.lang.IllegalArgumentException: No enum constant "
                 "org.apache.cassandra.service.reads.repair.ReadRepairStrategy." +
                     v));
    }
    params.read_repair = v;
  }
  if (auto s = r.string("id")) {
    if (altering) config("Cannot alter table id.");
    check_uuid(*s);
  }

  // TableParams.validate, in its order.
  if (params.bloom_filter_fp_chance <= kMinBloomFpChance || params.bloom_filter_fp_chance > 1) {
    config("bloom_filter_fp_chance must be larger than " + java_double(kMinBloomFpChance) +
           " and less than or equal to 1.0 (got " + java_double(params.bloom_filter_fp_chance) +
           ")");
  }
  if (params.crc_check_chance < 0 || params.crc_check_chance > 1.0) {
    config(
        "crc_check_chance must be larger than or equal to 0 and smaller than or equal to 1.0 "
        "(got " +
        java_double(params.crc_check_chance) + ")");
  }
  auto got = [](std::int32_t v) { return " (got " + std::to_string(v) + ")"; };
  if (params.default_time_to_live < 0) {
    config("default_time_to_live must be greater than or equal to 0" +
           got(params.default_time_to_live));
  }
  if (params.default_time_to_live > kMaxTtl) {
    config("default_time_to_live must be less than or equal to " + std::to_string(kMaxTtl) +
           got(params.default_time_to_live));
  }
  if (params.gc_grace_seconds < 0) {
    config("gc_grace_seconds must be greater than or equal to 0" + got(params.gc_grace_seconds));
  }
  if (params.min_index_interval < 1) {
    config("min_index_interval must be greater than or equal to 1" +
           got(params.min_index_interval));
  }
  if (params.max_index_interval < params.min_index_interval) {
    config("max_index_interval must be greater than or equal to min_index_interval (" +
           std::to_string(params.min_index_interval) + ")" + got(params.max_index_interval));
  }
  if (params.memtable_flush_period_in_ms < 0) {
    config("memtable_flush_period_in_ms must be greater than or equal to 0" +
           got(params.memtable_flush_period_in_ms));
  }
  return params;
}

std::optional<protocol::Uuid> table_id_option(const std::vector<cql::Property>& options) {
  for (const cql::Property& p : options) {
    const auto* s = std::get_if<std::string>(&p.value);
    if (p.name != "id" || !s) continue;
    protocol::Uuid id{};
    for (std::size_t i = 0, n = 0; i < s->size() && n < 32; ++i) {
      char c = (*s)[i];
      if (c == '-') continue;
      int v = std::isdigit(static_cast<unsigned char>(c)) ? c - '0' : std::tolower(c) - 'a' + 10;
      id[n / 2] = static_cast<std::uint8_t>(id[n / 2] | (n % 2 == 0 ? v << 4 : v));
      ++n;
    }
    return id;
  }
  return std::nullopt;
}

}  // namespace nosqlc::sandbox::detail
