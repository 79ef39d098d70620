#include "nosqlc/nosql/cassandra/url.hpp"

#include "nosqlc/nosql/errors.hpp"
#include "nosqlc/nosql/url.hpp"

#include <nosqlc/protocol/keywords.hpp>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdlib>
#include <set>

namespace nosqlc::cassandra {
namespace {

[[noreturn]] void bad(std::string_view url, const std::string& what) {
  throw Error(errc::invalid_url, "cassandra URL \"" + redact_url(url) + "\": " + what);
}

constexpr std::string_view kLoginHint =
    "give the username and password as properties (the CLI: --username and NOSQLC_PASSWORD)";

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::string upper(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return out;
}

template <class Int>
std::optional<Int> parse_int(std::string_view s) {
  Int v{};
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size() || s.empty()) return std::nullopt;
  return v;
}

std::optional<bool> parse_bool(std::string_view s) {
  std::string l = lower(s);
  if (l == "true" || l == "1" || l == "yes") return true;
  if (l == "false" || l == "0" || l == "no") return false;
  return std::nullopt;
}

// %XX escapes, so that option values (file paths) can hold '&', '=' or '?'.
std::optional<std::string> percent_decode(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '%') {
      out += s[i];
      continue;
    }
    if (i + 2 >= s.size()) return std::nullopt;
    unsigned byte = 0;
    auto [end, ec] = std::from_chars(s.data() + i + 1, s.data() + i + 3, byte, 16);
    if (ec != std::errc() || end != s.data() + i + 3) return std::nullopt;
    out += static_cast<char>(byte);
    i += 2;
  }
  return out;
}

constexpr std::string_view kConsistencies[] = {
    "ANY",          "ONE",         "TWO",    "THREE",        "QUORUM",   "ALL",
    "LOCAL_QUORUM", "EACH_QUORUM", "SERIAL", "LOCAL_SERIAL", "LOCAL_ONE"};

bool is_consistency(std::string_view s) {
  return std::find(std::begin(kConsistencies), std::end(kConsistencies), s) !=
         std::end(kConsistencies);
}

bool valid_host_name(std::string_view h) {
  if (h.empty() || h.size() > 253) return false;
  return std::all_of(h.begin(), h.end(), [](unsigned char c) {
    return std::isalnum(c) || c == '-' || c == '.' || c == '_';
  });
}

HostPort parse_host(std::string_view url, std::string_view part) {
  HostPort hp;
  std::string_view port_text;
  if (part.starts_with('[')) {
    auto close = part.find(']');
    if (close == std::string_view::npos)
      bad(url, "unclosed '[' in host \"" + std::string(part) + "\"");
    hp.host = std::string(part.substr(1, close - 1));
    std::string_view after = part.substr(close + 1);
    if (!after.empty()) {
      if (after[0] != ':') bad(url, "unexpected \"" + std::string(after) + "\" after IPv6 host");
      port_text = after.substr(1);
      if (port_text.empty()) bad(url, "empty port in host \"" + std::string(part) + "\"");
    }
    bool ok = !hp.host.empty() && std::all_of(hp.host.begin(), hp.host.end(), [](unsigned char c) {
      return std::isxdigit(c) || c == ':' || c == '.';
    });
    if (!ok) bad(url, "invalid IPv6 host \"" + std::string(part) + "\"");
  } else {
    auto colon = part.find(':');
    if (colon != std::string_view::npos && part.find(':', colon + 1) != std::string_view::npos) {
      bad(url, "IPv6 host \"" + std::string(part) + "\" must be in brackets");
    }
    hp.host = std::string(part.substr(0, colon));
    if (colon != std::string_view::npos) {
      port_text = part.substr(colon + 1);
      if (port_text.empty()) bad(url, "empty port in host \"" + std::string(part) + "\"");
    }
    if (!valid_host_name(hp.host)) bad(url, "invalid host \"" + std::string(part) + "\"");
  }
  if (!port_text.empty()) {
    auto port = parse_int<std::uint32_t>(port_text);
    if (!port || *port == 0 || *port > 65535) {
      bad(url, "invalid port \"" + std::string(port_text) + "\"");
    }
    hp.port = static_cast<std::uint16_t>(*port);
  }
  return hp;
}

std::map<std::string, std::string> parse_replication(std::string_view url, std::string_view v) {
  auto colon = v.find(':');
  std::string_view cls = v.substr(0, colon);
  std::string_view args = colon == std::string_view::npos ? "" : v.substr(colon + 1);
  auto bad_replication = [&](const std::string& why) {
    bad(url, "invalid replication \"" + std::string(v) + "\": " + why +
                 " (use SimpleStrategy:N or NetworkTopologyStrategy:dc1=N,dc2=M)");
  };
  std::map<std::string, std::string> out;
  if (cls == "SimpleStrategy") {
    auto rf = parse_int<int>(args);
    if (!rf || *rf < 1) bad_replication("replication factor must be a positive integer");
    out = {{"class", "SimpleStrategy"}, {"replication_factor", std::to_string(*rf)}};
  } else if (cls == "NetworkTopologyStrategy") {
    out["class"] = "NetworkTopologyStrategy";
    if (args.empty()) bad_replication("no data centers given");
    while (!args.empty()) {
      auto comma = args.find(',');
      std::string_view item = args.substr(0, comma);
      args = comma == std::string_view::npos ? "" : args.substr(comma + 1);
      auto eq = item.find('=');
      if (eq == std::string_view::npos)
        bad_replication("expected dc=N, found \"" + std::string(item) + "\"");
      std::string_view dc = item.substr(0, eq);
      auto rf = parse_int<int>(item.substr(eq + 1));
      if (!valid_host_name(dc))
        bad_replication("invalid data center name \"" + std::string(dc) + "\"");
      if (!rf || *rf < 0)
        bad_replication("invalid factor for data center \"" + std::string(dc) + "\"");
      if (out.count(std::string(dc)))
        bad_replication("data center \"" + std::string(dc) + "\" repeated");
      out[std::string(dc)] = std::to_string(*rf);
    }
  } else {
    bad_replication("unknown strategy \"" + std::string(cls) + "\"");
  }
  return out;
}

void apply_option(std::string_view url, CassandraUrl& out, const std::string& key,
                  const std::string& value) {
  auto need_bool = [&]() {
    auto b = parse_bool(value);
    if (!b) bad(url, "option " + key + " must be true or false, found \"" + value + "\"");
    return *b;
  };
  auto need_ms = [&]() {
    auto v = parse_int<std::int64_t>(value);
    if (!v || *v <= 0 || *v > 86'400'000) {
      bad(url,
          "option " + key + " must be a positive number of milliseconds, found \"" + value + "\"");
    }
    return std::chrono::milliseconds(*v);
  };
  if (key == "consistency" || key == "serial_consistency") {
    std::string c = upper(value);
    if (!is_consistency(c)) bad(url, "option " + key + ": unknown consistency \"" + value + "\"");
    if (key == "serial_consistency" && c != "SERIAL" && c != "LOCAL_SERIAL") {
      bad(url, "option serial_consistency must be SERIAL or LOCAL_SERIAL, found \"" + value + "\"");
    }
    (key == "consistency" ? out.consistency : out.serial_consistency) = c;
  } else if (key == "log_level") {
    auto level = parse_log_level(value);
    if (!level)
      bad(url, "option log_level must be debug, info, warn, error or off, found \"" + value + "\"");
    out.log_level = *level;
  } else if (key == "page_size") {
    auto v = parse_int<std::int32_t>(value);
    if (!v || *v <= 0)
      bad(url, "option page_size must be a positive integer, found \"" + value + "\"");
    out.page_size = *v;
  } else if (key == "compression") {
    std::string l = lower(value);
    if (l != "lz4" && l != "none")
      bad(url, "option compression must be lz4 or none, found \"" + value + "\"");
    out.compression = l == "lz4";
  } else if (key == "tls") {
    out.tls = need_bool();
  } else if (key == "tls_verify") {
    out.tls_verify = need_bool();
  } else if (key == "tls_ca" || key == "tls_cert" || key == "tls_key") {
    if (value.empty()) bad(url, "option " + key + " must name a file");
    (key == "tls_ca" ? out.tls_ca : key == "tls_cert" ? out.tls_cert : out.tls_key) = value;
  } else if (key == "connect_timeout_ms") {
    out.connect_timeout = need_ms();
  } else if (key == "request_timeout_ms") {
    out.request_timeout = need_ms();
  } else if (key == "deadline_ms") {
    out.deadline = need_ms();
  } else if (key == "max_retries") {
    auto v = parse_int<std::size_t>(value);
    if (!v || *v > 100) bad(url, "option max_retries must be 0 to 100, found \"" + value + "\"");
    out.max_retries = *v;
  } else if (key == "speculative_max") {
    auto v = parse_int<std::size_t>(value);
    if (!v || *v > 16) bad(url, "option speculative_max must be 0 to 16, found \"" + value + "\"");
    out.speculative_max = *v;
  } else if (key == "speculative_delay_ms") {
    auto v = parse_int<std::int64_t>(value);
    if (!v || *v < 0 || *v > 86'400'000) {
      bad(url, "option speculative_delay_ms must be 0 to 86400000 milliseconds, found \"" + value +
                   "\"");
    }
    out.speculative_delay = std::chrono::milliseconds(*v);
  } else if (key == "speculative_percentile") {
    char* end = nullptr;
    const double v = std::strtod(value.c_str(), &end);
    if (value.empty() || end != value.c_str() + value.size() || !(v > 0 && v < 100)) {
      bad(url,
          "option speculative_percentile must be a number between 0 and 100 (exclusive), "
          "found \"" +
              value + "\"");
    }
    out.speculative_percentile = v;
  } else if (key == "client_timestamps") {
    out.client_timestamps = need_bool();
  } else if (key == "scan_concurrency" || key == "scan_split") {
    auto v = parse_int<std::size_t>(value);
    const std::size_t least = key == "scan_split" ? 1 : 0;
    if (!v || *v < least || *v > 256) {
      bad(url, "option " + key + " must be " + std::to_string(least) + " to 256, found \"" + value +
                   "\"");
    }
    (key == "scan_split" ? out.scan_split : out.scan_concurrency) = *v;
  } else if (key == "pool_size") {
    auto v = parse_int<std::size_t>(value);
    if (!v || *v == 0 || *v > 64)
      bad(url, "option pool_size must be 1 to 64, found \"" + value + "\"");
    out.pool_size = *v;
  } else if (key == "io_threads") {
    auto v = parse_int<std::size_t>(value);
    if (!v || *v > 64) bad(url, "option io_threads must be 0 to 64, found \"" + value + "\"");
    out.io_threads = *v;
  } else if (key == "local_dc") {
    if (!valid_host_name(value)) bad(url, "option local_dc: invalid data center \"" + value + "\"");
    out.local_dc = value;
  } else if (key == "allow_remote_dc") {
    auto v = parse_int<std::size_t>(value);
    if (!v || *v > 1024)
      bad(url, "option allow_remote_dc must be 0 to 1024 hosts, found \"" + value + "\"");
    out.allow_remote_dc = *v;
  } else if (key == "allowed_hosts") {
    // Addresses separated by commas (',' cannot appear in an address; ':' can, in IPv6).
    out.allowed_hosts.clear();
    std::string_view rest = value;
    while (true) {
      auto comma = rest.find(',');
      std::string_view host = rest.substr(0, comma);
      const bool v6 = host.find(':') != std::string_view::npos &&
                      std::all_of(host.begin(), host.end(), [](unsigned char c) {
                        return std::isxdigit(c) || c == ':' || c == '.';
                      });
      if (host.empty() || (!valid_host_name(host) && !v6)) {
        bad(url, "option allowed_hosts: invalid address \"" + std::string(host) +
                     "\" (use allowed_hosts=10.0.0.1,10.0.0.2)");
      }
      out.allowed_hosts.emplace_back(host);
      if (comma == std::string_view::npos) break;
      rest = rest.substr(comma + 1);
    }
  } else if (key == "auto_create") {
    out.auto_create = need_bool();
  } else if (key == "max_document_bytes") {
    // Up to half the protocol's 256 MiB frame, less a key: an update sends two documents.
    auto v = parse_int<std::size_t>(value);
    if (!v || *v == 0 || *v > 134'000'000) {
      bad(url, "option max_document_bytes must be 1 to 134000000, found \"" + value + "\"");
    }
    out.max_document_bytes = *v;
  } else if (key == "replication") {
    out.replication = parse_replication(url, value);
  } else if (key == "username" || key == "user" || key == "password") {
    bad(url, "option " + key + ": credentials do not go in the URL: " + std::string(kLoginHint));
  } else {
    bad(url, "unknown option \"" + key + "\"");
  }
}

}  // namespace

bool is_identifier(std::string_view name) noexcept {
  if (name.empty() || name.size() > 48) return false;
  if (!std::isalpha(static_cast<unsigned char>(name[0])) ||
      static_cast<unsigned char>(name[0]) >= 0x80)
    return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    auto u = static_cast<unsigned char>(c);
    return u < 0x80 && (std::isalnum(u) || c == '_');
  });
}

CassandraUrl parse_url(std::string_view url) {
  auto parts = split_url(url);
  if (!parts || parts->driver != "cassandra") bad(url, "expected nosqlc:cassandra:...");
  std::string_view details = parts->details;
  std::string_view query;
  if (auto q = details.find('?'); q != std::string_view::npos) {
    query = details.substr(q + 1);
    details = details.substr(0, q);
  }
  auto slash = details.find('/');
  if (slash == std::string_view::npos) bad(url, "missing /keyspace after the hosts");
  std::string_view hosts = details.substr(0, slash);
  std::string_view keyspace = details.substr(slash + 1);

  CassandraUrl out;
  if (url.find('@') != std::string_view::npos) {
    bad(url, "credentials do not go in the URL: " + std::string(kLoginHint));
  }
  if (hosts.empty()) bad(url, "missing host");
  while (true) {
    auto comma = hosts.find(',');
    std::string_view part = hosts.substr(0, comma);
    if (part.empty()) bad(url, "empty host in host list");
    out.hosts.push_back(parse_host(url, part));
    if (comma == std::string_view::npos) break;
    hosts = hosts.substr(comma + 1);
  }
  if (keyspace.empty()) bad(url, "missing keyspace");
  if (!is_identifier(keyspace)) {
    bad(url, "invalid keyspace \"" + std::string(keyspace) +
                 "\": must match [A-Za-z][A-Za-z0-9_]{0,47}");
  }
  out.keyspace = lower(keyspace);
  if (protocol::is_reserved_keyword(out.keyspace)) {
    bad(url, "invalid keyspace \"" + std::string(keyspace) +
                 "\": a reserved CQL keyword cannot name a keyspace");
  }

  std::set<std::string> seen;
  while (!query.empty()) {
    auto amp = query.find('&');
    std::string_view item = query.substr(0, amp);
    if (amp != std::string_view::npos && amp + 1 == query.size()) item = {};  // ends with '&'
    query = amp == std::string_view::npos ? "" : query.substr(amp + 1);
    if (item.empty()) bad(url, "empty option (two '&' in a row, or a '&' at an end)");
    auto eq = item.find('=');
    if (eq == std::string_view::npos) bad(url, "option \"" + std::string(item) + "\" has no value");
    std::string key(item.substr(0, eq));
    auto value = percent_decode(item.substr(eq + 1));
    if (!value) bad(url, "bad %-escape in option " + key);
    if (!seen.insert(key).second) bad(url, "option " + key + " given twice");
    apply_option(url, out, key, *value);
  }
  if (!out.tls && (!out.tls_ca.empty() || !out.tls_cert.empty() || !out.tls_key.empty())) {
    if (seen.count("tls")) bad(url, "tls=false with tls_ca, tls_cert or tls_key");
    out.tls = true;  // naming a certificate file asks for TLS
  }
  if (out.tls_cert.empty() != out.tls_key.empty()) bad(url, "tls_cert and tls_key go together");
  return out;
}

protocol::SessionOptions session_options(const CassandraUrl& u, const Properties& props) {
  protocol::SessionOptions o;
  for (const auto& h : u.hosts)
    o.contact_points.push_back({h.host, h.port});
  o.pool_size = u.pool_size;
  o.io_threads = u.io_threads;
  o.local_dc = u.local_dc;
  o.allow_remote_dc = u.allow_remote_dc;
  if (!u.allowed_hosts.empty()) {
    o.host_filter = [allowed = u.allowed_hosts](const protocol::HostInfo& h) {
      return std::find(allowed.begin(), allowed.end(), h.address) != allowed.end();
    };
  }
  o.page_size = u.page_size;
  o.deadline = u.deadline;
  o.max_retries = u.max_retries;
  o.speculative_max = u.speculative_max;
  o.speculative_delay = u.speculative_delay;
  o.speculative_percentile = u.speculative_percentile;
  o.client_timestamps = u.client_timestamps;
  o.log_level = u.log_level;
  o.consistency = *protocol::consistency_from_string(u.consistency);
  o.serial_consistency = *protocol::consistency_from_string(u.serial_consistency);
  auto& c = o.connection;
  c.compression = u.compression;
  c.connect_timeout = u.connect_timeout;
  c.request_timeout = u.request_timeout;
  c.tls.enabled = u.tls;
  c.tls.ca_file = u.tls_ca;
  c.tls.cert_file = u.tls_cert;
  c.tls.key_file = u.tls_key;
  c.tls.verify = u.tls_verify;
  auto user = props.find("username");
  auto pass = props.find("password");
  if (user != props.end() && !user->second.empty()) {
    c.credentials = protocol::Credentials{user->second, pass != props.end() ? pass->second : ""};
  }
  return o;
}

std::string replication_cql(const std::map<std::string, std::string>& replication) {
  std::string s = "{";
  bool first = true;
  // 'class' first, as Cassandra prints it.
  auto put = [&](const std::string& k, const std::string& v) {
    if (!first) s += ", ";
    first = false;
    s += "'" + k + "': '" + v + "'";
  };
  if (auto it = replication.find("class"); it != replication.end()) put(it->first, it->second);
  for (const auto& [k, v] : replication) {
    if (k != "class") put(k, v);
  }
  return s + "}";
}

}  // namespace nosqlc::cassandra
