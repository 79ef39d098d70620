"""Issue 16 item 10, "JSON and functions": the native functions, aggregates, writetime() and
ttl(), casts, arithmetic, SELECT JSON and INSERT JSON, as the DataStax Python driver (Debian's
python3-cassandra) sees them from the sandbox. Each class names the Cassandra 4.0 source it was
checked against; expected values come from Cassandra's own tests where they have them
(CastFctsTest, JsonTest, AggregationTest, SelectionTest, OperationFctsTest).

Run by tests/peer/run.sh, which starts the sandbox and sets SANDBOX_HOST and SANDBOX_PORT. Run
with /usr/bin/python3: Debian's packages are not in a pyenv's path.
"""

import datetime
import decimal
import unittest

from cassandra import FunctionFailure, InvalidRequest

import sandbox_env


cluster = None
session = None
KS = None


def setUpModule():
    global cluster, session, KS
    cluster, session = sandbox_env.connect()
    KS = sandbox_env.create_keyspace(session, "peer_functions_")
    session.set_keyspace(KS)
    # CastFctsTest.testNumericCastsInSelectionClause's table and row.
    session.execute(
        "CREATE TABLE nums (a int PRIMARY KEY, b smallint, c double, d decimal, e float, "
        "f bigint, g varint, h tinyint)"
    )
    session.execute(
        "INSERT INTO nums (a, b, c, d, e, f, g, h) VALUES (1, 2, 6.3, 6.3, 5.2, 100, 10, 3)"
    )
    session.execute("CREATE TABLE times (k int PRIMARY KEY, t timestamp, d date, u timeuuid)")
    session.execute(
        "INSERT INTO times (k, t, d, u) VALUES (1, '2011-02-03 04:05:00+0000', "
        "'2011-02-03', maxTimeuuid('2011-02-03 04:05:00+0000'))"
    )


def tearDownModule():
    if cluster is not None:
        cluster.shutdown()


def one(query, *args):
    return session.execute(query, *args).one()


def columns(query):
    return session.execute(query).column_names


def error_of(query, kind=InvalidRequest):
    with unittest.TestCase().assertRaises(kind) as caught:
        session.execute(query)
    return str(caught.exception)


class Casts(unittest.TestCase):
    """cql3/functions/CastFcts.java (the casts that exist, Java's Number conversions,
    getDecimalConversionFunction, CastAsTextFunction) and cql3/selection/Selectable.WithCast
    (a cast to the same type is none; "cannot be cast to"); values from CastFctsTest."""

    def test_numeric_casts(self):
        row = one(
            "SELECT CAST(a AS int), CAST(b AS int), CAST(c AS int), CAST(d AS int), "
            "CAST(e AS int), CAST(f AS int), CAST(g AS int) FROM nums"
        )
        self.assertEqual(tuple(row), (1, 2, 6, 6, 5, 100, 10))
        row = one("SELECT CAST(a AS double), CAST(e AS double), CAST(d AS double) FROM nums")
        self.assertEqual(row[0], 1.0)
        self.assertAlmostEqual(row[1], 5.199999809265137, places=15)  # the float 5.2, widened
        self.assertEqual(row[2], 6.3)
        row = one("SELECT CAST(c AS decimal), CAST(e AS decimal), CAST(a AS decimal) FROM nums")
        self.assertEqual(row[0], decimal.Decimal("6.3"))  # BigDecimal.valueOf(6.3)
        self.assertEqual(row[1], decimal.Decimal("5.2"))  # new BigDecimal(Float.toString(5.2f))
        self.assertEqual(row[2], decimal.Decimal("1"))
        row = one("SELECT CAST(f AS varint), CAST(c AS bigint), CAST(a AS tinyint) FROM nums")
        self.assertEqual(tuple(row), (100, 6, 1))

    def test_casts_to_text_and_their_column_names(self):
        rs = session.execute(
            "SELECT CAST(a AS text), CAST(c AS text), CAST(e AS ascii), CAST(d AS text), "
            "CAST(a AS int) FROM nums"
        )
        # A cast to the column's own type is no cast: the column keeps its name.
        self.assertEqual(
            rs.column_names,
            ["cast(a as text)", "cast(c as text)", "cast(e as ascii)", "cast(d as text)", "a"],
        )
        self.assertEqual(tuple(rs.one()), ("1", "6.3", "5.2", "6.3", 1))

    def test_temporal_casts(self):
        row = one(
            "SELECT CAST(t AS date), CAST(t AS text), CAST(d AS timestamp), CAST(d AS text), "
            "CAST(u AS timestamp) FROM times"
        )
        self.assertEqual(str(row[0]), "2011-02-03")
        self.assertEqual(row[1], "2011-02-03T04:05:00.000Z")
        self.assertEqual(row[2], datetime.datetime(2011, 2, 3))
        self.assertEqual(row[3], "2011-02-03")
        self.assertEqual(row[4], datetime.datetime(2011, 2, 3, 4, 5))

    def test_impossible_casts(self):
        self.assertIn("cannot be cast to int", error_of("SELECT CAST(t AS int) FROM times"))


class Conversions(unittest.TestCase):
    """cql3/functions/BytesConversionFcts.java (every native type both ways, the invalid
    binary representation error), TimeFcts.java and UuidFcts.java."""

    def test_blob_round_trips_and_names(self):
        rs = session.execute("SELECT blobAsInt(intAsBlob(a)), bigintAsBlob(f), varcharAsBlob('x') "
                             "FROM nums")
        self.assertEqual(
            rs.column_names,
            ["system.blobasint(system.intasblob(a))", "system.bigintasblob(f)",
             "system.varcharasblob('x')"],
        )
        row = rs.one()
        self.assertEqual(row[0], 1)
        self.assertEqual(row[1], b"\x00\x00\x00\x00\x00\x00\x00\x64")
        self.assertEqual(row[2], b"x")
        self.assertEqual(
            error_of("SELECT blobAsInt(0x0102) FROM nums"),
            'Error from server: code=2200 [Invalid query] message="In call to function '
            'system.blobasint, value 0x0102 is not a valid binary representation for type int"',
        )

    def test_functions_in_values_and_where(self):
        session.execute("CREATE TABLE blobs (k int PRIMARY KEY, b blob, t timestamp)")
        session.execute("INSERT INTO blobs (k, b, t) VALUES (blobAsInt(0x00000007), "
                        "textAsBlob('seven'), toTimestamp(now()))")
        row = one("SELECT k, b, blobAsText(b), t FROM blobs WHERE k = blobAsInt(0x00000007)")
        self.assertEqual((row[0], row[1], row[2]), (7, b"seven", "seven"))
        self.assertLess(abs((datetime.datetime.utcnow() - row[3]).total_seconds()), 60)

    def test_time_functions(self):
        row = one(
            "SELECT toDate(t), toUnixTimestamp(t), minTimeuuid(t), maxTimeuuid(t), "
            "toUnixTimestamp(d), toTimestamp(d) FROM times"
        )
        self.assertEqual(str(row[0]), "2011-02-03")
        self.assertEqual(row[1], 1296705900000)
        # UUIDGen.minTimeUUID / maxTimeUUID: the extreme clock sequence and node bytes.
        self.assertEqual(str(row[2]).split("-")[3:], ["8080", "808080808080"])
        self.assertEqual(str(row[3]).split("-")[3:], ["7f7f", "7f7f7f7f7f7f"])
        self.assertEqual(row[4], 1296691200000)
        self.assertEqual(row[5], datetime.datetime(2011, 2, 3))
        # An ambiguous call names the signatures that match, when the statement is prepared.
        with self.assertRaises(InvalidRequest) as caught:
            session.prepare("SELECT toDate(?) FROM times")
        self.assertIn("Ambiguous call to function system.todate", str(caught.exception))

    def test_unknown_functions(self):
        self.assertIn("Unknown function 'nosuch'", error_of("SELECT nosuch(a) FROM nums"))
        self.assertIn(
            "Invalid number of arguments in call to function system.blobasint: 1 required but "
            "2 provided",
            error_of("SELECT blobAsInt(a, a) FROM nums"),
        )


class CellFunctions(unittest.TestCase):
    """cql3/selection/Selectable.WritetimeOrTTL (its errors) and WritetimeOrTTLSelector; token()
    as TokenFct: the partition key's Murmur3 token."""

    def test_writetime_ttl_and_token(self):
        session.execute("CREATE TABLE cells (k int PRIMARY KEY, v text, l list<int>, "
                        "f frozen<list<int>>)")
        session.execute("INSERT INTO cells (k, v, f) VALUES (1, 'a', [1]) USING TIMESTAMP 12345 "
                        "AND TTL 1000")
        session.execute("INSERT INTO cells (k, v) VALUES (2, 'b') USING TIMESTAMP 777")
        rs = session.execute("SELECT k, writetime(v), ttl(v), writetime(f), token(k) FROM cells "
                             "WHERE k = 1")
        self.assertEqual(rs.column_names,
                         ["k", "writetime(v)", "ttl(v)", "writetime(f)", "system.token(k)"])
        row = rs.one()
        self.assertEqual(row[1], 12345)
        self.assertTrue(998 <= row[2] <= 1000, row[2])
        self.assertEqual(row[3], 12345)
        token = one("SELECT token(k) FROM cells WHERE token(k) = %d" % row[4])
        self.assertEqual(token[0], row[4])
        row = one("SELECT writetime(v), ttl(v), writetime(f) FROM cells WHERE k = 2")
        self.assertEqual((row[0], row[1], row[2]), (777, None, None))
        self.assertIn("Cannot use selection function writeTime on PRIMARY KEY part k",
                      error_of("SELECT writetime(k) FROM cells"))
        self.assertIn("Cannot use selection function ttl on non-frozen collection l",
                      error_of("SELECT ttl(l) FROM cells"))


class Aggregates(unittest.TestCase):
    """cql3/functions/AggregateFcts.java (count, min, max of any type; sum and avg of numbers:
    Java's wrapping sums, integer averages truncated, 0 over no rows) and
    Selectable.WithFunction (aggregates of aggregates refused)."""

    @classmethod
    def setUpClass(cls):
        session.execute("CREATE TABLE agg (k int PRIMARY KEY, v int, t tinyint, d double, "
                        "s text)")
        for k, v, t, d, s in [(1, 1, 100, 0.5, "b"), (2, 2, 100, 1.0, "a"), (3, 4, 100, None,
                                                                              None)]:
            session.execute("INSERT INTO agg (k, v, t, d, s) VALUES (%s, %s, %s, %s, %s)",
                            (k, v, t, d, s))

    def test_values_and_names(self):
        rs = session.execute("SELECT count(*), count(d), min(v), max(v), sum(v), avg(v), "
                             "avg(d), min(s), max(s) FROM agg")
        self.assertEqual(
            rs.column_names,
            ["count", "system.count(d)", "system.min(v)", "system.max(v)", "system.sum(v)",
             "system.avg(v)", "system.avg(d)", "system.min(s)", "system.max(s)"],
        )
        self.assertEqual(tuple(rs.one()), (3, 2, 1, 4, 7, 2, 0.75, "a", "b"))

    def test_java_arithmetic(self):
        # A tinyint sum wraps as Java's byte does: 300 is 44.
        self.assertEqual(one("SELECT sum(t) FROM agg")[0], 44)
        row = one("SELECT count(*), sum(v), avg(v), max(v) FROM agg WHERE k = 99")
        self.assertEqual(tuple(row), (0, 0, 0, None))

    def test_refusals(self):
        self.assertIn("aggregate functions cannot be used as arguments of aggregate functions",
                      error_of("SELECT max(count(v)) FROM agg"))
        self.assertIn("Invalid call to function system.sum", error_of("SELECT sum(s) FROM agg"))


class Arithmetic(unittest.TestCase):
    """cql3/functions/OperationFcts.java (result types, the failure of an integer division by
    zero) and Parser.g's selectionAddition / selectionMultiplication precedence."""

    def test_operations(self):
        rs = session.execute("SELECT a + 1, a * 2 - 3, -a, f / 3, a + e, c % 2 FROM nums")
        self.assertEqual(rs.column_names, ["a + 1", "a * 2 - 3", "-a", "f / 3", "a + e", "c % 2"])
        row = rs.one()
        self.assertEqual(tuple(row[:4]), (2, -1, -1, 33))
        self.assertAlmostEqual(row[4], 6.2, places=5)  # int + float is a float
        self.assertAlmostEqual(row[5], 0.3, places=10)
        with self.assertRaises(FunctionFailure) as caught:
            session.execute("SELECT a / 0 FROM nums")
        self.assertIn("the operation 'int / int' failed: / by zero", str(caught.exception))

    def test_varint_and_decimal(self):
        # IntegerType: BigInteger's exact operations, truncating division; DecimalType (4.0,
        # after CASSANDRA-15232): + - * to 10,000 digits, / by its own scale rule, exact %.
        session.execute("CREATE TABLE bigs (k int PRIMARY KEY, v varint, d decimal)")
        big = 123456789012345678901234567890
        session.execute("INSERT INTO bigs (k, v, d) VALUES (1, %d, 1.5)" % big)
        session.execute("INSERT INTO bigs (k, v, d) VALUES (2, -7, 3)")
        row = one("SELECT v + 1, v * v, v / 7, v % 7, -v, d / 3, d * d, d - 1 FROM bigs "
                  "WHERE k = 1")
        self.assertEqual(tuple(row[:5]), (big + 1, big * big, big // 7, big % 7, -big))
        self.assertEqual(tuple(row[5:]), (decimal.Decimal("0.5"), decimal.Decimal("2.25"),
                                          decimal.Decimal("0.5")))
        row = one("SELECT v / 2, v % 2, d / 7 FROM bigs WHERE k = 2")
        self.assertEqual((row[0], row[1]), (-3, -1))  # toward zero; the dividend's sign
        self.assertEqual(row[2], decimal.Decimal("0.42857142857142857142857142857143"))
        with self.assertRaises(FunctionFailure) as caught:
            session.execute("SELECT v / 0 FROM bigs WHERE k = 1")
        self.assertIn("failed: BigInteger divide by zero", str(caught.exception))
        row = one("SELECT sum(v), avg(v), sum(d) FROM bigs")
        self.assertEqual(tuple(row), (big - 7, (big - 7) // 2, decimal.Decimal("4.5")))

    def test_empty_values_are_null(self):
        # FunctionArguments and the aggregates' compose(): an empty number is no value. (A
        # varint left empty once crashed the sandbox when added to.)
        session.execute("CREATE TABLE empties (k int PRIMARY KEY, v varint, d decimal, i int)")
        session.execute("INSERT INTO empties (k, v, d, i) VALUES (1, blobAsVarint(0x), "
                        "blobAsDecimal(0x), blobAsInt(0x))")
        session.execute("INSERT INTO empties (k, v, d, i) VALUES (2, 5, 2.5, 3)")
        row = one("SELECT i + 1, v + 1, d * 2, cast(v as int), -v FROM empties WHERE k = 1")
        self.assertEqual(tuple(row), (None,) * 5)
        row = one("SELECT sum(d), avg(d), sum(v), avg(i) FROM empties")
        self.assertEqual(tuple(row), (decimal.Decimal("2.5"), decimal.Decimal("2.5"), 5, 3))

    def test_timestamps_and_dates_with_durations(self):
        # Duration.addTo: months as GregorianCalendar adds them (31 January plus a month is
        # the last day of February), then days, then the rest.
        session.execute("INSERT INTO times (k, t, d) VALUES (2, '2011-01-31 10:00:00+0000', "
                        "'2011-01-31')")
        rs = session.execute("SELECT t + 1mo, t - 1d, t + 1h30m, t + 1mo2d, d + 1mo, d - 1y "
                             "FROM times WHERE k = 2")
        self.assertEqual(rs.column_names,
                         ["t + 1mo", "t - 1d", "t + 1h30m", "t + 1mo2d", "d + 1mo", "d - 1y"])
        row = rs.one()
        self.assertEqual(row[0], datetime.datetime(2011, 2, 28, 10, 0))
        self.assertEqual(row[1], datetime.datetime(2011, 1, 30, 10, 0))
        self.assertEqual(row[2], datetime.datetime(2011, 1, 31, 11, 30))
        self.assertEqual(row[3], datetime.datetime(2011, 3, 2, 10, 0))
        self.assertEqual(str(row[4]), "2011-02-28")
        self.assertEqual(str(row[5]), "2010-01-31")
        self.assertIn("The duration must have a day precision. Was: 1h",
                      error_of("SELECT d + 1h FROM times WHERE k = 2"))

    def test_terms_need_a_type(self):
        self.assertIn("Cannot infer type for term 1 in selection clause",
                      error_of("SELECT 1 FROM nums"))
        row = session.execute("SELECT (bigint)1, (text)'x' FROM nums")
        self.assertEqual(tuple(row.one()), (1, "x"))


class Json(unittest.TestCase):
    """cql3/Json.java (INSERT JSON: DEFAULT NULL and UNSET, unknown columns, decode errors),
    selection/Selection.rowToJson (SELECT JSON's [json] column and its keys),
    functions/ToJsonFct and FromJsonFct, and the types' toJSONString; values from JsonTest."""

    @classmethod
    def setUpClass(cls):
        session.execute(
            'CREATE TABLE js (k int PRIMARY KEY, v text, n int, t timestamp, l list<int>, '
            'm map<int, text>, "Mixed" int)'
        )

    def test_insert_and_select_json(self):
        session.execute(
            "INSERT INTO js JSON '{\"k\": 1, \"v\": \"a\", \"n\": 2, \"t\": "
            "\"2014-01-01 00:00:00.000Z\", \"l\": [3, 1], \"m\": {\"1\": \"x\"}, "
            "\"\\\"Mixed\\\"\": 4}'"
        )
        rs = session.execute("SELECT JSON * FROM js WHERE k = 1")
        self.assertEqual(rs.column_names, ["[json]"])
        self.assertEqual(
            rs.one()[0],
            '{"k": 1, "\\"Mixed\\"": 4, "l": [3, 1], "m": {"1": "x"}, "n": 2, '
            '"t": "2014-01-01 00:00:00.000Z", "v": "a"}',
        )
        row = one("SELECT JSON k, n AS num, toJson(l) FROM js WHERE k = 1")
        self.assertEqual(row[0], '{"k": 1, "num": 2, "system.tojson(l)": "[3, 1]"}')

    def test_defaults(self):
        session.execute("INSERT INTO js (k, v, n) VALUES (2, 'kept', 5)")
        session.execute("INSERT INTO js JSON '{\"k\": 2, \"n\": 6}' DEFAULT UNSET")
        self.assertEqual(tuple(one("SELECT v, n FROM js WHERE k = 2")), ("kept", 6))
        session.execute("INSERT INTO js JSON '{\"k\": 2, \"n\": 7}'")  # DEFAULT NULL
        self.assertEqual(tuple(one("SELECT v, n FROM js WHERE k = 2")), (None, 7))
        prepared = session.prepare("INSERT INTO js JSON ?")
        self.assertEqual([c.name for c in prepared.column_metadata], ["[json]"])
        session.execute(prepared, ['{"k": 3, "v": "bound"}'])
        self.assertEqual(one("SELECT v FROM js WHERE k = 3")[0], "bound")

    def test_from_json_in_values(self):
        session.execute("INSERT INTO js (k, l, n) VALUES (4, fromJson('[1, 2]'), fromJson('8'))")
        self.assertEqual(tuple(one("SELECT l, n FROM js WHERE k = 4")), ([1, 2], 8))

    def test_errors(self):
        self.assertIn("JSON values map contains unrecognized column: bogus",
                      error_of("INSERT INTO js JSON '{\"k\": 5, \"bogus\": 1}'"))
        self.assertIn("Error decoding JSON value for n: Unable to make int from 'x'",
                      error_of("INSERT INTO js JSON '{\"k\": 5, \"n\": \"x\"}'"))
        self.assertIn("Could not decode JSON string as a map",
                      error_of("INSERT INTO js JSON 'not json'"))
        self.assertIn("fromJson() cannot be used in the selection clause of a SELECT statement",
                      error_of("SELECT fromJson('1') FROM js"))


class PreparedSelection(unittest.TestCase):
    """Selectable.WithTerm: a marker in the selection is typed by where it stands and named
    "[selection]"; a function's argument marker is named arg<i>(system.<function>)."""

    def test_marker_types(self):
        prepared = session.prepare("SELECT intAsBlob(?), a FROM nums WHERE a = ?")
        self.assertEqual([(c.name, c.type.typename) for c in prepared.column_metadata],
                         [("[selection]", "int"), ("a", "int")])
        row = session.execute(prepared, [5, 1]).one()
        self.assertEqual(row[0], b"\x00\x00\x00\x05")
        prepared = session.prepare("INSERT INTO blobs (k, b) VALUES (?, intAsBlob(?))")
        self.assertEqual([c.name for c in prepared.column_metadata],
                         ["k", "arg0(system.intasblob)"])


if __name__ == "__main__":
    unittest.main(verbosity=2)
