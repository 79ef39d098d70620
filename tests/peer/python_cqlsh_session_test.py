"""A developer's cqlsh session, statement by statement as cqlsh 6.0 (shipped with Cassandra 4.0,
pylib/cqlshlib in the Cassandra tree) sends it, through the DataStax Python driver (Debian's
python3-cassandra): cqlsh itself is not installed in CI. The session checked by hand against
the sandbox was DESCRIBE KEYSPACES/KEYSPACE/TABLE/SCHEMA/CLUSTER/TABLES, paged SELECTs, COPY
TO and COPY FROM, TRACING ON, SELECT JSON and INSERT JSON, a BEGIN BATCH, and function
selectors. What cqlsh sends for each:

- connecting: "select * from system.local where key = 'local'" (bin/cqlsh.py,
  get_connection_versions: release_version and cql_version make its banner);
- DESCRIBE ...: the statement text as typed, run on the server (do_describe; Cassandra 4.0's
  cql3/statements/DescribeStatement.java gives the columns);
- SELECT: a SimpleStatement with fetch_size = the page size (100 by default);
- COPY TO (cqlshlib/copyutil.py, ExportTask.get_ranges and prepare_export_query): one
  "SELECT cols FROM ks.t WHERE token(k) > a AND token(k) <= b" per range of the driver's token
  map, the first range without a lower bound and the last without an upper bound;
- COPY FROM (ImportProcess): a prepared "INSERT INTO ks.t (cols) VALUES (?, ...)" bound per
  row and sent in UNLOGGED batches;
- TRACING ON: execute(trace=True), then the trace read back (get_query_trace);
- everything else: the text as typed.

Run by tests/peer/run.sh, which starts the sandbox and sets SANDBOX_HOST and SANDBOX_PORT. Run
with /usr/bin/python3: Debian's packages are not in a pyenv's path.
"""

import datetime
import json
import struct
import unittest
import uuid

from cassandra import ConsistencyLevel, InvalidRequest
from cassandra.cluster import Cluster
from cassandra.murmur3 import murmur3
from cassandra.protocol import SyntaxException
from cassandra.query import BatchStatement, BatchType, SimpleStatement

import sandbox_env


cluster = None
session = None
KS = None

# The table of the session: several types, as a developer makes one.
COLUMNS_DDL = (
    "k int PRIMARY KEY, name text, v int, d double, b boolean, ts timestamp, id uuid, "
    "l list<int>, m map<text, int>, s set<text>"
)
# The order SELECT * returns them in: the partition key, then the regular columns by name
# (Cassandra 4.0: TableMetadata.allColumnsInSelectOrder, Columns.selectOrderIterator). DESCRIBE
# prints the simple ones first, then the complex (non-frozen collection) ones.
STAR_ORDER = ["k", "b", "d", "id", "l", "m", "name", "s", "ts", "v"]
TS = datetime.datetime(2024, 1, 2, 3, 4, 5)
# DESCRIBE lists a keyspace's tables by name.
TABLES = [("table", "t"), ("table", "t2"), ("table", "w")]


def token_of(k):
    """Murmur3Partitioner's token of an int key, as Cassandra computes it."""
    return murmur3(struct.pack(">i", k))


def setUpModule():
    global cluster, session, KS
    cluster, session = sandbox_env.connect()
    KS = sandbox_env.create_keyspace(session, "peer_cqlsh_")
    # t holds the 250 rows that are only read; t2 is COPY FROM's target; w takes the writes.
    for table in ("t", "t2", "w"):
        session.execute("CREATE TABLE %s.%s (%s)" % (KS, table, COLUMNS_DDL))
    insert = session.prepare(
        "INSERT INTO %s.t (k, name, v, d, b, ts, id, l, m, s) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)" % KS
    )
    for i in range(250):
        session.execute(insert, (i, "n%d" % i, i * 10, i + 0.5, i % 2 == 1, TS,
                                 uuid.UUID(int=i + 1), [i, 2], {"a": i}, {"x", "y%d" % i}))


def tearDownModule():
    if cluster is not None:
        cluster.shutdown()


def rows_of(statement, *args, **kwargs):
    return list(session.execute(statement, *args, **kwargs))


class Connecting(unittest.TestCase):
    """What cqlsh reads when it connects (bin/cqlsh.py: get_connection_versions, SHOW VERSION,
    SHOW HOST)."""

    def test_banner_versions(self):
        row = session.execute("select * from system.local where key = 'local'").one()
        self.assertTrue(row.release_version.startswith("4.0"), row.release_version)
        self.assertEqual(row.cql_version, "3.4.5")
        self.assertEqual(cluster.protocol_version, 4)

    def test_cluster_name_and_partitioner_in_metadata(self):
        self.assertTrue(cluster.metadata.cluster_name)
        self.assertEqual(cluster.metadata.partitioner,
                         "org.apache.cassandra.dht.Murmur3Partitioner")
        self.assertIn(KS, cluster.metadata.keyspaces)
        self.assertEqual(list(cluster.metadata.keyspaces[KS].tables["t"].columns), STAR_ORDER)


class Describe(unittest.TestCase):
    """cqlsh 6.0 sends DESCRIBE to the server (do_describe) and prints the name columns or
    create_statement. Columns: Cassandra 4.0's DescribeStatement (keyspace_name, type, name
    [, create_statement]; cluster, partitioner, snitch [, range_ownership])."""

    ELEMENT_COLUMNS = ["keyspace_name", "type", "name", "create_statement"]
    LISTING_COLUMNS = ["keyspace_name", "type", "name"]

    def rerun_in_copy(self, statements, suffix):
        """Runs CREATE statements with KS renamed; returns the copy's name."""
        copy = KS + suffix
        for text in statements:
            session.execute(text.replace(KS, copy))
        return copy

    def test_describe_keyspaces(self):
        result = session.execute("DESCRIBE KEYSPACES")
        self.assertEqual(result.column_names, self.LISTING_COLUMNS)
        rows = list(result)
        names = [r.name for r in rows]
        self.assertIn(KS, names)
        for ks in ("system", "system_schema", "system_traces"):
            self.assertIn(ks, names)
        self.assertEqual(names, sorted(names))
        self.assertTrue(all(r.type == "keyspace" and r.keyspace_name == r.name for r in rows))

    def test_describe_keyspace_reruns_cleanly(self):
        result = session.execute("DESCRIBE KEYSPACE %s" % KS)
        self.assertEqual(result.column_names, self.ELEMENT_COLUMNS)
        rows = list(result)
        self.assertEqual([(r.type, r.name) for r in rows], [("keyspace", KS)] + TABLES)
        self.assertEqual(
            rows[0].create_statement,
            "CREATE KEYSPACE %s WITH replication = {'class': 'SimpleStrategy', "
            "'replication_factor': '1'}  AND durable_writes = true;" % KS,
        )
        copy = self.rerun_in_copy([r.create_statement for r in rows], "_k")
        again = list(session.execute("DESCRIBE KEYSPACE %s" % copy))
        self.assertEqual([r.create_statement.replace(copy, KS) for r in again],
                         [r.create_statement for r in rows])

    def test_describe_table_reruns_cleanly(self):
        result = session.execute("DESCRIBE TABLE %s.t" % KS)
        self.assertEqual(result.column_names, self.ELEMENT_COLUMNS)
        rows = list(result)
        self.assertEqual(len(rows), 1)
        row = rows[0]
        self.assertEqual((row.keyspace_name, row.type, row.name), (KS, "table", "t"))
        text = row.create_statement
        self.assertTrue(text.startswith(
            "CREATE TABLE %s.t (\n    k int PRIMARY KEY,\n    b boolean,\n    d double,\n"
            "    id uuid,\n    name text,\n    ts timestamp,\n    v int,\n    l list<int>,\n"
            "    m map<text, int>,\n    s set<text>\n) WITH " % KS), text)
        self.assertTrue(text.endswith(";"), text)
        # The short form cqlsh also accepts (DESC <name>) answers the same text.
        self.assertEqual(session.execute("DESC %s.t" % KS).one().create_statement, text)
        copy = KS + "_t"
        session.execute("CREATE KEYSPACE %s WITH replication = {'class': 'SimpleStrategy', "
                        "'replication_factor': 1}" % copy)
        session.execute(text.replace(KS, copy))
        again = session.execute("DESCRIBE TABLE %s.t" % copy).one().create_statement
        self.assertEqual(again.replace(copy, KS), text)

    def test_describe_schema_reruns_cleanly(self):
        result = session.execute("DESCRIBE SCHEMA")
        self.assertEqual(result.column_names, self.ELEMENT_COLUMNS)
        rows = list(result)
        keyspaces = {r.keyspace_name for r in rows}
        self.assertIn(KS, keyspaces)
        for system in ("system", "system_schema", "system_traces", "system_auth"):
            self.assertNotIn(system, keyspaces)
        mine = [r for r in rows if r.keyspace_name == KS]
        self.assertEqual([(r.type, r.name) for r in mine], [("keyspace", KS)] + TABLES)
        copy = self.rerun_in_copy([r.create_statement for r in mine], "_s")
        self.assertIn("t", cluster.metadata.keyspaces[copy].tables)

    def test_describe_tables(self):
        result = session.execute("DESC TABLES")
        self.assertEqual(result.column_names, self.LISTING_COLUMNS)
        mine = [(r.type, r.name) for r in result if r.keyspace_name == KS]
        self.assertEqual(mine, TABLES)

    def test_describe_tables_in_the_current_keyspace(self):
        with Cluster([sandbox_env.HOST], port=sandbox_env.PORT) as other:
            s = other.connect(KS)
            rows = list(s.execute("DESC TABLES"))
            self.assertEqual([(r.type, r.name) for r in rows], TABLES)
            self.assertEqual({r.keyspace_name for r in rows}, {KS})

    def test_describe_cluster(self):
        result = session.execute("DESCRIBE CLUSTER")
        self.assertEqual(result.column_names, ["cluster", "partitioner", "snitch"])
        row = result.one()
        self.assertEqual(row.cluster, cluster.metadata.cluster_name)
        # DescribeStatement trims the package names.
        self.assertEqual(row.partitioner, "Murmur3Partitioner")
        self.assertTrue(row.snitch)

    def test_describe_cluster_in_a_keyspace_has_range_ownership(self):
        with Cluster([sandbox_env.HOST], port=sandbox_env.PORT) as other:
            s = other.connect(KS)
            result = s.execute("DESCRIBE CLUSTER")
            self.assertEqual(result.column_names,
                             ["cluster", "partitioner", "snitch", "range_ownership"])
            ownership = result.one().range_ownership
            ring = other.metadata.token_map.ring
            self.assertEqual(sorted(ownership), sorted(str(t.value) for t in ring))
            self.assertTrue(all(owners for owners in ownership.values()))

    def test_describe_unknown_table_and_keyspace(self):
        with self.assertRaises(InvalidRequest) as raised:
            session.execute("DESCRIBE TABLE %s.nosuch" % KS)
        self.assertIn("Table 'nosuch' not found in keyspace '%s'" % KS, str(raised.exception))
        with self.assertRaises(InvalidRequest) as raised:
            session.execute("DESCRIBE KEYSPACE nosuch_%s" % KS)
        self.assertIn("'nosuch_%s' not found in keyspaces" % KS, str(raised.exception))


class Paging(unittest.TestCase):
    """cqlsh pages SELECTs with its page size (100): 250 rows come in 100, 100 and 50."""

    def test_250_rows_in_3_pages_each_row_once(self):
        statement = SimpleStatement("SELECT * FROM %s.t" % KS, fetch_size=100)
        result = session.execute(statement)
        self.assertEqual(result.column_names, STAR_ORDER)
        pages = [len(result.current_rows)]
        keys = [r.k for r in result.current_rows]
        while result.has_more_pages:
            result.fetch_next_page()
            pages.append(len(result.current_rows))
            keys.extend(r.k for r in result.current_rows)
        self.assertEqual(pages, [100, 100, 50])
        self.assertEqual(sorted(keys), list(range(250)))
        # In token order, as Murmur3Partitioner sorts partitions.
        self.assertEqual(keys, sorted(keys, key=token_of))

    def test_paging_state_resumes_where_it_stopped(self):
        statement = SimpleStatement("SELECT k FROM %s.t" % KS, fetch_size=100)
        first = session.execute(statement)
        self.assertIsNotNone(first.paging_state)
        first_keys = [r.k for r in first.current_rows]
        rest = session.execute(statement, paging_state=first.paging_state)
        rest_keys = [r.k for r in rest.current_rows]
        self.assertEqual(len(rest_keys), 100)
        self.assertFalse(set(first_keys) & set(rest_keys))


class CopyTo(unittest.TestCase):
    """COPY ks.t TO: one SELECT per token range of the driver's token map
    (copyutil.ExportTask.get_ranges, ExportProcess.prepare_export_query)."""

    def ranges(self):
        token_map = cluster.metadata.token_map
        self.assertIsNotNone(token_map)
        token_map.rebuild_keyspace(KS, build_if_absent=True)
        ring = sorted(token_map.tokens_to_hosts_by_ks[KS].items())
        self.assertGreater(len(ring), 1)
        min_token = -(2 ** 63)
        ranges, previous = [], None
        for token, replicas in ring:
            self.assertTrue(replicas)
            if token.value == min_token:
                continue
            ranges.append((previous, token.value))
            previous = token.value
        ranges.append((previous, None))
        return ranges

    @staticmethod
    def export_query(start, end):
        query = "SELECT %s FROM %s.t" % (", ".join(STAR_ORDER), KS)
        if start is not None or end is not None:
            query += " WHERE"
        if start is not None:
            query += " token(k) > %s" % start
        if start is not None and end is not None:
            query += " AND"
        if end is not None:
            query += " token(k) <= %s" % end
        return query

    def test_every_row_once_across_the_ranges(self):
        seen = []
        for start, end in self.ranges():
            statement = SimpleStatement(self.export_query(start, end), fetch_size=1000,
                                        consistency_level=ConsistencyLevel.ONE)
            for row in session.execute(statement):
                token = token_of(row.k)
                if start is not None:
                    self.assertGreater(token, start)
                if end is not None:
                    self.assertLessEqual(token, end)
                seen.append(row.k)
        self.assertEqual(sorted(seen), list(range(250)))

    def test_a_range_query_with_a_small_page_size(self):
        # COPY TO ... WITH PAGESIZE = 7: the same range read in pages.
        ranges = self.ranges()
        start, end = ranges[len(ranges) // 2]
        whole = [r.k for r in session.execute(SimpleStatement(self.export_query(start, end)))]
        paged = [r.k for r in session.execute(SimpleStatement(self.export_query(start, end),
                                                              fetch_size=7))]
        self.assertEqual(paged, whole)


class CopyFrom(unittest.TestCase):
    """COPY ks.t2 FROM: a prepared INSERT of every column, bound per CSV row and sent in
    UNLOGGED batches (copyutil.ImportProcess.make_prepared_batch_statement)."""

    def test_prepared_inserts_in_unlogged_batches(self):
        source = rows_of(SimpleStatement("SELECT %s FROM %s.t" % (", ".join(STAR_ORDER), KS),
                                         fetch_size=100))
        insert = session.prepare("INSERT INTO %s.t2 (%s) VALUES (%s)" % (
            KS, ", ".join(STAR_ORDER), ", ".join("?" for _ in STAR_ORDER)))
        self.assertEqual([c.name for c in insert.column_metadata], STAR_ORDER)
        self.assertEqual(insert.routing_key_indexes, [0])
        for i in range(0, len(source), 20):
            batch = BatchStatement(batch_type=BatchType.UNLOGGED,
                                   consistency_level=ConsistencyLevel.ONE)
            for row in source[i:i + 20]:
                batch.add(insert, tuple(row))
            session.execute(batch)
        self.assertEqual(session.execute("SELECT count(*) FROM %s.t2" % KS).one().count, 250)
        copied = rows_of(SimpleStatement("SELECT %s FROM %s.t2" % (", ".join(STAR_ORDER), KS),
                                         fetch_size=100))
        self.assertEqual(sorted(tuple(r) for r in copied), sorted(tuple(r) for r in source))


class Tracing(unittest.TestCase):
    """TRACING ON: cqlsh executes with trace=True and prints the session's events
    (cqlshlib/tracing.py). Cassandra 4.0: tracing/TraceStateImpl, QueryMessage.execute."""

    def test_a_traced_select_has_events(self):
        statement = SimpleStatement("SELECT k, v FROM %s.t WHERE k = 1" % KS)
        result = session.execute(statement, trace=True)
        self.assertEqual([(r.k, r.v) for r in result], [(1, 10)])
        trace = result.response_future.get_query_trace(max_wait=10)
        self.assertEqual(trace.request_type, "Execute CQL3 query")
        self.assertEqual(trace.parameters["query"], statement.query_string)
        self.assertIn("consistency_level", trace.parameters)
        self.assertIsNotNone(trace.duration)
        self.assertIsNotNone(trace.started_at)
        self.assertTrue(trace.events)
        for event in trace.events:
            self.assertTrue(event.description)
            self.assertIsNotNone(event.source)
            self.assertIsNotNone(event.source_elapsed)
            self.assertTrue(event.thread_name)
        elapsed = [e.source_elapsed.microseconds + e.source_elapsed.seconds * 10 ** 6
                   for e in trace.events]
        self.assertEqual(elapsed, sorted(elapsed))
        self.assertLessEqual(elapsed[-1], trace.duration.seconds * 10 ** 6 +
                             trace.duration.microseconds)

    def test_trace_event_times_are_within_the_session(self):
        # cqlsh prints "Request complete" at started_at + duration, after the events: their
        # timestamps (from the event_id timeuuids) must not come later than that.
        result = session.execute(SimpleStatement("SELECT k FROM %s.t WHERE k = 2" % KS),
                                 trace=True)
        trace = result.response_future.get_query_trace(max_wait=10)
        complete = trace.started_at + trace.duration
        for event in trace.events:
            self.assertLessEqual(event.datetime, complete + datetime.timedelta(milliseconds=1),
                                 (event.description, event.datetime, complete))


class Json(unittest.TestCase):
    """SELECT JSON and INSERT JSON (Cassandra 4.0: cql3/Json.java, selection/Selection.java
    rowToJson: the column is "[json]", keys in selection order)."""

    def test_select_json_star(self):
        result = session.execute("SELECT JSON * FROM %s.t WHERE k = 1" % KS)
        self.assertEqual(result.column_names, ["[json]"])
        text = result.one()[0]
        self.assertEqual(list(json.loads(text)), STAR_ORDER)
        self.assertEqual(json.loads(text), {
            "k": 1, "b": True, "d": 1.5, "id": str(uuid.UUID(int=2)), "name": "n1",
            "ts": "2024-01-02 03:04:05.000Z", "v": 10, "l": [1, 2], "m": {"a": 1},
            "s": ["x", "y1"],
        })

    def test_insert_json_round_trip(self):
        document = {
            "k": 1000, "name": "json", "v": 7, "d": 1.25, "b": True,
            "ts": "2024-05-06 07:08:09.000Z", "id": "0f8fad5b-d9cb-469f-a165-70867728950e",
            "l": [1, 2, 3], "m": {"q": 9}, "s": ["a", "b"],
        }
        session.execute("INSERT INTO %s.w JSON '%s'" % (KS, json.dumps(document)))
        text = session.execute("SELECT JSON * FROM %s.w WHERE k = 1000" % KS).one()[0]
        self.assertEqual(json.loads(text), document)
        row = session.execute("SELECT * FROM %s.w WHERE k = 1000" % KS).one()
        self.assertEqual(row.ts, datetime.datetime(2024, 5, 6, 7, 8, 9))
        self.assertEqual(row.id, uuid.UUID("0f8fad5b-d9cb-469f-a165-70867728950e"))
        self.assertEqual(row.s, {"a", "b"})
        session.execute("DELETE FROM %s.w WHERE k = 1000" % KS)

    def test_select_json_of_some_columns_and_several_rows(self):
        rows = rows_of("SELECT JSON k, v FROM %s.t WHERE k IN (1, 2)" % KS)
        self.assertEqual([json.loads(r[0]) for r in rows], [{"k": 1, "v": 10}, {"k": 2, "v": 20}])


class TextBatch(unittest.TestCase):
    """BEGIN BATCH ... APPLY BATCH typed in cqlsh goes to the server as one QUERY."""

    def test_begin_batch(self):
        session.execute("INSERT INTO %s.w (k, v) VALUES (2002, 9)" % KS)
        session.execute(
            "BEGIN BATCH "
            "INSERT INTO %s.w (k, v, name) VALUES (2000, 1, 'one'); "
            "UPDATE %s.w SET v = 2, l = l + [5] WHERE k = 2001; "
            "DELETE FROM %s.w WHERE k = 2002; "
            "APPLY BATCH;" % (KS, KS, KS)
        )
        rows = rows_of("SELECT k, v, name, l FROM %s.w WHERE k IN (2000, 2001, 2002)" % KS)
        self.assertEqual([tuple(r) for r in rows], [(2000, 1, "one", None), (2001, 2, None, [5])])
        session.execute("BEGIN UNLOGGED BATCH USING TIMESTAMP 1000 "
                        "DELETE FROM %s.w WHERE k = 2000; DELETE FROM %s.w WHERE k = 2001; "
                        "APPLY BATCH" % (KS, KS))
        # The rows were written at the present time, after timestamp 1000: they stay.
        self.assertEqual(len(rows_of("SELECT k FROM %s.w WHERE k IN (2000, 2001)" % KS)), 2)
        session.execute("BEGIN BATCH DELETE FROM %s.w WHERE k = 2000; "
                        "DELETE FROM %s.w WHERE k = 2001; APPLY BATCH" % (KS, KS))
        self.assertEqual(rows_of("SELECT k FROM %s.w WHERE k IN (2000, 2001)" % KS), [])


class FunctionSelectors(unittest.TestCase):
    """Selectors with functions: their values and the column names cqlsh prints (Cassandra 4.0:
    selection/Selectable.java and functions/FunctionName: native functions are shown as
    system.name, writetime/ttl/cast keep their written form)."""

    @classmethod
    def setUpClass(cls):
        cls.written_at = 1700000000123456
        session.execute("INSERT INTO %s.w (k, v) VALUES (3000, 5) USING TTL 1000 AND TIMESTAMP %d"
                        % (KS, cls.written_at))

    def test_values_and_column_names(self):
        result = session.execute(
            "SELECT writetime(v), ttl(v), token(k), blobAsInt(intAsBlob(v)), cast(v as text) "
            "FROM %s.w WHERE k = 3000" % KS)
        self.assertEqual(result.column_names, [
            "writetime(v)", "ttl(v)", "system.token(k)",
            "system.blobasint(system.intasblob(v))", "cast(v as text)",
        ])
        # text goes on the wire as varchar (0x000D), as Cassandra's transport/DataType does.
        self.assertEqual([t.typename for t in result.column_types],
                         ["bigint", "int", "bigint", "int", "varchar"])
        writetime, ttl, token, round_trip, as_text = result.one()
        self.assertEqual(writetime, self.written_at)
        self.assertTrue(990 <= ttl <= 1000, ttl)
        self.assertEqual(token, token_of(3000))
        self.assertEqual(round_trip, 5)
        self.assertEqual(as_text, "5")

    def test_aggregates(self):
        result = session.execute(
            "SELECT count(*), max(v), min(v) FROM %s.t WHERE k IN (1, 2, 3)" % KS)
        self.assertEqual(result.column_names, ["count", "system.max(v)", "system.min(v)"])
        self.assertEqual(tuple(result.one()), (3, 30, 10))

    def test_aliases_and_no_ttl(self):
        row = session.execute("SELECT ttl(v) AS t, writetime(name) AS w, cast(d as int) AS c "
                              "FROM %s.t WHERE k = 7" % KS).one()
        self.assertIsNone(row.t)
        self.assertGreater(row.w, 0)
        self.assertEqual(row.c, 7)


class Errors(unittest.TestCase):
    """A typo and an unknown table, as cqlsh prints the server's messages (Cassandra 4.0:
    cql3/ErrorCollector, cql3/statements/SelectStatement and schema lookups)."""

    def test_syntax_error(self):
        with self.assertRaises(SyntaxException) as raised:
            session.execute("SELEC * FROM %s.t" % KS)
        self.assertIn("line 1:0 no viable alternative at input 'SELEC'", str(raised.exception))

    def test_unknown_table(self):
        with self.assertRaises(InvalidRequest) as raised:
            session.execute("SELECT * FROM %s.nosuch" % KS)
        self.assertIn("unconfigured table nosuch", str(raised.exception))

    def test_unknown_keyspace(self):
        with self.assertRaises(InvalidRequest) as raised:
            session.execute("SELECT * FROM nosuch_%s.t" % KS)
        self.assertIn("keyspace nosuch_%s does not exist" % KS, str(raised.exception))


class ConsistencyLevels(unittest.TestCase):
    """CONSISTENCY QUORUM and SERIAL CONSISTENCY in cqlsh set the statements' levels."""

    def test_quorum_read_and_serial_write(self):
        statement = SimpleStatement("SELECT k FROM %s.t WHERE k = 1" % KS,
                                    consistency_level=ConsistencyLevel.QUORUM)
        self.assertEqual([r.k for r in session.execute(statement)], [1])
        lwt = SimpleStatement("INSERT INTO %s.w (k, v) VALUES (4000, 1) IF NOT EXISTS" % KS,
                              consistency_level=ConsistencyLevel.QUORUM,
                              serial_consistency_level=ConsistencyLevel.LOCAL_SERIAL)
        first = session.execute(lwt).one()
        self.assertTrue(first[0])
        second = session.execute(lwt)
        self.assertEqual(second.column_names[0], "[applied]")
        self.assertFalse(second.one()[0])
        session.execute("DELETE FROM %s.w WHERE k = 4000" % KS)


if __name__ == "__main__":
    unittest.main(verbosity=2)
