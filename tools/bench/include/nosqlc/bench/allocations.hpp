// Counts the allocations of this process through operator new (every thread): the bench
// replaces the global operator new and delete to do so. malloc calls made by C libraries are
// not counted. Sanitizer builds keep the sanitizer's operator new and count nothing.
#pragma once

#include <cstdint>

namespace nosqlc::bench {

std::uint64_t allocations_so_far() noexcept;
// Whether this build counts them (false under AddressSanitizer or ThreadSanitizer).
bool allocations_counted() noexcept;

}  // namespace nosqlc::bench
