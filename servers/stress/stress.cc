// stress: placeholder, filled in below.
#include "framework.h"
#include "support.h"

MU_TEST(stress, placeholder) {}
