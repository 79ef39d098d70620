// How nosqlc prints JSON: one value per line, or indented for people; and how it notices
// that its output could not be written.
#pragma once

#include <boost/json/value.hpp>

#include <iosfwd>
#include <stdexcept>

namespace nosqlc::cli {

// The results could not be written (a full disk, a closed file): exit code 4.
class OutputError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Writes `v` and a newline: compact (a JSON line) or, when `pretty`, indented by two spaces
// with one member or element per line. Numbers as nosqlc::append_json writes them (11.95,
// not 1.195E1). Throws OutputError when the stream has failed.
void write_json(std::ostream& out, const boost::json::value& v, bool pretty);

// Throws OutputError, naming the system's reason when there is one, when `out` has failed.
void check_output(std::ostream& out);
// Flushes `out`, then check_output.
void flush_output(std::ostream& out);

}  // namespace nosqlc::cli
