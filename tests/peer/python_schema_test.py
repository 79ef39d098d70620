"""Issue 16, "answer as Cassandra 4 does", second part: table options, ALTER TABLE, CQL text
batches and deep tuple types, as the DataStax Python driver (Debian's python3-cassandra) sees
them from the sandbox. Each check names the Cassandra 4.0 source it was checked against.

Run by tests/peer/run.sh, which starts the sandbox and sets SANDBOX_HOST and SANDBOX_PORT. Run
with /usr/bin/python3: Debian's packages are not in a pyenv's path.
"""

import time
import unittest

from cassandra import ConsistencyLevel, InvalidRequest, Unavailable
from cassandra.cluster import NoHostAvailable
from cassandra.protocol import ConfigurationException, SyntaxException
from cassandra.query import BatchStatement, SimpleStatement

import sandbox_env


cluster = None
session = None
KS = None


def setUpModule():
    global cluster, session, KS
    cluster, session = sandbox_env.connect()
    KS = sandbox_env.create_keyspace(session, "peer_schema_")


def tearDownModule():
    if cluster is not None:
        cluster.shutdown()


def table_meta(name):
    cluster.refresh_table_metadata(KS, name)
    return cluster.metadata.keyspaces[KS].tables[name]


class TableOptions(unittest.TestCase):
    """Checked against Cassandra 4.0's schema/TableParams.java (the options, their defaults and
    validate()), cql3/statements/schema/TableAttributes.java and
    cql3/statements/PropertyDefinitions.java (unknown properties, value parsing),
    schema/CompactionParams.java and CompressionParams.java (classes), and cql3/Attributes.java
    (getTimeToLive: the table's default TTL, none for an explicit 0)."""

    def test_options_are_stored_and_shown_to_the_driver(self):
        session.execute(
            "CREATE TABLE %s.opts (k int PRIMARY KEY, v text) WITH comment = 'kept' AND "
            "default_time_to_live = 1 AND gc_grace_seconds = 3600 AND compaction = "
            "{'class': 'LeveledCompactionStrategy'}" % KS
        )
        options = table_meta("opts").options
        self.assertEqual(options["comment"], "kept")
        self.assertEqual(options["default_time_to_live"], 1)
        self.assertEqual(options["gc_grace_seconds"], 3600)
        self.assertEqual(
            options["compaction"]["class"],
            "org.apache.cassandra.db.compaction.LeveledCompactionStrategy",
        )
        self.assertEqual(options["bloom_filter_fp_chance"], 0.1)

    def test_the_default_ttl_applies(self):
        session.execute(
            "CREATE TABLE %s.ttl (k int PRIMARY KEY, v text) WITH default_time_to_live = 1" % KS
        )
        session.execute("INSERT INTO %s.ttl (k, v) VALUES (1, 'expires')" % KS)
        session.execute("INSERT INTO %s.ttl (k, v) VALUES (2, 'stays') USING TTL 0" % KS)
        time.sleep(1.5)
        rows = session.execute("SELECT k FROM %s.ttl" % KS)
        self.assertEqual([r.k for r in rows], [2])

    def test_unknown_options_and_classes_are_refused(self):
        with self.assertRaises(SyntaxException) as caught:
            session.execute("CREATE TABLE %s.bad (k int PRIMARY KEY) WITH bogus_option = 3" % KS)
        self.assertIn("Unknown property 'bogus_option'", str(caught.exception))
        with self.assertRaises(ConfigurationException) as caught:
            session.execute(
                "CREATE TABLE %s.bad (k int PRIMARY KEY) WITH compaction = {'class': 'Nope'}" % KS
            )
        self.assertIn(
            "Unable to find compaction strategy class "
            "'org.apache.cassandra.db.compaction.Nope'",
            str(caught.exception),
        )
        with self.assertRaises(ConfigurationException) as caught:
            session.execute(
                "CREATE TABLE %s.bad (k int PRIMARY KEY) WITH compression = {'class': 'LZ5'}" % KS
            )
        self.assertIn(
            "Could not create Compression for type org.apache.cassandra.io.compress.LZ5",
            str(caught.exception),
        )


class AlterTable(unittest.TestCase):
    """Checked against Cassandra 4.0's cql3/statements/schema/AlterTableStatement.java (ADD,
    DROP, RENAME of a primary key column, WITH; its errors; SCHEMA_CHANGE UPDATED TABLE) and
    schema/TableMetadata.java (recordColumnDrop: system_schema.dropped_columns)."""

    def test_add_drop_rename_and_options(self):
        session.execute("CREATE TABLE %s.alt (k int PRIMARY KEY, a text, b int)" % KS)
        session.execute("INSERT INTO %s.alt (k, a, b) VALUES (1, 'one', 10)" % KS)
        session.execute("ALTER TABLE %s.alt ADD c list<int>" % KS)
        self.assertIn("c", table_meta("alt").columns)
        session.execute("UPDATE %s.alt SET c = [1] WHERE k = 1" % KS)
        session.execute("ALTER TABLE %s.alt DROP b" % KS)
        row = session.execute("SELECT * FROM %s.alt WHERE k = 1" % KS).one()
        self.assertEqual(row._fields, ("k", "a", "c"))
        self.assertEqual((row.k, row.a, row.c), (1, "one", [1]))
        dropped = session.execute(
            "SELECT column_name, type FROM system_schema.dropped_columns "
            "WHERE keyspace_name = %s AND table_name = 'alt'",
            (KS,),
        ).one()
        self.assertEqual((dropped.column_name, dropped.type), ("b", "int"))
        # A re-added column does not bring back what the dropped one held.
        session.execute("ALTER TABLE %s.alt ADD b int" % KS)
        self.assertIsNone(session.execute("SELECT b FROM %s.alt WHERE k = 1" % KS).one().b)
        session.execute("ALTER TABLE %s.alt RENAME k TO id" % KS)
        self.assertEqual(table_meta("alt").partition_key[0].name, "id")
        session.execute("ALTER TABLE %s.alt WITH comment = 'altered'" % KS)
        self.assertEqual(table_meta("alt").options["comment"], "altered")

    def test_cassandras_errors(self):
        session.execute("CREATE TABLE %s.alt_err (k int PRIMARY KEY, a text)" % KS)
        for statement, message in [
            ("ALTER TABLE %s.alt_err ADD a int", "Column with name 'a' already exists"),
            ("ALTER TABLE %s.alt_err DROP k", "Cannot drop PRIMARY KEY column k"),
            ("ALTER TABLE %s.alt_err RENAME a TO z", "Cannot rename non PRIMARY KEY column a"),
            ("ALTER TABLE %s.alt_err ALTER a TYPE blob",
             "Altering column types is no longer supported"),
        ]:
            with self.assertRaises(InvalidRequest) as caught:
                session.execute(statement % KS)
            self.assertIn(message, str(caught.exception))


class AlterKeyspace(unittest.TestCase):
    """Checked against Cassandra 4.0's cql3/statements/schema/AlterKeyspaceStatement.java
    (apply: the keyspace must exist; KeyspaceAttributes.asAlteredKeyspaceParams keeps what is
    not given; SCHEMA_CHANGE UPDATED KEYSPACE), AlterSchemaStatement.validate (local system
    keyspaces) and ReplicationParams (the options' checks, as CREATE KEYSPACE's)."""

    def test_alter_replication_and_durable_writes(self):
        ks = KS + "_alt"
        session.execute(
            "CREATE KEYSPACE %s WITH replication = {'class': 'SimpleStrategy', "
            "'replication_factor': 1}" % ks
        )
        session.execute("CREATE TABLE %s.t (k int PRIMARY KEY, v int)" % ks)
        quorum = SimpleStatement("INSERT INTO %s.t (k, v) VALUES (1, 1)" % ks,
                                 consistency_level=ConsistencyLevel.QUORUM)
        session.execute(quorum)
        session.execute("ALTER KEYSPACE %s WITH replication = {'class': 'SimpleStrategy', "
                        "'replication_factor': 3}" % ks)
        row = session.execute(
            "SELECT durable_writes, replication FROM system_schema.keyspaces "
            "WHERE keyspace_name = %s", (ks,)).one()
        self.assertTrue(row.durable_writes)  # kept: not in the ALTER
        self.assertEqual(row.replication["replication_factor"], "3")
        # The new factor is the one writes are checked against: one node cannot make a quorum
        # of three. (The driver's retry policy tries the next host once, then gives up.)
        with self.assertRaises(NoHostAvailable) as caught:
            session.execute(quorum)
        errors = list(caught.exception.errors.values())
        self.assertTrue(errors and all(isinstance(e, Unavailable) for e in errors), errors)
        self.assertEqual((errors[0].required_replicas, errors[0].alive_replicas), (2, 1))
        session.execute("ALTER KEYSPACE %s WITH durable_writes = false" % ks)
        cluster.refresh_keyspace_metadata(ks)
        meta = cluster.metadata.keyspaces[ks]
        self.assertFalse(meta.durable_writes)
        self.assertEqual(meta.replication_strategy.replication_factor, 3)

    def test_cassandras_errors(self):
        for statement, kind, message in [
            ("ALTER KEYSPACE nosuch_ks WITH durable_writes = false", InvalidRequest,
             "Keyspace 'nosuch_ks' doesn't exist"),
            ("ALTER KEYSPACE system WITH durable_writes = false", InvalidRequest,
             "System keyspace 'system' is not user-modifiable"),
            ("ALTER KEYSPACE %s WITH replication = {'class': 'LocalStrategy'}" % KS,
             ConfigurationException,
             "Unable to use given strategy class: LocalStrategy is reserved for internal use."),
            ("ALTER KEYSPACE %s WITH replication = {'replication_factor': 2}" % KS,
             ConfigurationException, "Missing replication strategy class"),
            ("ALTER KEYSPACE %s WITH bogus = 1" % KS, SyntaxException, "Unknown property 'bogus'"),
        ]:
            with self.subTest(statement=statement):
                with self.assertRaises(kind) as caught:
                    session.execute(statement)
                self.assertIn(message, str(caught.exception))


class CompactStorage(unittest.TestCase):
    """Cassandra 4.0 creates COMPACT STORAGE tables again since CASSANDRA-16217, with hidden
    columns the sandbox does not model: it refuses them by name instead of ignoring the clause,
    and ALTER TABLE ... DROP COMPACT STORAGE on an ordinary table gets AlterTableStatement's
    error."""

    def test_refused_not_ignored(self):
        with self.assertRaises(InvalidRequest) as caught:
            session.execute("CREATE TABLE %s.compact (k int PRIMARY KEY, v int) "
                            "WITH COMPACT STORAGE" % KS)
        self.assertIn("does not support COMPACT STORAGE", str(caught.exception))
        self.assertNotIn("compact", cluster.metadata.keyspaces[KS].tables)
        session.execute("CREATE TABLE %s.not_compact (k int PRIMARY KEY, v int)" % KS)
        with self.assertRaises(InvalidRequest) as caught:
            session.execute("ALTER TABLE %s.not_compact DROP COMPACT STORAGE" % KS)
        self.assertIn("Cannot DROP COMPACT STORAGE on table without COMPACT STORAGE",
                      str(caught.exception))


class TextBatches(unittest.TestCase):
    """Checked against Cassandra 4.0's Parser.g (batchStatement) and
    cql3/statements/BatchStatement.java (validate, executeWithConditions; the [applied] rows of
    ModificationStatement.buildCasResultSet for a batch)."""

    @classmethod
    def setUpClass(cls):
        session.execute("CREATE TABLE %s.b (k int PRIMARY KEY, a text, n int)" % KS)

    def test_a_text_batch_runs(self):
        session.execute(
            "BEGIN BATCH INSERT INTO %s.b (k, a) VALUES (1, 'one'); "
            "INSERT INTO %s.b (k, a) VALUES (2, 'two'); APPLY BATCH" % (KS, KS)
        )
        rows = session.execute("SELECT k, a FROM %s.b WHERE k IN (1, 2)" % KS)
        self.assertEqual([(r.k, r.a) for r in rows], [(1, "one"), (2, "two")])

    def test_a_prepared_text_batch_binds_its_markers(self):
        prepared = session.prepare(
            "BEGIN UNLOGGED BATCH INSERT INTO %s.b (k, a) VALUES (?, ?) "
            "UPDATE %s.b SET n = ? WHERE k = ? APPLY BATCH" % (KS, KS)
        )
        session.execute(prepared, (3, "three", 30, 3))
        row = session.execute("SELECT a, n FROM %s.b WHERE k = 3" % KS).one()
        self.assertEqual((row.a, row.n), ("three", 30))

    def test_conditional_batches_answer_applied(self):
        batch = (
            "BEGIN BATCH INSERT INTO %s.b (k, a, n) VALUES (4, 'four', 1) IF NOT EXISTS "
            "UPDATE %s.b SET n = 4 WHERE k = 4 APPLY BATCH" % (KS, KS)
        )
        first = session.execute(batch)
        self.assertTrue(first.was_applied)
        again = session.execute(batch).one()
        self.assertFalse(again.applied)
        self.assertEqual((again.k, again.a, again.n), (4, "four", 4))
        lost = session.execute(
            "BEGIN BATCH UPDATE %s.b SET a = 'x' WHERE k = 4 IF n = 5 APPLY BATCH" % KS
        ).one()
        self.assertEqual(lost._fields, ("applied", "k", "n"))
        self.assertEqual((lost.applied, lost.k, lost.n), (False, 4, 4))
        # The protocol's BATCH takes conditions too.
        protocol_batch = BatchStatement()
        protocol_batch.add("UPDATE %s.b SET a = 'y' WHERE k = 4 IF n = 4" % KS)
        self.assertTrue(session.execute(protocol_batch).was_applied)

    def test_cassandras_refusals(self):
        with self.assertRaises(SyntaxException):
            session.execute("BEGIN BATCH SELECT * FROM %s.b APPLY BATCH" % KS)
        with self.assertRaises(InvalidRequest) as caught:
            session.execute(
                "BEGIN BATCH INSERT INTO %s.b (k) VALUES (5) IF NOT EXISTS "
                "INSERT INTO %s.b (k) VALUES (6) APPLY BATCH" % (KS, KS)
            )
        self.assertIn("Batch with conditions cannot span multiple partitions",
                      str(caught.exception))
        with self.assertRaises(InvalidRequest) as caught:
            session.execute(
                "BEGIN COUNTER BATCH UPDATE %s.b SET n = 1 WHERE k = 1 APPLY BATCH" % KS
            )
        self.assertIn("Cannot include non-counter statement in a counter batch",
                      str(caught.exception))


class DeepTuples(unittest.TestCase):
    """Cassandra 4.0 bounds the nesting of types and literals by nothing but its stack (Parser.g,
    CQLTypeParser, TupleType); the driver's own tests nest tuples 128 deep
    (test_can_insert_nested_tuples). The sandbox takes up to 256."""

    def test_tuples_nested_128_deep(self):
        depth = 128
        cql_type, literal, value = "int", "7", 7
        for _ in range(depth):
            cql_type = "tuple<%s>" % cql_type
            literal = "(%s)" % literal
            value = (value,)
        session.execute("CREATE TABLE %s.deep (k int PRIMARY KEY, v %s)" % (KS, cql_type))
        session.execute("INSERT INTO %s.deep (k, v) VALUES (1, %s)" % (KS, literal))
        insert = session.prepare("INSERT INTO %s.deep (k, v) VALUES (?, ?)" % KS)
        session.execute(insert, (2, value))
        rows = session.execute("SELECT k, v FROM %s.deep WHERE k IN (1, 2)" % KS)
        self.assertEqual([(r.k, r.v) for r in rows], [(1, value), (2, value)])


if __name__ == "__main__":
    unittest.main(verbosity=2)
