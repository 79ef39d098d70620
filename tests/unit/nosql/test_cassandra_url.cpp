#include <nosqlc/nosql/cassandra/url.hpp>
#include <nosqlc/nosql/errors.hpp>

#include <boost/test/unit_test.hpp>

#include <string>

using nosqlc::cassandra::CassandraUrl;
using nosqlc::cassandra::HostPort;
using nosqlc::cassandra::parse_url;

namespace {

// Parses `url` expecting invalid_url whose message mentions `part`.
void expect_invalid(const std::string& url, const std::string& part) {
  BOOST_TEST_CONTEXT(url) {
    try {
      parse_url(url);
      BOOST_ERROR("no error for " << url);
    } catch (const nosqlc::Error& e) {
      BOOST_TEST((e.code() == nosqlc::errc::invalid_url));
      BOOST_TEST(std::string(e.what()).find(part) != std::string::npos,
                 "message \"" << e.what() << "\" should mention \"" << part << "\"");
    }
  }
}

}  // namespace

BOOST_AUTO_TEST_SUITE(cassandra_url)

BOOST_AUTO_TEST_CASE(seed_url_with_defaults) {
  CassandraUrl u = parse_url("pynosqlc:cassandra:localhost:9042/my_keyspace");
  BOOST_TEST(u.hosts.size() == 1u);
  BOOST_TEST((u.hosts[0] == HostPort{"localhost", 9042}));
  BOOST_TEST(u.keyspace == "my_keyspace");
  BOOST_TEST(u.consistency == "LOCAL_ONE");
  BOOST_TEST(u.serial_consistency == "SERIAL");
  BOOST_TEST(u.page_size == 5000);
  BOOST_TEST(!u.compression);
  BOOST_TEST(parse_url("nosqlc:cassandra:h/k?compression=lz4").compression);
  BOOST_TEST(!u.tls);
  BOOST_TEST(u.connect_timeout.count() == 5000);
  BOOST_TEST(u.request_timeout.count() == 12000);
  BOOST_TEST(u.pool_size == 1u);
  BOOST_TEST(u.io_threads == 1u);
  BOOST_TEST(nosqlc::cassandra::replication_cql(u.replication) ==
             "{'class': 'SimpleStrategy', 'replication_factor': '1'}");
}

BOOST_AUTO_TEST_CASE(hosts_ports_ipv6_and_case_folding) {
  CassandraUrl u = parse_url("nosqlc:cassandra:10.0.0.1,node2:9100,[::1]:9043,[fe80::1]/MyKs");
  BOOST_TEST(u.hosts.size() == 4u);
  BOOST_TEST((u.hosts[0] == HostPort{"10.0.0.1", 9042}));
  BOOST_TEST((u.hosts[1] == HostPort{"node2", 9100}));
  BOOST_TEST((u.hosts[2] == HostPort{"::1", 9043}));
  BOOST_TEST((u.hosts[3] == HostPort{"fe80::1", 9042}));
  BOOST_TEST(u.keyspace == "myks");
  BOOST_TEST(parse_url("jsnosqlc:cassandra:h/k").hosts[0].host == "h");
}

BOOST_AUTO_TEST_CASE(every_option) {
  CassandraUrl u = parse_url(
      "nosqlc:cassandra:h/k?consistency=quorum&serial_consistency=LOCAL_SERIAL&page_size=100"
      "&compression=none&tls=true&tls_ca=/a%26b/ca.pem&tls_cert=c.pem&tls_key=k.pem"
      "&tls_verify=false&connect_timeout_ms=250&request_timeout_ms=1500&pool_size=4"
      "&io_threads=3&replication=NetworkTopologyStrategy:dc1=3,dc2=2");
  BOOST_TEST(u.consistency == "QUORUM");
  BOOST_TEST(u.serial_consistency == "LOCAL_SERIAL");
  BOOST_TEST(u.page_size == 100);
  BOOST_TEST(!u.compression);
  BOOST_TEST(u.tls);
  BOOST_TEST(u.tls_ca == "/a&b/ca.pem");
  BOOST_TEST(u.tls_cert == "c.pem");
  BOOST_TEST(u.tls_key == "k.pem");
  BOOST_TEST(!u.tls_verify);
  BOOST_TEST(u.connect_timeout.count() == 250);
  BOOST_TEST(u.request_timeout.count() == 1500);
  BOOST_TEST(u.pool_size == 4u);
  BOOST_TEST(u.io_threads == 3u);
  BOOST_TEST(parse_url("nosqlc:cassandra:h/k?io_threads=0").io_threads == 0u);
  BOOST_TEST(nosqlc::cassandra::replication_cql(u.replication) ==
             "{'class': 'NetworkTopologyStrategy', 'dc1': '3', 'dc2': '2'}");
  BOOST_TEST(parse_url("nosqlc:cassandra:h/k?replication=SimpleStrategy:3")
                 .replication.at("replication_factor") == "3");
  BOOST_TEST(parse_url("nosqlc:cassandra:h/k?tls_ca=ca.pem").tls);
  CassandraUrl limits = parse_url("nosqlc:cassandra:h/k?auto_create=false&max_document_bytes=1000");
  BOOST_TEST(!limits.auto_create);
  BOOST_TEST(limits.max_document_bytes == 1000u);
  CassandraUrl defaults = parse_url("nosqlc:cassandra:h/k");
  BOOST_TEST(defaults.auto_create);
  BOOST_TEST(defaults.max_document_bytes == 8'000'000u);
  BOOST_TEST(defaults.local_dc.empty());
  BOOST_TEST(defaults.allow_remote_dc == 0u);
  BOOST_TEST(defaults.allowed_hosts.empty());
}

BOOST_AUTO_TEST_CASE(routing_options) {
  CassandraUrl u = parse_url(
      "nosqlc:cassandra:h/k?local_dc=dc-east_1&allow_remote_dc=2&allowed_hosts=10.0.0.1,::1");
  BOOST_TEST(u.local_dc == "dc-east_1");
  BOOST_TEST(u.allow_remote_dc == 2u);
  BOOST_TEST((u.allowed_hosts == std::vector<std::string>{"10.0.0.1", "::1"}));
  auto o = nosqlc::cassandra::session_options(u, {});
  BOOST_TEST(o.local_dc == "dc-east_1");
  BOOST_TEST(o.allow_remote_dc == 2u);
  BOOST_REQUIRE(o.host_filter);
  nosqlc::protocol::HostInfo h;
  h.address = "10.0.0.1";
  BOOST_TEST(o.host_filter(h));
  h.address = "10.0.0.2";
  BOOST_TEST(!o.host_filter(h));
  BOOST_TEST(
      !nosqlc::cassandra::session_options(parse_url("nosqlc:cassandra:h/k"), {}).host_filter);
  expect_invalid("nosqlc:cassandra:h/ks?local_dc=a%20b", "local_dc");
  expect_invalid("nosqlc:cassandra:h/ks?allow_remote_dc=x", "allow_remote_dc");
  expect_invalid("nosqlc:cassandra:h/ks?allowed_hosts=a,,b", "allowed_hosts");
  expect_invalid("nosqlc:cassandra:h/ks?allowed_hosts=a/b", "allowed_hosts");
}

// Issue 12 item 8: a password written into the URL never appears in the error about it.
BOOST_AUTO_TEST_CASE(credentials_in_the_url_are_refused_without_echoing_them) {
  for (std::string url :
       {"nosqlc:cassandra:admin:hunter2@localhost/ks", "nosqlc:cassandra:hunter2@localhost:9042/ks",
        "nosqlc:cassandra:u:pa/ss?hunter2@h/ks", "nosqlc:cassandra:h/ks?password=hunter2",
        "nosqlc:cassandra:h/ks?page_size=1&db_password=hunter2&x=y",
        "nosqlc:cassandra:h/ks?secret_token=hunter2"}) {
    BOOST_TEST_CONTEXT(url) {
      try {
        parse_url(url);
        BOOST_ERROR("no error");
      } catch (const nosqlc::Error& e) {
        std::string what = e.what();
        BOOST_TEST((e.code() == nosqlc::errc::invalid_url));
        BOOST_TEST(what.find("hunter2") == std::string::npos, what);
        BOOST_TEST(what.find("***") != std::string::npos, what);
      }
    }
  }
  expect_invalid("nosqlc:cassandra:admin:hunter2@localhost/ks", "credentials do not go in the URL");
  expect_invalid("nosqlc:cassandra:h/ks?username=u", "credentials do not go in the URL");
}

BOOST_AUTO_TEST_CASE(malformed_urls_name_the_part_at_fault) {
  expect_invalid("nosqlc:memory:", "expected nosqlc:cassandra");
  expect_invalid("nosqlc:cassandra:localhost", "missing /keyspace");
  expect_invalid("nosqlc:cassandra:/ks", "missing host");
  expect_invalid("nosqlc:cassandra:localhost/", "missing keyspace");
  expect_invalid("nosqlc:cassandra:localhost/1ks", "invalid keyspace \"1ks\"");
  expect_invalid("nosqlc:cassandra:localhost/my-ks", "invalid keyspace");
  expect_invalid("nosqlc:cassandra:localhost:0/ks", "invalid port \"0\"");
  expect_invalid("nosqlc:cassandra:localhost:65536/ks", "invalid port \"65536\"");
  expect_invalid("nosqlc:cassandra:localhost:x/ks", "invalid port \"x\"");
  expect_invalid("nosqlc:cassandra:localhost:/ks", "empty port");
  expect_invalid("nosqlc:cassandra:a,,b/ks", "empty host");
  expect_invalid("nosqlc:cassandra:::1/ks", "must be in brackets");
  expect_invalid("nosqlc:cassandra:[::1/ks", "unclosed");
  expect_invalid("nosqlc:cassandra:[zz]/ks", "invalid IPv6 host");
  expect_invalid("nosqlc:cassandra:h$st/ks", "invalid host");
  expect_invalid("nosqlc:cassandra:h/ks?colour=blue", "unknown option \"colour\"");
  expect_invalid("nosqlc:cassandra:h/ks?page_size", "has no value");
  expect_invalid("nosqlc:cassandra:h/ks?page_size=0", "page_size");
  expect_invalid("nosqlc:cassandra:h/ks?page_size=1&page_size=2", "given twice");
  expect_invalid("nosqlc:cassandra:h/ks?consistency=most", "unknown consistency");
  expect_invalid("nosqlc:cassandra:h/ks?serial_consistency=ONE", "SERIAL or LOCAL_SERIAL");
  expect_invalid("nosqlc:cassandra:h/ks?compression=zstd", "lz4 or none");
  expect_invalid("nosqlc:cassandra:h/ks?tls=maybe", "true or false");
  expect_invalid("nosqlc:cassandra:h/ks?request_timeout_ms=-5", "request_timeout_ms");
  expect_invalid("nosqlc:cassandra:h/ks?pool_size=65", "pool_size");
  expect_invalid("nosqlc:cassandra:h/ks?io_threads=65", "io_threads");
  expect_invalid("nosqlc:cassandra:h/ks?io_threads=-1", "io_threads");
  expect_invalid("nosqlc:cassandra:h/ks?tls_cert=c.pem", "go together");
  expect_invalid("nosqlc:cassandra:h/ks?tls_ca=%zz", "%-escape");
  expect_invalid("nosqlc:cassandra:h/ks?replication=SimpleStrategy:0", "replication factor");
  expect_invalid("nosqlc:cassandra:h/ks?auto_create=perhaps", "true or false");
  expect_invalid("nosqlc:cassandra:h/ks?max_document_bytes=0", "max_document_bytes");
  expect_invalid("nosqlc:cassandra:h/ks?max_document_bytes=134000001", "max_document_bytes");
  expect_invalid("nosqlc:cassandra:h/ks?replication=Everywhere:1", "unknown strategy");
  expect_invalid("nosqlc:cassandra:h/ks?replication=NetworkTopologyStrategy:dc1", "dc=N");
  expect_invalid("nosqlc:cassandra:h/select", "reserved CQL keyword");
  expect_invalid("nosqlc:cassandra:h/KeySpace", "reserved CQL keyword");
  expect_invalid("nosqlc:cassandra:h/ks?page_size=10&&tls=true", "empty option");
  expect_invalid("nosqlc:cassandra:h/ks?page_size=10&", "empty option");
  expect_invalid("nosqlc:cassandra:h/ks?tls=false&tls_ca=ca.pem", "tls=false with");
}

BOOST_AUTO_TEST_CASE(every_option_reaches_the_cql_session) {
  namespace pr = nosqlc::protocol;
  CassandraUrl u = parse_url(
      "nosqlc:cassandra:h1:9043,[::1]/k?consistency=quorum&serial_consistency=LOCAL_SERIAL"
      "&page_size=100&compression=none&tls=true&tls_ca=ca.pem&tls_cert=c.pem&tls_key=k.pem"
      "&tls_verify=false&connect_timeout_ms=250&request_timeout_ms=1500&pool_size=4"
      "&io_threads=2");
  nosqlc::Properties login{{"username", "app"}, {"password", "pw"}};
  pr::SessionOptions o = nosqlc::cassandra::session_options(u, login);
  BOOST_REQUIRE(o.contact_points.size() == 2u);
  BOOST_TEST(o.contact_points[0].host == "h1");
  BOOST_TEST(o.contact_points[0].port == 9043);
  BOOST_TEST(o.contact_points[1].host == "::1");
  BOOST_TEST(o.contact_points[1].port == 9042);
  BOOST_TEST((o.consistency == pr::Consistency::quorum));
  BOOST_TEST((o.serial_consistency == pr::Consistency::local_serial));
  BOOST_TEST(o.page_size == 100);
  BOOST_TEST(o.pool_size == 4u);
  BOOST_TEST(o.io_threads == 2u);
  BOOST_TEST(o.keyspace.empty());  // the driver names its tables keyspace.table
  const auto& c = o.connection;
  BOOST_TEST(!c.compression);
  BOOST_TEST(c.tls.enabled);
  BOOST_TEST(c.tls.ca_file == "ca.pem");
  BOOST_TEST(c.tls.cert_file == "c.pem");
  BOOST_TEST(c.tls.key_file == "k.pem");
  BOOST_TEST(!c.tls.verify);
  BOOST_TEST(c.connect_timeout.count() == 250);
  BOOST_TEST(c.request_timeout.count() == 1500);
  BOOST_REQUIRE(c.credentials.has_value());
  BOOST_TEST(c.credentials->username == "app");
  BOOST_TEST(c.credentials->password == "pw");

  auto plain = nosqlc::cassandra::session_options(parse_url("nosqlc:cassandra:h/k"), {});
  BOOST_TEST(!plain.connection.credentials.has_value());
  BOOST_TEST(!plain.connection.compression);
  BOOST_TEST(!plain.connection.tls.enabled);
  BOOST_TEST((plain.consistency == pr::Consistency::local_one));
}

BOOST_AUTO_TEST_CASE(a_certificate_file_alone_asks_for_tls) {
  BOOST_TEST(parse_url("nosqlc:cassandra:h/ks?tls_ca=ca.pem").tls);
  BOOST_TEST(parse_url("nosqlc:cassandra:h/ks?tls=true&tls_ca=ca.pem").tls);
  BOOST_TEST(!parse_url("nosqlc:cassandra:h/ks?tls=false").tls);
}

BOOST_AUTO_TEST_CASE(identifiers) {
  using nosqlc::cassandra::is_identifier;
  BOOST_TEST(is_identifier("a"));
  BOOST_TEST(is_identifier("Orders_2024"));
  BOOST_TEST(is_identifier(std::string(48, 'x')));
  BOOST_TEST(!is_identifier(std::string(49, 'x')));
  BOOST_TEST(!is_identifier(""));
  BOOST_TEST(!is_identifier("_a"));
  BOOST_TEST(!is_identifier("9a"));
  BOOST_TEST(!is_identifier("a.b"));
  BOOST_TEST(!is_identifier("caf\xc3\xa9"));
}

BOOST_AUTO_TEST_SUITE_END()
