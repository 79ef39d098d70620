#include "nosqlc/bench/allocations.hpp"

#include <atomic>
#include <cstdlib>
#include <new>

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define NOSQLC_COUNT_ALLOCATIONS 0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define NOSQLC_COUNT_ALLOCATIONS 0
#endif
#endif
#ifndef NOSQLC_COUNT_ALLOCATIONS
#define NOSQLC_COUNT_ALLOCATIONS 1
#endif

namespace {

std::atomic<std::uint64_t> g_allocations{0};

[[maybe_unused]] void* counted(std::size_t n) {
  g_allocations.fetch_add(1, std::memory_order_relaxed);
  if (void* p = std::malloc(n == 0 ? 1 : n)) return p;
  throw std::bad_alloc();
}

}  // namespace

namespace nosqlc::bench {

std::uint64_t allocations_so_far() noexcept {
  return g_allocations.load(std::memory_order_relaxed);
}

bool allocations_counted() noexcept {
  return NOSQLC_COUNT_ALLOCATIONS != 0;
}

}  // namespace nosqlc::bench

#if NOSQLC_COUNT_ALLOCATIONS

// The replaceable forms the others (arrays, nothrow) call; aligned forms are left alone.
void* operator new(std::size_t n) {
  return counted(n);
}
void* operator new[](std::size_t n) {
  return counted(n);
}
void operator delete(void* p) noexcept {
  std::free(p);
}
void operator delete[](void* p) noexcept {
  std::free(p);
}
void operator delete(void* p, std::size_t) noexcept {
  std::free(p);
}
void operator delete[](void* p, std::size_t) noexcept {
  std::free(p);
}
#endif
