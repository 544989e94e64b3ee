// crash_exec_stack: jumps to code on its (non-executable) stack; the kernel must stop it (#PF).
#include "mu_user.h"

extern "C" int64_t mu_main(const mu::user::StartInfo*) {
  volatile uint8_t code[16] = {0xB8, 0x2A, 0, 0, 0, 0xC3};  // mov eax, 42; ret
  mu::user::print("crash_exec_stack: calling 0x%lx\n", reinterpret_cast<uint64_t>(code));
  auto fn = reinterpret_cast<int (*)()>(reinterpret_cast<uintptr_t>(code));
  return fn();
}
