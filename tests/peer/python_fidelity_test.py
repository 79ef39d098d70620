"""Issue 16, "answer as Cassandra 4 does": what the DataStax Python driver (Debian's
python3-cassandra) sees of the sandbox where it follows Cassandra 4.0 closely: tracing,
prepare-time checks, paging at exact page boundaries. Each check names the Cassandra 4.0
source it was checked against.

Run by tests/peer/run.sh, which starts the sandbox and sets SANDBOX_HOST, SANDBOX_PORT and
SANDBOX_NODES. Run with /usr/bin/python3: Debian's packages are not in a pyenv's path.
"""

import datetime
import os
import unittest
import uuid

from cassandra import ConsistencyLevel, InvalidRequest
from cassandra.query import BatchStatement, SimpleStatement

import sandbox_env

NODES = int(os.environ.get("SANDBOX_NODES", "1"))
ADDRESSES = {"127.0.0.%d" % (i + 1) for i in range(NODES)}

cluster = None
session = None
KS = None


def setUpModule():
    global cluster, session, KS
    cluster, session = sandbox_env.connect()
    KS = sandbox_env.create_keyspace(session, "peer_fidelity_")
    session.execute("CREATE TABLE %s.kv (k int PRIMARY KEY, v text)" % KS)
    session.execute("CREATE TABLE %s.hundred (k int PRIMARY KEY)" % KS)
    insert = session.prepare("INSERT INTO %s.hundred (k) VALUES (?)" % KS)
    for k in range(100):
        session.execute(insert, (k,))


def tearDownModule():
    if cluster is not None:
        cluster.shutdown()


class Tracing(unittest.TestCase):
    """Checked against Cassandra 4.0's transport/Message.java (Request.execute: a request with
    the tracing flag gets a time UUID session, sent back with the answer), tracing/
    TraceKeyspace.java (the tables of system_traces), transport/messages/QueryMessage.java,
    ExecuteMessage.java and BatchMessage.java (the request names and parameters),
    cql3/QueryProcessor.java (getStatement: "Parsing ...", "Preparing statement"),
    db/SinglePartitionReadCommand.java and db/ReadCommand.java (the read's events) and
    service/StorageProxy.java, db/Keyspace.java (the write's events)."""

    def setUp(self):
        session.execute("INSERT INTO %s.kv (k, v) VALUES (1, 'one')" % KS)

    def assert_session(self, trace, request):
        self.assertEqual(trace.request_type, request)
        self.assertIsInstance(trace.duration, datetime.timedelta)
        self.assertGreater(trace.duration, datetime.timedelta(0))
        self.assertIn(str(trace.coordinator), ADDRESSES)
        self.assertEqual(str(trace.client), "127.0.0.1")
        age = datetime.datetime.utcnow() - trace.started_at
        self.assertLess(abs(age.total_seconds()), 60)
        for e in trace.events:
            self.assertIn(str(e.source), ADDRESSES)
        elapsed = [e.source_elapsed for e in trace.events]
        self.assertEqual(elapsed, sorted(elapsed))  # events come in event_id (time) order
        return [e.description for e in trace.events]

    def test_traced_query_reads_its_trace_back(self):
        query = "SELECT v FROM %s.kv WHERE k = 1" % KS
        result = session.execute(
            SimpleStatement(query, consistency_level=ConsistencyLevel.ONE), trace=True
        )
        self.assertEqual(result.one().v, "one")
        trace = result.get_query_trace(10)
        activities = self.assert_session(trace, "Execute CQL3 query")
        self.assertEqual(trace.parameters["query"], query)
        self.assertEqual(trace.parameters["consistency_level"], "ONE")
        self.assertEqual(trace.parameters["serial_consistency_level"], "SERIAL")
        self.assertEqual(trace.parameters["page_size"], "5000")  # the driver's fetch size
        self.assertEqual(activities[:2], ["Parsing " + query, "Preparing statement"])
        self.assertIn("Executing single-partition query on kv", activities)
        self.assertEqual(activities[-1], "Read 1 live rows and 0 tombstone cells")

    def test_traced_execute_write_and_batch(self):
        insert = session.prepare("INSERT INTO %s.kv (k, v) VALUES (?, ?)" % KS)
        trace = session.execute(insert, (2, "two"), trace=True).get_query_trace(10)
        activities = self.assert_session(trace, "Execute CQL3 prepared query")
        self.assertEqual(trace.parameters["query"], insert.query_string)
        # ExecuteMessage.execute: each bound value as bound_var_<i>_<name>, its CQL literal.
        self.assertEqual(trace.parameters["bound_var_0_k"], "2")
        self.assertEqual(trace.parameters["bound_var_1_v"], "'two'")
        self.assertEqual(
            activities,
            ["Determining replicas for mutation", "Appending to commitlog",
             "Adding to kv memtable"],
        )
        batch = BatchStatement()
        batch.add(insert, (3, "three"))
        batch.add(insert, (4, "four"))
        trace = session.execute(batch, trace=True).get_query_trace(10)
        self.assert_session(trace, "Execute batch of CQL3 queries")
        self.assertNotIn("query", trace.parameters)  # BatchMessage records no text
        self.assertEqual(trace.parameters["consistency_level"], "LOCAL_ONE")

    def test_bound_values_as_cql_literals(self):
        session.execute("CREATE TABLE IF NOT EXISTS %s.lits (k int PRIMARY KEY, v text, "
                        "l list<int>, m map<text, int>, b blob, ts timestamp)" % KS)
        insert = session.prepare(
            "INSERT INTO %s.lits (k, v, l, m, b, ts) VALUES (?, ?, ?, ?, ?, ?)" % KS)
        values = (1, "it's", [1, 2], {"a": 1}, b"\x01", datetime.datetime(2011, 2, 3, 4, 5))
        trace = session.execute(insert, values, trace=True).get_query_trace(10)
        bound = {k: v for k, v in trace.parameters.items() if k.startswith("bound_var_")}
        self.assertEqual(bound, {
            "bound_var_0_k": "1", "bound_var_1_v": "'it''s'", "bound_var_2_l": "[1, 2]",
            "bound_var_3_m": "{'a': 1}", "bound_var_4_b": "0x01",
            "bound_var_5_ts": "2011-02-03T04:05:00.000Z",
        })
        # A long value is cut at 1,000 characters.
        trace = session.execute(insert, (2, "x" * 2000, None, None, None, None),
                                trace=True).get_query_trace(10)
        self.assertEqual(trace.parameters["bound_var_1_v"], "'" + "x" * 999 + "...'")
        self.assertEqual(trace.parameters["bound_var_2_l"], "null")

    def test_lightweight_transactions_trace_their_paxos_rounds(self):
        """service/StorageProxy.cas (legacy Paxos: "Preparing", the precondition read, "CAS
        successful") and service/paxos/PaxosState (prepare, propose, commit)."""
        query = "INSERT INTO %s.kv (k, v) VALUES (40, 'x') IF NOT EXISTS" % KS
        result = session.execute(query, trace=True)
        self.assertTrue(result.one()[0])
        events = self.assert_session(result.get_query_trace(10), "Execute CQL3 query")
        self.assertEqual(events[:3], ["Parsing " + query, "Preparing statement",
                                      events[2]])
        ballot = events[2][len("Preparing "):]
        self.assertEqual(str(uuid.UUID(ballot)), ballot)
        self.assertIn("Promising ballot " + ballot, events)
        self.assertIn("Reading existing values for CAS precondition", events)
        self.assertIn("CAS precondition is met; proposing client-requested updates for " + ballot,
                      events)
        self.assertIn("Accepting proposal Commit(%s, [%s.kv] key=40)" % (ballot, KS), events)
        self.assertIn("Committing proposal Commit(%s, [%s.kv] key=40)" % (ballot, KS), events)
        self.assertEqual(events[-1], "CAS successful")
        result = session.execute(query, trace=True)
        self.assertFalse(result.one()[0])
        events = self.assert_session(result.get_query_trace(10), "Execute CQL3 query")
        self.assertEqual(events[-1],
                         "CAS precondition does not match current values [%s.kv] key=40" % KS)
        self.assertFalse(any(e.startswith("Accepting proposal") for e in events))
        # A conditional batch goes through the same round (BatchStatement.executeWithConditions).
        batch = ("BEGIN BATCH UPDATE %s.kv SET v = 'y' WHERE k = 40 IF v = 'x' "
                 "APPLY BATCH" % KS)
        result = session.execute(batch, trace=True)
        self.assertTrue(result.one()[0])
        events = self.assert_session(result.get_query_trace(10), "Execute CQL3 query")
        self.assertIn("Reading existing values for CAS precondition", events)
        self.assertTrue(any(e.startswith("Committing proposal Commit(") and
                            e.endswith("[%s.kv] key=40)" % KS) for e in events), events)
        self.assertEqual(events[-1], "CAS successful")

    def test_range_scan_and_untraced_requests(self):
        result = session.execute("SELECT k FROM %s.kv" % KS, trace=True)
        activities = self.assert_session(result.get_query_trace(10), "Execute CQL3 query")
        self.assertIn("Computing ranges to query", activities)
        self.assertIsNone(session.execute("SELECT k FROM %s.kv" % KS).get_query_trace())

    def test_system_traces_in_schema_metadata(self):
        # TraceKeyspace.metadata(): SimpleStrategy, replication factor 2, two tables.
        ks = cluster.metadata.keyspaces["system_traces"]
        self.assertEqual(ks.replication_strategy.replication_factor, 2)
        sessions = ks.tables["sessions"]
        self.assertEqual([c.name for c in sessions.partition_key], ["session_id"])
        self.assertEqual(
            {c.name: c.cql_type for c in sessions.columns.values()},
            {"session_id": "uuid", "client": "inet", "command": "text", "coordinator": "inet",
             "coordinator_port": "int", "duration": "int", "parameters": "map<text, text>",
             "request": "text", "started_at": "timestamp"},
        )
        events = ks.tables["events"]
        self.assertEqual([c.name for c in events.clustering_key], ["event_id"])
        self.assertEqual(
            {c.name: c.cql_type for c in events.columns.values()},
            {"session_id": "uuid", "event_id": "timeuuid", "activity": "text", "source": "inet",
             "source_elapsed": "int", "source_port": "int", "thread": "text"},
        )
        self.assertEqual(sessions.options["gc_grace_seconds"], 0)
        self.assertEqual(sessions.options["comment"], "tracing sessions")


class PrepareChecks(unittest.TestCase):
    """Checked against Cassandra 4.0's cql3/statements/UpdateStatement.java (ParsedInsert and
    ParsedUpdate prepareInternal), DeleteStatement.java, ModificationStatement.java (its
    constructor refuses a timestamp with conditions) and restrictions/StatementRestrictions.java:
    these are refused when prepared, with Cassandra's words, not when executed."""

    def assert_refused(self, cql, message):
        with self.assertRaises(InvalidRequest) as caught:
            session.prepare(cql % KS)
        self.assertIn(message, str(caught.exception))

    def test_inserts(self):
        self.assert_refused("INSERT INTO %s.kv (v) VALUES (?)",
                            "Some partition key parts are missing: k")
        self.assert_refused("INSERT INTO %s.kv (k, v) VALUES (?)",
                            "Unmatched column names/values")
        self.assert_refused("INSERT INTO %s.kv (k, v, v) VALUES (?, ?, ?)",
                            "The column names contains duplicates")
        self.assert_refused("INSERT INTO %s.kv (k, nope) VALUES (?, ?)",
                            "Undefined column name nope")
        self.assert_refused("INSERT INTO %s.kv (k, v) VALUES ('a', ?)",
                            'Invalid STRING constant (a) for "k" of type int')

    def test_updates_deletes_and_selects(self):
        self.assert_refused("UPDATE %s.kv SET k = ? WHERE k = ?",
                            "PRIMARY KEY part k found in SET part")
        self.assert_refused("UPDATE %s.kv SET v = ? WHERE v = ?",
                            "Non PRIMARY KEY columns found in where clause: v ")
        self.assert_refused("UPDATE %s.kv USING TIMESTAMP ? SET v = ? WHERE k = ? IF v = ?",
                            "Cannot provide custom timestamp for conditional updates")
        self.assert_refused("DELETE k FROM %s.kv WHERE k = ?",
                            "Invalid identifier k for deletion (should not be a PRIMARY KEY part)")
        self.assert_refused("SELECT * FROM %s.kv WHERE v = ?", "ALLOW FILTERING")

    def test_bound_value_ranges_are_checked_at_execute(self):
        # Attributes.getTimeToLive reads the value when the statement runs.
        insert = session.prepare("INSERT INTO %s.kv (k, v) VALUES (?, ?) USING TTL ?" % KS)
        with self.assertRaises(InvalidRequest) as caught:
            session.execute(insert, (5, "five", -1))
        self.assertIn("A TTL must be greater or equal to 0, but was -1", str(caught.exception))


def page_sizes(statement, parameters=None):
    """The number of rows of every page, fetching them one by one."""
    result = session.execute(statement, parameters)
    sizes = [len(result.current_rows)]
    while result.has_more_pages:
        result.fetch_next_page()
        sizes.append(len(result.current_rows))
    return sizes


class Paging(unittest.TestCase):
    """Checked against Cassandra 4.0's service/pager: AbstractQueryPager.Pager.onClose (a page
    that counted fewer rows than asked is the last; DataLimits.isExhausted), its remaining
    LIMIT, SinglePartitionPager (one key, one row) and MultiPartitionPager.isExhausted (an IN
    ends with the pager of its last value). On three nodes, so range scans cross them."""

    def test_range_scan_of_100_rows_2_at_a_time_ends_with_an_empty_51st_page(self):
        select = SimpleStatement("SELECT k FROM %s.hundred" % KS, fetch_size=2)
        self.assertEqual(page_sizes(select), [2] * 50 + [0])
        prepared = session.prepare("SELECT k FROM %s.hundred" % KS)
        prepared.fetch_size = 25
        self.assertEqual(page_sizes(prepared), [25] * 4 + [0])
        prepared.fetch_size = 30
        self.assertEqual(page_sizes(prepared), [30, 30, 30, 10])

    def test_a_spent_limit_ends_paging(self):
        select = SimpleStatement("SELECT k FROM %s.hundred LIMIT 10" % KS, fetch_size=5)
        self.assertEqual(page_sizes(select), [5, 5])

    def test_single_partition_and_in(self):
        one = SimpleStatement("SELECT k FROM %s.hundred WHERE k = 7" % KS, fetch_size=1)
        self.assertEqual(page_sizes(one), [1])
        select = session.prepare("SELECT k FROM %s.hundred WHERE k IN ?" % KS)
        select.fetch_size = 2
        self.assertEqual(page_sizes(select, ([1, 2, 3, 4],)), [2, 2])
        self.assertEqual(page_sizes(select, ([1, 2, 3, 500],)), [2, 1])
        self.assertEqual(page_sizes(select, ([1, 2, 500, 501],)), [2, 0])


if __name__ == "__main__":
    unittest.main(verbosity=2)
