#include "nosqlc/cli/usage.hpp"

namespace nosqlc::cli {

std::string_view usage_text() noexcept {
  return R"(usage: nosqlc [OPTIONS] COMMAND [OPERANDS]

A command-line client for nosqlc document databases.

Options (before or after the command; "--" ends them):
  --url URL              database URL, e.g. nosqlc:cassandra:localhost:9042/shop
                         (default: $NOSQLC_URL; one of them is required)
  -c, --collection NAME  the collection (default: $NOSQLC_COLLECTION; required by every
                         command but collections)
  -u, --username NAME    log in as NAME (default: $NOSQLC_USERNAME); the password comes
                         from $NOSQLC_PASSWORD only, never from the command line
  --pretty               indent JSON output for people (default: one JSON value per line)
  --limit N              find, count, export: at most N documents
  --on-error skip|stop   import: skip bad lines, or stop at the first one (default: stop);
                         find, count, export: skip stored documents that cannot be read
                         (not JSON objects), reporting how many, or fail naming the first
  --concurrency N        import: writes in flight at most, 1 to 1024 (default: 64)
  --no-progress          import, export: no progress bar (drawn on stderr only when
                         stderr is a terminal)
  --timeout MS           each operation's deadline, retries included (find, count,
                         export: the whole scan's); past it the command fails (exit 3)
  --consistency LEVEL    the consistency of reads and writes (Cassandra: ONE, QUORUM,
                         LOCAL_QUORUM, ALL, ...; default: the URL's)
  --trace                trace the command's requests and print the traces on stderr
                         after it (the first 5; Cassandra's system_traces)
  --log-level LEVEL      debug, info, warn (the default: warnings only), error or off;
                         on stderr ($NOSQLC_LOG overrides it)
  -v, --verbose          import, export: a stats line at the end (requests, errors,
                         retries, latencies)
  -h, --help             show this help

Commands:
  get KEY                print the document at KEY (with "_id")
  store KEY JSON         store the object JSON at KEY, replacing what is there
  insert JSON            store the object JSON under a new key; print the key
  update KEY JSON        merge the object JSON's members into the document at KEY
  delete KEY             remove the document at KEY (no error when there is none)
  find [FILTER]          print the matching documents (all without FILTER)
  count [FILTER]         print how many documents match
  import FILE|-          read JSON lines (one object per line) from FILE or stdin: a line
                         with "_id" is stored at that key, one without is inserted; blank
                         lines are ignored; a bad line or failed write is reported with its
                         line number; ends with "imported N, rejected M" on stderr, or, when
                         it stops early (a failed write, a bad line with --on-error stop,
                         SIGINT or SIGTERM), the line it stopped after, the counts written,
                         rejected and failed, and what was not attempted
  export [FILTER]        write the matching documents as JSON lines with "_id" (always one
                         per line, whatever --pretty says); counts them first when the
                         progress bar is shown, for its percentage and ETA
  collections            list the collections of the database (Cassandra: the tables of
                         the keyspace), one JSON string per line (bare names with --pretty)

FILTER is a pynosqlc JSON filter when it starts with "{", e.g.
  '{"type":"condition","field":"qty","op":"gt","value":3}'
or the short form: conditions separated by commas, all of which must hold:
  field=value     eq              field!=value    ne
  field>value     gt              field>=value    gte
  field<value     lt              field<=value    lte
  field~value     contains (substring, or array element)
  field:OP=value  any pynosqlc op: eq ne gt gte lt lte contains in nin exists
  field:in=a|b|c  in (field:nin=... for nin): "|" separates the elements, or give a
                  JSON array: field:in=["a","b"]
  field?          exists          !field?         does not exist (missing or null)
A field is a dot path (address.city), or a JSON string ("odd,name"=1) when it holds one
of  = ! < > ~ : ? , " [ ] { } |  or a space. A value is raw text up to the next comma
(spaces around it ignored), read as JSON when it is a number, true, false or null and
as a string otherwise: qty=3 is the number 3, qty="3" the string "3". Quote a value
as a JSON string to include commas or leading spaces: note="a, b". JSON arrays and
objects are accepted as values: tags=["a","b"]. An empty FILTER matches everything.
Errors give the column and the condition at fault. Example:
  nosqlc -c orders find 'status:in=pending|held,qty>=3,tags~urgent,!cancelled?'

Exit codes:
  0  success
  1  not found: get or update of a missing key, find or count with no match
  2  usage error: bad options or operands, bad JSON, bad filter, bad collection name
     or key, or a bad import line under --on-error stop (lines skipped under
     --on-error skip do not change the exit code)
  3  database error: no driver for the URL, invalid URL, connection, timeout,
     authentication, protocol or server error, unsupported operation, a stored
     document that cannot be read
  4  the output could not be written (a full disk, a closed file)
  130, 143  import interrupted by SIGINT or SIGTERM (after its writes in flight ended)
Failures are reported on stderr, one line each, starting "nosqlc: ".
)";
}

}  // namespace nosqlc::cli
