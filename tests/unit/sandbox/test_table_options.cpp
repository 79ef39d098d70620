// Table options, checked against Cassandra 4.0's TableAttributes, PropertyDefinitions,
// TableParams (validate and the Builder's defaults), CachingParams, CompactionParams,
// CompressionParams and SchemaKeyspace (the system_schema.tables row); the default TTL as
// Attributes.getTimeToLive applies it.
#include "executor_fixture.hpp"

using namespace sandbox_test;

namespace {

struct OptionsFixture : ExecutorFixture {
  OptionsFixture() {
    ok("CREATE KEYSPACE ks WITH replication = {'class': 'SimpleStrategy', "
       "'replication_factor': 1}");
  }
  // The system_schema.tables row of ks.<table>, columns as named.
  json::value option(const std::string& table, const std::string& column) {
    auto r = select("SELECT " + column +
                    " FROM system_schema.tables WHERE keyspace_name = 'ks' AND table_name = '" +
                    table + "'");
    BOOST_REQUIRE_EQUAL(r.size(), 1u);
    return r[0].as_array()[0];
  }
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(sandbox_table_options, OptionsFixture)

BOOST_AUTO_TEST_CASE(defaults_are_table_params_defaults) {
  ok("CREATE TABLE ks.t (k int PRIMARY KEY, v text)");
  BOOST_TEST(option("t", "comment") == json::value(""));
  BOOST_TEST(option("t", "default_time_to_live") == json::value(0));
  BOOST_TEST(option("t", "gc_grace_seconds") == json::value(864000));
  BOOST_TEST(option("t", "bloom_filter_fp_chance") == json::value(0.01));
  BOOST_TEST(option("t", "speculative_retry") == json::value("99p"));
  BOOST_TEST(option("t", "cdc").is_null());
  BOOST_TEST(
      option("t", "compaction") ==
      parse_json(R"({"class":"org.apache.cassandra.db.compaction.SizeTieredCompactionStrategy",
                            "max_threshold":"32","min_threshold":"4"})"));
}

BOOST_AUTO_TEST_CASE(options_are_stored_and_reported) {
  ok("CREATE TABLE ks.t (k int PRIMARY KEY, v text) WITH comment = 'hello' AND "
     "default_time_to_live = 100 AND gc_grace_seconds = 3600 AND compaction = {'class': "
     "'LeveledCompactionStrategy', 'sstable_size_in_mb': '160'} AND caching = {'keys': 'none', "
     "'rows_per_partition': '10'} AND compression = {'class': 'ZstdCompressor', "
     "'chunk_length_in_kb': 64} AND speculative_retry = '99PERCENTILE' AND "
     "additional_write_policy = '50ms' AND read_repair = 'none' AND cdc = true AND "
     "crc_check_chance = 0.5 AND min_index_interval = 64 AND max_index_interval = 512 AND "
     "memtable_flush_period_in_ms = 60000");
  BOOST_TEST(option("t", "comment") == json::value("hello"));
  BOOST_TEST(option("t", "default_time_to_live") == json::value(100));
  BOOST_TEST(option("t", "gc_grace_seconds") == json::value(3600));
  // LCS's own default fp chance (CompactionParams.defaultBloomFilterFbChance).
  BOOST_TEST(option("t", "bloom_filter_fp_chance") == json::value(0.1));
  BOOST_TEST(option("t", "compaction") ==
             parse_json(R"({"class":"org.apache.cassandra.db.compaction.LeveledCompactionStrategy",
                            "max_threshold":"32","min_threshold":"4","sstable_size_in_mb":"160"})"));
  BOOST_TEST(option("t", "caching") == parse_json(R"({"keys":"NONE","rows_per_partition":"10"})"));
  BOOST_TEST(option("t", "compression") == parse_json(R"({"chunk_length_in_kb":"64",
                            "class":"org.apache.cassandra.io.compress.ZstdCompressor"})"));
  BOOST_TEST(option("t", "speculative_retry") == json::value("99p"));
  BOOST_TEST(option("t", "additional_write_policy") == json::value("50ms"));
  BOOST_TEST(option("t", "read_repair") == json::value("NONE"));
  BOOST_TEST(option("t", "cdc") == json::value(true));
  BOOST_TEST(option("t", "crc_check_chance") == json::value(0.5));
  BOOST_TEST(option("t", "min_index_interval") == json::value(64));
  BOOST_TEST(option("t", "max_index_interval") == json::value(512));
  BOOST_TEST(option("t", "memtable_flush_period_in_ms") == json::value(60000));
}

BOOST_AUTO_TEST_CASE(unknown_options_and_classes_are_refused) {
  BOOST_TEST(fails("CREATE TABLE ks.t (k int PRIMARY KEY) WITH bogus_option = 3") ==
             "Syntax_error: Unknown property 'bogus_option'");
  // Removed in 4.0 (CASSANDRA-13910): no longer a table option.
  BOOST_TEST(fails("CREATE TABLE ks.t (k int PRIMARY KEY) WITH read_repair_chance = 0.1") ==
             "Syntax_error: Unknown property 'read_repair_chance'");
  BOOST_TEST(fails("CREATE TABLE ks.t (k int PRIMARY KEY) WITH compaction = {'class': 'Bogus'}") ==
             "Config_error: Unable to find compaction strategy class "
             "'org.apache.cassandra.db.compaction.Bogus'");
  BOOST_TEST(
      fails("CREATE TABLE ks.t (k int PRIMARY KEY) WITH compaction = {'min_threshold': 2}") ==
      "Config_error: Missing sub-option 'class' for the 'compaction' option");
  BOOST_TEST(fails("CREATE TABLE ks.t (k int PRIMARY KEY) WITH compaction = {'class': "
                   "'SizeTieredCompactionStrategy', 'foo': 1}") ==
             "Config_error: Properties specified [foo] are not understood by "
             "SizeTieredCompactionStrategy");
  BOOST_TEST(fails("CREATE TABLE ks.t (k int PRIMARY KEY) WITH compression = {'class': 'LZ5'}") ==
             "Config_error: Could not create Compression for type "
             "org.apache.cassandra.io.compress.LZ5");
  BOOST_TEST(fails("CREATE TABLE ks.t (k int PRIMARY KEY) WITH compression = {'class': "
                   "'LZ4Compressor', 'chunk_length_in_kb': 3}") ==
             "Config_error: chunk_length_in_kb must be a power of 2");
  BOOST_TEST(fails("CREATE TABLE ks.t (k int PRIMARY KEY) WITH comment = {'a': 'b'}") ==
             "Syntax_error: Invalid value for property 'comment'. It should be a string");
  BOOST_TEST(fails("CREATE TABLE ks.t (k int PRIMARY KEY) WITH caching = 'ALL'") ==
             "Syntax_error: Invalid value for property 'caching'. It should be a map.");
  BOOST_TEST(fails("CREATE TABLE ks.t (k int PRIMARY KEY) WITH gc_grace_seconds = 'x'") ==
             "Syntax_error: Invalid integer value x for 'gc_grace_seconds'");
  BOOST_TEST(fails("CREATE TABLE ks.t (k int PRIMARY KEY) WITH bloom_filter_fp_chance = 1.23") ==
             "Config_error: bloom_filter_fp_chance must be larger than 6.71E-5 and less than or "
             "equal to 1.0 (got 1.23)");
  BOOST_TEST(fails("CREATE TABLE ks.t (k int PRIMARY KEY) WITH default_time_to_live = -1") ==
             "Config_error: default_time_to_live must be greater than or equal to 0 (got -1)");
  BOOST_TEST(fails("CREATE TABLE ks.t (k int PRIMARY KEY) WITH speculative_retry = 'often'") ==
             "Config_error: Invalid value often for option 'speculative_retry'");
  BOOST_TEST(fails("CREATE TABLE ks.t (k int PRIMARY KEY) WITH min_index_interval = 4096") ==
             "Config_error: max_index_interval must be greater than or equal to "
             "min_index_interval (4096) (got 2048)");
  // CreateTableStatement: the sandbox's tables have no clustering column to order.
  BOOST_TEST(fails("CREATE TABLE ks.t (k int PRIMARY KEY, v int) WITH CLUSTERING ORDER BY (v "
                   "DESC, k ASC)") ==
             "Invalid: Only clustering key columns can be defined in CLUSTERING ORDER directive: "
             "[v, k] are not clustering columns");
  // Nothing was created by any of them.
  BOOST_TEST(
      select("SELECT table_name FROM system_schema.tables WHERE keyspace_name = 'ks'").empty());
}

BOOST_AUTO_TEST_CASE(caching_and_compression_read_as_cassandra_reads_them) {
  // CachingParams.fromMap: what is left out is NONE; 0 rows is NONE.
  ok("CREATE TABLE ks.c1 (k int PRIMARY KEY) WITH caching = {'rows_per_partition': '0'}");
  BOOST_TEST(option("c1", "caching") ==
             parse_json(R"({"keys":"NONE","rows_per_partition":"NONE"})"));
  BOOST_TEST(fails("CREATE TABLE ks.c2 (k int PRIMARY KEY) WITH caching = {'foo': 'ALL'}") ==
             "Config_error: Invalid caching sub-options [foo]: only 'keys' and "
             "'rows_per_partition' are allowed");
  // CompressionParams.fromMap: disabled is {'enabled': 'false'}, and then alone.
  ok("CREATE TABLE ks.c3 (k int PRIMARY KEY) WITH compression = {'enabled': false}");
  BOOST_TEST(option("c3", "compression") == parse_json(R"({"enabled":"false"})"));
  BOOST_TEST(fails("CREATE TABLE ks.c4 (k int PRIMARY KEY) WITH compression = {'enabled': "
                   "false, 'class': 'LZ4Compressor'}") ==
             "Config_error: If the 'enabled' option is set to false no other options must be "
             "specified");
  BOOST_TEST(fails("CREATE TABLE ks.c4 (k int PRIMARY KEY) WITH compression = "
                   "{'chunk_length_in_kb': 16}") ==
             "Config_error: Missing sub-option 'class' for the 'compression' option.");
}

BOOST_AUTO_TEST_CASE(default_ttl_applies_to_writes_without_their_own) {
  ok("CREATE TABLE ks.t (k int PRIMARY KEY, v text) WITH default_time_to_live = 10");
  ok("INSERT INTO ks.t (k, v) VALUES (1, 'default')");
  ok("INSERT INTO ks.t (k, v) VALUES (2, 'own') USING TTL 100");
  ok("INSERT INTO ks.t (k, v) VALUES (3, 'none') USING TTL 0");  // 0: no TTL at all
  ok("UPDATE ks.t SET v = 'updated' WHERE k = 4");
  // The sandbox has no ttl() selector: the cells' expiry shows the TTLs.
  test_now() += 11'000'000;
  BOOST_TEST(select("SELECT k FROM ks.t WHERE k IN (1, 2, 3, 4)") == parse_json("[[2],[3]]"));
  test_now() += 90'000'000;
  BOOST_TEST(select("SELECT k FROM ks.t WHERE k IN (1, 2, 3, 4)") == parse_json("[[3]]"));
}

BOOST_AUTO_TEST_SUITE_END()
