// Compiles common/src/freestanding_mem.cc under mu_fs_* names so the host test can call it
// without clashing with the C library (and ASan's interceptors) for memcpy and friends.
#define memcpy mu_fs_memcpy
#define memmove mu_fs_memmove
#define memset mu_fs_memset
#define memcmp mu_fs_memcmp
#define strlen mu_fs_strlen
#include "../../../common/src/freestanding_mem.cc"
