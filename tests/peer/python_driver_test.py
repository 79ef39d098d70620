"""The DataStax Python driver (Debian's python3-cassandra) with default settings against
nosqlc-sandbox: handshake and protocol downgrade to v4, lz4, schema, prepared statements,
paging, LWT, error classes, schema metadata and host discovery.

Run by tests/peer/run.sh, which starts the sandbox and sets SANDBOX_HOST, SANDBOX_PORT,
SANDBOX_NODES, SANDBOX_NUM_TOKENS and SANDBOX_DCS. With several data centres the driver's
default policy uses the contact point's (the first) only, and the replicas it computes for
1,000 keys are checked against the sandbox's through sandbox.node_stats. Run with /usr/bin/python3: Debian's packages are not in a pyenv's path.
"""

import datetime
import decimal
import logging
import os
import unittest
import uuid

import cassandra
import lz4  # python3-lz4: without it the driver silently goes uncompressed
from cassandra import AlreadyExists, InvalidRequest, ProtocolVersion
from cassandra.cluster import EXEC_PROFILE_DEFAULT, Cluster, ExecutionProfile
from cassandra.policies import RoundRobinPolicy
from cassandra.concurrent import execute_concurrent_with_args
from cassandra.protocol import SyntaxException
from cassandra.query import BatchStatement, SimpleStatement
from cassandra.util import Date, Duration, Time

HOST = os.environ["SANDBOX_HOST"]
PORT = int(os.environ["SANDBOX_PORT"])
NODES = int(os.environ.get("SANDBOX_NODES", "1"))
NUM_TOKENS = int(os.environ.get("SANDBOX_NUM_TOKENS", "16"))
# Each node's data centre, in address order; the contact point (node 1) is in the local one.
NODE_DCS = os.environ.get("SANDBOX_DCS", ",".join(["datacenter1"] * NODES)).split(",")
LOCAL = {"127.0.0.%d" % (i + 1) for i, dc in enumerate(NODE_DCS) if dc == NODE_DCS[0]}
ROWS = 1000
FETCH = 50

cluster = None
session = None
KS = "peer_py_" + uuid.uuid4().hex[:8]

# One column per CQL type the sandbox has: name, type as written, a value, the value read back.
TYPES = [
    ("a_ascii", "ascii", "plain", "plain"),
    ("a_bigint", "bigint", -(2**63), -(2**63)),
    ("a_blob", "blob", b"\x00\xff", b"\x00\xff"),
    ("a_boolean", "boolean", False, False),
    ("a_date", "date", datetime.date(2024, 2, 29), Date(datetime.date(2024, 2, 29))),
    ("a_decimal", "decimal", decimal.Decimal("-12.3450"), decimal.Decimal("-12.3450")),
    ("a_double", "double", -1.5e300, -1.5e300),
    ("a_duration", "duration", Duration(1, 2, 3000), Duration(1, 2, 3000)),
    ("a_float", "float", 0.25, 0.25),
    ("a_inet4", "inet", "192.168.1.20", "192.168.1.20"),
    ("a_inet6", "inet", "2001:db8::1", "2001:db8::1"),
    ("a_int", "int", -(2**31), -(2**31)),
    ("a_smallint", "smallint", -32768, -32768),
    ("a_text", "text", "h\u00e9llo \u2603", "h\u00e9llo \u2603"),
    ("a_time", "time", Time(datetime.time(12, 34, 56, 789)), Time(datetime.time(12, 34, 56, 789))),
    (
        "a_timestamp",
        "timestamp",
        datetime.datetime(2024, 1, 2, 3, 4, 5, 678000),
        datetime.datetime(2024, 1, 2, 3, 4, 5, 678000),
    ),
    (
        "a_timeuuid",
        "timeuuid",
        uuid.UUID("d2177dd0-eaa2-11de-a572-001b779c76e3"),
        uuid.UUID("d2177dd0-eaa2-11de-a572-001b779c76e3"),
    ),
    ("a_tinyint", "tinyint", -128, -128),
    (
        "a_uuid",
        "uuid",
        uuid.UUID("01234567-89ab-cdef-0123-456789abcdef"),
        uuid.UUID("01234567-89ab-cdef-0123-456789abcdef"),
    ),
    ("a_varint", "varint", -(2**100), -(2**100)),
    ("c_list", "list<int>", [3, 1, 3], [3, 1, 3]),
    ("c_map", "map<text, int>", {"b": 2, "a": 1}, {"a": 1, "b": 2}),
    ("c_set", "set<text>", {"y", "x"}, {"x", "y"}),
    ("c_tuple", "frozen<tuple<int, text>>", (1, "one"), (1, "one")),
    ("c_nested", "map<text, frozen<list<int>>>", {"k": [1, 2]}, {"k": [1, 2]}),
    ("c_frozen", "frozen<set<int>>", {2, 1}, {1, 2}),
]


class Complaints(logging.Handler):
    """The driver's warnings and errors, but those the tests provoke on purpose."""

    EXPECTED = (
        "Downgrading core protocol version from",
        "no load_balancing_policy",  # the default settings' own warning
        "Error preparing query",  # the bad statements of Statements.test_*_error
    )

    def __init__(self):
        super().__init__(logging.WARNING)
        self.records = []

    def emit(self, record):
        message = record.getMessage()
        if not any(e in message for e in self.EXPECTED):
            self.records.append("%s %s: %s" % (record.levelname, record.name, message))


complaints = Complaints()
logging.getLogger("cassandra").addHandler(complaints)


def setUpModule():
    global cluster, session
    print("cassandra-driver %s, lz4 %s" % (cassandra.__version__, lz4.__version__))
    # Default settings but the address: protocol version, compression, policies. Waiting for
    # every pool (connect() returns after the first) keeps the per-node checks free of races.
    cluster = Cluster([HOST], port=PORT)
    session = cluster.connect(wait_for_all_pools=True)
    # One replica in the driver's data centre: with several, a SimpleStrategy replica may land
    # in another one, where LOCAL_ONE cannot reach it (Unavailable, as from Cassandra).
    session.execute(
        "CREATE KEYSPACE %s WITH replication = {'class': 'NetworkTopologyStrategy', "
        "'%s': 1}" % (KS, NODE_DCS[0])
    )
    session.execute(
        "CREATE TABLE %s.items (id int PRIMARY KEY, name text, score double, tags set<text>)"
        % KS
    )
    session.execute("CREATE TABLE %s.pages (k int PRIMARY KEY, v text)" % KS)
    session.execute("CREATE TABLE %s.kv (k int PRIMARY KEY, v text)" % KS)
    session.execute(
        "CREATE TABLE %s.types (k int PRIMARY KEY, %s)"
        % (KS, ", ".join("%s %s" % (name, cql) for name, cql, _, _ in TYPES))
    )


def tearDownModule():
    if cluster is not None:
        cluster.shutdown()
    # Fails the run when the driver complained about an answer of the sandbox.
    assert not complaints.records, "\n".join(complaints.records)


def pages_of(result):
    """Every page of a result as a list of rows, fetching the next ones."""
    pages = [list(result.current_rows)]
    while result.has_more_pages:
        result.fetch_next_page()
        pages.append(list(result.current_rows))
    return pages


class Handshake(unittest.TestCase):
    def test_downgraded_from_a_higher_version_to_v4(self):
        # The driver starts above v4 (DSE_V2) and steps down on our ProtocolError.
        self.assertGreater(ProtocolVersion.MAX_SUPPORTED, 4)
        self.assertEqual(cluster.protocol_version, 4)
        for pool in session.get_pools():
            self.assertEqual(pool._connection.protocol_version, 4)

    def test_lz4_negotiated_on_every_connection(self):
        conns = [cluster.control_connection._connection]
        conns += [pool._connection for pool in session.get_pools()]
        self.assertEqual(len(conns), 1 + len(LOCAL))
        for conn in conns:
            self.assertEqual(conn._compression_type, "lz4", conn)
            self.assertIsNotNone(conn.compressor, conn)
            self.assertIsNotNone(conn.decompressor, conn)

    def test_frames_travel_compressed_both_ways(self):
        # Count what each pool connection compresses (requests: the sandbox could decode them)
        # and decompresses (answers: the driver does so only for frames flagged compressed).
        for pool in session.get_pools():
            conn = pool._connection
            counts = {"out": 0, "in": 0}
            compress, decompress = conn.compressor, conn.decompressor

            def counting(f, key, counts=counts):
                def wrapped(data):
                    counts[key] += 1
                    return f(data)

                return wrapped

            conn.compressor = counting(compress, "out")
            conn.decompressor = counting(decompress, "in")
            try:
                row = session.execute("SELECT rpc_address FROM system.local", host=pool.host).one()
            finally:
                conn.compressor, conn.decompressor = compress, decompress
            self.assertEqual(row.rpc_address, pool.host.address)
            self.assertGreaterEqual(counts["out"], 1, pool.host)
            self.assertGreaterEqual(counts["in"], 1, pool.host)

    def test_large_compressible_value_round_trips(self):
        big = "nosqlc " * 40000  # 280 KB, compresses well: both directions go through lz4
        session.execute("INSERT INTO %s.kv (k, v) VALUES (%%s, %%s)" % KS, (-1, big))
        row = session.execute("SELECT v FROM %s.kv WHERE k = %%s" % KS, (-1,)).one()
        self.assertEqual(row.v, big)


class Statements(unittest.TestCase):
    def test_prepared_insert_and_select(self):
        insert = session.prepare(
            "INSERT INTO %s.items (id, name, score, tags) VALUES (?, ?, ?, ?)" % KS
        )
        self.assertEqual([c.name for c in insert.column_metadata], ["id", "name", "score", "tags"])
        session.execute(insert, (7, "widget", 2.5, {"a", "b"}))
        select = session.prepare("SELECT id, name, score, tags FROM %s.items WHERE id = ?" % KS)
        self.assertEqual([c[2] for c in select.result_metadata], ["id", "name", "score", "tags"])
        rows = list(session.execute(select, (7,)))
        self.assertEqual(len(rows), 1)
        self.assertEqual(rows[0].id, 7)
        self.assertEqual(rows[0].name, "widget")
        self.assertEqual(rows[0].score, 2.5)
        self.assertEqual(set(rows[0].tags), {"a", "b"})
        self.assertEqual(list(session.execute(select, (8,))), [])

    def test_writes_prepare_with_no_result_metadata(self):
        # Cassandra 4.0 answers the PREPARE of a write (LWT too) with ResultMetadata.EMPTY, the
        # No_metadata flag (cql3/ResultSet.java): the driver then keeps no result columns (None),
        # where flags 0 and no column would give an empty list.
        for cql in (
            "INSERT INTO %s.items (id, name) VALUES (?, ?)",
            "UPDATE %s.items SET name = ? WHERE id = ? IF name = ?",
            "DELETE FROM %s.items WHERE id = ?",
        ):
            self.assertIsNone(session.prepare(cql % KS).result_metadata, cql)
        select = session.prepare("SELECT name FROM %s.items WHERE id = ?" % KS)
        self.assertEqual([c[2] for c in select.result_metadata], ["name"])

    def test_paging_across_partitions(self):
        insert = session.prepare("INSERT INTO %s.pages (k, v) VALUES (?, ?)" % KS)
        results = execute_concurrent_with_args(
            session, insert, [(i, "v%d" % i) for i in range(ROWS)], concurrency=50
        )
        self.assertTrue(all(ok for ok, _ in results))
        select = session.prepare("SELECT k, v FROM %s.pages" % KS)
        select.fetch_size = FETCH
        pages = pages_of(session.execute(select))
        self.assert_paged(pages, [r.k for p in pages for r in p])
        for page in pages:
            for r in page:
                self.assertEqual(r.v, "v%d" % r.k)
        # An aggregate reads every page server-side; LIMIT spans pages.
        count = SimpleStatement("SELECT COUNT(*) FROM %s.pages" % KS, fetch_size=FETCH)
        count = session.execute(count)
        self.assertEqual(list(count), [(ROWS,)])
        limited = SimpleStatement("SELECT k FROM %s.pages LIMIT 120" % KS, fetch_size=FETCH)
        pages = pages_of(session.execute(limited))
        self.assertEqual([len(p) for p in pages if p], [50, 50, 20])
        self.assertEqual(len({r.k for p in pages for r in p}), 120)

    def test_paging_state_resumes_on_any_node(self):
        insert = session.prepare("INSERT INTO %s.pages (k, v) VALUES (?, ?)" % KS)
        execute_concurrent_with_args(session, insert, [(i, "v%d" % i) for i in range(ROWS)])
        select = session.prepare("SELECT k FROM %s.pages" % KS)
        select.fetch_size = FETCH
        hosts = [h for h in cluster.metadata.all_hosts() if h.address in LOCAL]  # pooled ones
        whole = [r.k for p in pages_of(session.execute(select)) for r in p]
        for first in hosts:
            for then in hosts:
                with self.subTest(first=first.address, then=then.address):
                    page1 = session.execute(select, host=first)
                    self.assertTrue(page1.has_more_pages)
                    page2 = session.execute(select, paging_state=page1.paging_state, host=then)
                    keys = [r.k for r in page1.current_rows] + [r.k for r in page2.current_rows]
                    self.assertEqual(keys, whole[: 2 * FETCH])

    def test_paging_unprepared(self):
        insert = session.prepare("INSERT INTO %s.pages (k, v) VALUES (?, ?)" % KS)
        execute_concurrent_with_args(session, insert, [(i, "v%d" % i) for i in range(ROWS)])
        statement = SimpleStatement("SELECT k FROM %s.pages" % KS, fetch_size=FETCH)
        pages = pages_of(session.execute(statement))
        self.assert_paged(pages, [r.k for p in pages for r in p])

    def assert_paged(self, pages, keys):
        self.assertGreaterEqual(len(pages), ROWS // FETCH)
        for page in pages:
            self.assertLessEqual(len(page), FETCH)
        self.assertEqual(len(keys), ROWS)  # no row twice ...
        self.assertEqual(set(keys), set(range(ROWS)))  # ... and none missing

    def test_in_returns_partitions_in_key_order(self):
        # Cassandra sorts the IN values by the key type and reads each once; LIMIT and pages
        # follow that order.
        insert = session.prepare("INSERT INTO %s.kv (k, v) VALUES (?, ?)" % KS)
        for k in (9101, -9105, 9150, 9103, -70000):
            session.execute(insert, (k, "in"))
        select = session.prepare("SELECT k FROM %s.kv WHERE k IN ?" % KS)
        wanted = [9150, -9105, 9103, 12345, 9101, -9105, -70000]
        self.assertEqual([r.k for r in session.execute(select, (wanted,))],
                         [-70000, -9105, 9101, 9103, 9150])
        select.fetch_size = 2
        pages = pages_of(session.execute(select, (wanted,)))
        self.assertEqual([[r.k for r in p] for p in pages if p],
                         [[-70000, -9105], [9101, 9103], [9150]])
        limited = "SELECT k FROM %s.kv WHERE k IN (9150, 9101, -9105) LIMIT 2" % KS
        self.assertEqual([r.k for r in session.execute(limited)], [-9105, 9101])

    def test_lwt_applied_then_not_with_the_existing_row(self):
        insert = session.prepare("INSERT INTO %s.kv (k, v) VALUES (?, ?) IF NOT EXISTS" % KS)
        first = session.execute(insert, (5000, "first"))
        self.assertEqual(first.column_names, ["[applied]"])
        self.assertTrue(first.was_applied)
        self.assertIs(first.one()[0], True)
        second = session.execute(insert, (5000, "second"))
        self.assertFalse(second.was_applied)
        self.assertEqual(second.column_names[0], "[applied]")
        row = second.one()._asdict()
        self.assertEqual(row, {"applied": False, "k": 5000, "v": "first"})
        stored = session.execute("SELECT v FROM %s.kv WHERE k = 5000" % KS).one()
        self.assertEqual(stored.v, "first")

    def test_syntax_error_is_syntax_exception(self):
        with self.assertRaises(SyntaxException) as cm:
            session.execute("SELEC * FROM %s.kv" % KS)
        self.assertIs(type(cm.exception), SyntaxException)
        with self.assertRaises(SyntaxException):
            session.prepare("INSERT INTO %s.kv (k, v) VALUES (?, ?" % KS)

    def test_existing_table_is_already_exists(self):
        with self.assertRaises(AlreadyExists) as cm:
            session.execute("CREATE TABLE %s.kv (k int PRIMARY KEY)" % KS)
        self.assertEqual((cm.exception.keyspace, cm.exception.table), (KS, "kv"))
        with self.assertRaises(AlreadyExists) as cm:
            session.execute(
                "CREATE KEYSPACE %s WITH replication = {'class': 'SimpleStrategy', "
                "'replication_factor': 1}" % KS
            )
        self.assertEqual((cm.exception.keyspace, cm.exception.table), (KS, ""))

    def test_non_frozen_collection_inside_a_collection_is_invalid_request(self):
        with self.assertRaises(InvalidRequest) as cm:
            session.execute("CREATE TABLE %s.nested (k int PRIMARY KEY, v list<list<int>>)" % KS)
        self.assertIn(
            "Non-frozen collections are not allowed inside collections: list<list<int>>",
            str(cm.exception),
        )
        session.execute(
            "CREATE TABLE %s.nested (k int PRIMARY KEY, v list<frozen<list<int>>>)" % KS
        )
        session.execute("INSERT INTO %s.nested (k, v) VALUES (1, [[1, 2], [3]])" % KS)
        row = session.execute("SELECT v FROM %s.nested WHERE k = 1" % KS).one()
        self.assertEqual([list(x) for x in row.v], [[1, 2], [3]])

    def test_unknown_table_is_invalid_request(self):
        with self.assertRaises(InvalidRequest) as cm:
            session.execute("SELECT * FROM %s.no_such_table" % KS)
        self.assertIs(type(cm.exception), InvalidRequest)
        self.assertIn("no_such_table", str(cm.exception))
        with self.assertRaises(InvalidRequest):
            session.prepare("SELECT * FROM %s.no_such_table WHERE k = ?" % KS)


class Types(unittest.TestCase):
    def test_every_type_round_trips_through_prepared_statements(self):
        names = [name for name, _, _, _ in TYPES]
        insert = session.prepare(
            "INSERT INTO %s.types (k, %s) VALUES (?, %s)"
            % (KS, ", ".join(names), ", ".join("?" * len(names)))
        )
        session.execute(insert, [1] + [value for _, _, value, _ in TYPES])
        row = session.execute("SELECT * FROM %s.types WHERE k = 1" % KS).one()._asdict()
        for name, cql, _, expected in TYPES:
            with self.subTest(column=name, type=cql):
                got = row[name]
                if isinstance(expected, (set, list, dict)):
                    got = type(expected)(got)
                self.assertEqual(got, expected)

    def test_nulls_and_an_absent_row(self):
        session.execute("INSERT INTO %s.types (k) VALUES (2)" % KS)
        row = session.execute("SELECT * FROM %s.types WHERE k = 2" % KS).one()._asdict()
        self.assertEqual({v for k, v in row.items() if k != "k"}, {None})
        self.assertIsNone(session.execute("SELECT * FROM %s.types WHERE k = 3" % KS).one())

    def test_a_tuple_bound_without_its_last_components_reads_them_as_null(self):
        # Cassandra 4's TupleType.split stops at the end of the value: the components left
        # out are null (db/marshal/TupleType.java). The driver sends only those it is given.
        session.execute(
            "CREATE TABLE %s.tuples (k int PRIMARY KEY, t tuple<ascii, int, boolean>)" % KS
        )
        insert = session.prepare("INSERT INTO %s.tuples (k, t) VALUES (?, ?)" % KS)
        session.execute(insert, (1, ("bar", 456)))
        row = session.execute("SELECT t FROM %s.tuples WHERE k = 1" % KS).one()
        self.assertEqual(tuple(row.t), ("bar", 456, None))

    def test_schema_metadata_spells_every_type(self):
        cluster.refresh_table_metadata(KS, "types")
        table = cluster.metadata.keyspaces[KS].tables["types"]
        for name, cql, _, _ in TYPES:
            with self.subTest(column=name):
                self.assertEqual(table.columns[name].cql_type, cql)


class Keyspaces(unittest.TestCase):
    def test_session_with_a_keyspace_and_a_batch(self):
        with cluster.connect(KS) as ks_session:
            insert = ks_session.prepare("INSERT INTO kv (k, v) VALUES (?, ?)")
            batch = BatchStatement()
            batch.add(insert, (6001, "a"))
            batch.add(insert, (6002, "b"))
            batch.add(SimpleStatement("DELETE FROM kv WHERE k = %s"), (6001,))
            ks_session.execute(batch)
            rows = ks_session.execute("SELECT k, v FROM kv WHERE k IN (6001, 6002)")
            self.assertEqual([(r.k, r.v) for r in rows], [(6002, "b")])


class Metadata(unittest.TestCase):
    def test_table_columns_and_keys(self):
        cluster.refresh_schema_metadata()
        self.assertIn(KS, cluster.metadata.keyspaces)
        ks = cluster.metadata.keyspaces[KS]
        self.assertEqual(ks.replication_strategy.dc_replication_factors, {NODE_DCS[0]: 1})
        table = ks.tables["items"]
        columns = {name: col.cql_type for name, col in table.columns.items()}
        self.assertEqual(
            columns,
            {"id": "int", "name": "text", "score": "double", "tags": "set<text>"},
        )
        self.assertEqual(list(table.columns)[0], "id")
        self.assertEqual([c.name for c in table.partition_key], ["id"])
        self.assertEqual(table.clustering_key, [])
        self.assertTrue(table.is_cql_compatible)
        cql = table.export_as_string()
        self.assertIn("CREATE TABLE %s.items" % KS, cql)
        self.assertIn("id int PRIMARY KEY", cql)

    def test_whole_schema_exports_and_follows_a_drop(self):
        session.execute("CREATE TABLE %s.doomed (k int PRIMARY KEY)" % KS)
        self.assertIn("doomed", cluster.metadata.keyspaces[KS].tables)
        # Every keyspace the sandbox describes, system ones included, renders as CQL.
        cql = cluster.metadata.export_schema_as_string()
        for table in ("%s.doomed" % KS, "system.local", 'system_schema."columns"'):
            self.assertTrue("CREATE TABLE %s (" % table in cql, table)
        local = cluster.metadata.keyspaces["system"].tables["local"]
        self.assertEqual([c.name for c in local.partition_key], ["key"])
        self.assertIn("tokens", local.columns)
        session.execute("DROP TABLE %s.doomed" % KS)
        self.assertNotIn("doomed", cluster.metadata.keyspaces[KS].tables)

    def test_schema_agreement(self):
        self.assertTrue(cluster.control_connection.wait_for_schema_agreement(wait_time=10))


class Topology(unittest.TestCase):
    def test_every_node_discovered_and_queried(self):
        expected = {"127.0.0.%d" % (i + 1) for i in range(NODES)}
        hosts = cluster.metadata.all_hosts()
        self.assertEqual({h.address for h in hosts}, expected)
        for h in hosts:
            if h.address in LOCAL:  # the driver never connects to the others
                self.assertTrue(h.is_up, h)
            self.assertEqual(h.datacenter, NODE_DCS[int(h.address.split(".")[3]) - 1])
            self.assertEqual(h.release_version, "4.0.11")
        # The default policy pools the local data centre's nodes only.
        self.assertEqual({p.host.address for p in session.get_pools()}, LOCAL)
        for h in hosts:
            if h.address not in LOCAL:
                continue
            result = session.execute("SELECT rpc_address FROM system.local", host=h)
            self.assertEqual(result.response_future._current_host, h)
            self.assertEqual(result.one().rpc_address, h.address)

    def test_token_map_covers_every_node(self):
        token_map = cluster.metadata.token_map
        self.assertIsNotNone(token_map)
        self.assertEqual(len(token_map.ring), NODES * NUM_TOKENS)
        replicas = cluster.metadata.get_replicas(KS, b"\x00\x00\x00\x01")
        self.assertEqual(len(replicas), 1)

    def test_prepared_statements_go_to_their_replica(self):
        # The default policy is token-aware: it needs the partition key indexes of PREPARED and
        # the nodes' tokens from system.local and system.peers_v2. With one replica per token,
        # the coordinator is that replica.
        select = session.prepare("SELECT v FROM %s.kv WHERE k = ?" % KS)
        self.assertEqual(select.routing_key_indexes, [0])
        # A key whose one replica is in a remote data centre goes to a local node instead.
        coordinators = set()
        for k in range(60):
            bound = select.bind((k,))
            replicas = cluster.metadata.get_replicas(KS, bound.routing_key)
            self.assertEqual(len(replicas), 1)
            if replicas[0].address not in LOCAL:
                continue
            result = session.execute(bound)
            self.assertEqual(result.response_future._current_host, replicas[0], k)
            coordinators.add(replicas[0].address)
        self.assertEqual(coordinators, LOCAL)  # 60 keys reach every local node

    def test_replicas_agree_with_the_sandbox(self):
        # The driver's token map (built from our system tables and system_schema) against the
        # replicas the sandbox places: every key read once through each replica the driver
        # names; sandbox.node_stats counts how many of those reads reached a replica of their
        # key, as the sandbox sees it. With 5 replicas (2 in a lone data centre) the sizes
        # match too, so the two sets are equal.
        dcs = sorted(set(NODE_DCS))
        factors = {dc: min(3 if i == 0 else 2, NODE_DCS.count(dc)) for i, dc in enumerate(dcs)}
        ks = KS + "_nts"
        session.execute(
            "CREATE KEYSPACE %s WITH replication = {'class': 'NetworkTopologyStrategy', %s}"
            % (ks, ", ".join("'%s': %d" % (dc, n) for dc, n in factors.items()))
        )
        session.execute("CREATE TABLE %s.kv (k int PRIMARY KEY, v text)" % ks)
        # Reads through every replica need pools to every node: a second client whose policy
        # takes all of them (the default one ignores remote data centres).
        everywhere = Cluster(
            [HOST],
            port=PORT,
            execution_profiles={
                EXEC_PROFILE_DEFAULT: ExecutionProfile(load_balancing_policy=RoundRobinPolicy())
            },
        )
        try:
            all_nodes = everywhere.connect(wait_for_all_pools=True)
            select = all_nodes.prepare("SELECT v FROM %s.kv WHERE k = ?" % ks)
            all_nodes.execute("TRUNCATE sandbox.node_stats")
            futures = []
            total = 0
            for k in range(1000):
                bound = select.bind((k,))
                replicas = everywhere.metadata.get_replicas(ks, bound.routing_key)
                self.assertEqual(len(replicas), sum(factors.values()), k)
                for h in replicas:
                    futures.append(all_nodes.execute_async(bound, host=h))
                    total += 1
                if len(futures) >= 200:
                    for f in futures:
                        f.result()
                    futures = []
            for f in futures:
                f.result()
            keyed = replica = 0
            for row in all_nodes.execute(
                "SELECT keyed_requests, replica_requests FROM sandbox.node_stats"
            ):
                keyed += row.keyed_requests
                replica += row.replica_requests
        finally:
            everywhere.shutdown()
        self.assertEqual(keyed, total)
        self.assertEqual(replica, total)

    def test_tokens_agree_with_the_driver_murmur3(self):
        insert = session.prepare("INSERT INTO %s.kv (k, v) VALUES (?, 'tok')" % KS)
        select = session.prepare("SELECT token(k) FROM %s.kv WHERE k = ?" % KS)
        token_class = cluster.metadata.token_map.token_class
        for k in (0, 1, -1, 2**31 - 1, 123456789):
            bound = insert.bind((k,))
            session.execute(bound)
            server = session.execute(select, (k,)).one()[0]
            self.assertEqual(server, token_class.from_key(bound.routing_key).value, k)


if __name__ == "__main__":
    unittest.main(verbosity=2)
