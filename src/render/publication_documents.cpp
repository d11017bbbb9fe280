#include "render/publication_documents.hpp"

#include <qrencode.h>

#include <algorithm>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>
#include <stdexcept>
#include <vector>

#include "analysis/snapshot.hpp"
#include "render/composer.hpp"
#include "render/draw.hpp"
#include "render/furniture.hpp"
#include "render/layout.hpp"
#include "render/map.hpp"
#include "render/palette.hpp"
#include "render/render.hpp"
#include "render/table.hpp"
#include "text/transliterate.hpp"

namespace keepout::render {

using nlohmann::json;

namespace {

const std::string kFont = "Noto Sans";

// The fixed texts of the documents in one language: share/keepout/documents/<language>.json
// (install_document_texts), each key missing from a file taken from English. The English here
// is used only when no English file was installed (a program run without its share folder).
struct Texts {
    bool rtl = false;  // "direction": "rtl"
    std::string title = "OFF-LIMITS LIST", publication = "Publication", mission = "Mission",
                head_of_mission = "Head of Mission", as_of = "List as of", published = "Published",
                list_version = "List version", directives = "Directives in force", none = "none",
                notice = "Every place on this list is off-limits to all members of the mission by directive of the "
                         "Head of Mission.",
                name = "Name", address = "Address", municipality = "Municipality", since = "Since",
                reasons = "Reasons", venues_listed = "places listed", card_title = "OFF-LIMITS",
                card_message = "Every listed place is off-limits to all members of the mission, at all times, on and "
                               "off duty.",
                card_check = "To check a place: scan the code or open the check page, then search by name or by "
                             "position. A copy of the list verifies with the mission's public key.",
                card_scan = "Check page", verify = "verify", continued = "continued", transliteration = "In Latin letters",
                review_overdue = "review overdue", reviews_overdue = "Reviews overdue", emergency = "emergency",
                review = "review", directive_title = "DIRECTIVE", directive = "Directive", subject = "Subject",
                authority = "Authority", signed_on = "Signed", effective = "Effective", status = "Status",
                from = "From", places = "Places declared off-limits", lifts = "Places no longer off-limits",
                directive_notice = "By this directive the Head of Mission declares the places below off-limits to "
                                   "all members of the mission, or lifts that declaration, from the dates shown.";
};

// Each key of a documents file and the text it sets.
const std::vector<std::pair<const char*, std::string Texts::*>>& text_keys() {
    static const std::vector<std::pair<const char*, std::string Texts::*>> keys{
        {"title", &Texts::title},
        {"publication", &Texts::publication},
        {"mission", &Texts::mission},
        {"head_of_mission", &Texts::head_of_mission},
        {"as_of", &Texts::as_of},
        {"published", &Texts::published},
        {"list_version", &Texts::list_version},
        {"directives", &Texts::directives},
        {"none", &Texts::none},
        {"notice", &Texts::notice},
        {"name", &Texts::name},
        {"address", &Texts::address},
        {"municipality", &Texts::municipality},
        {"since", &Texts::since},
        {"reasons", &Texts::reasons},
        {"venues_listed", &Texts::venues_listed},
        {"card_title", &Texts::card_title},
        {"card_message", &Texts::card_message},
        {"card_check", &Texts::card_check},
        {"card_scan", &Texts::card_scan},
        {"verify", &Texts::verify},
        {"continued", &Texts::continued},
        {"transliteration", &Texts::transliteration},
        {"review_overdue", &Texts::review_overdue},
        {"reviews_overdue", &Texts::reviews_overdue},
        {"emergency", &Texts::emergency},
        {"review", &Texts::review},
        {"directive_title", &Texts::directive_title},
        {"directive", &Texts::directive},
        {"subject", &Texts::subject},
        {"authority", &Texts::authority},
        {"signed", &Texts::signed_on},
        {"effective", &Texts::effective},
        {"status", &Texts::status},
        {"from", &Texts::from},
        {"places", &Texts::places},
        {"lifts", &Texts::lifts},
        {"directive_notice", &Texts::directive_notice}};
    return keys;
}

using TextTable = std::map<std::string, Texts, std::less<>>;

std::mutex& texts_mutex() {
    static std::mutex m;
    return m;
}
std::shared_ptr<const TextTable>& installed_texts() {
    static std::shared_ptr<const TextTable> t = std::make_shared<const TextTable>();
    return t;
}

std::shared_ptr<const TextTable> texts() {
    std::lock_guard lock(texts_mutex());
    return installed_texts();
}

// `over` with the keys of one file set; std::invalid_argument naming the language and key.
Texts read_texts(const std::string& lang, const std::string& document, Texts over) {
    const json j = json::parse(document, nullptr, false);
    if (!j.is_object()) throw std::invalid_argument("the document texts of " + lang + " are not a JSON object");
    for (auto it = j.begin(); it != j.end(); ++it) {
        const std::string& key = it.key();
        if (!it->is_string())
            throw std::invalid_argument("the document texts of " + lang + ": \"" + key + "\" is not text");
        if (key == "language" || key == "language_name") continue;
        if (key == "direction") {
            const std::string d = it->get<std::string>();
            if (d != "ltr" && d != "rtl")
                throw std::invalid_argument("the document texts of " + lang + ": \"direction\" is \"ltr\" or \"rtl\"");
            over.rtl = d == "rtl";
            continue;
        }
        const auto& keys = text_keys();
        const auto k = std::find_if(keys.begin(), keys.end(), [&](const auto& p) { return key == p.first; });
        if (k == keys.end()) throw std::invalid_argument("the document texts of " + lang + ": unknown key \"" + key + "\"");
        over.*(k->second) = it->get<std::string>();
    }
    return over;
}

const Texts& english_builtin() {
    static const Texts t;
    return t;
}

// The texts of `lang`, else English; the table is kept alive by the caller's copy of the pointer.
const Texts& texts_for(const TextTable& t, std::string_view lang) {
    auto it = t.find(lang);
    // A regional tag takes its language's texts ("fr-CA" → fr), else English.
    if (it == t.end() && lang.find('-') != std::string_view::npos) it = t.find(lang.substr(0, lang.find('-')));
    if (it == t.end()) it = t.find("en");
    return it != t.end() ? it->second : english_builtin();
}

json parse_publication(std::string_view document) {
    json j = json::parse(document, nullptr, false);
    if (!j.is_object() || !j.contains("number") || !j.contains("venues") || !j.contains("mission"))
        throw std::invalid_argument("not a keepout publication");
    return j;
}

std::string str(const json& j, const char* key) {
    auto it = j.find(key);
    return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::string joined(const json& a, const char* sep) {
    std::string out;
    if (a.is_array())
        for (const json& x : a)
            if (x.is_string()) out += (out.empty() ? "" : sep) + x.get<std::string>();
    return out;
}

// "34TDN1356323390" → "34T DN 13563 23390": read out digit group by digit group.
std::string mgrs_grouped(const std::string& m) {
    if (m.size() < 5) return m;
    const std::size_t digits = m.size() - 5;
    if (digits % 2) return m;
    return m.substr(0, 3) + " " + m.substr(3, 2) + " " + m.substr(5, digits / 2) + " " + m.substr(5 + digits / 2);
}

// The foot of every page of the list, in the document's language: which publication, and how to
// check a copy of it.
std::string footer_for(const json& pub, const Texts& T) {
    const std::string number = std::to_string(pub["number"].get<long long>());
    return str(pub["mission"], "name") + " \xc2\xb7 " + T.publication + " " + number + " \xc2\xb7 " + str(pub, "as_of") +
           " \xc2\xb7 " + T.list_version + " " + std::to_string(pub.value("list_version", 0LL)) + " \xc2\xb7 " +
           T.verify + ": keepout verify publication-" + number + ".json";
}

struct QrDeleter {
    void operator()(QRcode* q) const { QRcode_free(q); }
};

// Draws the QR code of `text` as black modules in a square of `size` points with its top left
// at (x, y), with the four-module quiet zone the standard asks for inside the square.
void draw_qr(cairo_t* cr, const std::string& text, double x, double y, double size) {
    std::unique_ptr<QRcode, QrDeleter> qr(QRcode_encodeString(text.c_str(), 0, QR_ECLEVEL_M, QR_MODE_8, 1));
    if (!qr) throw std::runtime_error("cannot encode the check page's URL as a QR code (too long?)");
    const int n = qr->width, quiet = 4;
    const double m = size / (n + 2 * quiet);
    cairo_save(cr);
    set_color(cr, palette::paper);
    cairo_rectangle(cr, x, y, size, size);
    cairo_fill(cr);
    cairo_set_antialias(cr, CAIRO_ANTIALIAS_NONE);
    set_color(cr, Color{0, 0, 0, 1});
    for (int r = 0; r < n; ++r)
        for (int c = 0; c < n; ++c)
            if (qr->data[r * n + c] & 1) cairo_rectangle(cr, x + (quiet + c) * m, y + (quiet + r) * m, m, m);
    cairo_fill(cr);
    cairo_restore(cr);
}

// Wrapped text of `width` points at (x, y); returns its height.
double paragraph(cairo_t* cr, Text& text, const FontSpec& font, const std::string& s, double x, double y, double width,
                 const Color& color) {
    auto l = text.layout(font, s, false, width);
    double w = 0, h = 0;
    Text::size(l.get(), w, h);
    if (cr) Text::draw(cr, l.get(), x, y, color);
    return h;
}

// The list's map page: the listed venues at their positions, numbered as in the table (`venues`
// in the table's order), over the mission's map (`style`: render::default_style of its profile).
void list_map_page(PageComposer& composer, const Style& style, const std::vector<const json*>& venues,
                   const std::string& heading, const std::string& sub, PageDims page, const Rect& column, double k) {
    std::vector<analysis::VenueView> views;
    VenueNumbers numbers;
    for (const json* v : venues) {
        analysis::VenueView view;
        view.venue.id = v->value("id", model::Id(0));
        view.venue.name = str(*v, "name");
        view.venue.address = str(*v, "address");
        view.venue.municipality = str(*v, "municipality");
        if (auto c = model::parse_category(str(*v, "category"))) view.venue.category = *c;
        const json p = v->value("position", json::object());
        const double lon = p.value("lon", 0.0), lat = p.value("lat", 0.0);
        view.shape.is_point = true;
        view.shape.point = {lon, lat};
        view.shape.box = {lon, lat, lon, lat};
        view.listed = true;
        view.directive_ref = str(*v, "directive");
        numbers[std::uint32_t(views.size())] = int(views.size() + 1);
        views.push_back(std::move(view));
    }
    const analysis::Snapshot snap(model::Date{}, 0, std::move(views), {}, {});
    Text& text = composer.text();
    cairo_t* cr = composer.begin_page(page);
    text.line(cr, {kFont, 11 * k, true, false}, heading, column.x, column.y, 0, 0, palette::ink);
    text.line(cr, {kFont, 7 * k, false, false}, sub, column.x, column.y + 16 * k, 0, 0, palette::grey);
    const double top = 28 * k;
    draw_map_region(cr, text, snap, style, {column.x, column.y + top, column.w, column.h - top}, numbers);
    composer.end_page(k);
}

}  // namespace

bool has_document_texts(std::string_view lang) { return texts()->count(lang) > 0; }

void install_document_texts(const std::vector<std::pair<std::string, std::string>>& files) {
    auto table = std::make_shared<TextTable>();
    // English first: every other language falls back on it key by key.
    Texts english;
    for (const auto& [lang, document] : files)
        if (lang == "en") english = read_texts(lang, document, Texts{});
    for (const auto& [lang, document] : files) (*table)[lang] = lang == "en" ? english : read_texts(lang, document, english);
    std::lock_guard lock(texts_mutex());
    installed_texts() = std::move(table);
}

namespace {

// The reviews a publication found overdue on its date (publish/publication.hpp reviews_due).
struct OverdueReviews {
    std::map<long long, std::string> venues;           // venue id → the date the review was due
    std::map<std::string, std::string> directives;     // emergency directive → its review date
    std::size_t count = 0;
};

OverdueReviews overdue_reviews(const json& pub) {
    OverdueReviews o;
    for (const json& i : pub.value("reviews_due", json::array())) {
        ++o.count;
        if (i.value("kind", "") == "directive-review")
            o.directives[str(i, "directive")] = str(i, "due");
        else if (i.contains("venue_id") && i["venue_id"].is_number_integer())
            o.venues[i["venue_id"].get<long long>()] = str(i, "due");
    }
    return o;
}

// "REF (effective[, emergency, review DATE[, review overdue]]); …"
std::string directives_line(const json& pub, const Texts& T, const OverdueReviews& overdue) {
    std::string line;
    for (const json& d : pub.value("directives_in_force", json::array())) {
        std::string extra;
        if (d.value("emergency", false)) {
            extra = ", " + T.emergency + ", " + T.review + " " + str(d, "review");
            if (overdue.directives.count(str(d, "ref"))) extra += ", " + T.review_overdue;
        }
        line += (line.empty() ? "" : "; ") + str(d, "ref") + " (" + str(d, "effective") + extra + ")";
    }
    return line;
}

// Every name of a venue on one line: the name, its aliases, its former names in brackets.
std::string all_names(const json& v) {
    std::string names = str(v, "name");
    const std::string aliases = joined(v["aliases"], " / ");
    const std::string former = joined(v["former_names"], " / ");
    if (!aliases.empty()) names += " / " + aliases;
    if (!former.empty()) names += " (" + former + ")";
    return names;
}

// Whether any of the venues has a name in a script other than Latin: then the table gives each
// name in Latin letters too, in a column of its own.
bool needs_transliteration(const std::vector<const json*>& venues) {
    return std::any_of(venues.begin(), venues.end(), [](const json* v) { return text::has_non_latin_letters(str(*v, "name")); });
}

// Whether the list needs the columns of a landscape page: names in Latin letters beside names in
// another script, or the dates of overdue reviews (a portrait page would squeeze the MGRS).
bool wide_list(const json& pub) {
    for (const json& v : pub["venues"])
        if (text::has_non_latin_letters(str(v, "name"))) return true;
    for (const json& i : pub.value("reviews_due", json::array()))
        if (i.value("kind", "") == "periodic-review") return true;
    return false;
}

// The consolidated list's table: #, names, [in Latin letters], address, MGRS, since, [review
// overdue], reasons; a row opens each municipality. Right to left in a right-to-left language.
Table list_table(const std::vector<const json*>& venues, const Texts& T, const OverdueReviews& overdue) {
    const bool latin = needs_transliteration(venues);
    const bool flagged = !overdue.venues.empty();
    Table t;
    t.right_to_left = T.rtl;
    t.columns = {{"#", 18, false, true}, {T.name, 150}};
    if (latin) t.columns.push_back({T.transliteration, 120});
    t.columns.push_back({T.address, 0, true});
    t.columns.push_back({"MGRS", 82, false, false, false, true});
    t.columns.push_back({T.since, 44});
    if (flagged) t.columns.push_back({T.review_overdue, 50});
    t.columns.push_back({T.reasons, 80});
    std::string group;
    int n = 0;
    for (const json* v : venues) {
        const std::string m = str(*v, "municipality");
        if (n == 0 || m != group) {
            group = m;
            std::vector<std::string> cells(t.columns.size());
            cells[1] = m.empty() ? "-" : m;
            t.rows.push_back({std::move(cells), true});
        }
        std::vector<std::string> cells{std::to_string(++n), all_names(*v)};
        if (latin) cells.push_back(text::has_non_latin_letters(str(*v, "name")) ? text::to_latin(str(*v, "name")) : "");
        cells.push_back(str(*v, "address"));
        cells.push_back(mgrs_grouped(str(*v, "mgrs")));
        cells.push_back(str(*v, "listed_since"));
        if (flagged) {
            const auto id = v->contains("id") && (*v)["id"].is_number_integer() ? (*v)["id"].get<long long>() : 0;
            const auto due = overdue.venues.find(id);
            cells.push_back(due == overdue.venues.end() ? "" : due->second);
        }
        cells.push_back(joined((*v)["reasons"], ", "));
        t.rows.push_back({std::move(cells)});
    }
    return t;
}

}  // namespace

std::string render_publication_list(std::string_view publication_json, const std::string& lang, const Style* map) {
    const json pub = parse_publication(publication_json);
    const auto table = texts();
    const Texts& T = texts_for(*table, lang);
    const json& mission = pub["mission"];
    const long long number = pub["number"].get<long long>();
    const bool landscape = wide_list(pub);
    const PageLayout L = layout_page(PageSize::A4, landscape);
    const PageDims page = L.page;
    const double k = furniture_scale(PageSize::A4);
    const double margin = 10 * kPtPerMm;
    const Rect column{margin, margin, page.w - 2 * margin, page.h - 2 * margin - 4 * kPtPerMm};

    TitleBlock tb;
    tb.title = T.title;
    tb.title_right = T.publication + " " + std::to_string(number);
    tb.title_right_color = palette::marking;
    tb.subtitle = str(mission, "full_name").empty() ? str(mission, "name") : str(mission, "full_name");
    const OverdueReviews overdue = overdue_reviews(pub);
    const std::string directives = directives_line(pub, T, overdue);
    tb.facts = {{T.mission, str(mission, "name")},
                {T.head_of_mission, str(mission, "head_of_mission")},
                {T.publication, std::to_string(number)},
                {T.as_of, str(pub, "as_of") + " (" + str(pub, "time_zone") + ")"},
                {T.published, str(pub, "created_at")},
                {T.list_version, std::to_string(pub.value("list_version", 0LL)) + " \xc2\xb7 " +
                                     std::to_string(pub["venues"].size()) + " " + T.venues_listed},
                {T.directives, directives.empty() ? T.none : directives}};
    if (overdue.count > 0) tb.facts.push_back({T.reviews_overdue, std::to_string(overdue.count)});
    tb.fact_columns = 1;
    tb.notice = T.notice;

    // The venues by municipality, then name; each municipality opens with a row of its own.
    std::vector<const json*> venues;
    for (const json& v : pub["venues"]) venues.push_back(&v);
    std::stable_sort(venues.begin(), venues.end(), [](const json* a, const json* b) {
        const std::string ma = str(*a, "municipality"), mb = str(*b, "municipality");
        return ma != mb ? ma < mb : str(*a, "name") < str(*b, "name");
    });
    const Table t = list_table(venues, T, overdue);
    PageMarkings markings{kFont, "", palette::marking, footer_for(pub, T)};
    PageComposer composer(Format::pdf, 150, markings);
    Text& text = composer.text();
    ColumnFlow flow({column});
    flow.take(draw_title_block(nullptr, text, tb, {0, 0, column.w, 0}, kFont, k).height + 6);
    const Rect rest = flow.rest(0);
    const ContinuationSpec more{PageSize::A4, landscape, 1,
                                T.title + " \xc2\xb7 " + T.publication + " " + std::to_string(number) + " (" +
                                    T.continued + ")",
                                str(mission, "name") + " \xc2\xb7 " + str(pub, "as_of"), kFont, k};
    const TableSplit split =
        split_table(t, rows_fitting(t, rest.h, k), continuation_rows_per_page(t, more));
    composer.set_total_pages(split.pages + (map ? 1 : 0));
    cairo_t* cr = composer.begin_page(page);
    draw_title_block(cr, text, tb, {column.x, column.y, column.w, 0}, kFont, k);
    if (split.first > 0) draw_table(cr, text, t, 0, std::min(split.first, t.rows.size()), rest, k, kFont, false);
    composer.end_page(k);
    if (split.first < t.rows.size()) composer.continue_table(t, split.first, more);
    if (map)
        list_map_page(composer, *map, venues, T.title + " \xc2\xb7 " + T.publication + " " + std::to_string(number),
                      std::to_string(venues.size()) + " " + T.venues_listed + " \xc2\xb7 " + str(pub, "as_of"), page,
                      column, k);
    auto files = composer.finish();
    return files.empty() ? std::string() : files.front();
}

std::string card_check_url(const std::string& check_url, long long number) {
    return check_url + (check_url.find('?') == std::string::npos ? "?" : "&") + "publication=" + std::to_string(number);
}

std::string render_pocket_card(std::string_view publication_json, const std::string& lang,
                               const std::string& check_url) {
    const json pub = parse_publication(publication_json);
    const auto table = texts();
    const Texts& T = texts_for(*table, lang);
    const json& mission = pub["mission"];
    const long long number = pub["number"].get<long long>();
    // ISO/IEC 7810 ID-1, landscape.
    const PageDims card{85.6 * kPtPerMm, 54 * kPtPerMm};
    const double pad = 4 * kPtPerMm, w = card.w - 2 * pad;
    const std::string url = card_check_url(check_url, number);
    const std::string line = T.publication + " " + std::to_string(number) + " \xc2\xb7 " + str(pub, "as_of") +
                             " \xc2\xb7 " + std::to_string(pub["venues"].size()) + " " + T.venues_listed;

    PageMarkings none{kFont, "", palette::marking, ""};
    PageComposer composer(Format::pdf, 300, none);
    Text& text = composer.text();
    composer.set_total_pages(2);

    // Front: the band with the mission, the key message, the publication.
    cairo_t* cr = composer.begin_page(card);
    const double band_h = 11 * kPtPerMm;
    set_color(cr, palette::un_blue);
    cairo_rectangle(cr, 0, 0, card.w, band_h);
    cairo_fill(cr);
    text.line(cr, {kFont, 11, true, false}, str(mission, "name"), pad, band_h / 2, 0, 0.5, palette::paper);
    text.line(cr, {kFont, 6, false, false}, str(mission, "head_of_mission"), card.w - pad, band_h / 2, 1, 0.5,
              palette::paper);
    double y = band_h + 2.5 * kPtPerMm;
    y += paragraph(cr, text, {kFont, 13, true, false}, T.card_title, pad, y, w, palette::marking) + 1.5;
    paragraph(cr, text, {kFont, 7.5, false, false}, T.card_message, pad, y, w, palette::ink);
    text.line(cr, {kFont, 6, false, false}, line, pad, card.h - pad, 0, 1, palette::grey);
    composer.end_page(0.6);

    // Back: how to check, the QR code to the check page, its URL and the publication number.
    cr = composer.begin_page(card);
    const double qr = 30 * kPtPerMm;
    const double qr_x = card.w - pad - qr + 2 * kPtPerMm, qr_y = pad - 2 * kPtPerMm;
    draw_qr(cr, url, qr_x, qr_y, qr);
    const double text_w = qr_x - pad - 1 * kPtPerMm;
    y = pad;
    y += paragraph(cr, text, {kFont, 8, true, false}, T.card_title, pad, y, text_w, palette::marking) + 1;
    paragraph(cr, text, {kFont, 6.2, false, false}, T.card_check, pad, y, text_w, palette::ink);
    const FontSpec small{kFont, 5.5, false, false};
    const std::string where = T.card_scan + ": " + url;
    const double where_h = paragraph(nullptr, text, small, where, 0, 0, w, palette::grey);
    paragraph(cr, text, small, where, pad, card.h - pad - 9 - where_h, w, palette::grey);
    text.line(cr, {kFont, 5.5, false, false}, line, pad, card.h - pad, 0, 1, palette::grey);
    composer.end_page(0.6);

    auto files = composer.finish();
    return files.empty() ? std::string() : files.front();
}

namespace {

// A directive document's table: its places, then its lifts, each group opening with a row of
// its own; #, names, [in Latin letters], address, municipality, MGRS, from, reasons.
Table directive_table(const json& doc, const Texts& T) {
    std::vector<const json*> all;
    for (const char* group : {"places", "lifts"})
        if (auto it = doc.find(group); it != doc.end() && it->is_array())
            for (const json& v : *it) all.push_back(&v);
    const bool latin = needs_transliteration(all);
    Table t;
    t.right_to_left = T.rtl;
    t.columns = {{"#", 18, false, true}, {T.name, 150}};
    if (latin) t.columns.push_back({T.transliteration, 100});
    t.columns.push_back({T.address, 0, true});
    t.columns.push_back({T.municipality, 70, false, false, true});
    t.columns.push_back({"MGRS", 82, false, false, false, true});
    t.columns.push_back({T.from, 44});
    t.columns.push_back({T.reasons, 70});
    int n = 0;
    const std::pair<const char*, const std::string*> groups[] = {{"places", &T.places}, {"lifts", &T.lifts}};
    for (const auto& [group, title] : groups) {
        const json list = doc.value(group, json::array());
        if (list.empty()) continue;
        std::vector<std::string> head(t.columns.size());
        head[1] = *title + " (" + std::to_string(list.size()) + ")";
        t.rows.push_back({std::move(head), true});
        for (const json& v : list) {
            std::vector<std::string> cells{std::to_string(++n), all_names(v)};
            if (latin) cells.push_back(text::has_non_latin_letters(str(v, "name")) ? text::to_latin(str(v, "name")) : "");
            cells.push_back(str(v, "address"));
            cells.push_back(str(v, "municipality"));
            cells.push_back(mgrs_grouped(str(v, "mgrs")));
            cells.push_back(str(v, "effective_from") + (str(v, "until").empty() ? "" : " \xe2\x80\x93 " + str(v, "until")));
            cells.push_back(joined(v["reasons"], ", "));
            t.rows.push_back({std::move(cells)});
        }
    }
    return t;
}

}  // namespace

std::string render_directive_document(std::string_view directive_json, const std::string& lang) {
    const json doc = json::parse(directive_json, nullptr, false);
    if (!doc.is_object() || !doc.contains("directive") || !doc.contains("mission") || !doc["directive"].is_object())
        throw std::invalid_argument("not a keepout directive document");
    const auto table = texts();
    const Texts& T = texts_for(*table, lang);
    const json& mission = doc["mission"];
    const json& d = doc["directive"];
    // Landscape: the municipality has a column of its own beside the address and the MGRS.
    const PageLayout L = layout_page(PageSize::A4, true);
    const PageDims page = L.page;
    const double k = furniture_scale(PageSize::A4);
    const double margin = 10 * kPtPerMm;
    const Rect column{margin, margin, page.w - 2 * margin, page.h - 2 * margin - 4 * kPtPerMm};

    const std::string ref = str(d, "ref"), status = str(d, "status");
    TitleBlock tb;
    tb.title = T.directive_title + " " + ref;
    // What is not in force is said where the eye falls first.
    tb.title_right = status == "issued" ? str(d, "effective") : status;
    tb.title_right_color = palette::marking;
    tb.subtitle = str(d, "title");
    tb.facts = {{T.mission, str(mission, "full_name").empty() ? str(mission, "name") : str(mission, "full_name")},
                {T.head_of_mission, str(mission, "head_of_mission")},
                {T.authority, str(d, "authority")},
                {T.signed_on, str(d, "signed")},
                {T.effective, str(d, "effective") + " (" + str(mission, "time_zone") + ")"},
                {T.status, status + (str(d, "ends").empty() ? "" : " " + str(d, "ends"))}};
    if (d.value("emergency", false)) tb.facts.push_back({T.emergency, T.review + " " + str(d, "review")});
    tb.facts.push_back({T.places, std::to_string(doc.value("places", json::array()).size())});
    tb.facts.push_back({T.lifts, std::to_string(doc.value("lifts", json::array()).size())});
    tb.fact_columns = 1;
    tb.notice = T.directive_notice;
    const Table t = directive_table(doc, T);

    const std::string footer = str(mission, "name") + " \xc2\xb7 " + T.directive + " " + ref + " \xc2\xb7 " + status +
                               " \xc2\xb7 " + str(doc, "created_at");
    PageMarkings markings{kFont, "", palette::marking, footer};
    PageComposer composer(Format::pdf, 150, markings);
    Text& text = composer.text();
    ColumnFlow flow({column});
    flow.take(draw_title_block(nullptr, text, tb, {0, 0, column.w, 0}, kFont, k).height + 6);
    const Rect rest = flow.rest(0);
    const ContinuationSpec more{PageSize::A4, true, 1, tb.title + " (" + T.continued + ")",
                                str(mission, "name") + " \xc2\xb7 " + str(d, "effective"), kFont, k};
    const TableSplit split = split_table(t, rows_fitting(t, rest.h, k), continuation_rows_per_page(t, more));
    composer.set_total_pages(split.pages);
    cairo_t* cr = composer.begin_page(page);
    draw_title_block(cr, text, tb, {column.x, column.y, column.w, 0}, kFont, k);
    if (split.first > 0) draw_table(cr, text, t, 0, std::min(split.first, t.rows.size()), rest, k, kFont, false);
    composer.end_page(k);
    if (split.first < t.rows.size()) composer.continue_table(t, split.first, more);
    auto files = composer.finish();
    return files.empty() ? std::string() : files.front();
}

}  // namespace keepout::render
