#include <nosqlc/nosql/uuid.hpp>

#include <boost/test/unit_test.hpp>

#include <array>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

BOOST_AUTO_TEST_SUITE(uuid)

BOOST_AUTO_TEST_CASE(format_is_lower_case_8_4_4_4_12) {
  // [0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}, checked by hand: std::regex
  // trips GCC 12's -Wmaybe-uninitialized in sanitizer builds.
  for (int i = 0; i < 100; ++i) {
    auto u = nosqlc::uuid_v4();
    BOOST_TEST_REQUIRE(u.size() == 36u, u);
    for (std::size_t p = 0; p < u.size(); ++p) {
      char c = u[p];
      bool ok = (p == 8 || p == 13 || p == 18 || p == 23)
                    ? c == '-'
                    : (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
      BOOST_TEST(ok, u << " at " << p);
    }
  }
}

BOOST_AUTO_TEST_CASE(version_and_variant_bits) {
  for (int i = 0; i < 1000; ++i) {
    auto u = nosqlc::uuid_v4();
    BOOST_TEST(u[14] == '4', u);                                          // version 4
    BOOST_TEST(std::string("89ab").find(u[19]) != std::string::npos, u);  // variant 10xx
  }
}

BOOST_AUTO_TEST_CASE(unique_over_ten_thousand) {
  std::set<std::string> seen;
  for (int i = 0; i < 10000; ++i)
    seen.insert(nosqlc::uuid_v4());
  BOOST_TEST(seen.size() == 10000u);
}

BOOST_AUTO_TEST_CASE(every_random_digit_varies) {
  // Catches a digit stuck at one value (e.g. a bit mask applied to the wrong nibble).
  std::array<std::set<char>, 36> digits;
  for (int i = 0; i < 2000; ++i) {
    auto u = nosqlc::uuid_v4();
    for (std::size_t p = 0; p < u.size(); ++p)
      digits[p].insert(u[p]);
  }
  for (std::size_t p = 0; p < 36; ++p) {
    if (p == 8 || p == 13 || p == 18 || p == 23) {
      BOOST_TEST((digits[p] == std::set<char>{'-'}));
    } else if (p == 14) {
      BOOST_TEST((digits[p] == std::set<char>{'4'}));
    } else if (p == 19) {
      BOOST_TEST((digits[p] == std::set<char>{'8', '9', 'a', 'b'}));
    } else {
      BOOST_TEST(digits[p].size() == 16u, "position " << p);
    }
  }
}

BOOST_AUTO_TEST_CASE(unique_across_threads) {
  std::mutex m;
  std::set<std::string> seen;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      std::vector<std::string> mine;
      for (int i = 0; i < 2500; ++i)
        mine.push_back(nosqlc::uuid_v4());
      std::lock_guard lock(m);
      seen.insert(mine.begin(), mine.end());
    });
  }
  for (auto& t : threads)
    t.join();
  BOOST_TEST(seen.size() == 10000u);
}

BOOST_AUTO_TEST_SUITE_END()
