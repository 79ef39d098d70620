// Cursor over the documents a find() matched, pulled from the driver batch by batch so that
// memory is bounded by the batch size, not by the result size.
#pragma once

#include "nosqlc/nosql/document.hpp"

#include <asio/awaitable.hpp>

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace nosqlc {

// What a driver implements to feed a Cursor.
class CursorSource {
 public:
  virtual ~CursorSource() = default;
  // The next batch of matching documents; an empty batch means the end. May throw the
  // nosqlc error family.
  virtual asio::awaitable<std::vector<Document>> next_batch() = 0;
  // Releases what the source holds (e.g. stops a prefetch). Called at most once.
  virtual asio::awaitable<void> close() { co_return; }
  // Stored documents passed over so far because they could not be read
  // (FindOptions::skip_unreadable).
  virtual std::size_t skipped() const noexcept { return 0; }
  // Where a scan restarted with FindOptions::resume_from would go on, when the first
  // `consumed` documents of the last batch were yielded; nullopt when the source cannot say.
  virtual std::optional<std::string> resume_position(std::size_t consumed) const {
    (void)consumed;
    return std::nullopt;
  }
};

// Move-only. Not safe for concurrent use; use from one coroutine at a time.
class Cursor {
 public:
  // `limit`: at most this many documents are yielded. Without a source the cursor is empty;
  // being default-constructible lets find() run through asio::co_spawn (async_run, block_on),
  // which needs a value to pass along with an exception.
  explicit Cursor(std::unique_ptr<CursorSource> source = nullptr,
                  std::optional<std::size_t> limit = std::nullopt);
  Cursor(Cursor&&) noexcept;
  Cursor& operator=(Cursor&&) noexcept;
  ~Cursor();

  // Advances to the next document: true if there is one, false at the end (the cursor then
  // releases its source). Throws invalid_state if closed, or what the driver throws.
  asio::awaitable<bool> next();
  // The current document. Throws invalid_state unless the last next() returned true.
  const Document& document() const;
  // Drains the cursor: every document after the current one, in order. Throws as next().
  asio::awaitable<std::vector<Document>> documents();
  // Releases the source; later next() calls throw invalid_state. Closing twice is a no-op.
  asio::awaitable<void> close();
  bool is_closed() const noexcept { return closed_; }
  // How many unreadable stored documents the scan has passed over so far (only with
  // FindOptions::skip_unreadable; otherwise next() throws unreadable_document instead). Still
  // valid once the cursor is exhausted or closed.
  std::size_t skipped() const noexcept { return skipped_; }
  // Where the scan stands, after the current document: pass it as FindOptions::resume_from to
  // read the rest (and nothing already yielded) in a new find, e.g. after next() threw.
  // "" once the scan is exhausted (nothing is left); nullopt for a find the driver cannot
  // resume (one restricted to keys, the memory driver) and once the cursor is closed.
  std::optional<std::string> resume_position() const;

 private:
  asio::awaitable<void> release();
  std::unique_ptr<CursorSource> source_;
  std::optional<std::size_t> remaining_;
  std::vector<Document> batch_;
  std::size_t pos_ = 0;  // index of the current document + 1 in batch_, 0 before the first
  std::size_t skipped_ = 0;
  std::optional<std::string> final_position_;  // resume_position() once the source is gone
  bool on_document_ = false;
  bool exhausted_ = false;
  bool closed_ = false;
};

}  // namespace nosqlc
