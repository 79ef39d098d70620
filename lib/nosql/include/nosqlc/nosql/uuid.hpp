// Random UUIDs for keys that the driver assigns.
#pragma once

#include <string>

namespace nosqlc {

// A random (version 4, RFC 4122 variant) UUID in lower-case 8-4-4-4-12 form. Thread-safe.
std::string uuid_v4();

}  // namespace nosqlc
