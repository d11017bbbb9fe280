// API tokens in the store: expiry by the mission's date, refusals that tell no more than they
// should, and the failed-attempt record.
#include "store/tokens.hpp"

#include <catch2/catch.hpp>

#include "store/repository.hpp"
#include "with_data_dir.hpp"

using namespace keepout::store;
using keepout::model::Date;
using keepout::model::Role;
using keepout::test::TempDir;

TEST_CASE("a token works through its last day and is refused the day after", "[store][tokens]") {
    TempDir dir;
    auto store = Store::init(dir.file("k.sqlite"));
    auto& db = store->db();
    const Date today = Date::parse("2026-12-01");
    const std::string t = create_token(db, Role::editor, "Ana", Date::parse("2026-12-31"), today);
    CHECK(check_token(db, t, Date::parse("2026-12-31")).holder);
    auto late = check_token(db, t, Date::parse("2027-01-01"));
    CHECK_FALSE(late.holder);
    CHECK(late.refusal == TokenRefusal::expired);
    REQUIRE(late.expired_on);
    CHECK(*late.expired_on == Date::parse("2026-12-31"));
    CHECK_THROWS_AS(create_token(db, Role::editor, "Ana", Date::parse("2026-11-30"), today), StoreError);
    CHECK_NOTHROW(create_token(db, Role::editor, "Ana", today, today));
    CHECK_THROWS_AS(create_token(db, Role::editor, "   ", std::nullopt, today), StoreError);
}

TEST_CASE("refusals: malformed, unknown, wrong secret; revoked only with the right secret", "[store][tokens]") {
    TempDir dir;
    auto store = Store::init(dir.file("k.sqlite"));
    auto& db = store->db();
    const std::string t = create_token(db, Role::approver, "Ben");
    const std::string id = t.substr(3, t.find('_', 3) - 3);
    CHECK(check_token(db, "nonsense").refusal == TokenRefusal::malformed);
    CHECK(check_token(db, "ko_x_y").refusal == TokenRefusal::malformed);
    CHECK(check_token(db, "ko_" + std::string(300, '1') + "_y").refusal == TokenRefusal::malformed);
    CHECK(check_token(db, "ko_999_abc").refusal == TokenRefusal::unknown);
    auto wrong = check_token(db, "ko_" + id + "_abc");
    CHECK(wrong.refusal == TokenRefusal::wrong_secret);
    REQUIRE(wrong.token_id);
    CHECK(std::to_string(*wrong.token_id) == id);
    REQUIRE(revoke_token(db, std::stoll(id)));
    CHECK_FALSE(revoke_token(db, std::stoll(id)));
    CHECK(check_token(db, t).refusal == TokenRefusal::revoked);
    // A guess at a revoked token learns nothing about it.
    CHECK(check_token(db, "ko_" + id + "_abc").refusal == TokenRefusal::wrong_secret);
    CHECK_FALSE(verify_token(db, t));
}

TEST_CASE("list_tokens carries no secret, and failures are kept", "[store][tokens]") {
    TempDir dir;
    auto store = Store::init(dir.file("k.sqlite"));
    auto& db = store->db();
    create_token(db, Role::reader, "Cem");
    auto all = list_tokens(db);
    REQUIRE(all.size() == 1);
    CHECK(all[0].name == "Cem");
    CHECK(all[0].role == Role::reader);
    CHECK_FALSE(all[0].expires_on);
    CHECK_FALSE(all[0].revoked_at);
    record_auth_failure(db, "192.0.2.7", 1, "wrong-secret");
    record_auth_failure(db, "2001:db8::1", std::nullopt, "malformed");
    auto f = auth_failures(db, 10);
    REQUIRE(f.size() == 2);
    CHECK(f[0].remote == "2001:db8::1");
    CHECK_FALSE(f[0].token_id);
    CHECK(f[1].remote == "192.0.2.7");
    CHECK(f[1].token_id == 1);
    CHECK(f[1].reason == "wrong-secret");
}
