// Name service (name_service.h).
#include "name_service.h"

#include "mu_caps.h"
#include "mu_user.h"
#include "pool.h"
#include "supervisor.h"

using namespace mu::user;
using mu::Status;

namespace init {
namespace {

struct Registration {
  char name[kNameMax];
  uint64_t pid = 0;   // 0: unused entry
  uint64_t slot = 0;  // the endpoint, in init's CNode
};
constexpr size_t kMaxRegistrations = kMaxServices * kMaxProvides;
Registration g_names[kMaxRegistrations];

bool same(const char* a, const char* b, size_t b_len) {
  size_t i = 0;
  for (; i < b_len; ++i) {
    if (a[i] != b[i]) return false;
  }
  return a[i] == '\0';
}

Registration* find(const char* name, size_t len) {
  for (Registration& r : g_names) {
    if (r.pid != 0 && same(r.name, name, len)) return &r;
  }
  return nullptr;
}

}  // namespace

int64_t name_register(Proc* caller, const char* name, size_t len, uint64_t endpoint_slot) {
  if (len == 0 || len >= kNameMax) return mu::status_value(Status::InvalidArgument);
  bool allowed = false;
  for (size_t i = 0; caller != nullptr && i < caller->spec.provide_count; ++i) {
    allowed = allowed || same(caller->spec.provides[i], name, len);
  }
  if (!allowed) return mu::status_value(Status::InsufficientRights);
  CapInfo info{};
  if (endpoint_slot == 0 || cap_identify(endpoint_slot, &info) < 0 ||
      info.type != mu::ObjectType::Endpoint) {
    return mu::status_value(Status::WrongType);
  }
  Registration* entry = find(name, len);
  if (entry != nullptr) {
    slot_free(entry->slot);  // the same service registers again (a newer endpoint)
  } else {
    for (Registration& r : g_names) {
      if (r.pid == 0) {
        entry = &r;
        break;
      }
    }
  }
  if (entry == nullptr) return mu::status_value(Status::NoMemory);
  for (size_t i = 0; i < len; ++i) entry->name[i] = name[i];
  entry->name[len] = '\0';
  entry->pid = caller->program.pid;
  entry->slot = endpoint_slot;
  print("init: %s registered '%s'\n", caller->program.name, entry->name);
  return 0;
}

int64_t name_lookup(Proc* caller, const char* name, size_t len, uint64_t* out_slot) {
  const Use* use = nullptr;
  for (size_t i = 0; caller != nullptr && i < caller->spec.use_count; ++i) {
    if (same(caller->spec.uses[i].name, name, len)) use = &caller->spec.uses[i];
  }
  if (use == nullptr) return mu::status_value(Status::InsufficientRights);
  const Registration* entry = find(name, len);
  if (entry == nullptr) return mu::status_value(Status::NotFound);
  const uint64_t slot = slot_alloc();
  if (slot == 0) return mu::status_value(Status::NoMemory);
  int64_t r = cap_mint(mu::kSelfCNode, entry->slot, mu::kSelfCNode, slot, use->rights,
                       caller->program.pid);
  if (r == mu::status_value(Status::AlreadyBadged)) {
    // The provider registered a badged endpoint: clients share its badge.
    r = cap_copy(mu::kSelfCNode, entry->slot, mu::kSelfCNode, slot, use->rights);
  }
  if (r != 0) {
    slot_free(slot);
    // An empty slot: the provider's endpoint went with it, but its end was not seen yet.
    return r == mu::status_value(Status::SlotEmpty) ? mu::status_value(Status::NotFound) : r;
  }
  *out_slot = slot;
  return 0;
}

void name_forget(uint64_t pid) {
  for (Registration& r : g_names) {
    if (r.pid != pid) continue;
    slot_free(r.slot);
    r = Registration{};
  }
}

}  // namespace init
