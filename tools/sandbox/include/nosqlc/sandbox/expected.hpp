// A value or an error, for the sandbox's fallible operations (C++20 has no std::expected).
#pragma once

#include <type_traits>
#include <utility>
#include <variant>

namespace nosqlc::sandbox {

template <class E>
struct Unexpected {
  E error;
};
template <class E>
Unexpected<std::decay_t<E>> unexpected(E&& e) {
  return {std::forward<E>(e)};
}

// Holds a T or an E. value() and error() are preconditioned on has_value() (checked with
// std::get, which throws std::bad_variant_access on misuse rather than reading garbage).
template <class T, class E>
class Expected {
 public:
  Expected(T v) : v_(std::in_place_index<0>, std::move(v)) {}
  Expected(Unexpected<E> e) : v_(std::in_place_index<1>, std::move(e.error)) {}

  bool has_value() const noexcept { return v_.index() == 0; }
  explicit operator bool() const noexcept { return has_value(); }
  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  const E& error() const { return std::get<1>(v_); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

 private:
  std::variant<T, E> v_;
};

// Success carries nothing.
template <class E>
class Expected<void, E> {
 public:
  Expected() = default;
  Expected(Unexpected<E> e) : v_(std::in_place_index<1>, std::move(e.error)) {}

  bool has_value() const noexcept { return v_.index() == 0; }
  explicit operator bool() const noexcept { return has_value(); }
  const E& error() const { return std::get<1>(v_); }

 private:
  std::variant<std::monostate, E> v_;
};

}  // namespace nosqlc::sandbox
