// Reviews that happen, through the real binary and server, on both samples: what is due at a
// date (an emergency directive past its review date, listings older than the mission's
// interval), a keep that moves the item to its next date, a lift that goes through a draft and
// another approver, the API's roles and bad bodies, and overdue reviews on the publication and
// its printed list.
#include <catch2/catch.hpp>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "integration/run.hpp"
#include "integration/server.hpp"
#include "with_data_dir.hpp"

using namespace keepout::test;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

void ok(const RunResult& r) {
    INFO(r.out << r.err);
    REQUIRE(r.exit_code == 0);
}

std::string slurp(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}


// YYYY-MM-DD plus n days.
std::string add_days(const std::string& iso, int n) {
    const std::chrono::year_month_day ymd{std::chrono::year(std::stoi(iso.substr(0, 4))),
                                          std::chrono::month(unsigned(std::stoi(iso.substr(5, 2)))),
                                          std::chrono::day(unsigned(std::stoi(iso.substr(8, 2))))};
    const std::chrono::year_month_day out{std::chrono::sys_days(ymd) + std::chrono::days(n)};
    char b[16];
    std::snprintf(b, sizeof b, "%04d-%02u-%02u", int(out.year()), unsigned(out.month()), unsigned(out.day()));
    return b;
}

json due(const std::string& db, const std::string& as_of = "") {
    std::vector<std::string> args{"due", "--format", "json"};
    if (!as_of.empty()) args.insert(args.end(), {"--as-of", as_of});
    auto r = run_keepout(db, args);
    ok(r);
    return r.json();
}

// The sample's emergency directive (each sample has one, issued, with a review date).
json emergency_directive(const std::string& db) {
    auto r = run_keepout(db, {"directive", "list", "--format", "json"});
    ok(r);
    const json all = r.json();
    for (const json& d : all["directives"])
        if (d.value("emergency", false) && d["status"] == "issued") return d;
    FAIL("no emergency directive");
    return {};
}

std::map<std::int64_t, json> listed(const std::string& db, const std::string& as_of) {
    auto r = run_keepout(db, {"list", "--as-of", as_of, "--format", "json"});
    ok(r);
    std::map<std::int64_t, json> out;
    const json list = r.json();
    for (const json& v : list["venues"]) out[v["id"].get<std::int64_t>()] = v;
    return out;
}

const json* item_for_venue(const json& report, std::int64_t id) {
    for (const json& i : report["items"])
        if (i["kind"] == "periodic-review" && i["venue_id"] == id) return &i;
    return nullptr;
}

const json* item_for_directive(const json& report, const std::string& ref) {
    for (const json& i : report["items"])
        if (i["kind"] == "directive-review" && i["directive"] == ref) return &i;
    return nullptr;
}

std::string without_spaces(const std::string& s) {
    std::string out;
    for (char c : s)
        if (!std::isspace(static_cast<unsigned char>(c))) out.push_back(c);
    return out;
}

std::string pdf_text(const std::string& pdf) {
    auto r = run_program({"pdftotext", "-enc", "UTF-8", pdf, "-"});
    REQUIRE(r.exit_code == 0);
    return r.out;
}

}  // namespace

TEST_CASE("due lists the emergency directive past its review date and the listings older than the interval",
          "[review][due]") {
    for (const std::string sample : {"kosovo", "lebanon"}) {
        CAPTURE(sample);
        TempDir tmp;
        const auto db = tmp.file("m.sqlite");
        load_mission(db, sample_dir(sample));
        auto shown = run_keepout(db, {"mission", "show", "--format", "json"});
        ok(shown);
        REQUIRE(shown.json()["review_interval_days"] == 180);

        const json emergency = emergency_directive(db);
        const std::string ref = emergency["ref"], review = emergency["review"];
        // The day before its review date it is due soon, from that date on overdue; two weeks before, not due.
        CHECK(item_for_directive(due(db, add_days(review, -15)), ref) == nullptr);
        const json soon = due(db, add_days(review, -1));
        REQUIRE(item_for_directive(soon, ref));
        CHECK((*item_for_directive(soon, ref))["status"] == "due-soon");
        const json late = due(db, add_days(review, 3));
        REQUIRE(item_for_directive(late, ref));
        CHECK((*item_for_directive(late, ref))["status"] == "overdue");
        CHECK((*item_for_directive(late, ref))["due"] == review);
        CHECK((*item_for_directive(late, ref))["venue"].is_null());

        // Every listing older than 180 days is due, overdue from its 180th day; younger ones are not.
        const std::string as_of = add_days(review, 60);
        const json report = due(db, as_of);
        CHECK(report["as_of"] == as_of);
        CHECK(report["review_interval_days"] == 180);
        std::size_t expected = 0;
        for (const auto& [id, v] : listed(db, as_of)) {
            CAPTURE(v["name"]);
            const std::string due_on = add_days(v["listed_since"], 180);
            const json* item = item_for_venue(report, id);
            if (due_on > add_days(as_of, 14)) {
                CHECK(item == nullptr);
                continue;
            }
            ++expected;
            REQUIRE(item);
            CHECK((*item)["due"] == due_on);
            CHECK((*item)["status"] == (due_on <= as_of ? "overdue" : "due-soon"));
            CHECK((*item)["listed_since"] == v["listed_since"]);
            CHECK((*item)["directive"] == v["directive"]);
            CHECK((*item)["external_id"] == v["external_id"]);
        }
        CHECK(expected > 0);
        std::size_t periodic = 0;
        for (const json& i : report["items"]) periodic += i["kind"] == "periodic-review";
        CHECK(periodic == expected);
        // The table says the same.
        auto table = run_keepout(db, {"due", "--as-of", as_of});
        ok(table);
        CHECK(table.out.find("emergency directive " + ref) != std::string::npos);
        CHECK(table.out.find("overdue") != std::string::npos);
    }
}

TEST_CASE("a keep decision takes the item off the due list until its next date, and shows in the history with who and why",
          "[review][keep]") {
    for (const std::string sample : {"kosovo", "lebanon"}) {
        CAPTURE(sample);
        TempDir tmp;
        const auto db = tmp.file("m.sqlite");
        load_mission(db, sample_dir(sample));
        const json before = due(db);  // today: the sample's dates are past
        const std::string today = before["as_of"];
        const json emergency = emergency_directive(db);
        const std::string ref = emergency["ref"];
        REQUIRE(item_for_directive(before, ref));
        // A venue due for its periodic review today.
        std::int64_t venue = 0;
        for (const json& i : before["items"])
            if (i["kind"] == "periodic-review" && i["status"] == "overdue") {
                venue = i["venue_id"];
                break;
            }
        REQUIRE(venue != 0);
        const std::string key = std::to_string(venue);

        // Keeping the directive needs its next date; a venue's defaults to today plus the interval.
        CHECK(run_keepout(db, {"review", "--directive", ref, "--decision", "keep", "--reason", "x"}).exit_code != 0);
        CHECK(run_keepout(db, {"review", key, "--decision", "keep", "--reason", " "}).exit_code != 0);
        CHECK(run_keepout(db, {"review", key, "--decision", "keep", "--reason", "x", "--next", today}).exit_code != 0);
        ok(run_keepout(db, {"review", "--directive", ref, "--decision", "keep", "--reason", "threat assessment unchanged",
                            "--next", "2099-01-01"},
                       "Ana Reviewer"));
        auto kept = run_keepout(db, {"review", key, "--decision", "keep", "--reason", "still trafficking, police report",
                                     "--format", "json"},
                                "Ana Reviewer");
        ok(kept);
        const std::string next = kept.json()["next_review"];
        CHECK(next == add_days(today, 180));
        CHECK(kept.json()["by"] == "Ana Reviewer");

        const json after = due(db);
        CHECK(item_for_directive(after, ref) == nullptr);
        CHECK(item_for_venue(after, venue) == nullptr);
        CHECK(after["items"].size() == before["items"].size() - 2);
        // On the next date each is due again, with the decision that was last made.
        const json then = due(db, "2099-01-01");
        REQUIRE(item_for_directive(then, ref));
        CHECK((*item_for_directive(then, ref))["due"] == "2099-01-01");
        CHECK((*item_for_directive(then, ref))["last_review"]["reason"] == "threat assessment unchanged");
        REQUIRE(item_for_venue(then, venue));
        CHECK((*item_for_venue(then, venue))["due"] == next);
        CHECK((*item_for_venue(then, venue))["status"] == "overdue");

        // The history holds both decisions (the directive's, as it lists the venue, only if it does).
        auto h = run_keepout(db, {"history", key, "--format", "json"});
        ok(h);
        bool found = false;
        const json history = h.json();
        for (const json& r : history["reviews"])
            if (r["venue_id"] == venue) {
                found = true;
                CHECK(r["decision"] == "keep");
                CHECK(r["by"] == "Ana Reviewer");
                CHECK(r["reason"] == "still trafficking, police report");
                CHECK(r["next_review"] == next);
                CHECK(r["decided_on"] == today);
            }
        CHECK(found);
        auto text = run_keepout(db, {"history", key});
        ok(text);
        CHECK(text.out.find("still trafficking, police report") != std::string::npos);
        CHECK(text.out.find("Ana Reviewer") != std::string::npos);
        // In the audit chain, which still verifies; and the decision cannot be changed with sqlite3.
        auto log = run_keepout(db, {"audit", "log", "--limit", "3", "--format", "json"});
        ok(log);
        CHECK(log.json()[0]["action"] == "review.keep");
        ok(run_keepout(db, {"audit", "verify"}));
        CHECK(run_program({"sqlite3", db, "UPDATE reviews SET reason = 'x'"}).exit_code != 0);
        CHECK(run_program({"sqlite3", db, "DELETE FROM reviews"}).exit_code != 0);
    }
}

TEST_CASE("a lift decision removes nothing by itself: it goes into a draft that another approver issues",
          "[review][lift]") {
    for (const std::string sample : {"kosovo", "lebanon"}) {
        CAPTURE(sample);
        TempDir tmp;
        const auto db = tmp.file("m.sqlite");
        load_mission(db, sample_dir(sample));
        const json before = due(db);
        const std::string today = before["as_of"];
        std::int64_t venue = 0;
        for (const json& i : before["items"])
            if (i["kind"] == "periodic-review") venue = i["venue_id"];
        REQUIRE(venue != 0);
        const std::string key = std::to_string(venue);
        const std::string draft = "REVIEW/2026/LIFT";
        // A lift needs the draft that carries it.
        CHECK(run_keepout(db, {"review", key, "--decision", "lift", "--reason", "closed down"}).exit_code != 0);
        ok(run_keepout(db, {"directive", "create", draft, "--title", "Lifts decided at review", "--signed", today,
                            "--effective", today},
                       "Ana Reviewer"));
        auto lifted = run_keepout(db, {"review", key, "--decision", "lift", "--reason", "closed down, premises empty",
                                       "--lift-in", draft, "--format", "json"},
                                  "Ana Reviewer");
        ok(lifted);
        CHECK(lifted.json()["lift_in"] == draft);
        REQUIRE(lifted.json()["lifts"].size() == 1);

        // Still on the list, and still due, with the lift pending in the draft.
        CHECK(listed(db, today).count(venue) == 1);
        const json still_due = due(db);
        const json* pending = item_for_venue(still_due, venue);
        REQUIRE(pending);
        CHECK((*pending)["pending_lift"] == draft);
        auto show = run_keepout(db, {"directive", "show", draft, "--format", "json"});
        ok(show);
        REQUIRE(show.json()["listings"].size() == 1);
        CHECK(show.json()["listings"][0]["action"] == "lift");
        CHECK(show.json()["listings"][0]["venue_id"] == venue);

        // The reviewer cannot issue it (four eyes); another approver does, and the venue is off the list.
        ok(run_keepout(db, {"directive", "submit", draft}, "Ana Reviewer"));
        CHECK(run_keepout(db, {"directive", "issue", draft}, "Ana Reviewer").exit_code != 0);
        CHECK(listed(db, today).count(venue) == 1);
        ok(run_keepout(db, {"directive", "issue", draft}, "Ben Approver"));
        CHECK(listed(db, today).count(venue) == 0);
        CHECK(item_for_venue(due(db), venue) == nullptr);

        // The emergency directive's lift places a lift of every venue it keeps on the list.
        const json emergency = emergency_directive(db);
        const std::string ref = emergency["ref"];
        std::size_t held = 0;
        for (const auto& [id, v] : listed(db, today)) held += v["directive"] == ref;
        const std::string draft2 = "REVIEW/2026/EMERGENCY";
        ok(run_keepout(db, {"directive", "create", draft2, "--title", "End of the emergency", "--signed", today,
                            "--effective", today},
                       "Ana Reviewer"));
        auto elift = run_keepout(db, {"review", "--directive", ref, "--decision", "lift", "--reason", "threat over",
                                      "--lift-in", draft2, "--format", "json"},
                                 "Ana Reviewer");
        ok(elift);
        CHECK(elift.json()["lifts"].size() == held);
        CHECK(run_keepout(db, {"review", "--directive", ref, "--decision", "lift", "--reason", "again", "--lift-in",
                               ref})
                  .exit_code != 0);
        // The history of the lifted venue names the decision and the draft.
        auto h = run_keepout(db, {"history", key, "--format", "json"});
        ok(h);
        bool found = false;
        const json history = h.json();
        for (const json& r : history["reviews"])
            if (r["decision"] == "lift" && r["venue_id"] == venue) {
                found = true;
                CHECK(r["lift_in"] == draft);
                CHECK(r["by"] == "Ana Reviewer");
                CHECK(r["reason"] == "closed down, premises empty");
            }
        CHECK(found);
    }
}

TEST_CASE("reviews over HTTP: readers see what is due, approvers record decisions, bad bodies are refused",
          "[review][server]") {
    TempDir tmp;
    const auto db = tmp.file("l.sqlite");
    load_mission(db, sample_dir("lebanon"));
    auto token = [&](const std::string& role, const std::string& name) {
        auto r = run_keepout(db, {"token", "create", "--role", role, "--name", name});
        ok(r);
        return "Authorization: Bearer " + r.out.substr(0, r.out.find('\n'));
    };
    const std::string reader = token("reader", "Rea Reader"), editor = token("editor", "Eddie Editor"),
                      approver = token("approver", "Ada Approver");
    ServerProcess server(db);
    CHECK(get(server.url("/api/v1/due")).status == 401);
    const auto d = get(server.url("/api/v1/due"), {reader});
    REQUIRE(d.status == 200);
    const json report = d.json();
    for (const char* k : {"as_of", "time_zone", "review_interval_days", "items"}) CHECK(report.contains(k));
    CHECK(report["time_zone"] == "Asia/Beirut");
    REQUIRE_FALSE(report["items"].empty());
    for (const json& i : report["items"])
        for (const char* k : {"kind", "directive", "venue_id", "external_id", "venue", "due", "status", "listed_since",
                              "last_review"})
            CHECK(i.contains(k));
    CHECK(get(server.url("/api/v1/due?as_of=2026-13-01"), {reader}).status == 400);
    const auto dated = get(server.url("/api/v1/due?as_of=2026-07-21"), {reader});
    REQUIRE(dated.status == 200);
    CHECK(dated.json()["as_of"] == "2026-07-21");
    CHECK(item_for_directive(dated.json(), "UNIFIL/HOM/OL/2026/003"));

    std::int64_t venue = 0;
    for (const json& i : report["items"])
        if (i["kind"] == "periodic-review") venue = i["venue_id"];
    REQUIRE(venue != 0);
    const std::string good = json{{"venue", venue}, {"decision", "keep"}, {"reason", "confirmed by the MP patrol"}}.dump();
    auto post = [&](const std::string& who, const std::string& body) {
        return curl("POST", server.url("/api/v1/reviews"), {who}, body);
    };
    CHECK(post(reader, good).status == 403);
    CHECK(post(editor, good).status == 403);
    for (const std::string bad :
         {std::string("{}"), std::string("[1]"), std::string("{\"venue\": 1, \"decision\": \"maybe\", \"reason\": \"x\"}"),
          json{{"venue", venue}, {"decision", "keep"}}.dump(),
          json{{"venue", venue}, {"decision", "keep"}, {"reason", ""}}.dump(),
          json{{"venue", venue}, {"directive", "UNIFIL/HOM/OL/2026/003"}, {"decision", "keep"}, {"reason", "x"}}.dump(),
          json{{"venue", venue}, {"decision", "lift"}, {"reason", "x"}}.dump(),
          json{{"venue", venue}, {"decision", "keep"}, {"reason", "x"}, {"next_review", "2026-02-30"}}.dump(),
          json{{"venue", venue}, {"decision", "keep"}, {"reason", "x"}, {"colour", "red"}}.dump(),
          json{{"directive", "UNIFIL/HOM/OL/2026/003"}, {"decision", "keep"}, {"reason", "x"}}.dump(),
          json{{"venue", venue}, {"decision", "keep"}, {"reason", 5}}.dump(), std::string("{\"venue\": ")}) {
        CAPTURE(bad);
        const auto r = post(approver, bad);
        CHECK(r.status == 400);
        CHECK(r.json()["error"]["message"].get<std::string>().size() > 10);
    }
    const auto created = post(approver, good);
    INFO(created.body);
    REQUIRE(created.status == 201);
    const json review = created.json();
    CHECK(review["decision"] == "keep");
    CHECK(review["venue_id"] == venue);
    CHECK(review["person"] == "Ada Approver");
    CHECK(review["reason"] == "confirmed by the MP patrol");
    CHECK(review["next_review"].is_string());
    // It is off the due list and in the venue's history.
    CHECK(item_for_venue(get(server.url("/api/v1/due"), {reader}).json(), venue) == nullptr);
    const auto v = get(server.url("/api/v1/venues/" + std::to_string(venue)));
    REQUIRE(v.status == 200);
    REQUIRE(v.json()["reviews"].size() >= 1);
    CHECK(v.json()["reviews"].back()["reason"] == "confirmed by the MP patrol");
    CHECK(v.json()["reviews"].back()["by"].get<std::string>().find("Ada Approver") == 0);
    // A venue not on the list is not under review.
    const auto lifted_venue = run_keepout(db, {"list", "--format", "json"});
    std::set<std::int64_t> on_list;
    const json today_list = lifted_venue.json();
    for (const json& x : today_list["venues"]) on_list.insert(x["id"].get<std::int64_t>());
    std::int64_t off = 1;
    while (on_list.count(off)) ++off;
    CHECK(post(approver, json{{"venue", off}, {"decision", "keep"}, {"reason", "x"}}.dump()).status == 409);
}

TEST_CASE("overdue reviews are in the publication and flagged on its printed list", "[review][publish]") {
    for (const std::string sample : {"kosovo", "lebanon"}) {
        CAPTURE(sample);
        TempDir tmp;
        const auto db = tmp.file("m.sqlite");
        load_mission(db, sample_dir(sample));
        const json emergency = emergency_directive(db);
        const std::string ref = emergency["ref"];
        const std::string as_of = add_days(emergency["review"], 60);
        const json report = due(db, as_of);
        const std::string priv = tmp.file("k.pem"), pub = tmp.file("k.pub");
        ok(run_keepout(db, {"key", "create", "--out", priv, "--public-out", pub}));
        const std::string out = tmp.file("out");
        ok(run_keepout(db, {"publish", "--key", priv, "--out", out, "--as-of", as_of, "--lang", "en"}));
        const json doc = json::parse(slurp(out + "/publication-1.json"));
        REQUIRE(doc.contains("reviews_due"));
        std::size_t overdue = 0;
        for (const json& i : report["items"]) overdue += i["status"] == "overdue";
        CHECK(doc["reviews_due"].size() == overdue);
        bool directive = false;
        std::set<std::string> due_dates;
        for (const json& i : doc["reviews_due"]) {
            if (i["kind"] == "directive-review" && i["directive"] == ref) directive = true;
            if (i["kind"] == "periodic-review") due_dates.insert(i["due"].get<std::string>());
        }
        CHECK(directive);
        REQUIRE_FALSE(due_dates.empty());
        ok(run_keepout(db, {"verify", out + "/publication-1.json"}));
        // The printed list says so: the count in the title block, the directive, each venue's due date.
        const std::string text = pdf_text(out + "/publication-1.en.pdf");
        CHECK(text.find("Reviews overdue") != std::string::npos);
        CHECK(text.find("review overdue") != std::string::npos);
        for (const std::string& d : due_dates) CHECK(text.find(d) != std::string::npos);
    }
}

namespace {

// Words of a PDF with their boxes (pdftotext -bbox): text → the x of each occurrence, by line (y).
struct Word {
    std::string text;
    double x = 0, y = 0;
};
std::vector<Word> pdf_words(const std::string& pdf, int page = 1) {
    auto r = run_program({"pdftotext", "-bbox", "-f", std::to_string(page), "-l", std::to_string(page), pdf, "-"});
    REQUIRE(r.exit_code == 0);
    std::vector<Word> out;
    const std::string& s = r.out;
    for (std::size_t at = s.find("<word "); at != std::string::npos; at = s.find("<word ", at + 1)) {
        auto attr = [&](const char* name) {
            const auto p = s.find(std::string(name) + "=\"", at);
            return std::stod(s.substr(p + std::string(name).size() + 2));
        };
        const auto open = s.find('>', at), close = s.find("</word>", at);
        out.push_back({s.substr(open + 1, close - open - 1), attr("xMin"), attr("yMin")});
    }
    return out;
}

// The x of the first word `w` on the same line as the first word `anchor`.
std::optional<double> x_on_line(const std::vector<Word>& words, const std::string& anchor, const std::string& w) {
    for (const Word& a : words)
        if (a.text == anchor)
            for (const Word& b : words)
                if (b.text == w && std::abs(b.y - a.y) < 3) return b.x;
    return std::nullopt;
}

}  // namespace

TEST_CASE("the Arabic list runs its columns right to left and gives each name in Latin letters",
          "[publish][documents][rtl]") {
    TempDir tmp;
    const auto db = tmp.file("l.sqlite");
    load_mission(db, sample_dir("lebanon"));
    const std::string priv = tmp.file("k.pem"), pub = tmp.file("k.pub");
    ok(run_keepout(db, {"key", "create", "--out", priv, "--public-out", pub}));
    const std::string out = tmp.file("out");
    ok(run_keepout(db, {"publish", "--key", priv, "--out", out, "--as-of", "2026-06-20"}));
    const json doc = json::parse(slurp(out + "/publication-1.json"));
    // A venue on the first page with a Latin name (its first word a word of both PDFs), and its MGRS.
    const auto ar = pdf_words(out + "/publication-1.ar.pdf"), en = pdf_words(out + "/publication-1.en.pdf");
    std::string name_word, mgrs_word;
    std::optional<double> ar_name, ar_mgrs, en_name, en_mgrs;
    for (const json& v : doc["venues"]) {
        const std::string n = v["name"];
        if (n.find('\xd8') != std::string::npos || n.find('\xd9') != std::string::npos) continue;
        name_word = n.substr(0, n.find(' '));
        mgrs_word = v["mgrs"].get<std::string>().substr(0, 3);  // "36S", the zone, printed first
        ar_name = x_on_line(ar, name_word, name_word), ar_mgrs = x_on_line(ar, name_word, mgrs_word);
        en_name = x_on_line(en, name_word, name_word), en_mgrs = x_on_line(en, name_word, mgrs_word);
        if (ar_name && ar_mgrs && en_name && en_mgrs) break;
    }
    CAPTURE(name_word);
    REQUIRE(ar_name);
    REQUIRE(ar_mgrs);
    REQUIRE(en_name);
    REQUIRE(en_mgrs);
    CHECK(*en_name < *en_mgrs);  // left to right: the name, the address, then MGRS
    CHECK(*ar_name > *ar_mgrs);  // right to left: the name at the right, MGRS to its left
    // The header's "#" is the first column: at the left in English, at the right in Arabic.
    const auto ar_hash = x_on_line(ar, "MGRS", "#"), ar_mgrs_head = x_on_line(ar, "MGRS", "MGRS");
    const auto en_hash = x_on_line(en, "MGRS", "#"), en_mgrs_head = x_on_line(en, "MGRS", "MGRS");
    REQUIRE(ar_hash);
    REQUIRE(en_hash);
    CHECK(*ar_hash > *ar_mgrs_head);
    CHECK(*en_hash < *en_mgrs_head);

    // Names in Arabic script are given in Latin letters too (ICU Any-Latin), under their own header.
    const std::string en_text = pdf_text(out + "/publication-1.en.pdf");
    CHECK(en_text.find("In Latin letters") != std::string::npos);
    // The ASCII letters of a text, which pdftotext gives back whatever it makes of the accents.
    auto ascii = [](const std::string& s) {
        std::string out;
        for (unsigned char c : s)
            if (std::isalnum(c)) out.push_back(char(c));
        return out;
    };
    const std::string en_ascii = ascii(en_text);
    std::size_t arabic = 0;
    for (const json& v : doc["venues"]) {
        const std::string n = v["name"];
        if (n.find('\xd8') == std::string::npos && n.find('\xd9') == std::string::npos) continue;
        ++arabic;
        CAPTURE(n);
        const std::string feed = tmp.file("name.txt");
        std::ofstream(feed, std::ios::binary | std::ios::trunc) << n;
        auto t = run_program({"uconv", "-x", "Any-Latin; NFC", feed});
        REQUIRE(t.exit_code == 0);
        const std::string expected = ascii(t.out).substr(0, 8);
        CHECK(en_ascii.find(expected) != std::string::npos);
    }
    CHECK(arabic > 0);
}

TEST_CASE("the documents are in English for a language that has no strings file", "[publish][documents]") {
    TempDir tmp;
    const std::string dir = sample_dir("lebanon");
    json mission = json::parse(slurp(dir + "/mission.json"));
    mission["languages"] = {"fr", "de"};  // no documents/de.json
    mission["area"] = dir + "/boundary.geojson";
    for (auto& [k, v] : mission["layers"].items()) v = dir + "/" + v.get<std::string>();
    const std::string file = tmp.file("mission.json");
    std::ofstream(file) << mission.dump();
    const auto db = tmp.file("l.sqlite");
    load_mission(db, sample_dir("lebanon"), file);
    const std::string priv = tmp.file("k.pem"), pub = tmp.file("k.pub");
    ok(run_keepout(db, {"key", "create", "--out", priv, "--public-out", pub}));
    const std::string out = tmp.file("out");
    ok(run_keepout(db, {"publish", "--key", priv, "--out", out, "--as-of", "2026-06-20", "--check-url",
                        "https://keepout.example/check"}));
    const std::string fr = pdf_text(out + "/publication-1.fr.pdf"), de = pdf_text(out + "/publication-1.de.pdf");
    CHECK(fr.find("LISTE DES LIEUX INTERDITS") != std::string::npos);  // documents/fr.json
    CHECK(de.find("OFF-LIMITS LIST") != std::string::npos);            // no de.json: English
    CHECK(pdf_text(out + "/card-1.de.pdf").find("OFF-LIMITS") != std::string::npos);
    CHECK(pdf_text(out + "/card-1.fr.pdf").find("LIEUX INTERDITS") != std::string::npos);
}

TEST_CASE("publish --directive prints a directive's document with every place and lift, in each language",
          "[publish][documents][directive]") {
    for (const std::string sample : {"kosovo", "lebanon"}) {
        CAPTURE(sample);
        TempDir tmp;
        const auto db = tmp.file("m.sqlite");
        load_mission(db, sample_dir(sample));
        // The sample's amendment: the issued directive that both places and lifts.
        const json all = json::parse(slurp(sample_dir(sample) + "/directives.json"));
        std::string ref;
        std::size_t places = 0, lifts = 0;
        for (const json& d : all["directives"]) {
            std::size_t p = 0, l = 0;
            for (const json& x : d["listings"]) (x["action"] == "lift" ? l : p)++;
            if (d["status"] == "issued" && p > 0 && l > 0) {
                ref = d["ref"];
                places = p;
                lifts = l;
                break;
            }
        }
        REQUIRE_FALSE(ref.empty());
        const std::string out = tmp.file("out");
        auto r = run_keepout(db, {"publish", "--directive", ref, "--out", out, "--format", "json"});
        ok(r);
        const json summary = r.json();
        CHECK(summary["places"] == places);
        CHECK(summary["lifts"] == lifts);
        const auto files = summary["files"].get<std::vector<std::string>>();
        REQUIRE(files.size() >= 2);
        const json doc = json::parse(slurp(files.front()));
        CHECK(doc["format"] == "keepout-directive/1");
        CHECK(doc["directive"]["ref"] == ref);
        REQUIRE(doc["places"].size() == places);
        REQUIRE(doc["lifts"].size() == lifts);
        const std::vector<std::string> langs = doc["mission"]["languages"];
        CHECK(files.size() == 1 + langs.size());
        for (std::size_t i = 0; i < langs.size(); ++i) {
            CAPTURE(langs[i]);
            const std::string& pdf = files[i + 1];
            CHECK(pdf.find("." + langs[i] + ".pdf") != std::string::npos);
            const std::string flat = without_spaces(pdf_text(pdf));
            CHECK(flat.find(without_spaces(ref)) != std::string::npos);
            for (const char* group : {"places", "lifts"})
                for (const json& v : doc[group]) {
                    CAPTURE(v["name"]);
                    const std::string m = v["mgrs"];
                    // Printed in groups: zone, square, easting, northing (each at 1 m).
                    const std::size_t digits = (m.size() - 5) / 2;
                    CHECK(flat.find(m.substr(0, 5) + m.substr(5, digits)) != std::string::npos);
                    CHECK(flat.find(without_spaces(v["address"].get<std::string>()).substr(0, 8)) != std::string::npos);
                }
        }
        // A reference that names no directive is an error, and nothing is written for it.
        CHECK(run_keepout(db, {"publish", "--directive", "NO/SUCH/REF", "--out", tmp.file("none")}).exit_code != 0);
        // Without --directive, --key is needed.
        CHECK(run_keepout(db, {"publish", "--out", tmp.file("none")}).exit_code != 0);
    }
}
