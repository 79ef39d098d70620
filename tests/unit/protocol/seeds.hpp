// Fuzz seed writer shared by the codec tests: with NOSQLC_WRITE_CORPUS=<dir> set, a test writes
// its fixtures into <dir>/<fuzz target>/ (see fuzz/gen_corpus.sh), so every seed is hex written
// from the spec rather than output of our encoder.
#pragma once

#include <nosqlc/protocol/notations.hpp>
#include <nosqlc/protocol/types.hpp>

#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>

namespace nosqlc::protocol::test {

// Writes `data` as a seed file for fuzz target `target` when NOSQLC_WRITE_CORPUS is set.
inline void write_seed(std::string_view target, std::string_view name, BytesView data) {
  const char* dir = std::getenv("NOSQLC_WRITE_CORPUS");
  if (!dir || !*dir) return;
  std::string file;
  for (char c : name)
    file += std::isalnum(static_cast<unsigned char>(c)) ? static_cast<char>(std::tolower(c)) : '_';
  std::filesystem::path p = std::filesystem::path(dir) / std::string(target);
  std::filesystem::create_directories(p);
  std::ofstream(p / file, std::ios::binary)
      .write(reinterpret_cast<const char*>(data.data()), static_cast<std::streamsize>(data.size()));
}

// A seed for fuzz_value: the [option] of `type` (section 4.2.5.2), then the value's bytes.
inline void write_value_seed(std::string_view name, const DataType& type, BytesView value) {
  if (!std::getenv("NOSQLC_WRITE_CORPUS")) return;
  Bytes seed;
  Writer w(seed);
  write_type(w, type);
  w.raw(value);
  if (w.ok()) write_seed("fuzz_value", name, seed);
}

}  // namespace nosqlc::protocol::test
