// The console server (docs/protocols.md "console"): output to COM1 and the framebuffer, line
// input from COM1 and the PS/2 keyboard. init starts it with the grants of its manifest line
// (I/O ports, IRQ lines 4 and 1, the framebuffer frames); it registers "console" with init.
#include "mu/cap_abi.h"
#include "mu/program.h"
#include "mu/proto/console.h"
#include "mu_caps.h"
#include "mu_client.h"
#include "mu_runtime.h"
#include "mu_user.h"
#include "server.h"

namespace {

using mu::Grant;
using mu::GrantKind;
using mu::ObjectType;

constinit console::Server g_server;

const Grant* find_grant(const mu::ProgramStart& start, GrantKind kind, uint64_t a, uint64_t b) {
  for (uint64_t i = 0; i < start.grant_count && i < mu::kMaxGrants; ++i) {
    const Grant& grant = start.grants[i];
    if (grant.kind != kind) continue;
    if (kind == GrantKind::IoPort && (grant.a > a || grant.b < b)) continue;
    if (kind == GrantKind::Irq && grant.a != a) continue;
    return &grant;
  }
  return nullptr;
}

// A new object from the program's own untyped in a fresh slot; 0 on failure (reported).
uint64_t new_object(ObjectType type, const char* what) {
  const uint64_t slot = mu::user::slot_alloc();
  if (slot == 0) {
    mu::user::print("console: no free slot for the %s\n", what);
    return 0;
  }
  const int64_t r = mu::user::untyped_retype(mu::kProgSlotUntyped, type, 0, mu::kSelfCNode, slot);
  if (r != 0) {
    mu::user::print("console: cannot create the %s (%ld)\n", what, r);
    mu::user::slot_free(slot);
    return 0;
  }
  return slot;
}

// Binds IRQ handler `handler` to the notification with `badge` (a badged copy of it); returns
// the handler slot, or 0 when the line cannot be used (reported).
uint64_t bind_irq(const Grant* grant, uint64_t notification, uint64_t badge, const char* what) {
  if (grant == nullptr) {
    mu::user::print("console: no IRQ grant for the %s\n", what);
    return 0;
  }
  const uint64_t badged = mu::user::slot_alloc();
  int64_t r = badged == 0 ? mu::status_value(mu::Status::NoMemory)
                          : mu::user::cap_mint(mu::kSelfCNode, notification, mu::kSelfCNode, badged,
                                               mu::kRightWrite, badge);
  if (r == 0) r = mu::user::irq_handler_set_notification(grant->slot, badged);
  // The handler keeps its own copy of the notification cap; ours is not needed any more.
  if (badged != 0) mu::user::slot_free(badged);
  if (r == 0) r = mu::user::irq_handler_ack(grant->slot);
  if (r != 0) {
    mu::user::print("console: cannot bind IRQ %lu for the %s (%ld)\n", grant->a, what, r);
    return 0;
  }
  return grant->slot;
}

}  // namespace

extern "C" int64_t mu_main(const mu::user::StartInfo*) {
  const mu::ProgramStart* start = mu::user::program_start();
  if (start == nullptr) {
    mu::user::print("console: no ProgramStart page (must be started by init)\n");
    return 1;
  }
  const Grant* fb = find_grant(*start, GrantKind::Framebuffer, 0, 0);
  const uint64_t fb_frames = fb != nullptr ? fb->count : 0;

  console::Devices devices;
  devices.endpoint = new_object(ObjectType::Endpoint, "endpoint");
  const uint64_t notification = new_object(ObjectType::Notification, "notification");
  if (devices.endpoint == 0 || notification == 0) return 1;
  devices.reply[0] = mu::kProgSlotReply;
  for (unsigned i = 1; i < console::kReplyObjects; ++i) {
    devices.reply[i] = new_object(ObjectType::Reply, "reply object");
    if (devices.reply[i] == 0) return 1;
  }
  const int64_t bound = mu::user::tcb_bind_notification(mu::kProgSlotTcb, notification);
  if (bound != 0) {
    mu::user::print("console: cannot bind the notification (%ld)\n", bound);
    return 1;
  }

  console::Server& server = g_server;
  const Grant* serial_ports =
      find_grant(*start, GrantKind::IoPort, console::Uart::kCom1, console::Uart::kLastPort);
  if (serial_ports != nullptr && server.uart.init(serial_ports->slot)) {
    devices.serial_irq = bind_irq(find_grant(*start, GrantKind::Irq, 4, 4), notification,
                                  console::kBadgeSerial, "serial port");
  } else {
    mu::user::print("console: no COM1 (ports not granted or no UART)\n");
  }
  const Grant* ps2_data = find_grant(*start, GrantKind::IoPort, console::Ps2Controller::kDataPort,
                                     console::Ps2Controller::kDataPort);
  const Grant* ps2_status =
      find_grant(*start, GrantKind::IoPort, console::Ps2Controller::kStatusPort,
                 console::Ps2Controller::kStatusPort);
  if (ps2_data != nullptr && ps2_status != nullptr &&
      server.ps2.init(ps2_data->slot, ps2_status->slot)) {
    devices.keyboard_irq = bind_irq(find_grant(*start, GrantKind::Irq, 1, 1), notification,
                                    console::kBadgeKeyboard, "keyboard");
  } else {
    mu::user::print("console: no PS/2 keyboard (ports not granted or no controller)\n");
  }
  const char* screen_error =
      fb == nullptr ? "no framebuffer granted" : server.screen.init(start->fb, fb->slot, fb_frames);
  if (screen_error != nullptr) mu::user::print("console: serial only: %s\n", screen_error);

  server.start(devices);
  const int64_t registered =
      mu::user::ns_register(mu::proto::console::kServiceName, devices.endpoint);
  if (registered != 0) {
    mu::user::print("console: cannot register \"console\" (%ld)\n", registered);
    return 1;
  }
  mu::user::print("console: ready (serial %s, keyboard %s, screen %ux%u)\n",
                  devices.serial_irq != 0 ? "in+out" : (server.uart.present() ? "out" : "none"),
                  devices.keyboard_irq != 0 ? "yes" : "no",
                  server.screen.present() ? start->fb.width : 0,
                  server.screen.present() ? start->fb.height : 0);
  server.run();
}
