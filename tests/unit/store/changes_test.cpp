// The change feed's record in the store: one change per list version bump and per publication,
// written by the database itself, saying what changed; drafts are not changes; webhooks get a
// delivery queued in the change's own transaction.
#include "store/changes.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <cstring>

#include "store/operations.hpp"
#include "with_data_dir.hpp"

using namespace keepout::store;
using namespace keepout::model;
using keepout::test::TempDir;
using nlohmann::json;

namespace {
std::string point_wkb(double lon, double lat) {
    std::string out(21, '\0');
    out[0] = 1;
    const std::uint32_t type = 1;
    std::memcpy(&out[1], &type, 4);
    std::memcpy(&out[5], &lon, 8);
    std::memcpy(&out[13], &lat, 8);
    return out;
}
}  // namespace

TEST_CASE("changes: issued and revoked directives, with the venues they place and lift", "[store][changes]") {
    TempDir tmp;
    auto s = Store::init(tmp.file("k.sqlite"));
    s->set_actor("Ana");
    CHECK(last_change(*s) == 0);
    Venue v;
    v.name = "Bar Test";
    v.external_id = "T-1";
    v.category = Category::bar;
    v.geometry = point_wkb(21.1, 42.6);
    v = create_venue(*s, v, Duplicates::refuse);
    REQUIRE(last_change(*s) == 1);
    const auto hook = add_webhook(*s, "http://127.0.0.1:9/hook", "a secret of enough bytes");

    create_directive(*s, {"HOM/1", "First", "Head of Mission", Date::parse("2026-01-01"), Date::parse("2026-01-02"), false, std::nullopt});
    add_listings(*s, {"HOM/1", {"T-1"}, Action::place, {Reason::trafficking}, {}, {}});
    submit_directive(*s, "HOM/1");
    CHECK(last_change(*s) == 1);  // drafts and submissions change no list
    s->set_actor("Ben");
    issue_directive(*s, "HOM/1");
    revoke_directive(*s, "HOM/1", Date::parse("2026-03-01"));

    const auto all = changes_after(*s, 0, 100);
    REQUIRE(all.size() == 3);
    const json created = json::parse(all[0].json), issued = json::parse(all[1].json), revoked = json::parse(all[2].json);
    CHECK(created["venues"]["created"][0]["external_id"] == "T-1");
    CHECK(created["directives"].empty());
    CHECK(issued["id"] == 2);
    CHECK(issued["kind"] == "list");
    CHECK(issued["list_version"] == s->list_version() - 1);
    REQUIRE(issued["directives"].size() == 1);
    CHECK(issued["directives"][0] == json{{"ref", "HOM/1"}, {"change", "issued"}, {"status", "issued"}});
    CHECK(issued["venues"]["placed"][0]["external_id"] == "T-1");
    CHECK(issued["venues"]["placed"][0]["id"] == v.id);
    CHECK(revoked["directives"][0]["change"] == "revoked");
    CHECK(revoked["venues"]["lifted"][0]["external_id"] == "T-1");
    CHECK(revoked["list_version"] == s->list_version());
    CHECK(changes_after(*s, 2, 100).size() == 1);
    CHECK(changes_after(*s, 0, 2).size() == 2);

    // The webhook added after the first change has the two after it queued, oldest first.
    auto due = due_deliveries(*s, std::int64_t(1) << 60, 10);
    REQUIRE(due.size() == 1);  // one at a time per webhook, in order
    CHECK(due[0].webhook_id == hook);
    CHECK(due[0].change_seq == 2);
    delivery_failed(*s, hook, 2, 500, "answered 500", std::int64_t(1) << 62, false);
    CHECK(due_deliveries(*s, std::int64_t(1) << 60, 10).empty());  // not due yet, and 3 waits behind it
    delivery_failed(*s, hook, 2, 500, "answered 500", 0, false);
    delivery_done(*s, hook, 2, 204);
    due = due_deliveries(*s, 1, 10);
    REQUIRE(due.size() == 1);
    CHECK(due[0].change_seq == 3);
    auto hooks = webhooks(*s);
    REQUIRE(hooks.size() == 1);
    CHECK(hooks[0].done == 1);
    CHECK(hooks[0].pending == 1);
    remove_webhook(*s, hook);
    CHECK(due_deliveries(*s, 1, 10).empty());
    CHECK_THROWS_AS(remove_webhook(*s, hook), RuleError);
    CHECK_THROWS_AS(remove_webhook(*s, 99), NotFound);
    CHECK_THROWS_AS(add_webhook(*s, "ftp://x/", "secret"), RuleError);
    CHECK(s->audit().verify().ok);
}
