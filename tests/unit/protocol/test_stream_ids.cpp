#include <nosqlc/protocol/engine/stream_ids.hpp>

#include <boost/test/unit_test.hpp>

#include <set>

using nosqlc::protocol::StreamIds;

BOOST_AUTO_TEST_SUITE(stream_ids)

BOOST_AUTO_TEST_CASE(lowest_free_first_and_reuse_after_release) {
  StreamIds ids(8);
  for (int i = 0; i < 8; ++i)
    BOOST_TEST(*ids.acquire() == i);
  BOOST_TEST(!ids.acquire().has_value());
  BOOST_TEST(ids.used() == 8u);
  ids.release(5);
  ids.release(2);
  BOOST_TEST(*ids.acquire() == 2);
  BOOST_TEST(*ids.acquire() == 5);
  BOOST_TEST(!ids.acquire().has_value());
}

BOOST_AUTO_TEST_CASE(orphan_is_not_reused_until_its_response) {
  StreamIds ids(2);
  auto a = *ids.acquire();
  auto b = *ids.acquire();
  ids.orphan(a);
  BOOST_TEST(ids.is_orphan(a));
  BOOST_TEST(ids.orphans() == 1u);
  ids.release(b);
  BOOST_TEST(*ids.acquire() == b);  // the orphan is skipped
  BOOST_TEST(!ids.acquire().has_value());
  ids.release(a);  // the late response came
  BOOST_TEST(!ids.is_orphan(a));
  BOOST_TEST(ids.orphans() == 0u);
  BOOST_TEST(*ids.acquire() == a);
}

BOOST_AUTO_TEST_CASE(ignores_ids_it_did_not_give) {
  StreamIds ids(70);
  ids.release(3);
  ids.release(-1);
  ids.release(69);
  ids.release(1000);
  ids.orphan(4);
  BOOST_TEST(ids.used() == 0u);
  BOOST_TEST(ids.orphans() == 0u);
  BOOST_TEST(!ids.in_use(-5));
  BOOST_TEST(!ids.is_orphan(32767));
}

BOOST_AUTO_TEST_CASE(full_range_and_clamping) {
  StreamIds ids(1'000'000);
  BOOST_TEST(ids.capacity() == StreamIds::kMaxCapacity);
  std::set<int> seen;
  while (auto id = ids.acquire())
    seen.insert(*id);
  BOOST_TEST(seen.size() == StreamIds::kMaxCapacity);
  BOOST_TEST(*seen.begin() == 0);
  BOOST_TEST(*seen.rbegin() == 32767);
  BOOST_TEST(StreamIds(0).capacity() == 1u);
}

BOOST_AUTO_TEST_CASE(capacity_not_multiple_of_64) {
  StreamIds ids(65);
  for (int i = 0; i < 65; ++i)
    BOOST_TEST(ids.acquire().has_value());
  BOOST_TEST(!ids.acquire().has_value());
  ids.release(64);
  BOOST_TEST(*ids.acquire() == 64);
}

BOOST_AUTO_TEST_SUITE_END()
