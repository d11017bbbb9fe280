// The validator of http/params.hpp on a table of every kind: typed values, defaults, blanks,
// required parameters, and the programming errors a handler could make reading them.
#include "http/params.hpp"

#include "geo/coordinates.hpp"

#include <catch2/catch.hpp>
#include <stdexcept>

using namespace keepout::http;

namespace {

const ParamSchema kEvery{
    "/test",
    {{.name = "n", .kind = ParamKind::integer, .fallback = "5", .min = 1, .max = 10},
     {.name = "x", .kind = ParamKind::number, .min = 0, .max = 1, .above_min = true},
     {.name = "xs", .kind = ParamKind::number_list, .min = 0, .max = 100, .max_length = 3},
     {.name = "d", .kind = ParamKind::date, .code = "bad-date", .blank_is_absent = true},
     {.name = "when", .kind = ParamKind::date_or_instant, .code = "bad-datetime"},
     {.name = "f", .kind = ParamKind::choice, .fallback = "a", .choices = {"a", "b"}},
     {.name = "t", .kind = ParamKind::text, .max_length = 4},
     {.name = "at", .kind = ParamKind::position, .code = "bad-coordinate", .max_length = 8},
     {.name = "box", .kind = ParamKind::lonlat_box, .code = "bad-bbox"},
     {.name = "who", .kind = ParamKind::text, .what = "a name", .required = true, .blank_is_absent = true}}};

Request with(std::map<std::string, std::string> query) {
    Request r;
    r.method = "GET";
    r.path = "/test";
    query.emplace("who", "me");
    r.query = std::move(query);
    return r;
}

// The code of the HttpError that validating `query` throws, or "" when it passes.
std::string refusal(std::map<std::string, std::string> query, std::string* message = nullptr) {
    try {
        validate(with(std::move(query)), kEvery);
        return "";
    } catch (const HttpError& e) {
        CHECK(e.status == 400);
        if (message) *message = e.what();
        return e.code;
    } catch (const keepout::geo::CoordinateError&) {
        return "bad-coordinate";  // answered as every unreadable position is (http/errors.cpp)
    }
}

}  // namespace

TEST_CASE("the validator gives typed values and the defaults of the table", "[http][params]") {
    const Params p = validate(with({{"x", "0.25"}, {"xs", "1,2.5,100"}, {"d", "2026-06-01"}, {"when", "2026-06-01T10:00:00Z"},
                                    {"t", "abcd"}, {"at", "42.6,21"}, {"box", "20,41.5,21.5,43"}}),
                              kEvery);
    CHECK(p.integer("n") == 5);
    CHECK_FALSE(p.given("n"));
    CHECK(p.number("x") == 0.25);
    CHECK(p.given("x"));
    CHECK(p.numbers("xs") == std::vector<double>{1, 2.5, 100});
    CHECK(p.date("d")->iso() == "2026-06-01");
    CHECK(p.date("when")->iso() == "2026-06-01");
    CHECK(p.text("f") == "a");
    CHECK(p.text("t") == "abcd");
    CHECK(p.text("at") == "42.6,21");
    CHECK(p.box("box")->max_lat == 43);
    CHECK(p.text("who") == "me");

    const Params blank = validate(with({{"d", ""}}), kEvery);
    CHECK_FALSE(blank.date("d").has_value());  // blank_is_absent
    CHECK_FALSE(blank.given("d"));
    CHECK_FALSE(blank.number("x").has_value());
    CHECK(blank.numbers("xs").empty());
}

TEST_CASE("each kind refuses what does not fit, with the parameter's own code", "[http][params]") {
    CHECK(refusal({{"n", "12.0"}}) == "bad-parameter");
    CHECK(refusal({{"n", "11"}}) == "bad-parameter");
    CHECK(refusal({{"n", "0"}}) == "bad-parameter");
    CHECK(refusal({{"n", ""}}) == "bad-parameter");
    CHECK(refusal({{"n", "10"}}).empty());
    CHECK(refusal({{"x", "0"}}) == "bad-parameter");  // above_min: the minimum itself is refused
    CHECK(refusal({{"x", "1"}}).empty());
    CHECK(refusal({{"x", "1.0000001"}}) == "bad-parameter");
    CHECK(refusal({{"xs", "1,2,3,4"}}) == "bad-parameter");  // more than max_length numbers
    CHECK(refusal({{"xs", "1,,3"}}) == "bad-parameter");
    CHECK(refusal({{"xs", "1,101"}}) == "bad-parameter");
    CHECK(refusal({{"xs", ""}}) == "bad-parameter");
    CHECK(refusal({{"d", "2026-02-30"}}) == "bad-date");
    CHECK(refusal({{"when", "2026-06-01/2026-07-01"}}) == "bad-datetime");
    CHECK(refusal({{"when", "2026-06-01X"}}) == "bad-datetime");
    CHECK(refusal({{"when", ""}}) == "bad-datetime");  // not blank_is_absent
    CHECK(refusal({{"f", "A"}}) == "bad-parameter");
    CHECK(refusal({{"t", "abcde"}}) == "bad-parameter");
    CHECK(refusal({{"at", "123456789"}}) == "bad-coordinate");
    CHECK(refusal({{"box", "21,41,20,42"}}) == "bad-bbox");
    CHECK(refusal({{"box", "20, 41,21,42"}}) == "bad-bbox");

    std::string message;
    CHECK(refusal({{"n", "100.0"}}, &message) == "bad-parameter");
    CHECK(message.find("a whole number from 1 to 10") != std::string::npos);
    CHECK(refusal({{"f", "c"}}, &message) == "bad-parameter");
    CHECK(message.find("one of a, b") != std::string::npos);
}

TEST_CASE("an unknown parameter is refused naming those the route takes; a required one must be there",
          "[http][params]") {
    std::string message;
    CHECK(refusal({{"colour", "red"}}, &message) == "unknown-parameter");
    CHECK(message.find("\"colour\"") != std::string::npos);
    for (const auto& p : kEvery.params) CHECK(message.find(std::string(p.name)) != std::string::npos);

    Request none;
    none.path = "/test";
    try {
        validate(none, kEvery);
        FAIL("who is required");
    } catch (const HttpError& e) {
        CHECK(e.code == "bad-parameter");
        CHECK(std::string(e.what()) == "who is required: a name");
    }
    none.query["who"] = "";  // blank counts as absent
    CHECK_THROWS_AS(validate(none, kEvery), HttpError);

    const ParamSchema open{"/open", {}, true};
    Request any;
    any.query["v"] = "123";
    CHECK_NOTHROW(validate(any, open));
}

TEST_CASE("reading a parameter the table does not name, or as another kind, is a programming error", "[http][params]") {
    const Params p = validate(with({}), kEvery);
    CHECK_THROWS_AS(p.integer("m"), std::logic_error);
    CHECK_THROWS_AS(p.text("n"), std::logic_error);
    CHECK_THROWS_AS(p.number("n"), std::logic_error);
    CHECK_THROWS_AS(Params().integer("n"), std::logic_error);
}
