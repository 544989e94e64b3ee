// muboot's error value: what failed ("subject"), why, and the firmware status if one caused it.
#pragma once

#include <stdint.h>

namespace muboot {

class [[nodiscard]] Status {
 public:
  [[nodiscard]] static Status ok() { return Status(); }
  // `subject` (e.g. a file path) and `reason` must outlive the Status: string literals or
  // config-owned buffers. `efi_status` is 0 when the failure is muboot's own judgement.
  [[nodiscard]] static Status fail(const char* subject, const char* reason,
                                   uint64_t efi_status = 0) {
    Status s;
    s.subject_ = subject;
    s.reason_ = reason;
    s.efi_status_ = efi_status;
    return s;
  }

  [[nodiscard]] bool is_ok() const { return reason_ == nullptr; }
  [[nodiscard]] const char* subject() const { return subject_; }
  [[nodiscard]] const char* reason() const { return reason_; }
  [[nodiscard]] uint64_t efi_status() const { return efi_status_; }

 private:
  const char* subject_ = nullptr;
  const char* reason_ = nullptr;
  uint64_t efi_status_ = 0;
};

// Propagates a failed Status to the caller (SerenityOS TRY style, without exceptions).
#define MU_TRY(expr)                          \
  do {                                        \
    ::muboot::Status mu_try_s_ = (expr);      \
    if (!mu_try_s_.is_ok()) return mu_try_s_; \
  } while (0)

}  // namespace muboot
