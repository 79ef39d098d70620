#include "nosqlc/nosql/cursor.hpp"

#include "nosqlc/nosql/errors.hpp"

namespace nosqlc {

Cursor::Cursor(std::unique_ptr<CursorSource> source, std::optional<std::size_t> limit)
    : source_(std::move(source)), remaining_(limit) {
  if (!source_) exhausted_ = true;
}

Cursor::Cursor(Cursor&&) noexcept = default;
Cursor& Cursor::operator=(Cursor&&) noexcept = default;
Cursor::~Cursor() = default;

asio::awaitable<void> Cursor::release() {
  if (auto source = std::move(source_)) {
    skipped_ = source->skipped();
    if (!closed_) final_position_ = source->resume_position(pos_);
    co_await source->close();
  }
}

asio::awaitable<bool> Cursor::next() {
  if (closed_) throw Error(errc::invalid_state, "cursor is closed");
  on_document_ = false;
  if (remaining_ && *remaining_ == 0) exhausted_ = true;
  while (!exhausted_ && pos_ >= batch_.size()) {
    batch_.clear();
    pos_ = 0;
    std::exception_ptr failure;
    try {
      batch_ = co_await source_->next_batch();
    } catch (...) {
      failure = std::current_exception();
    }
    skipped_ = source_->skipped();
    if (failure) std::rethrow_exception(failure);
    if (batch_.empty()) exhausted_ = true;
  }
  if (exhausted_) {
    batch_.clear();
    co_await release();
    co_return false;
  }
  ++pos_;
  if (remaining_) --*remaining_;
  on_document_ = true;
  co_return true;
}

const Document& Cursor::document() const {
  if (closed_) throw Error(errc::invalid_state, "cursor is closed");
  if (!on_document_) {
    throw Error(errc::invalid_state, "cursor is not on a document: call next() first");
  }
  return batch_[pos_ - 1];
}

asio::awaitable<std::vector<Document>> Cursor::documents() {
  std::vector<Document> out;
  while (co_await next())
    out.push_back(std::move(batch_[pos_ - 1]));
  co_return out;
}

std::optional<std::string> Cursor::resume_position() const {
  if (closed_) return std::nullopt;
  if (!source_) return final_position_;
  return source_->resume_position(pos_);
}

asio::awaitable<void> Cursor::close() {
  if (closed_) co_return;
  closed_ = true;
  on_document_ = false;
  batch_.clear();
  co_await release();
}

}  // namespace nosqlc
