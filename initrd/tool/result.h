// Errors as values for the mu-initrd host tool: Result<T> holds a value or an Error message.
#pragma once

#include <string>
#include <utility>
#include <variant>

namespace mu::initrd {

// A message a person can act on; the caller adds the "mu-initrd: " prefix.
struct Error {
  std::string message;
};

// Placeholder value for operations that only succeed or fail.
struct Ok {};

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : state_(std::move(value)) {}      // NOLINT(google-explicit-constructor)
  Result(Error error) : state_(std::move(error)) {}  // NOLINT(google-explicit-constructor)

  [[nodiscard]] bool ok() const { return std::holds_alternative<T>(state_); }
  // Preconditions: ok() for value(), !ok() for error().
  [[nodiscard]] T& value() { return std::get<T>(state_); }
  [[nodiscard]] const T& value() const { return std::get<T>(state_); }
  [[nodiscard]] const Error& error() const { return std::get<Error>(state_); }

 private:
  std::variant<T, Error> state_;
};

using Status = Result<Ok>;

}  // namespace mu::initrd

// Returns the error of `expr` from the enclosing function if it failed.
#define MU_TRY_STATUS(expr)          \
  do {                               \
    auto mu_try_result_ = (expr);    \
    if (!mu_try_result_.ok()) {      \
      return mu_try_result_.error(); \
    }                                \
  } while (false)
