// The sans-io Handshake, answer by answer: the requests it asks for, what it negotiates, and
// how each step fails.
#include <nosqlc/protocol/client_errors.hpp>
#include <nosqlc/protocol/compression.hpp>
#include <nosqlc/protocol/engine/handshake.hpp>

#include <boost/test/unit_test.hpp>

using namespace nosqlc::protocol;
using Kind = Handshake::Step::Kind;

namespace {

HandshakeOptions plain() {
  HandshakeOptions o;
  o.peer = "127.0.0.1:9042";
  return o;
}

Supported supported(bool lz4) {
  Supported s;
  s.options["CQL_VERSION"] = {"3.4.5"};
  if (lz4) s.options["COMPRESSION"] = {"snappy", "lz4"};
  return s;
}

Result keyspace_set(std::string ks) {
  SetKeyspaceResult r;
  r.keyspace = std::move(ks);
  return Result{r};
}

ServerError server_error(ServerErrorCode code, std::string message) {
  return ServerError{code, std::move(message), {}};
}

}  // namespace

BOOST_AUTO_TEST_SUITE(handshake_engine)

BOOST_AUTO_TEST_CASE(options_startup_ready) {
  Handshake hs(plain());
  auto s = hs.start();
  BOOST_TEST((s.kind == Kind::send));
  BOOST_TEST(std::holds_alternative<Options>(s.request));
  s = hs.on_answer(supported(false));
  BOOST_TEST_REQUIRE((s.kind == Kind::send));
  const auto& startup = std::get<Startup>(s.request);
  BOOST_TEST(startup.options.at("CQL_VERSION") == "3.0.0");
  BOOST_TEST(!startup.options.count("COMPRESSION"));
  s = hs.on_answer(Ready{});
  BOOST_TEST((s.kind == Kind::done));
  BOOST_TEST(!hs.compression());
}

BOOST_AUTO_TEST_CASE(lz4_when_offered_and_wanted) {
  for (bool wanted : {true, false}) {
    BOOST_TEST_CONTEXT("wanted " << wanted) {
      auto o = plain();
      o.compression = wanted;
      Handshake hs(o);
      hs.start();
      auto s = hs.on_answer(supported(true));
      const auto& startup = std::get<Startup>(s.request);
      const bool asked = startup.options.count("COMPRESSION") > 0;
      BOOST_TEST(asked == (wanted && lz4_available()));
      if (asked) BOOST_TEST(startup.options.at("COMPRESSION") == "lz4");
      BOOST_TEST(hs.compression() == asked);
      BOOST_TEST((hs.on_answer(Ready{}).kind == Kind::done));
    }
  }
}

BOOST_AUTO_TEST_CASE(use_keyspace_then_register) {
  auto o = plain();
  o.keyspace = "My\"Ks";
  o.events = {"STATUS_CHANGE", "SCHEMA_CHANGE"};
  Handshake hs(o);
  hs.start();
  hs.on_answer(supported(false));
  auto s = hs.on_answer(Ready{});
  BOOST_TEST_REQUIRE((s.kind == Kind::send));
  const auto& use = std::get<Query>(s.request);
  BOOST_TEST(use.query == "USE \"My\"\"Ks\"");
  BOOST_TEST((use.params.consistency == Consistency::one));
  s = hs.on_answer(keyspace_set("My\"Ks"));
  BOOST_TEST_REQUIRE((s.kind == Kind::send));
  BOOST_TEST((std::get<Register>(s.request).events == o.events));
  BOOST_TEST((hs.on_answer(Ready{}).kind == Kind::done));
}

BOOST_AUTO_TEST_CASE(a_keyspace_that_does_not_exist_is_the_servers_error) {
  auto o = plain();
  o.keyspace = "nosuch";
  Handshake hs(o);
  hs.start();
  hs.on_answer(supported(false));
  hs.on_answer(Ready{});
  Response answer = server_error(ServerErrorCode::invalid, "Keyspace 'nosuch' does not exist");
  auto s = hs.on_answer(answer);
  BOOST_TEST((s.kind == Kind::failed));
  BOOST_TEST_REQUIRE(s.server_error != nullptr);
  BOOST_TEST(s.server_error->message == "Keyspace 'nosuch' does not exist");
  BOOST_TEST((s.code == ServerErrorCode::invalid));
}

BOOST_AUTO_TEST_CASE(password_authentication) {
  auto o = plain();
  o.has_credentials = true;
  o.username = "app";
  o.password = "s3cret";
  Handshake hs(o);
  hs.start();
  hs.on_answer(supported(false));
  auto s = hs.on_answer(Authenticate{"org.apache.cassandra.auth.PasswordAuthenticator"});
  BOOST_TEST_REQUIRE((s.kind == Kind::send));
  auto token = std::get<AuthResponse>(s.request).token;
  BOOST_TEST_REQUIRE(token.has_value());
  const std::string expected("\0app\0s3cret", 11);
  BOOST_TEST(std::string(reinterpret_cast<const char*>(token->data()), token->size()) == expected);
  BOOST_TEST((hs.on_answer(AuthSuccess{}).kind == Kind::done));
}

BOOST_AUTO_TEST_CASE(authentication_failures_say_why) {
  struct Case {
    const char* name;
    bool credentials;
    std::string password;
    std::string authenticator;
    std::string expected;
  };
  const Case cases[] = {
      {"no credentials", false, "", "org.apache.cassandra.auth.PasswordAuthenticator",
       "requires authentication but no username and password were given"},
      {"unknown authenticator", true, "pw", "com.example.Kerberos",
       "requires authenticator com.example.Kerberos"},
  };
  for (const auto& c : cases) {
    BOOST_TEST_CONTEXT(c.name) {
      auto o = plain();
      o.has_credentials = c.credentials;
      o.username = "app";
      o.password = c.password;
      Handshake hs(o);
      hs.start();
      hs.on_answer(supported(false));
      auto s = hs.on_answer(Authenticate{c.authenticator});
      BOOST_TEST((s.kind == Kind::failed));
      BOOST_TEST((s.code == client_errc::authentication_error));
      BOOST_TEST(s.message.find(c.expected) != std::string::npos, s.message);
    }
  }
  for (std::string password : {"wrong", ""}) {
    auto o = plain();
    o.has_credentials = true;
    o.username = "app";
    o.password = password;
    Handshake hs(o);
    hs.start();
    hs.on_answer(supported(false));
    hs.on_answer(Authenticate{"PasswordAuthenticator"});
    auto s = hs.on_answer(server_error(ServerErrorCode::bad_credentials,
                                       "Provided username and/or password are incorrect"));
    BOOST_TEST((s.code == client_errc::authentication_error));
    BOOST_TEST(s.message.find("are incorrect") != std::string::npos, s.message);
    const bool hint = s.message.find("no password was given for user \"app\"") != std::string::npos;
    BOOST_TEST(hint == password.empty(), s.message);
  }
}

BOOST_AUTO_TEST_CASE(a_server_without_v4_is_unsupported) {
  Handshake hs(plain());
  hs.start();
  auto s = hs.on_answer(server_error(ServerErrorCode::protocol_error,
                                     "Invalid or unsupported "
                                     "protocol version (4)"));
  BOOST_TEST((s.code == client_errc::unsupported_server));
  BOOST_TEST(s.message.find("does not speak CQL protocol v4") != std::string::npos);
}

// A wrong answer injected at every step ends the handshake there, never asking for more.
BOOST_AUTO_TEST_CASE(an_unexpected_answer_at_any_step_fails_it) {
  auto o = plain();
  o.has_credentials = true;
  o.username = "u";
  o.password = "p";
  o.keyspace = "ks";
  o.events = {"SCHEMA_CHANGE"};
  const std::vector<Response> script = {supported(false), Authenticate{"PasswordAuthenticator"},
                                        AuthSuccess{}, keyspace_set("ks"), Ready{}};
  for (std::size_t bad = 0; bad < script.size(); ++bad) {
    BOOST_TEST_CONTEXT("wrong answer at step " << bad) {
      Handshake hs(o);
      auto s = hs.start();
      for (std::size_t i = 0; i < script.size(); ++i) {
        BOOST_TEST_REQUIRE((s.kind == Kind::send));
        // A SUPPORTED where something else is due, an AUTH_CHALLENGE in place of SUPPORTED.
        Response wrong = i == 0 ? Response(AuthChallenge{}) : Response(supported(false));
        s = hs.on_answer(i == bad ? wrong : script[i]);
        if (i == bad) break;
      }
      BOOST_TEST((s.kind == Kind::failed));
      BOOST_TEST(!s.message.empty());
      // Done means done: another answer fails too.
      BOOST_TEST((hs.on_answer(Ready{}).kind == Kind::failed));
    }
  }
}

BOOST_AUTO_TEST_SUITE_END()
