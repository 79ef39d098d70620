"""Server-side DESCRIBE, which cqlsh 6 (shipped with Cassandra 4) relies on, as the DataStax
Python driver (Debian's python3-cassandra) sees it from the sandbox. The expected rows and CQL
texts follow Cassandra 4.0's cql3/statements/DescribeStatement.java (forms, columns, errors,
paging), schema/KeyspaceMetadata.java and ReplicationParams.java (CREATE KEYSPACE),
schema/TableMetadata.java (appendCqlTo: columns, PRIMARY KEY, ID, dropped columns, virtual
tables), schema/TableParams.java (the options in their fixed order) and the expected texts of
test/unit/org/apache/cassandra/cql3/statements/DescribeStatementTest.java.

Run by tests/peer/run.sh, which starts the sandbox and sets SANDBOX_HOST and SANDBOX_PORT. Run
with /usr/bin/python3: Debian's packages are not in a pyenv's path.
"""

import unittest
import uuid

from cassandra import InvalidRequest
from cassandra.query import SimpleStatement

import sandbox_env


cluster = None
session = None
KS = None

SYSTEM_KEYSPACES = ["system", "system_auth", "system_distributed", "system_schema",
                    "system_traces", "system_views", "system_virtual_schema"]


def setUpModule():
    global cluster, session, KS
    cluster, session = sandbox_env.connect()
    KS = sandbox_env.create_keyspace(session, "peer_describe_")
    session.execute("CREATE TABLE %s.plain (id int PRIMARY KEY, value text)" % KS)
    session.execute(ALL_TYPES % KS)


def tearDownModule():
    if cluster is not None:
        cluster.shutdown()


def describe(cql, keyspace=None, fetch_size=None):
    s = cluster.connect(keyspace) if keyspace else session
    try:
        return list(s.execute(SimpleStatement(cql, fetch_size=fetch_size)))
    finally:
        if keyspace:
            s.shutdown()


# DescribeStatementTest.tableParametersCql() for 4.0 (no memtable, allow_auto_snapshot or
# incremental_backups: those came in 4.1 and 4.2).
TABLE_PARAMETERS = (
    "additional_write_policy = '99p'\n"
    "    AND bloom_filter_fp_chance = 0.01\n"
    "    AND caching = {'keys': 'ALL', 'rows_per_partition': 'NONE'}\n"
    "    AND cdc = false\n"
    "    AND comment = ''\n"
    "    AND compaction = {'class': 'org.apache.cassandra.db.compaction.SizeTieredCompactionStrategy', "
    "'max_threshold': '32', 'min_threshold': '4'}\n"
    "    AND compression = {'chunk_length_in_kb': '16', "
    "'class': 'org.apache.cassandra.io.compress.LZ4Compressor'}\n"
    "    AND crc_check_chance = 1.0\n"
    "    AND default_time_to_live = 0\n"
    "    AND extensions = {}\n"
    "    AND gc_grace_seconds = 864000\n"
    "    AND max_index_interval = 2048\n"
    "    AND memtable_flush_period_in_ms = 0\n"
    "    AND min_index_interval = 128\n"
    "    AND read_repair = 'BLOCKING'\n"
    "    AND speculative_retry = '99p';"
)

# DescribeStatementTest.allTypesTable(): created in another column order, described in
# Cassandra's (the key, then simple columns by name, then non-frozen collections by name).
ALL_TYPES = (
    "CREATE TABLE %s.has_all_types (setcol set<tinyint>, num int PRIMARY KEY, "
    "mapcol map<timestamp, timeuuid>, asciicol ascii, bigintcol bigint, blobcol blob, "
    "booleancol boolean, decimalcol decimal, doublecol double, durationcol duration, "
    "floatcol float, frozenlistcol frozen<list<text>>, "
    "frozenmapcol frozen<map<timestamp, timeuuid>>, frozensetcol frozen<set<bigint>>, "
    "intcol int, smallintcol smallint, textcol text, timestampcol timestamp, "
    "tinyintcol tinyint, tuplecol tuple<text, int, tuple<timestamp>>, uuidcol uuid, "
    "varcharcol varchar, varintcol varint, listcol list<decimal>)"
)


def all_types_output(ks):
    return (
        "CREATE TABLE %s.has_all_types (\n"
        "    num int PRIMARY KEY,\n"
        "    asciicol ascii,\n"
        "    bigintcol bigint,\n"
        "    blobcol blob,\n"
        "    booleancol boolean,\n"
        "    decimalcol decimal,\n"
        "    doublecol double,\n"
        "    durationcol duration,\n"
        "    floatcol float,\n"
        "    frozenlistcol frozen<list<text>>,\n"
        "    frozenmapcol frozen<map<timestamp, timeuuid>>,\n"
        "    frozensetcol frozen<set<bigint>>,\n"
        "    intcol int,\n"
        "    smallintcol smallint,\n"
        "    textcol text,\n"
        "    timestampcol timestamp,\n"
        "    tinyintcol tinyint,\n"
        "    tuplecol frozen<tuple<text, int, frozen<tuple<timestamp>>>>,\n"
        "    uuidcol uuid,\n"
        "    varcharcol text,\n"
        "    varintcol varint,\n"
        "    listcol list<decimal>,\n"
        "    mapcol map<timestamp, timeuuid>,\n"
        "    setcol set<tinyint>\n"
        ") WITH " % ks + TABLE_PARAMETERS
    )


def keyspace_output(ks):
    # KeyspaceMetadata.toCqlString: two spaces before AND; ReplicationParams.appendCqlTo: the
    # class by its simple name when it is in org.apache.cassandra.locator.
    return ("CREATE KEYSPACE %s WITH replication = {'class': 'SimpleStrategy', "
            "'replication_factor': '1'}  AND durable_writes = true;" % ks)


def plain_output(ks):
    return ("CREATE TABLE %s.plain (\n    id int PRIMARY KEY,\n    value text\n) WITH " % ks
            + TABLE_PARAMETERS)


class Elements(unittest.TestCase):
    """DescribeStatement.keyspace, table and generic, and their create_statement texts."""

    def test_describe_keyspace_rows_and_texts(self):
        expected = [
            (KS, "keyspace", KS, keyspace_output(KS)),
            (KS, "table", "has_all_types", all_types_output(KS)),
            (KS, "table", "plain", plain_output(KS)),
        ]
        for cql in ("DESCRIBE KEYSPACE %s" % KS, "DESC KEYSPACE %s" % KS, "DESCRIBE %s" % KS):
            rows = describe(cql)
            self.assertEqual(rows[0]._fields,
                             ("keyspace_name", "type", "name", "create_statement"))
            self.assertEqual([tuple(r) for r in rows], expected, cql)
        self.assertEqual([tuple(r) for r in describe("DESCRIBE KEYSPACE", keyspace=KS)],
                         expected)
        self.assertEqual([tuple(r) for r in describe("DESCRIBE ONLY KEYSPACE %s" % KS)],
                         expected[:1])

    def test_describe_table_forms(self):
        expected = [(KS, "table", "plain", plain_output(KS))]
        for cql in ("DESCRIBE TABLE %s.plain", "desc columnfamily %s.plain", "DESCRIBE %s.plain"):
            self.assertEqual([tuple(r) for r in describe(cql % KS)], expected, cql)
        for cql in ("DESCRIBE TABLE plain", "DESC plain"):
            self.assertEqual([tuple(r) for r in describe(cql, keyspace=KS)], expected, cql)

    def test_quoted_names_and_options(self):
        session.execute(
            "CREATE TABLE %s.\"Mixed\" (\"Key\" text PRIMARY KEY, \"select\" int) WITH "
            "comment = 'it''s' AND gc_grace_seconds = 10 AND compaction = "
            "{'class': 'LeveledCompactionStrategy'} AND speculative_retry = '50ms'" % KS)
        rows = describe("DESCRIBE TABLE %s.\"Mixed\"" % KS)
        self.assertEqual(rows[0].name, '"Mixed"')
        text = rows[0].create_statement
        self.assertTrue(text.startswith(
            'CREATE TABLE %s."Mixed" (\n    "Key" text PRIMARY KEY,\n    "select" int\n) WITH '
            % KS), text)
        self.assertIn("\n    AND bloom_filter_fp_chance = 0.1\n", text)
        self.assertIn("\n    AND comment = 'it''s'\n", text)
        self.assertIn("\n    AND compaction = {'class': "
                      "'org.apache.cassandra.db.compaction.LeveledCompactionStrategy', "
                      "'max_threshold': '32', 'min_threshold': '4'}\n", text)
        self.assertIn("\n    AND gc_grace_seconds = 10\n", text)
        self.assertTrue(text.endswith("\n    AND speculative_retry = '50ms';"), text)
        session.execute("DROP TABLE %s.\"Mixed\"" % KS)

    def test_with_internals_shows_the_id_and_dropped_columns(self):
        # DescribeStatementTest.testDescribeTableWithInternals, with one key column.
        session.execute("CREATE TABLE %s.internals (pk text PRIMARY KEY, v1 text, v2 int, "
                        "v3 int)" % KS)
        table_id = session.execute(
            "SELECT id FROM system_schema.tables WHERE keyspace_name = %s AND table_name = %s",
            (KS, "internals")).one().id
        create = ("CREATE TABLE %s.internals (\n    pk text PRIMARY KEY,\n    v1 text,\n"
                  "    v2 int,\n    v3 int\n) WITH ID = %s\n    AND " % (KS, table_id)
                  + TABLE_PARAMETERS)
        cql = "DESCRIBE TABLE %s.internals WITH INTERNALS" % KS
        self.assertEqual(describe(cql)[0].create_statement, create)
        drop = "ALTER TABLE %s.internals DROP v3 USING TIMESTAMP 1589286942065000;" % KS
        session.execute(drop)
        self.assertEqual(describe(cql)[0].create_statement, create + "\n" + drop)
        add = "ALTER TABLE %s.internals ADD v3 int;" % KS
        session.execute(add)
        self.assertEqual(describe(cql)[0].create_statement, create + "\n" + drop + "\n" + add)
        # Without internals the table is as it is now.
        self.assertNotIn("ALTER TABLE", describe("DESCRIBE TABLE %s.internals" % KS)[0]
                         .create_statement)

    def test_virtual_keyspaces_and_tables_are_comments(self):
        # DescribeStatementTest.testDescribeVirtualTables.
        rows = describe("DESCRIBE ONLY KEYSPACE system_virtual_schema;")
        self.assertEqual([tuple(r) for r in rows], [(
            "system_virtual_schema", "keyspace", "system_virtual_schema",
            "/*\nWarning: Keyspace system_virtual_schema is a virtual keyspace and cannot be "
            "recreated with CQL.\nStructure, for reference:\nVIRTUAL KEYSPACE "
            "system_virtual_schema;\n*/")])
        rows = describe("DESCRIBE TABLE system_virtual_schema.columns;")
        self.assertEqual(rows[0].create_statement,
                         "/*\n"
                         "Warning: Table system_virtual_schema.columns is a virtual table and "
                         "cannot be recreated with CQL.\n"
                         "Structure, for reference:\n"
                         "VIRTUAL TABLE system_virtual_schema.columns (\n"
                         "    keyspace_name text,\n"
                         "    table_name text,\n"
                         "    column_name text,\n"
                         "    clustering_order text,\n"
                         "    column_name_bytes blob,\n"
                         "    kind text,\n"
                         "    position int,\n"
                         "    type text,\n"
                         "    PRIMARY KEY (keyspace_name, table_name, column_name)\n"
                         ") WITH CLUSTERING ORDER BY (table_name ASC, column_name ASC)\n"
                         "    AND comment = 'virtual column definitions';\n"
                         "*/")

    def test_system_tables_are_create_statements(self):
        text = describe("DESCRIBE TABLE system_schema.keyspaces")[0].create_statement
        self.assertTrue(text.startswith(
            "CREATE TABLE system_schema.keyspaces (\n    keyspace_name text PRIMARY KEY,\n"
            "    durable_writes boolean,\n    replication frozen<map<text, text>>\n) WITH "),
            text)
        self.assertIn("\n    AND comment = 'keyspace definitions'\n", text)


class Listings(unittest.TestCase):
    """DescribeStatement.keyspaces and Listing: keyspace_name, type, name, sorted by name."""

    def test_keyspaces_lists_every_keyspace_by_name(self):
        rows = describe("DESC KEYSPACES")
        self.assertEqual(rows[0]._fields, ("keyspace_name", "type", "name"))
        names = [r.name for r in rows]
        self.assertEqual(names, sorted(names, key=str.lower))
        for ks in SYSTEM_KEYSPACES + [KS]:
            self.assertIn(ks, names)
        self.assertTrue(all(r.type == "keyspace" and r.keyspace_name == r.name for r in rows))

    def test_paged_keyspaces_are_the_same_rows(self):
        whole = describe("DESCRIBE KEYSPACES")
        self.assertEqual(describe("DESCRIBE KEYSPACES", fetch_size=2), whole)

    def test_schema_change_while_paging(self):
        # DescribeStatementTest.testSchemaChangeDuringPaging.
        rows = session.execute(SimpleStatement("DESCRIBE KEYSPACES", fetch_size=1))
        it = iter(rows)
        next(it)
        other = "peer_describe_more_" + uuid.uuid4().hex[:8]
        session.execute("CREATE KEYSPACE %s WITH replication = {'class': 'SimpleStrategy', "
                        "'replication_factor': 1}" % other)
        try:
            with self.assertRaises(InvalidRequest) as caught:
                next(it)
            self.assertIn("The schema has changed since the previous page of the DESCRIBE "
                          "statement result. Please retry the DESCRIBE statement.",
                          str(caught.exception))
        finally:
            session.execute("DROP KEYSPACE %s" % other)

    def test_tables_of_the_current_keyspace_or_all(self):
        rows = describe("DESCRIBE TABLES", keyspace=KS)
        self.assertEqual([tuple(r) for r in rows if r.name in ("has_all_types", "plain")],
                         [(KS, "table", "has_all_types"), (KS, "table", "plain")])
        self.assertTrue(all(r.keyspace_name == KS for r in rows))
        everywhere = describe("DESC TABLES")
        self.assertIn(("system", "table", "local"), [tuple(r) for r in everywhere])
        self.assertIn((KS, "table", "plain"), [tuple(r) for r in everywhere])

    def test_no_types_functions_or_aggregates(self):
        for what in ("TYPES", "FUNCTIONS", "AGGREGATES"):
            self.assertEqual(describe("DESCRIBE " + what, keyspace=KS), [])
            self.assertEqual(describe("DESCRIBE " + what), [])


class Schema(unittest.TestCase):
    """DescribeStatement.schema: SchemaConstants.isSystemKeyspace ones only with FULL."""

    def test_schema_leaves_out_the_system_keyspaces(self):
        rows = describe("DESCRIBE SCHEMA")
        keyspaces = {r.keyspace_name for r in rows}
        self.assertIn(KS, keyspaces)
        for ks in SYSTEM_KEYSPACES + ["sandbox"]:
            self.assertNotIn(ks, keyspaces)
        mine = [tuple(r) for r in rows if r.keyspace_name == KS]
        self.assertEqual(mine, [tuple(r) for r in describe("DESCRIBE KEYSPACE %s" % KS)])

    def test_full_schema_includes_them(self):
        rows = describe("DESC FULL SCHEMA")
        keyspaces = [r.name for r in rows if r.type == "keyspace"]
        for ks in SYSTEM_KEYSPACES + [KS]:
            self.assertIn(ks, keyspaces)
        self.assertEqual(keyspaces, sorted(keyspaces, key=str.lower))


class DescribeCluster(unittest.TestCase):
    """DescribeStatement.cluster: range_ownership only with a current non-system keyspace."""

    def test_columns(self):
        row = describe("DESCRIBE CLUSTER")[0]
        self.assertEqual(row._fields, ("cluster", "partitioner", "snitch"))
        local = session.execute("SELECT cluster_name FROM system.local").one()
        self.assertEqual(row.cluster, local.cluster_name)
        self.assertEqual(row.partitioner, "Murmur3Partitioner")
        self.assertEqual(row.snitch, "DynamicEndpointSnitch")
        self.assertEqual(describe("DESC CLUSTER", keyspace="system")[0]._fields,
                         ("cluster", "partitioner", "snitch"))

    def test_range_ownership_for_a_user_keyspace(self):
        row = describe("DESCRIBE CLUSTER", keyspace=KS)[0]
        self.assertEqual(row._fields, ("cluster", "partitioner", "snitch", "range_ownership"))
        tokens = set()
        for r in session.execute("SELECT tokens FROM system.local"):
            tokens |= set(r.tokens)
        for r in session.execute("SELECT tokens FROM system.peers"):
            tokens |= set(r.tokens)
        self.assertEqual(set(row.range_ownership.keys()), tokens)
        for endpoints in row.range_ownership.values():
            self.assertEqual(len(endpoints), 1)  # replication_factor 1
            self.assertRegex(endpoints[0], r"^\d+\.\d+\.\d+\.\d+:7000$")


class Errors(unittest.TestCase):
    """DescribeStatement's InvalidRequest texts."""

    def assertInvalid(self, cql, message, keyspace=None):
        with self.assertRaises(InvalidRequest) as caught:
            describe(cql, keyspace=keyspace)
        self.assertIn(message, str(caught.exception))

    def test_messages(self):
        self.assertInvalid("DESCRIBE KEYSPACE nosuch_ks", "'nosuch_ks' not found in keyspaces")
        self.assertInvalid("DESCRIBE nosuch_ks", "'nosuch_ks' not found in keyspaces")
        self.assertInvalid("DESCRIBE KEYSPACE", "No keyspace specified and no current keyspace")
        self.assertInvalid("DESCRIBE TABLE plain",
                           "No keyspace specified and no current keyspace")
        self.assertInvalid("DESCRIBE TABLE %s.nosuch" % KS,
                           "Table 'nosuch' not found in keyspace '%s'" % KS)
        self.assertInvalid("DESCRIBE %s.users2" % KS, "'users2' not found in keyspace '%s'" % KS)
        self.assertInvalid("DESCRIBE users2", "'users2' not found in keyspace '%s'" % KS,
                           keyspace=KS)
        self.assertInvalid("DESCRIBE TYPE %s.t" % KS,
                           "User defined type 't' not found in '%s'" % KS)
        self.assertInvalid("DESCRIBE FUNCTION %s.f" % KS,
                           "User defined function 'f' not found in '%s'" % KS)
        self.assertInvalid("DESCRIBE AGGREGATE a", "User defined aggregate 'a' not found in '%s'"
                           % KS, keyspace=KS)
        self.assertInvalid("DESCRIBE INDEX %s.i" % KS,
                           "Table for existing index 'i' not found in '%s'" % KS)
        self.assertInvalid("DESCRIBE MATERIALIZED VIEW %s.v" % KS,
                           "Materialized view 'v' not found in '%s'" % KS)


class RoundTrip(unittest.TestCase):
    """The CQL DESCRIBE KEYSPACE prints, run under another keyspace name, makes the same schema
    (DescribeStatementTest.testDescribeRoundtrip does so for a table)."""

    def test_keyspace_round_trip(self):
        source = "peer_describe_src_" + uuid.uuid4().hex[:8]
        copy = "peer_describe_dst_" + uuid.uuid4().hex[:8]
        session.execute("CREATE KEYSPACE %s WITH replication = {'class': "
                        "'NetworkTopologyStrategy', 'datacenter1': 1} AND durable_writes = false"
                        % source)
        session.execute(ALL_TYPES % source)
        session.execute(
            "CREATE TABLE %s.opts (k text PRIMARY KEY, v int) WITH comment = 'round ''trip''' "
            "AND default_time_to_live = 60 AND caching = {'keys': 'NONE', "
            "'rows_per_partition': '10'} AND compression = {'enabled': 'false'} AND "
            "compaction = {'class': 'TimeWindowCompactionStrategy', "
            "'compaction_window_size': '2'} AND bloom_filter_fp_chance = 0.05 AND "
            "crc_check_chance = 0.5 AND read_repair = 'NONE' AND cdc = true AND "
            "additional_write_policy = 'ALWAYS' AND min_index_interval = 64" % source)
        try:
            original = describe("DESCRIBE KEYSPACE %s" % source)
            self.assertEqual(len(original), 3)
            for row in original:
                session.execute(row.create_statement.replace(source, copy))
            again = describe("DESCRIBE KEYSPACE %s" % copy)
            self.assertEqual(
                [(r.type, r.name, r.create_statement) for r in again],
                [(r.type, r.name.replace(source, copy), r.create_statement.replace(source, copy))
                 for r in original])
            self.assertIn("'class': 'NetworkTopologyStrategy', 'datacenter1': '1'}  AND "
                          "durable_writes = false;", original[0].create_statement)
        finally:
            session.execute("DROP KEYSPACE IF EXISTS %s" % source)
            session.execute("DROP KEYSPACE IF EXISTS %s" % copy)


if __name__ == "__main__":
    unittest.main(verbosity=2)
