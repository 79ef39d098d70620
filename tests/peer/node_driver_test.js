// The DataStax Node.js driver (npm cassandra-driver 4.x, pinned in package.json) with default
// settings against nosqlc-sandbox: protocol downgrade to v4, schema, prepared statements,
// paging, LWT, error codes, schema metadata and host discovery.
//
// Not tested: lz4. The driver 4.x has no frame compression at all: its STARTUP sends only
// CQL_VERSION, DRIVER_NAME, DRIVER_VERSION (and NO_COMPACT, CLIENT_ID, APPLICATION_*) and
// ClientOptions has no compression option, so the npm lz4 package would change nothing.
//
// Run by tests/peer/run.sh, which starts the sandbox, sets SANDBOX_HOST, SANDBOX_PORT and
// SANDBOX_NODES, and puts the installed packages on NODE_PATH.
'use strict';

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const cassandra = require('cassandra-driver');

const { types, errors } = cassandra;
const HOST = process.env.SANDBOX_HOST;
const PORT = Number(process.env.SANDBOX_PORT);
const NODES = Number(process.env.SANDBOX_NODES || '1');
const NUM_TOKENS = Number(process.env.SANDBOX_NUM_TOKENS || '16');
// Each node's data centre, in address order; the contact point (node 1) is in the local one.
const NODE_DCS = (process.env.SANDBOX_DCS || Array(NODES).fill('datacenter1').join(',')).split(',');
const LOCAL_DC = NODE_DCS[0];
const LOCAL = NODE_DCS.map((dc, i) => (dc === LOCAL_DC ? `127.0.0.${i + 1}:${PORT}` : null))
  .filter((a) => a !== null);
const ROWS = 1000;
const FETCH = 50;
const KS = 'peer_js_' + crypto.randomBytes(4).toString('hex');

// One column per CQL type the sandbox has: name, type as written, a value, and the value read
// back in a comparable form (driver types by toString()).
const { Long, BigDecimal, Duration, InetAddress, LocalDate, LocalTime, Tuple, TimeUuid, Uuid,
  Integer } = types;
const str = (v) => (v === null ? null : v.toString());
const TYPES = [
  ['a_ascii', 'ascii', 'plain', 'plain', (v) => v],
  ['a_bigint', 'bigint', Long.fromString('-9223372036854775808'), '-9223372036854775808', str],
  ['a_blob', 'blob', Buffer.from([0, 255]), '00ff', (v) => v.toString('hex')],
  ['a_boolean', 'boolean', false, false, (v) => v],
  ['a_date', 'date', LocalDate.fromString('2024-02-29'), '2024-02-29', str],
  ['a_decimal', 'decimal', BigDecimal.fromString('-12.3450'), '-12.3450', str],
  ['a_double', 'double', -1.5e300, -1.5e300, (v) => v],
  ['a_duration', 'duration', new Duration(1, 2, Long.fromNumber(3000)), '1mo2d3us', str],
  ['a_float', 'float', 0.25, 0.25, (v) => v],
  ['a_inet4', 'inet', InetAddress.fromString('192.168.1.20'), '192.168.1.20', str],
  ['a_inet6', 'inet', InetAddress.fromString('2001:db8::1'), '2001:db8::1', str],
  ['a_int', 'int', -2147483648, -2147483648, (v) => v],
  ['a_smallint', 'smallint', -32768, -32768, (v) => v],
  ['a_text', 'text', 'h\u00e9llo \u2603', 'h\u00e9llo \u2603', (v) => v],
  ['a_time', 'time', LocalTime.fromString('12:34:56.000789'), '12:34:56.000789', str],
  ['a_timestamp', 'timestamp', new Date('2024-01-02T03:04:05.678Z'), '2024-01-02T03:04:05.678Z',
    (v) => v.toISOString()],
  ['a_timeuuid', 'timeuuid', TimeUuid.fromString('d2177dd0-eaa2-11de-a572-001b779c76e3'),
    'd2177dd0-eaa2-11de-a572-001b779c76e3', str],
  ['a_tinyint', 'tinyint', -128, -128, (v) => v],
  ['a_uuid', 'uuid', Uuid.fromString('01234567-89ab-cdef-0123-456789abcdef'),
    '01234567-89ab-cdef-0123-456789abcdef', str],
  ['a_varint', 'varint', Integer.fromString('-1267650600228229401496703205376'),
    '-1267650600228229401496703205376', str],
  ['c_list', 'list<int>', [3, 1, 3], [3, 1, 3], (v) => v],
  ['c_map', 'map<text, int>', { b: 2, a: 1 }, { a: 1, b: 2 }, (v) => v],
  ['c_set', 'set<text>', ['y', 'x'], ['x', 'y'], (v) => v],
  ['c_tuple', 'frozen<tuple<int, text>>', new Tuple(1, 'one'), [1, 'one'], (v) => v.values()],
  ['c_nested', 'map<text, frozen<list<int>>>', { k: [1, 2] }, { k: [1, 2] }, (v) => v],
  ['c_frozen', 'frozen<set<int>>', [2, 1], [1, 2], (v) => v],
];

// What the driver logs at warning or error level, which would mean it disliked an answer of the
// sandbox, and how often it logged (at info level) falling back to protocol v4.
const complaints = [];
let downgrades = 0;

let client;

describe('cassandra-driver against nosqlc-sandbox', () => {
  before(async () => {
    console.log(`# cassandra-driver ${require('cassandra-driver/package.json').version}, ` +
      `node ${process.version}`);
    // localDataCenter is mandatory with contactPoints in 4.x; protocolOptions.port is the
    // port of every node (the driver reads system.peers, not peers_v2, and contacts each peer
    // on this port, not on the contact point's); everything else is default.
    client = new cassandra.Client({
      contactPoints: [HOST],
      protocolOptions: { port: PORT },
      localDataCenter: LOCAL_DC,
    });
    client.on('log', (level, className, message) => {
      if (process.env.PEER_LOG) console.error(level, className, message);
      if (/Protocol 0x[0-9a-f]+ not supported, using 0x4$/.test(message)) downgrades++;
      if (level !== 'warning' && level !== 'error') return;
      complaints.push(`${level} ${className}: ${message}`);
    });
    await client.connect();
    // One replica in the local data centre: a SimpleStrategy one may land in another, where
    // LOCAL_ONE cannot reach it (Unavailable, as from Cassandra).
    await client.execute(
      `CREATE KEYSPACE ${KS} WITH replication = ` +
      `{'class': 'NetworkTopologyStrategy', '${LOCAL_DC}': 1}`);
    await client.execute(
      `CREATE TABLE ${KS}.items (id int PRIMARY KEY, name text, score double, tags set<text>)`);
    await client.execute(`CREATE TABLE ${KS}.pages (k int PRIMARY KEY, v text)`);
    await client.execute(`CREATE TABLE ${KS}.kv (k int PRIMARY KEY, v text)`);
    await client.execute(`CREATE TABLE ${KS}.types (k int PRIMARY KEY, ${
      TYPES.map(([name, cql]) => `${name} ${cql}`).join(', ')})`);
  });

  after(async () => {
    if (client) await client.shutdown();
    assert.deepEqual(complaints, []);
  });

  it('fell back from a higher protocol version to v4', () => {
    assert.ok(types.protocolVersion.maxSupported > 4);
    assert.equal(client.controlConnection.protocolVersion, 4);
    // The log line the driver writes on falling back; a frame of a version it did not expect
    // would have been an error instead.
    assert.ok(downgrades >= 1, 'no protocol downgrade logged');
  });

  it('runs prepared INSERT and SELECT', async () => {
    const insert = `INSERT INTO ${KS}.items (id, name, score, tags) VALUES (?, ?, ?, ?)`;
    await client.execute(insert, [7, 'widget', 2.5, ['a', 'b']], { prepare: true });
    const select = `SELECT id, name, score, tags FROM ${KS}.items WHERE id = ?`;
    const rs = await client.execute(select, [7], { prepare: true });
    assert.deepEqual(rs.columns.map((c) => c.name), ['id', 'name', 'score', 'tags']);
    assert.equal(rs.rowLength, 1);
    const row = rs.first();
    assert.equal(row.id, 7);
    assert.equal(row.name, 'widget');
    assert.equal(row.score, 2.5);
    assert.deepEqual([...row.tags].sort(), ['a', 'b']);
    const none = await client.execute(select, [8], { prepare: true });
    assert.equal(none.rowLength, 0);
  });

  it('pages through 1,000 rows, each exactly once', async () => {
    const insert = `INSERT INTO ${KS}.pages (k, v) VALUES (?, ?)`;
    const values = Array.from({ length: ROWS }, (_, i) => [i, `v${i}`]);
    await cassandra.concurrent.executeConcurrent(client, insert, values, { concurrencyLevel: 50 });

    const seen = new Map();
    let pages = 0;
    let pageState;
    do {
      const rs = await client.execute(`SELECT k, v FROM ${KS}.pages`, [],
        { prepare: true, fetchSize: FETCH, pageState });
      pages++;
      assert.ok(rs.rowLength <= FETCH, `page of ${rs.rowLength} rows`);
      for (const r of rs.rows) {
        assert.equal(r.v, `v${r.k}`);
        seen.set(r.k, (seen.get(r.k) || 0) + 1);
      }
      pageState = rs.pageState;
    } while (pageState);
    assert.ok(pages >= ROWS / FETCH, `${pages} pages`);
    assert.equal(seen.size, ROWS);
    for (let i = 0; i < ROWS; i++) assert.equal(seen.get(i), 1, `row ${i}`);

    // An aggregate reads every page server-side; LIMIT spans pages.
    const count = await client.execute(`SELECT COUNT(*) FROM ${KS}.pages`, [],
      { fetchSize: FETCH });
    assert.equal(count.rowLength, 1);
    assert.equal(count.first().get(0).toString(), String(ROWS));
    const limited = [];
    await new Promise((resolve, reject) => {
      client.eachRow(`SELECT k FROM ${KS}.pages LIMIT 120`, [],
        { prepare: true, fetchSize: FETCH, autoPage: true },
        (n, row) => limited.push(row.k), (err) => (err ? reject(err) : resolve()));
    });
    assert.equal(limited.length, 120);
    assert.equal(new Set(limited).size, 120);

    // The driver's own paging (async iteration) agrees.
    const rs = await client.execute(`SELECT k FROM ${KS}.pages`, [],
      { prepare: true, fetchSize: FETCH });
    const keys = [];
    for await (const r of rs) keys.push(r.k);
    assert.equal(keys.length, ROWS);
    assert.equal(new Set(keys).size, ROWS);
  });

  it('sees [applied] from INSERT IF NOT EXISTS', async () => {
    const insert = `INSERT INTO ${KS}.kv (k, v) VALUES (?, ?) IF NOT EXISTS`;
    const first = await client.execute(insert, [5000, 'first'], { prepare: true });
    assert.equal(first.wasApplied(), true);
    assert.deepEqual(first.columns.map((c) => c.name), ['[applied]']);
    assert.equal(first.first()['[applied]'], true);
    const second = await client.execute(insert, [5000, 'second'], { prepare: true });
    assert.equal(second.wasApplied(), false);
    assert.deepEqual(second.columns.map((c) => c.name), ['[applied]', 'k', 'v']);
    const row = second.first();
    assert.equal(row['[applied]'], false);
    assert.equal(row.k, 5000);
    assert.equal(row.v, 'first');
  });

  it('gets ResponseError syntaxError for a syntax error', async () => {
    for (const prepare of [false, true]) {
      await assert.rejects(client.execute(`SELEC * FROM ${KS}.kv`, [], { prepare }), (err) => {
        assert.ok(err instanceof errors.ResponseError, String(err));
        assert.equal(err.code, types.responseErrorCodes.syntaxError);
        return true;
      });
    }
  });

  it('gets ResponseError alreadyExists for an existing table', async () => {
    await assert.rejects(client.execute(`CREATE TABLE ${KS}.kv (k int PRIMARY KEY)`), (err) => {
      assert.ok(err instanceof errors.ResponseError, String(err));
      assert.equal(err.code, types.responseErrorCodes.alreadyExists);
      assert.equal(err.keyspace, KS);
      assert.equal(err.table, 'kv');
      return true;
    });
  });

  it('gets ResponseError invalid for an unknown table', async () => {
    for (const prepare of [false, true]) {
      await assert.rejects(client.execute(`SELECT * FROM ${KS}.no_such_table`, [], { prepare }),
        (err) => {
          assert.ok(err instanceof errors.ResponseError, String(err));
          assert.equal(err.code, types.responseErrorCodes.invalid);
          assert.match(err.message, /no_such_table/);
          return true;
        });
    }
  });

  it('round-trips every type through prepared statements', async () => {
    const names = TYPES.map(([name]) => name);
    await client.execute(
      `INSERT INTO ${KS}.types (k, ${names.join(', ')}) ` +
      `VALUES (?, ${names.map(() => '?').join(', ')})`,
      [1, ...TYPES.map(([, , value]) => value)], { prepare: true });
    const row = (await client.execute(`SELECT * FROM ${KS}.types WHERE k = ?`, [1],
      { prepare: true })).first();
    for (const [name, cql, , expected, comparable] of TYPES) {
      assert.deepEqual(comparable(row[name]), expected, `${name} ${cql}`);
    }
    // Unset columns read back as null.
    await client.execute(`INSERT INTO ${KS}.types (k) VALUES (2)`);
    const empty = (await client.execute(`SELECT * FROM ${KS}.types WHERE k = 2`)).first();
    for (const [name] of TYPES) assert.equal(empty[name], null, name);
  });

  it('spells every type in its schema metadata', async () => {
    const table = await client.metadata.getTable(KS, 'types');
    const byName = Object.fromEntries(table.columns.map((c) => [c.name, c.type]));
    const d = types.dataTypes;
    const codes = {
      a_ascii: d.ascii, a_bigint: d.bigint, a_blob: d.blob, a_boolean: d.boolean, a_date: d.date,
      a_decimal: d.decimal, a_double: d.double, a_duration: d.duration, a_float: d.float,
      a_inet4: d.inet, a_inet6: d.inet, a_int: d.int, a_smallint: d.smallint, a_text: d.text,
      a_time: d.time, a_timestamp: d.timestamp, a_timeuuid: d.timeuuid, a_tinyint: d.tinyint,
      a_uuid: d.uuid, a_varint: d.varint, c_list: d.list, c_map: d.map, c_set: d.set,
      c_tuple: d.tuple, c_nested: d.map, c_frozen: d.set,
    };
    assert.deepEqual(Object.keys(byName).sort(), ['k', ...TYPES.map(([name]) => name)].sort());
    for (const [name, code] of Object.entries(codes)) assert.equal(byName[name].code, code, name);
    // The driver reads frozen<> from system_schema.columns' spelling of the type.
    assert.equal(byName.c_frozen.options.frozen, true);
    assert.equal(byName.c_set.options.frozen, false);
    assert.equal(byName.c_nested.options.frozen, false);
    assert.equal(byName.c_nested.info[1].options.frozen, true);
  });

  it('uses a keyspace and runs a batch', async () => {
    const ksClient = new cassandra.Client({
      contactPoints: [HOST],
      protocolOptions: { port: PORT },
      localDataCenter: LOCAL_DC,
      keyspace: KS,
    });
    try {
      await ksClient.connect();
      await ksClient.batch([
        { query: 'INSERT INTO kv (k, v) VALUES (?, ?)', params: [6001, 'a'] },
        { query: 'INSERT INTO kv (k, v) VALUES (?, ?)', params: [6002, 'b'] },
        { query: 'DELETE FROM kv WHERE k = ?', params: [6001] },
      ], { prepare: true });
      const rs = await ksClient.execute('SELECT k, v FROM kv WHERE k IN (6001, 6002)');
      assert.deepEqual(rs.rows.map((r) => [r.k, r.v]), [[6002, 'b']]);
    } finally {
      await ksClient.shutdown();
    }
  });

  it('describes the table in its schema metadata', async () => {
    const table = await client.metadata.getTable(KS, 'items');
    assert.ok(table, 'getTable found nothing');
    const columns = Object.fromEntries(table.columns.map((c) => [c.name, c.type]));
    assert.deepEqual(Object.keys(columns).sort(), ['id', 'name', 'score', 'tags']);
    assert.equal(columns.id.code, types.dataTypes.int);
    assert.equal(columns.name.code, types.dataTypes.text);
    assert.equal(columns.score.code, types.dataTypes.double);
    assert.equal(columns.tags.code, types.dataTypes.set);
    assert.equal(columns.tags.info.code, types.dataTypes.text);
    assert.deepEqual(table.partitionKeys.map((c) => c.name), ['id']);
    assert.deepEqual(table.clusteringKeys, []);
    const ks = client.metadata.keyspaces[KS];
    assert.ok(ks, 'keyspace missing from metadata');
    assert.equal(ks.strategy, 'org.apache.cassandra.locator.NetworkTopologyStrategy');
    assert.deepEqual(ks.strategyOptions, { [LOCAL_DC]: '1' });
    assert.equal(await client.metadata.checkSchemaAgreement(), true);
  });

  it('resumes a paging state on any node', async () => {
    // Rows of the pages table, written by the paging test.
    const q = `SELECT k FROM ${KS}.pages`;
    const options = { prepare: true, fetchSize: FETCH };
    const hosts = client.hosts.values().filter((h) => LOCAL.includes(h.address));  // pooled ones
    const first = await client.execute(q, [], { ...options, host: hosts[0] });
    const expected = [];
    let rs = first;
    while (expected.length < 2 * FETCH) {
      expected.push(...rs.rows.map((r) => r.k));
      rs = await client.execute(q, [], { ...options, pageState: rs.pageState, host: hosts[0] });
    }
    for (const a of hosts) {
      for (const b of hosts) {
        const page1 = await client.execute(q, [], { ...options, host: a });
        assert.ok(page1.pageState);
        const page2 = await client.execute(q, [],
          { ...options, pageState: page1.pageState, host: b });
        assert.deepEqual([...page1.rows, ...page2.rows].map((r) => r.k), expected,
          `${a.address} then ${b.address}`);
      }
    }
  });

  it('sends prepared statements to their replica', async () => {
    // The default policy is token-aware: it needs the partition key indexes of PREPARED and the
    // nodes' tokens from system.local and system.peers. With one replica per token, the
    // coordinator is that replica.
    // A key whose one replica is in a remote data centre goes to a local node instead.
    const coordinators = new Set();
    for (let k = 0; k < 60; k++) {
      const key = Buffer.alloc(4);
      key.writeInt32BE(k);
      const replicas = client.getReplicas(KS, key);
      assert.equal(replicas.length, 1);
      if (!LOCAL.includes(replicas[0].address)) continue;
      const rs = await client.execute(`SELECT v FROM ${KS}.kv WHERE k = ?`, [k], { prepare: true });
      assert.equal(rs.info.queriedHost, replicas[0].address, `k = ${k}`);
      coordinators.add(rs.info.queriedHost);
    }
    assert.deepEqual([...coordinators].sort(), [...LOCAL].sort());
  });

  it('computes the tokens the sandbox computes', async () => {
    for (const k of [0, 1, -1, 2147483647, 123456789]) {
      await client.execute(`INSERT INTO ${KS}.kv (k, v) VALUES (?, 'tok')`, [k], { prepare: true });
      const rs = await client.execute(`SELECT token(k) FROM ${KS}.kv WHERE k = ?`, [k],
        { prepare: true });
      const key = Buffer.alloc(4);
      key.writeInt32BE(k);
      const server = rs.first().get(0);
      assert.equal(server.toString(), client.metadata.newToken(key).getValue().toString(),
        `k = ${k}`);
    }
    assert.equal(client.metadata.getTokenRanges().size, NODES * NUM_TOKENS);
  });

  it('discovers every node and queries through each', async () => {
    const expected = Array.from({ length: NODES }, (_, i) => `127.0.0.${i + 1}:${PORT}`);
    const hosts = client.hosts.values();
    assert.deepEqual(hosts.map((h) => h.address).sort(), expected);
    for (const h of hosts) {
      assert.equal(h.isUp(), true, h.address);
      assert.equal(h.datacenter, NODE_DCS[Number(h.address.split(':')[0].split('.')[3]) - 1]);
      assert.equal(h.cassandraVersion, '4.0.11');
      assert.equal(h.tokens.length, NUM_TOKENS);
    }
    // The default policy connects to the local data centre's nodes only.
    assert.deepEqual(client.getState().getConnectedHosts().map((h) => h.address).sort(),
      [...LOCAL].sort());
    for (const h of hosts) {
      if (!LOCAL.includes(h.address)) continue;
      const rs = await client.execute('SELECT rpc_address FROM system.local', [], { host: h });
      assert.equal(rs.info.queriedHost, h.address);
      assert.equal(rs.first().rpc_address.toString(), h.address.split(':')[0]);
    }
  });
});
