// Request handling, deferred ReadLine replies and input.
#include "server.h"

#include "mu/program.h"
#include "mu/proto/console.h"
#include "mu/proto/message.h"
#include "mu_runtime.h"
#include "mu_user.h"

namespace console {
namespace {

namespace proto = mu::proto;
namespace console_proto = mu::proto::console;
using console_proto::Op;
using mu::MessageTag;
using mu::Status;
using mu::user::Message;

mu::IpcBuffer* ipc_buffer() { return mu::user::ipc_buffer_at(mu::kProgramIpcBufferAddr); }

constexpr int64_t kInvalid = mu::status_value(Status::InvalidArgument);

}  // namespace

void Server::output(const char* data, size_t length) {
  uart.write(data, length);
  screen.write(data, length);
}

bool Server::reply_held(unsigned index) const {
  for (const PendingRead& read : reads_) {
    if (read.active && read.reply_index == index) return true;
  }
  return false;
}

unsigned Server::free_reply() const {
  for (unsigned i = 0; i < kReplyObjects; ++i) {
    if (!reply_held(i)) return i;
  }
  return 0;  // not reached: at most kMaxPendingReads of kReplyObjects are ever held
}

Server::PendingRead* Server::foreground() {
  PendingRead* newest = nullptr;
  for (PendingRead& read : reads_) {
    if (read.active && (newest == nullptr || read.order > newest->order)) newest = &read;
  }
  return newest;
}

void Server::update_limit() {
  const PendingRead* reader = foreground();
  editor_.set_limit(reader != nullptr ? reader->max : kMaxLine);
}

bool Server::reply_line(const PendingRead& read, int64_t status, const char* text,
                        size_t length) {
  Message msg{};
  const proto::Words words{msg.mr, ipc_buffer()};
  words.set(0, static_cast<uint64_t>(status));
  words.set(1, length);
  const unsigned end = words.put_bytes(2, text, length);
  msg.tag = MessageTag::make(0, end).raw;
  return mu::user::reply(devices_.reply[read.reply_index], msg) == 0;
}

void Server::deliver(int64_t status, const char* text, size_t length) {
  while (PendingRead* reader = foreground()) {
    const size_t count = length < reader->max ? length : reader->max;
    const bool delivered = reply_line(*reader, status, text, count);
    reader->active = false;
    update_limit();
    if (delivered) return;
    // That reader is gone (its Call was cancelled): the next one gets the line.
  }
  if (status != 0) {
    // Ctrl-C with nobody reading drops the lines typed ahead and interrupts the next ReadLine
    // (the reader was on its way: a shell printing its prompt).
    queued_[0].length = 0;
    queued_[0].status = status;
    queued_count_ = 1;
    return;
  }
  if (queued_count_ == kMaxQueuedLines) {
    output("\a", 1);  // no room: the line is dropped
    return;
  }
  QueuedLine& slot = queued_[queued_count_++];
  for (size_t i = 0; i < length; ++i) slot.text[i] = text[i];
  slot.length = length;
  slot.status = 0;
}

void Server::handle_key(Key key) {
  echo_.clear();
  const LineEditor::Event event = editor_.feed(key, &echo_);
  output(echo_.bytes, echo_.length);
  if (event == LineEditor::Event::Line) {
    deliver(0, editor_.line(), editor_.line_length());
  } else if (event == LineEditor::Event::Interrupted) {
    deliver(console_proto::kInterrupted, nullptr, 0);
  }
}

// Both ISA lines are edge-triggered and the kernel masks a line from its interrupt until the
// ack. A byte that arrives after the drain but before the ack raises the device's line while it
// is masked, so no edge is seen and, with the line left high, none ever would be: after the ack
// the device is read once more, and drained and acknowledged again if it had something.
void Server::handle_interrupts(uint64_t bits) {
  if ((bits & kBadgeSerial) != 0 && devices_.serial_irq != 0) {
    uint8_t byte = 0;
    for (;;) {
      while (uart.read(&byte)) handle_key(serial_keys_.feed(byte));
      (void)mu::user::irq_handler_ack(devices_.serial_irq);
      if (!uart.read(&byte)) break;
      handle_key(serial_keys_.feed(byte));
    }
  }
  if ((bits & kBadgeKeyboard) != 0 && devices_.keyboard_irq != 0) {
    uint8_t code = 0;
    for (;;) {
      while (ps2.read(&code)) handle_key(keyboard_.feed(code));
      (void)mu::user::irq_handler_ack(devices_.keyboard_irq);
      if (!ps2.read(&code)) break;
      handle_key(keyboard_.feed(code));
    }
  }
}

bool Server::handle_request(uint64_t badge, Message* msg, unsigned reply_index) {
  const MessageTag tag{msg->tag};
  const proto::Words words{msg->mr, ipc_buffer()};
  int64_t status = 0;
  switch (static_cast<Op>(tag.label())) {
    case Op::Write: {
      const uint64_t length = words.get(0);
      if (tag.length() < 1 || length > console_proto::kMaxWriteBytes ||
          tag.length() < 1 + proto::words_for(length)) {
        status = kInvalid;
        break;
      }
      words.get_bytes(1, buffer_, length);
      output(buffer_, length);
      break;
    }
    case Op::ReadLine: {
      const uint64_t max = words.get(0);
      if (tag.length() < 1 || max > console_proto::kMaxLineBytes) {
        status = kInvalid;
        break;
      }
      unsigned active = 0;
      for (const PendingRead& read : reads_) {
        if (!read.active) continue;
        ++active;
        if (read.badge == badge) status = console_proto::kBusy;
      }
      if (status != 0) break;
      if (queued_count_ > 0) {
        // A line typed ahead: the answer is ready now.
        const QueuedLine& line = queued_[0];
        const size_t length = line.length < max ? line.length : max;
        words.set(0, static_cast<uint64_t>(line.status));
        words.set(1, length);
        const unsigned end = words.put_bytes(2, line.text, length);
        for (unsigned i = 1; i < queued_count_; ++i) queued_[i - 1] = queued_[i];
        --queued_count_;
        msg->tag = MessageTag::make(0, end).raw;
        return true;
      }
      if (active == kMaxPendingReads) {
        status = console_proto::kBusy;
        break;
      }
      for (PendingRead& read : reads_) {
        if (read.active) continue;
        read = PendingRead{true, badge, reply_index, max, ++read_order_};
        break;
      }
      update_limit();
      return false;  // the reply comes with the line
    }
    case Op::SetColor: {
      const uint64_t foreground = words.get(0), background = words.get(1);
      if (tag.length() < 2 || foreground >= mu::kVgaColorCount ||
          background >= mu::kVgaColorCount) {
        status = kInvalid;
        break;
      }
      screen.set_colors(static_cast<uint8_t>(foreground), static_cast<uint8_t>(background));
      break;
    }
    case Op::TestFault: {
      const mu::ProgramStart* start = mu::user::program_start();
      if (start == nullptr || (start->flags & mu::kProgramFlagTest) == 0) {
        status = kInvalid;
        break;
      }
      int* volatile near_null = reinterpret_cast<int*>(0x10);
      *near_null = 1;  // the page fault init supervises
      break;
    }
    default: status = kInvalid; break;
  }
  msg->tag = MessageTag::make(0, 1).raw;
  msg->mr[0] = static_cast<uint64_t>(status);
  return true;
}

void Server::run() {
  // Whatever the devices raised before their handlers were bound is read now.
  handle_interrupts(kBadgeSerial | kBadgeKeyboard);
  unsigned receive_with = free_reply();
  bool reply_ready = false;
  unsigned failures = 0;  // receives failed in a row
  constexpr unsigned kMaxFailures = 16;
  Message msg{};
  for (;;) {
    // Nothing else draws: the screen catches up before every wait.
    screen.render();
    uint64_t badge = 0;
    const uint64_t reply = devices_.reply[receive_with];
    const int64_t r = reply_ready
                          ? mu::user::reply_recv(devices_.endpoint, reply, &msg, &badge)
                          : mu::user::recv(devices_.endpoint, reply, &msg, &badge);
    reply_ready = false;
    if (r != 0) {
      // A broken endpoint or Reply object does not heal: after a few tries exit, and init
      // restarts the console per its policy.
      mu::user::print("console: receive failed (%ld)\n", r);
      if (++failures == kMaxFailures) mu::user::exit(1);
      continue;
    }
    failures = 0;
    if (MessageTag{msg.tag}.from_notification()) {
      handle_interrupts(badge);
      continue;
    }
    if (handle_request(badge, &msg, receive_with)) {
      reply_ready = true;
    } else {
      receive_with = free_reply();
    }
  }
}

}  // namespace console
