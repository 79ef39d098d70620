#include "system/trace_log.hpp"

namespace nosqlc::sandbox {

void TraceLog::add(TraceSession session) {
  auto s = std::make_shared<const TraceSession>(std::move(session));
  std::lock_guard lock(mutex_);
  sessions_.push_back(std::move(s));
  while (sessions_.size() > kMaxSessions)
    sessions_.pop_front();
}

std::vector<std::shared_ptr<const TraceSession>> TraceLog::sessions(std::int64_t now_millis) const {
  std::vector<std::shared_ptr<const TraceSession>> out;
  std::lock_guard lock(mutex_);
  out.reserve(sessions_.size());
  for (const auto& s : sessions_) {
    if (now_millis - s->started_at < kTtlMillis) out.push_back(s);
  }
  return out;
}

}  // namespace nosqlc::sandbox
