// Counts the allocations of this process through operator new (every thread): the bench
// replaces the global operator new and delete to do so. malloc calls made by C libraries are
// not counted.
#pragma once

#include <cstdint>

namespace nosqlc::bench {

std::uint64_t allocations_so_far() noexcept;

}  // namespace nosqlc::bench
