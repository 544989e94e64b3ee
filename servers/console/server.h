// The console server's state and its handling of requests (proto/console.h), input keys and
// interrupts. One thread: it receives on its endpoint with a bound notification, so one Recv
// returns either a client's message or the IRQ bits (badges below).
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "keyboard.h"
#include "line_editor.h"
#include "mu_caps.h"
#include "ps2.h"
#include "screen.h"
#include "serial_keys.h"
#include "uart.h"

namespace console {

// Notification badges of the interrupt lines.
inline constexpr uint64_t kBadgeSerial = 1u << 0;
inline constexpr uint64_t kBadgeKeyboard = 1u << 1;

// ReadLines that may wait at once (each holds a Reply object; one more stays free to receive).
inline constexpr unsigned kMaxPendingReads = 4;
inline constexpr unsigned kReplyObjects = kMaxPendingReads + 1;
// Lines finished while nobody was reading, kept for the next ReadLines.
inline constexpr unsigned kMaxQueuedLines = 4;

struct Devices {
  uint64_t endpoint = 0;
  uint64_t reply[kReplyObjects] = {};  // Reply object slots
  uint64_t serial_irq = 0;             // IrqHandler slots (0: none)
  uint64_t keyboard_irq = 0;
};

class Server {
 public:
  Uart uart;
  Ps2Controller ps2;
  Screen screen;

  void start(const Devices& devices) { devices_ = devices; }
  // Receives and handles messages and interrupts for ever.
  [[noreturn]] void run();

  // Output to serial and screen.
  void output(const char* data, size_t length);

 private:
  struct PendingRead {
    bool active;
    uint64_t badge;
    uint64_t reply_index;  // into devices_.reply
    uint64_t max;
    uint64_t order;        // larger = newer; the newest pending read is the foreground
  };
  // A line typed ahead of any ReadLine, or (status kInterrupted) a Ctrl-C typed ahead.
  struct QueuedLine {
    char text[kMaxLine];
    size_t length;
    int64_t status;
  };

  // Handles a request received with reply object `reply_index`. Returns true when `msg` now
  // holds the reply to send through it; false when the reply is deferred (the object is held).
  bool handle_request(uint64_t badge, mu::user::Message* msg, unsigned reply_index);
  void handle_interrupts(uint64_t bits);
  void handle_key(Key key);
  // Sends a ReadLine result to the foreground reader (or queues a line when nobody reads).
  void deliver(int64_t status, const char* text, size_t length);
  bool reply_line(const PendingRead& read, int64_t status, const char* text, size_t length);
  PendingRead* foreground();
  void update_limit();
  [[nodiscard]] bool reply_held(unsigned index) const;
  [[nodiscard]] unsigned free_reply() const;

  Devices devices_{};
  SerialKeyDecoder serial_keys_;
  KeyboardDecoder keyboard_;
  LineEditor editor_;
  Echo echo_;
  PendingRead reads_[kMaxPendingReads] = {};
  uint64_t read_order_ = 0;
  QueuedLine queued_[kMaxQueuedLines] = {};
  unsigned queued_count_ = 0;
  char buffer_[mu::proto::console::kMaxWriteBytes] = {};
};

}  // namespace console
