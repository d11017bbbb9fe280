// Publications through the real binary: both samples publish, a copy verifies with keepout and
// with openssl alone, one changed byte fails both, a second publication says what changed, and a
// chain rewritten after a publication (every hash recomputed, as an attacker would) is caught.
#include <catch2/catch.hpp>

#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <cctype>
#include <sstream>

#include "integration/run.hpp"
#include "integration/server.hpp"
#include "with_data_dir.hpp"

using namespace keepout::test;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

std::string slurp(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

void spit(const std::string& path, const std::string& bytes) {
    std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
}

void ok(const RunResult& r) {
    INFO(r.out << r.err);
    REQUIRE(r.exit_code == 0);
}

// A sample with its mission profile, venues, sites and directives (data/<name>).
struct Keys {
    std::string priv, pub;
};
Keys make_key(const TempDir& tmp, const std::string& db, const std::string& name = "signing") {
    Keys k{tmp.file(name + ".pem"), tmp.file(name + ".pub.pem")};
    ok(run_keepout(db, {"key", "create", "--out", k.priv, "--public-out", k.pub}));
    return k;
}

json publish(const std::string& db, const Keys& k, const std::string& out, const std::string& as_of) {
    auto r = run_keepout(db, {"publish", "--key", k.priv, "--out", out, "--as-of", as_of, "--format", "json"});
    ok(r);
    return r.json();
}

RunResult openssl_verify(const std::string& pub, const std::string& doc, const std::string& sig) {
    return run_program({"openssl", "pkeyutl", "-verify", "-pubin", "-inkey", pub, "-rawin", "-in", doc, "-sigfile", sig});
}

// The list as the list command prints it, by venue id.
std::map<std::int64_t, json> listed(const std::string& db, const std::string& as_of) {
    auto r = run_keepout(db, {"list", "--as-of", as_of, "--format", "json"});
    ok(r);
    const json list = r.json();
    std::map<std::int64_t, json> out;
    for (const json& v : list["venues"]) out[v["id"].get<std::int64_t>()] = v;
    return out;
}

std::vector<std::int64_t> ids(const json& a) { return a.get<std::vector<std::int64_t>>(); }

// SHA-256 in hex of some bytes, by openssl (the test does not link OpenSSL: an attacker needs no keepout).
std::string sha256(const TempDir& tmp, const std::string& bytes) {
    const std::string f = tmp.file("feed.bin");
    spit(f, bytes);
    auto r = run_program({"openssl", "dgst", "-sha256", "-r", f});
    REQUIRE(r.exit_code == 0);
    return r.out.substr(0, 64);
}

// What keepout hashes for one audit row (store/audit.cpp: each field as "length:bytes", NULL as "-").
std::string feed(const json& v) {
    if (v.is_null()) return "-";
    const std::string s = v.is_string() ? v.get<std::string>() : v.dump();
    return std::to_string(s.size()) + ":" + s;
}

// Rewrites audit row `seq` with `actor` and recomputes every hash from there on, and the head in
// meta, with sqlite3 alone: the chain then verifies by itself.
void rewrite_chain(const TempDir& tmp, const std::string& db, std::int64_t seq, const std::string& actor) {
    auto rows = run_program({"sqlite3", "-json", db,
                             "SELECT seq, at, actor, action, entity, entity_key, before, after, prev_hash, hash"
                             " FROM audit_log ORDER BY seq"});
    REQUIRE(rows.exit_code == 0);
    const json all = json::parse(rows.out);
    std::string sql = "DROP TRIGGER audit_log_no_update;\n";
    std::string prev;
    auto quote = [](const std::string& s) {
        std::string q = "'";
        for (char c : s) q += c == '\'' ? std::string("''") : std::string(1, c);
        return q + "'";
    };
    for (json row : all) {
        const std::int64_t n = row["seq"];
        if (n < seq) {
            prev = row["hash"];
            continue;
        }
        if (n == seq) row["actor"] = actor;
        const std::string bytes = feed(json(prev)) + feed(json(std::to_string(n))) + feed(row["at"]) +
                                  feed(row["actor"]) + feed(row["action"]) + feed(row["entity"]) +
                                  feed(row["entity_key"]) + feed(row["before"]) + feed(row["after"]);
        const std::string hash = sha256(tmp, bytes);
        sql += "UPDATE audit_log SET actor = " + quote(row["actor"]) + ", prev_hash = " + quote(prev) +
               ", hash = " + quote(hash) + " WHERE seq = " + std::to_string(n) + ";\n";
        prev = hash;
    }
    sql += "UPDATE meta SET value = " + quote(prev) + " WHERE key = 'audit_head';\n";
    sql += "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log"
           " BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;\n";
    const std::string script = tmp.file("rewrite.sql");
    spit(script, sql);
    auto r = run_program({"sqlite3", db, ".read " + script});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
}

// The file with the first occurrence of `from` replaced by `to` (the same length: one byte).
std::string with_byte_changed(const std::string& bytes, const std::string& from, const std::string& to) {
    const auto at = bytes.find(from);
    REQUIRE(at != std::string::npos);
    std::string changed = bytes;
    changed.replace(at, from.size(), to);
    return changed;
}

}  // namespace

TEST_CASE("the Kosovo sample publishes a signed list that keepout and openssl both verify", "[publish]") {
    TempDir tmp;
    const auto db = tmp.file("k.sqlite");
    load_mission(db, sample_dir("kosovo"));
    const Keys k = make_key(tmp, db);

    // The private key is the user's alone: mode 0600, and not in the database in any form.
    struct stat st {};
    REQUIRE(::stat(k.priv.c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0600);
    const std::string priv = slurp(k.priv);
    REQUIRE(priv.rfind("-----BEGIN PRIVATE KEY-----", 0) == 0);
    const std::string body = priv.substr(28, priv.find("-----END") - 29);
    std::string stored;
    for (const char* suffix : {"", "-wal"}) stored += slurp(db + suffix);
    CHECK(stored.find(body) == std::string::npos);
    CHECK(stored.find(slurp(k.pub).substr(27, 40)) != std::string::npos);  // the public key is stored
    // And never overwritten.
    CHECK(run_keepout(db, {"key", "create", "--out", k.priv, "--public-out", tmp.file("other.pub")}).exit_code == 73);
    CHECK(slurp(k.priv) == priv);

    const std::string out = tmp.file("out");
    const json summary = publish(db, k, out, "2026-06-01");
    CHECK(summary["number"] == 1);
    const std::string doc = out + "/publication-1.json", sig = doc + ".sig";
    const std::string bytes = slurp(doc);
    CHECK(slurp(sig).size() == 64);

    // Canonical: what the JSON writer makes of it again, byte for byte (sorted keys, no spaces).
    const json j = json::parse(bytes);
    CHECK(j.dump() == bytes);
    CHECK(bytes.back() == '}');
    CHECK(j["format"] == "keepout-publication/1");
    CHECK(j["number"] == 1);
    CHECK(j["as_of"] == "2026-06-01");
    CHECK(j["time_zone"] == "Europe/Belgrade");
    CHECK(j["mission"]["name"] == "UNMIK");
    CHECK(j["mission"]["languages"] == json::array({"sq", "sr-Latn", "sr-Cyrl", "en"}));
    CHECK(j["changes"]["since"].is_null());
    CHECK(j["audit"]["head"].get<std::string>().size() == 64);
    CHECK(j["key_fingerprint"] == summary["key_fingerprint"]);

    // Every venue of the list as of that date, with its position and MGRS.
    const auto list = listed(db, "2026-06-01");
    REQUIRE(j["venues"].size() == list.size());
    CHECK(j["venue_count"] == list.size());
    CHECK(ids(j["changes"]["added"]).size() == list.size());
    for (const json& v : j["venues"]) {
        const json& l = list.at(v["id"].get<std::int64_t>());
        CAPTURE(v["name"]);
        CHECK(v["name"] == l["name"]);
        CHECK(v["directive"] == l["directive"]);
        CHECK(v["listed_since"] == l["listed_since"]);
        CHECK(v["reasons"] == l["reasons"]);
        CHECK(v["mgrs"].get<std::string>().rfind("34T", 0) == 0);
        CHECK(v["position"]["lat"].get<double>() > 41.8);
        CHECK(v["position"]["lat"].get<double>() < 43.3);
    }
    // The directives in force on that day: three issued, the draft not.
    std::set<std::string> refs;
    for (const json& d : j["directives_in_force"]) refs.insert(d["ref"]);
    CHECK(refs == std::set<std::string>{"HOM/OL/2026/001", "HOM/OL/2026/002", "HOM/OL/2026/003"});

    // keepout verifies it with the stored key, with the public key file, and without any database.
    auto v = run_keepout(db, {"verify", doc});
    INFO(v.err);
    CHECK(v.exit_code == 0);
    CHECK(v.out.find("signature valid") != std::string::npos);
    CHECK(v.out.find("publication 1 of UNMIK") != std::string::npos);
    CHECK(run_keepout(tmp.file("none.sqlite"), {"verify", doc, "--key", k.pub, "--signature", sig}).exit_code == 0);
    // So does openssl, with nothing of keepout.
    auto o = openssl_verify(k.pub, doc, sig);
    INFO(o.out << o.err);
    CHECK(o.exit_code == 0);
    CHECK(o.out.find("Signature Verified Successfully") != std::string::npos);

    // One changed byte (a date in a venue's entry; still JSON) fails both.
    const std::string forged = tmp.file("forged.json");
    spit(forged, with_byte_changed(bytes, "\"listed_since\":\"2026-01-20\"", "\"listed_since\":\"2026-01-21\""));
    auto kf = run_keepout(db, {"verify", forged, "--signature", sig});
    CHECK(kf.exit_code == 3);
    CHECK(kf.err.find("signature INVALID") != std::string::npos);
    CHECK(openssl_verify(k.pub, forged, sig).exit_code != 0);
    // So does one changed byte of the signature, and another key.
    std::string bad_sig = slurp(sig);
    bad_sig[10] = char(bad_sig[10] ^ 1);
    spit(tmp.file("bad.sig"), bad_sig);
    CHECK(run_keepout(db, {"verify", doc, "--signature", tmp.file("bad.sig")}).exit_code == 3);
    CHECK(openssl_verify(k.pub, doc, tmp.file("bad.sig")).exit_code != 0);
    const Keys other = make_key(tmp, db, "other");
    CHECK(run_keepout(db, {"verify", doc, "--key", other.pub}).exit_code == 3);
    // A file that is not a publication, and a signature of the wrong size, are errors of their own.
    spit(tmp.file("junk.json"), "not json");
    CHECK(run_keepout(db, {"verify", tmp.file("junk.json"), "--signature", sig}).exit_code == 65);
    spit(tmp.file("short.sig"), "abc");
    CHECK(run_keepout(db, {"verify", doc, "--signature", tmp.file("short.sig")}).exit_code == 65);

    // The publication is in the audit log and cannot be changed or removed, even with sqlite3.
    auto alog = run_keepout(db, {"audit", "log", "--limit", "5", "--format", "json"});
    ok(alog);
    bool audited = false;
    for (const json& row : alog.json())
        if (row["action"] == "publication.create" && row["key"] == "1") audited = true;
    CHECK(audited);
    CHECK(run_program({"sqlite3", db, "UPDATE publications SET note = 'x' WHERE number = 1"}).exit_code != 0);
    CHECK(run_program({"sqlite3", db, "DELETE FROM publications"}).exit_code != 0);
    CHECK(run_program({"sqlite3", db, "INSERT INTO publications SELECT 5, created_at, as_of, time_zone, list_version,"
                                      " venue_count, note, document, sha256, signature, key_fingerprint, created_by"
                                      " FROM publications WHERE number = 1"})
              .exit_code != 0);
}

TEST_CASE("the Lebanon sample publishes its Arabic names as UTF-8 and verifies with openssl", "[publish]") {
    TempDir tmp;
    const auto db = tmp.file("l.sqlite");
    load_mission(db, sample_dir("lebanon"));
    const Keys k = make_key(tmp, db);
    const std::string out = tmp.file("out");
    publish(db, k, out, "2026-06-20");
    const std::string doc = out + "/publication-1.json";
    const std::string bytes = slurp(doc);
    const json j = json::parse(bytes);
    CHECK(j["mission"]["name"] == "UNIFIL");
    CHECK(j["time_zone"] == "Asia/Beirut");
    CHECK(j["mission"]["head_of_mission"] == "Head of Mission and Force Commander");
    CHECK(j["venues"].size() == listed(db, "2026-06-20").size());
    // Arabic as its own bytes, not \u escapes; and it is on the list in Arabic.
    CHECK(bytes.find("\\u") == std::string::npos);
    bool arabic = false;
    for (const json& v : j["venues"])
        if (v["name"].get<std::string>().find("\xd8") != std::string::npos) arabic = true;
    CHECK(arabic);
    for (const json& v : j["venues"]) CHECK(v["mgrs"].get<std::string>().rfind("36S", 0) == 0);
    CHECK(run_keepout(db, {"verify", doc}).exit_code == 0);
    CHECK(openssl_verify(k.pub, doc, doc + ".sig").exit_code == 0);
    // An Arabic letter changed by one byte (ح U+062D → خ U+062E) fails both.
    const auto at = bytes.find("\xd8\xad");
    REQUIRE(at != std::string::npos);
    std::string changed = bytes;
    changed[at + 1] = '\xae';
    spit(tmp.file("forged.json"), changed);
    CHECK(run_keepout(db, {"verify", tmp.file("forged.json"), "--signature", doc + ".sig"}).exit_code == 3);
    CHECK(openssl_verify(k.pub, tmp.file("forged.json"), doc + ".sig").exit_code != 0);
}

TEST_CASE("a second publication lists what was added, lifted and changed since the first", "[publish]") {
    TempDir tmp;
    const auto db = tmp.file("k.sqlite");
    load_mission(db, sample_dir("kosovo"));
    const Keys k = make_key(tmp, db);
    const std::string out = tmp.file("out");
    publish(db, k, out, "2026-03-04");
    const json s2 = publish(db, k, out, "2026-03-05");  // amendment 1: places and lifts
    CHECK(s2["number"] == 2);
    const json j = json::parse(slurp(out + "/publication-2.json"));
    CHECK(j["changes"]["since"] == 1);

    const auto before = listed(db, "2026-03-04"), after = listed(db, "2026-03-05");
    std::vector<std::int64_t> added, lifted, changed;
    for (auto& [id, v] : after)
        if (!before.count(id))
            added.push_back(id);
        else if (before.at(id) != v)
            changed.push_back(id);
    for (auto& [id, v] : before)
        if (!after.count(id)) lifted.push_back(id);
    REQUIRE_FALSE(added.empty());
    REQUIRE_FALSE(lifted.empty());
    CHECK(ids(j["changes"]["added"]) == added);
    CHECK(ids(j["changes"]["lifted"]) == lifted);
    CHECK(ids(j["changes"]["changed"]) == changed);
    CHECK(s2["changes"] == j["changes"]);

    // A third with nothing new says so.
    publish(db, k, out, "2026-03-05");
    const json j3 = json::parse(slurp(out + "/publication-3.json"));
    CHECK(j3["changes"]["added"].empty());
    CHECK(j3["changes"]["lifted"].empty());
    CHECK(j3["changes"]["changed"].empty());
    // The next number's file is not overwritten by a publication of another database.
    const auto other = tmp.file("o.sqlite");
    load_mission(other, sample_dir("kosovo"));
    const Keys ko = make_key(tmp, other, "o");
    CHECK(run_keepout(other, {"publish", "--key", ko.priv, "--out", out}).exit_code != 0);
    // A key the database does not hold publishes nothing.
    const std::string loose = tmp.file("loose.pem");
    ok(run_program({"openssl", "genpkey", "-algorithm", "ed25519", "-out", loose}));
    auto r = run_keepout(db, {"publish", "--key", loose, "--out", tmp.file("out2")});
    CHECK(r.exit_code != 0);
    CHECK(r.err.find("not a publication key") != std::string::npos);
    CHECK_FALSE(fs::exists(tmp.file("out2") + "/publication-4.json"));
    // Nor does a database without a mission profile.
    const auto bare = tmp.file("b.sqlite");
    load_sample(bare);
    const Keys kb = make_key(tmp, bare, "b");
    CHECK(run_keepout(bare, {"publish", "--key", kb.priv, "--out", tmp.file("out3")}).exit_code != 0);
}

TEST_CASE("audit verify --against catches a chain rewritten after the publication", "[publish][audit]") {
    TempDir tmp;
    const auto db = tmp.file("k.sqlite");
    load_mission(db, sample_dir("kosovo"));
    const Keys k = make_key(tmp, db);
    const std::string out = tmp.file("out");
    publish(db, k, out, "2026-06-01");
    const std::string doc = out + "/publication-1.json";

    auto good = run_keepout(db, {"audit", "verify", "--against", doc});
    INFO(good.out << good.err);
    CHECK(good.exit_code == 0);
    CHECK(good.out.find("it holds publication 1") != std::string::npos);
    // Later work does not change that.
    ok(run_keepout(db, {"directive", "create", "HOM/OL/2026/099", "--title", "Later", "--signed", "2026-07-01",
                        "--effective", "2026-07-02"}));
    CHECK(run_keepout(db, {"audit", "verify", "--against", doc}).exit_code == 0);

    // A copy of the publication changed by one byte is not what the chain recorded.
    const std::string forged = tmp.file("forged.json");
    spit(forged, with_byte_changed(slurp(doc), "\"listed_since\":\"2026-01-20\"", "\"listed_since\":\"2026-01-21\""));
    CHECK(run_keepout(db, {"audit", "verify", "--against", forged}).exit_code == 3);

    SECTION("an early row rewritten and every hash after it recomputed") {
        rewrite_chain(tmp, db, 3, "mallory");
        // The chain verifies by itself: the rewrite is complete.
        auto plain = run_keepout(db, {"audit", "verify"});
        INFO(plain.err);
        CHECK(plain.exit_code == 0);
        // The publication recorded the head as it was, and the chain no longer holds it.
        auto r = run_keepout(db, {"audit", "verify", "--against", doc});
        CHECK(r.exit_code == 3);
        CHECK(r.err.find("rewritten after the publication") != std::string::npos);
    }
    SECTION("a row altered without recomputing anything") {
        ok(run_program({"sqlite3", db,
                        "DROP TRIGGER audit_log_no_update; UPDATE audit_log SET actor = 'mallory' WHERE seq = 2;"}));
        CHECK(run_keepout(db, {"audit", "verify"}).exit_code == 3);
        CHECK(run_keepout(db, {"audit", "verify", "--against", doc}).exit_code == 3);
    }
}

TEST_CASE("a publication fetched from the server verifies with openssl and the key the server hands out",
          "[publish][server]") {
    TempDir tmp;
    const auto db = tmp.file("l.sqlite");
    load_mission(db, sample_dir("lebanon"));
    const Keys k = make_key(tmp, db);
    const std::string out = tmp.file("out");
    publish(db, k, out, "2026-06-20");
    ServerProcess server(db);
    const auto list = get(server.url("/api/v1/publications"));
    REQUIRE(list.status == 200);
    CHECK(list.json()["latest"] == 1);
    const auto doc = get(server.url("/api/v1/publications/1"));
    const auto sig = get(server.url("/api/v1/publications/1.sig"));
    const auto key = get(server.url("/api/v1/publication-key.pem"));
    REQUIRE(doc.status == 200);
    REQUIRE(sig.status == 200);
    REQUIRE(key.status == 200);
    CHECK(doc.body == slurp(out + "/publication-1.json"));  // the bytes as signed, Arabic and all
    CHECK(key.body == slurp(k.pub));
    spit(tmp.file("fetched.json"), doc.body);
    spit(tmp.file("fetched.sig"), sig.body);
    spit(tmp.file("fetched.pem"), key.body);
    CHECK(openssl_verify(tmp.file("fetched.pem"), tmp.file("fetched.json"), tmp.file("fetched.sig")).exit_code == 0);
    CHECK(get(server.url("/api/v1/publications/2")).status == 404);
}

namespace {

std::string without_spaces(const std::string& s) {
    std::string out;
    for (char c : s)
        if (!std::isspace(static_cast<unsigned char>(c))) out.push_back(c);
    return out;
}

// The first `n` characters of a UTF-8 text (whole code points).
std::string first_chars(const std::string& s, std::size_t n) {
    std::size_t i = 0;
    for (std::size_t count = 0; i < s.size() && count < n; ++count) {
        ++i;
        while (i < s.size() && (static_cast<unsigned char>(s[i]) & 0xC0) == 0x80) ++i;
    }
    return s.substr(0, i);
}

}  // namespace

TEST_CASE("the list and the pocket card are printed in each language, every venue on the list, the QR to the check page",
          "[publish][documents]") {
    for (const std::string sample : {"kosovo", "lebanon"}) {
        CAPTURE(sample);
        TempDir tmp;
        const auto db = tmp.file("m.sqlite");
        load_mission(db, sample_dir(sample));
        const Keys k = make_key(tmp, db);
        const std::string out = tmp.file("out");
        const std::string check = "https://keepout.mission.example/check";
        auto r = run_keepout(db, {"publish", "--key", k.priv, "--out", out, "--as-of", "2026-06-20", "--check-url",
                                  check, "--format", "json"});
        ok(r);
        const json doc = json::parse(slurp(out + "/publication-1.json"));
        const std::vector<std::string> langs = doc["mission"]["languages"];
        CHECK(r.json()["files"].size() == 2 + 2 * langs.size());
        for (const std::string& lang : langs) {
            CAPTURE(lang);
            const std::string list_pdf = out + "/publication-1." + lang + ".pdf";
            const std::string card_pdf = out + "/card-1." + lang + ".pdf";
            REQUIRE(fs::exists(list_pdf));
            REQUIRE(fs::exists(card_pdf));
            // The list's text holds every listed venue: its MGRS, and its name where the name is in
            // a script pdftotext gives back in reading order (Arabic comes back shaped).
            auto text = run_program({"pdftotext", "-enc", "UTF-8", list_pdf, "-"});
            REQUIRE(text.exit_code == 0);
            const std::string flat = without_spaces(text.out);
            CHECK(flat.find(without_spaces(doc["mission"]["head_of_mission"].get<std::string>())) != std::string::npos);
            for (const json& v : doc["venues"]) {
                CAPTURE(v["name"]);
                CHECK(flat.find(v["mgrs"].get<std::string>().substr(0, 10)) != std::string::npos);
                const std::string name = v["name"];
                if (name.find("\xd8") == std::string::npos && name.find("\xd9") == std::string::npos)
                    CHECK(flat.find(without_spaces(first_chars(name, 12))) != std::string::npos);
            }
            // The card: credit-card size, two sides, its QR code read back to the check page.
            auto info = run_program({"pdfinfo", card_pdf});
            CHECK(without_spaces(info.out).find("Pages:2") != std::string::npos);
            CHECK(info.out.find("242.646 x 153.071 pts") != std::string::npos);  // 85.6 × 54 mm
            ok(run_program({"pdftoppm", "-r", "200", "-png", "-f", "2", "-l", "2", card_pdf, tmp.file("back")}));
            std::string png;
            for (const auto& f : fs::directory_iterator(tmp.path()))
                if (f.path().filename().string().rfind("back", 0) == 0) png = f.path().string();
            REQUIRE_FALSE(png.empty());
            auto qr = run_program({"zbarimg", "-q", "--raw", png});
            INFO(qr.err);
            CHECK(qr.exit_code == 0);
            CHECK(qr.out == check + "?publication=1\n");
            fs::remove(png);
        }
    }
}

namespace {

std::string make_token(const std::string& db, const std::string& role, const std::string& name) {
    auto r = run_keepout(db, {"token", "create", "--role", role, "--name", name});
    ok(r);
    std::smatch m;
    REQUIRE(std::regex_search(r.out, m, std::regex("ko_\\S+")));
    return m[0];
}

}  // namespace

TEST_CASE("an approver publishes over HTTP with the server's key and the command line's checks hold",
          "[publish][server]") {
    TempDir tmp;
    const auto db = tmp.file("k.sqlite");
    load_mission(db, sample_dir("kosovo"));
    const Keys k = make_key(tmp, db);
    const std::string approver = make_token(db, "approver", "Chief of Staff");
    const std::string editor = make_token(db, "editor", "Editor");
    const std::string bearer = "Authorization: Bearer ";

    SECTION("without a key the route says how to configure one, and nothing is published") {
        ServerProcess server(db);
        const auto r = curl("POST", server.url("/api/v1/publications"), {bearer + approver}, "{}");
        CHECK(r.status == 503);
        CHECK(r.json()["error"]["code"] == "no-publication-key");
        CHECK(r.json()["error"]["message"].get<std::string>().find("--publication-key FILE") != std::string::npos);
        CHECK(get(server.url("/api/v1/publications")).json()["latest"].is_null());
    }

    SECTION("with a key: 201, the document verifies with openssl, the PDFs are served per language") {
        ServerProcess server(db, {"--publication-key", k.priv, "--check-url", "https://offlimits.example.org/"});
        // Who may publish, and bad bodies: refused before anything is made.
        CHECK(curl("POST", server.url("/api/v1/publications"), {}, "{}").status == 401);
        CHECK(curl("POST", server.url("/api/v1/publications"), {bearer + editor}, "{}").status == 403);
        CHECK(curl("POST", server.url("/api/v1/publications"), {bearer + approver}, R"({"as_of":"2026-02-30"})").status == 400);
        CHECK(curl("POST", server.url("/api/v1/publications"), {bearer + approver}, R"({"languages":["de"]})").status == 400);
        CHECK(curl("POST", server.url("/api/v1/publications"), {bearer + approver}, R"({"colour":"red"})").status == 400);
        CHECK(get(server.url("/api/v1/publications")).json()["latest"].is_null());

        const auto first = curl("POST", server.url("/api/v1/publications"), {bearer + approver},
                                R"({"as_of":"2026-02-01","note":"Initial"})");
        INFO(first.body);
        REQUIRE(first.status == 201);
        CHECK(first.json()["number"] == 1);
        CHECK(first.json()["as_of"] == "2026-02-01");
        CHECK(first.header("Location") == "/api/v1/publications/1");
        const auto second = curl("POST", server.url("/api/v1/publications"), {bearer + approver}, R"({"as_of":"2026-06-01"})");
        REQUIRE(second.status == 201);
        const json s = second.json();
        CHECK(s["number"] == 2);
        CHECK(s["changes"]["since"] == 1);
        CHECK(!s["changes"]["added"].empty());  // directives 002 and 003 took effect in between

        const auto doc = get(server.url("/api/v1/publications/2"));
        const auto sig = get(server.url("/api/v1/publications/2.sig"));
        spit(tmp.file("2.json"), doc.body);
        spit(tmp.file("2.sig"), sig.body);
        CHECK(openssl_verify(k.pub, tmp.file("2.json"), tmp.file("2.sig")).exit_code == 0);
        CHECK(json::parse(doc.body)["published_by"].get<std::string>().find("Chief of Staff") != std::string::npos);
        // The audit chain still holds what was published over HTTP.
        CHECK(run_keepout(db, {"audit", "verify", "--against", tmp.file("2.json")}).exit_code == 0);

        for (const std::string lang : {"sq", "sr-Cyrl", "en"}) {
            const auto list = get(server.url("/api/v1/publications/2.pdf?lang=" + lang));
            INFO(lang);
            CHECK(list.status == 200);
            CHECK(list.header("Content-Type") == "application/pdf");
            CHECK(list.body.rfind("%PDF-", 0) == 0);
        }
        const auto card = get(server.url("/api/v1/publications/2/card.pdf?lang=en"));
        CHECK(card.status == 200);
        spit(tmp.file("card.pdf"), card.body);
        auto text = run_program({"pdftotext", "-enc", "UTF-8", tmp.file("card.pdf"), "-"});
        CHECK(text.exit_code == 0);
        CHECK(get(server.url("/api/v1/publications/2.pdf?lang=de")).status == 400);
        CHECK(get(server.url("/api/v1/publications/3.pdf")).status == 404);
    }

    SECTION("a key file that is not a key stops the server at the start") {
        spit(tmp.file("not-a-key.pem"), "hello");
        auto r = run_keepout(db, {"serve", "--listen", "127.0.0.1:0", "--publication-key", tmp.file("not-a-key.pem")});
        CHECK(r.exit_code != 0);
        CHECK(r.err.find("--publication-key") != std::string::npos);
    }
}
