#include "nosqlc/protocol/engine/multiplexer.hpp"

#include "nosqlc/protocol/client_errors.hpp"

#include <algorithm>
#include <cstring>
#include <utility>

namespace nosqlc::protocol {
namespace {

constexpr std::size_t kChunk = 64 * 1024;

Status failure(std::error_code code, std::string message) {
  return Status{code, std::move(message)};
}

// Stands for the multiplexer's own heartbeat among the waiters.
void* heartbeat_waiter(Multiplexer* self) {
  return self;
}

}  // namespace

// The bytes read and not consumed, in chunks shared with the replies that view them: a
// frame's body is never copied out of the buffer it was read into. A chunk a reply still
// holds is left as it is; the unconsumed tail moves to a new one when room is needed. Grows
// as bytes arrive (at most doubling what is held), never to an announced length.
class Multiplexer::Input {
 public:
  Input() : chunk_(std::make_shared<Bytes>(kChunk)) {}

  BytesView data() const noexcept { return {chunk_->data() + start_, end_ - start_}; }
  const std::shared_ptr<Bytes>& chunk() const noexcept { return chunk_; }

  std::span<std::uint8_t> prepare(std::size_t wanted) {
    const std::size_t have = end_ - start_;
    const std::size_t free = chunk_->size() - end_;
    const bool big = chunk_->size() > 4 * kChunk && have + wanted <= kChunk;
    if (!big && free >= std::max<std::size_t>(kChunk / 4, std::min(wanted, kChunk))) {
      return {chunk_->data() + end_, free};
    }
    const std::size_t step = std::max(kChunk, std::min(wanted, have));
    const std::size_t size = big ? kChunk : std::max(chunk_->size(), have + step);
    if (chunk_.use_count() > 1 || size != chunk_->size()) {
      auto fresh = std::make_shared<Bytes>(size);
      std::memcpy(fresh->data(), chunk_->data() + start_, have);
      chunk_ = std::move(fresh);
    } else {
      std::memmove(chunk_->data(), chunk_->data() + start_, have);
    }
    start_ = 0;
    end_ = have;
    return {chunk_->data() + end_, chunk_->size() - end_};
  }
  void commit(std::size_t n) noexcept { end_ += n; }
  void consume(std::size_t n) noexcept {
    start_ += std::min(n, end_ - start_);
    if (start_ == end_ && chunk_.use_count() == 1) start_ = end_ = 0;
  }
  std::size_t needed = 0;  // what the frame being read still lacks

 private:
  std::shared_ptr<Bytes> chunk_;
  std::size_t start_ = 0;
  std::size_t end_ = 0;
};

Multiplexer::Multiplexer(MultiplexerOptions options)
    : opt_(options), ids_(options.max_streams), input_(std::make_unique<Input>()) {}

Multiplexer::~Multiplexer() = default;

std::optional<std::int16_t> Multiplexer::submit(const Request& request, void* waiter,
                                                Clock::time_point deadline, Status* error) {
  auto id = ids_.acquire();
  if (!id) return std::nullopt;
  FrameOptions fo;
  fo.stream = *id;
  fo.compress = compress_;
  fo.max_body = opt_.max_frame;
  fo.scratch = &scratch_;
  const std::size_t before = queued_.size();
  if (Status st = append_request(request, queued_, fo); !st) {
    queued_.resize(before);
    ids_.release(*id);
    if (error) *error = std::move(st);
    return std::nullopt;
  }
  const auto stream = static_cast<std::size_t>(*id);
  if (stream >= pending_.size()) pending_.resize(stream + 1);
  Pending& p = pending_[stream];
  p.waiter = waiter;
  ++p.generation;
  deadlines_.push_back({deadline, *id, p.generation});
  std::push_heap(deadlines_.begin(), deadlines_.end(), std::greater<>());
  // Entries of answered requests are dropped lazily; rebuild before they outnumber the live.
  if (deadlines_.size() > 2 * ids_.used() + 64) {
    std::erase_if(deadlines_, [this](const Deadline& d) {
      const Pending& q = pending_[static_cast<std::size_t>(d.stream)];
      return q.waiter == nullptr || q.generation != d.generation;
    });
    std::make_heap(deadlines_.begin(), deadlines_.end(), std::greater<>());
  }
  return id;
}

void Multiplexer::complete(std::int16_t stream) noexcept {
  Pending& p = pending_[static_cast<std::size_t>(stream)];
  p.waiter = nullptr;
  ++p.generation;
  ids_.release(stream);
}

bool Multiplexer::orphan(std::int16_t stream) noexcept {
  Pending& p = pending_[static_cast<std::size_t>(stream)];
  p.waiter = nullptr;
  ++p.generation;
  ids_.orphan(stream);
  return ids_.orphans() <= opt_.max_orphans && ids_.orphans() < ids_.capacity();
}

bool Multiplexer::abandon(std::int16_t stream, void* waiter) noexcept {
  if (stream < 0 || static_cast<std::size_t>(stream) >= pending_.size()) return true;
  if (waiter == nullptr || pending_[static_cast<std::size_t>(stream)].waiter != waiter) return true;
  return orphan(stream);
}

BytesView Multiplexer::begin_output() {
  if (written_ == writing_.size() && !queued_.empty()) {
    writing_.clear();
    writing_.swap(queued_);  // both keep their capacity: no allocation in the steady state
    written_ = 0;
  }
  return BytesView(writing_).subspan(written_);
}

void Multiplexer::commit_output(std::size_t n) noexcept {
  written_ = std::min(writing_.size(), written_ + n);
}

std::span<std::uint8_t> Multiplexer::input_space() {
  return input_->prepare(input_->needed);
}

Status Multiplexer::commit_input(std::size_t n, Clock::time_point now, MultiplexerSink& sink) {
  input_->commit(n);
  if (n > 0) last_read_ = now;
  for (;;) {
    FrameSlice frame;
    std::size_t needed = 0;
    Status st = split_frame(input_->data(), frame, needed, opt_.max_frame);
    if (!st) {
      if (st.code == make_error_code(errc::unsupported_version)) {
        st.code = make_error_code(client_errc::unsupported_server);
      }
      return st;
    }
    input_->needed = needed;
    if (needed > 0) return {};
    st = dispatch(frame, sink);
    input_->consume(frame.size());
    if (!st) return st;
  }
}

Status Multiplexer::dispatch(const FrameSlice& frame, MultiplexerSink& sink) {
  auto reply = std::make_shared<Reply>();
  reply->header = frame.header;
  BytesView message;
  Status st =
      open_body(reply->header, frame.body, reply->scratch, reply->extras, message, opt_.max_frame);
  if (st) st = decode_response(reply->header, message, reply->message);
  // An uncompressed message views the received chunk: the reply keeps it.
  if ((frame.header.flags & kFlagCompression) == 0) reply->chunk = input_->chunk();

  const std::int16_t stream = frame.header.stream;
  if (stream < 0) {
    if (st) {
      if (const auto* e = std::get_if<Event>(&reply->message)) sink.on_event(*e, reply);
    }
    return {};
  }
  if (!ids_.in_use(stream)) {
    return failure(make_error_code(client_errc::unsupported_server),
                   "answer on unknown stream " + std::to_string(stream));
  }
  if (ids_.is_orphan(stream)) {  // the late answer of an abandoned request
    ids_.release(stream);
    return {};
  }
  void* waiter = pending_[static_cast<std::size_t>(stream)].waiter;
  complete(stream);
  if (waiter == heartbeat_waiter(this)) {
    heartbeat_.reset();  // any answer, an ERROR too, shows the peer is alive
    return {};
  }
  if (waiter == nullptr) return {};
  if (st) {
    sink.on_reply(waiter, std::move(reply));
  } else {
    sink.on_failure(waiter, st.code, "bad answer: " + st.message);
  }
  return {};
}

Status Multiplexer::tick(Clock::time_point now, MultiplexerSink& sink,
                         Clock::time_point& next_tick) {
  while (!deadlines_.empty() && deadlines_.front().at <= now) {
    std::pop_heap(deadlines_.begin(), deadlines_.end(), std::greater<>());
    const Deadline d = deadlines_.back();
    deadlines_.pop_back();
    Pending& p = pending_[static_cast<std::size_t>(d.stream)];
    if (p.waiter == nullptr || p.generation != d.generation) continue;  // answered meanwhile
    void* waiter = p.waiter;
    const bool within = orphan(d.stream);
    if (waiter == heartbeat_waiter(this)) {
      heartbeat_.reset();
      return failure(make_error_code(client_errc::connection_error), "heartbeat unanswered");
    }
    sink.on_failure(waiter, make_error_code(client_errc::timeout), "no answer in time");
    if (!within) {
      return failure(make_error_code(client_errc::connection_error),
                     "too many requests without answer");
    }
  }
  // Entries of answered requests at the top would only make the next tick early.
  while (!deadlines_.empty()) {
    const Deadline& d = deadlines_.front();
    const Pending& p = pending_[static_cast<std::size_t>(d.stream)];
    if (p.waiter != nullptr && p.generation == d.generation) break;
    std::pop_heap(deadlines_.begin(), deadlines_.end(), std::greater<>());
    deadlines_.pop_back();
  }
  next_tick = Clock::time_point::max();
  if (last_read_ == Clock::time_point{}) last_read_ = now;  // idle from the first tick on
  if (opt_.heartbeat_interval.count() > 0) {
    if (!heartbeat_ && now - last_read_ >= opt_.heartbeat_interval) {
      // Answers arriving show the peer is alive: only an idle connection is probed.
      Status error;
      heartbeat_ = submit(Options{}, heartbeat_waiter(this), now + opt_.heartbeat_timeout, &error);
      if (!error.ok()) return error;
    }
    if (!heartbeat_) next_tick = last_read_ + opt_.heartbeat_interval;
  }
  if (!deadlines_.empty()) next_tick = std::min(next_tick, deadlines_.front().at);
  return {};
}

void Multiplexer::fail_all(std::error_code code, const std::string& message,
                           MultiplexerSink& sink) {
  for (std::size_t i = 0; i < pending_.size(); ++i) {
    Pending& p = pending_[i];
    void* waiter = std::exchange(p.waiter, nullptr);
    ++p.generation;
    if (waiter != nullptr && waiter != heartbeat_waiter(this)) {
      sink.on_failure(waiter, code, message);
    }
  }
  ids_.reset();
  deadlines_.clear();
  heartbeat_.reset();
  queued_.clear();
  writing_.clear();
  written_ = 0;
}

}  // namespace nosqlc::protocol
