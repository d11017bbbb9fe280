#include "render/publication_documents.hpp"

#include <qrencode.h>

#include <algorithm>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "analysis/snapshot.hpp"
#include "render/composer.hpp"
#include "render/draw.hpp"
#include "render/furniture.hpp"
#include "render/layout.hpp"
#include "render/map.hpp"
#include "render/palette.hpp"
#include "render/render.hpp"
#include "render/table.hpp"

namespace keepout::render {

using nlohmann::json;

namespace {

const std::string kFont = "Noto Sans";

// The fixed texts of the documents in one language.
struct Texts {
    std::string title, publication, mission, head_of_mission, as_of, published, list_version, directives, none,
        notice, name, address, municipality, since, reasons, venues_listed, card_title, card_message, card_check,
        card_scan, continued;
};

const std::map<std::string, Texts, std::less<>>& texts() {
    static const std::map<std::string, Texts, std::less<>> t{
        {"en",
         {"OFF-LIMITS LIST", "Publication", "Mission", "Head of Mission", "List as of", "Published", "List version",
          "Directives in force", "none", "Every place on this list is off-limits to all members of the mission by "
          "directive of the Head of Mission.",
          "Name", "Address", "Municipality", "Since", "Reasons", "places listed", "OFF-LIMITS",
          "Every listed place is off-limits to all members of the mission, at all times, on and off duty.",
          "To check a place: scan the code or open the check page, then search by name or by position. A copy of "
          "the list verifies with the mission's public key.",
          "Check page", "continued"}},
        {"fr",
         {"LISTE DES LIEUX INTERDITS", "Publication", "Mission", "Chef de mission", "Liste au", "Publiée le",
          "Version de la liste", "Directives en vigueur", "aucune",
          "Tout lieu inscrit sur cette liste est interdit à tous les membres de la mission par directive du chef de "
          "mission.",
          "Nom", "Adresse", "Commune", "Depuis", "Motifs", "lieux inscrits", "LIEUX INTERDITS",
          "Tout lieu de la liste est interdit à tous les membres de la mission, en tout temps, en service ou non.",
          "Pour vérifier un lieu : scannez le code ou ouvrez la page de vérification, puis cherchez par nom ou par "
          "position. Une copie de la liste se vérifie avec la clé publique de la mission.",
          "Page de vérification", "suite"}},
        {"ar",
         {"قائمة الأماكن المحظورة", "النشرة", "البعثة", "رئيس البعثة", "القائمة بتاريخ", "تاريخ النشر",
          "إصدار القائمة", "التوجيهات السارية", "لا يوجد",
          "جميع الأماكن المدرجة في هذه القائمة محظورة على جميع أفراد البعثة بموجب توجيه من رئيس البعثة.", "الاسم",
          "العنوان", "البلدية", "منذ", "الأسباب", "أماكن مدرجة", "أماكن محظورة",
          "جميع الأماكن المدرجة محظورة على جميع أفراد البعثة في كل الأوقات، أثناء الخدمة وخارجها.",
          "للتحقق من مكان: امسح الرمز أو افتح صفحة التحقق، ثم ابحث بالاسم أو بالموقع. تُتحقق نسخة القائمة "
          "بالمفتاح العام للبعثة.",
          "صفحة التحقق", "تابع"}},
        {"sq",
         {"LISTA E VENDEVE TË NDALUARA", "Publikimi", "Misioni", "Shefi i Misionit", "Lista më", "Publikuar më",
          "Versioni i listës", "Direktivat në fuqi", "asnjë",
          "Çdo vend në këtë listë është i ndaluar për të gjithë anëtarët e misionit me direktivë të Shefit të "
          "Misionit.",
          "Emri", "Adresa", "Komuna", "Që nga", "Arsyet", "vende në listë", "E NDALUAR",
          "Çdo vend në listë është i ndaluar për të gjithë anëtarët e misionit, në çdo kohë, në detyrë e jashtë saj.",
          "Për të kontrolluar një vend: skanoni kodin ose hapni faqen e kontrollit dhe kërkoni me emër ose "
          "vendndodhje. Një kopje e listës verifikohet me çelësin publik të misionit.",
          "Faqja e kontrollit", "vazhdim"}},
        {"sr-Latn",
         {"SPISAK ZABRANJENIH MESTA", "Objava", "Misija", "Šef misije", "Spisak na dan", "Objavljeno",
          "Verzija spiska", "Direktive na snazi", "nema",
          "Svako mesto sa ovog spiska zabranjeno je svim pripadnicima misije direktivom šefa misije.", "Naziv",
          "Adresa", "Opština", "Od", "Razlozi", "mesta na spisku", "ZABRANJENO",
          "Svako mesto sa spiska zabranjeno je svim pripadnicima misije, u svako doba, na dužnosti i van nje.",
          "Da proverite mesto: skenirajte kod ili otvorite stranicu za proveru i tražite po nazivu ili položaju. "
          "Kopija spiska proverava se javnim ključem misije.",
          "Stranica za proveru", "nastavak"}},
        {"sr-Cyrl",
         {"СПИСАК ЗАБРАЊЕНИХ МЕСТА", "Објава", "Мисија", "Шеф мисије", "Списак на дан", "Објављено",
          "Верзија списка", "Директиве на снази", "нема",
          "Свако место са овог списка забрањено је свим припадницима мисије директивом шефа мисије.", "Назив",
          "Адреса", "Општина", "Од", "Разлози", "места на списку", "ЗАБРАЊЕНО",
          "Свако место са списка забрањено је свим припадницима мисије, у свако доба, на дужности и ван ње.",
          "Да проверите место: скенирајте код или отворите страницу за проверу и тражите по називу или положају. "
          "Копија списка проверава се јавним кључем мисије.",
          "Страница за проверу", "наставак"}},
    };
    return t;
}

const Texts& texts_for(std::string_view lang) {
    auto it = texts().find(lang);
    return it != texts().end() ? it->second : texts().at("en");
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

std::string footer_for(const json& pub) {
    return str(pub["mission"], "name") + " \xc2\xb7 publication " + std::to_string(pub["number"].get<long long>()) +
           " \xc2\xb7 " + str(pub, "as_of") + " \xc2\xb7 list version " +
           std::to_string(pub.value("list_version", 0LL)) + " \xc2\xb7 verify: keepout verify publication-" +
           std::to_string(pub["number"].get<long long>()) + ".json";
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

bool has_document_texts(std::string_view lang) { return texts().count(lang) > 0; }

std::string render_publication_list(std::string_view publication_json, const std::string& lang, const Style* map) {
    const json pub = parse_publication(publication_json);
    const Texts& T = texts_for(lang);
    const json& mission = pub["mission"];
    const long long number = pub["number"].get<long long>();
    const PageLayout L = layout_page(PageSize::A4, false);
    const PageDims page = L.page;
    const double k = furniture_scale(PageSize::A4);
    const double margin = 10 * kPtPerMm;
    const Rect column{margin, margin, page.w - 2 * margin, page.h - 2 * margin - 4 * kPtPerMm};

    TitleBlock tb;
    tb.title = T.title;
    tb.title_right = T.publication + " " + std::to_string(number);
    tb.title_right_color = palette::marking;
    tb.subtitle = str(mission, "full_name").empty() ? str(mission, "name") : str(mission, "full_name");
    std::string directives;
    for (const json& d : pub.value("directives_in_force", json::array()))
        directives += (directives.empty() ? "" : "; ") + str(d, "ref") + " (" + str(d, "effective") +
                      (d.value("emergency", false) ? ", emergency, review " + str(d, "review") : std::string()) + ")";
    tb.facts = {{T.mission, str(mission, "name")},
                {T.head_of_mission, str(mission, "head_of_mission")},
                {T.publication, std::to_string(number)},
                {T.as_of, str(pub, "as_of") + " (" + str(pub, "time_zone") + ")"},
                {T.published, str(pub, "created_at")},
                {T.list_version, std::to_string(pub.value("list_version", 0LL)) + " \xc2\xb7 " +
                                     std::to_string(pub["venues"].size()) + " " + T.venues_listed},
                {T.directives, directives.empty() ? T.none : directives}};
    tb.fact_columns = 1;
    tb.notice = T.notice;

    // The venues by municipality, then name; each municipality opens with a row of its own.
    std::vector<const json*> venues;
    for (const json& v : pub["venues"]) venues.push_back(&v);
    std::stable_sort(venues.begin(), venues.end(), [](const json* a, const json* b) {
        const std::string ma = str(*a, "municipality"), mb = str(*b, "municipality");
        return ma != mb ? ma < mb : str(*a, "name") < str(*b, "name");
    });
    Table t;
    t.columns = {{"#", 18, false, true}, {T.name, 150},  {T.address, 0, true},
                 {"MGRS", 82, false, false, false, true}, {T.since, 44}, {T.reasons, 80}};
    std::string group;
    int n = 0;
    for (const json* v : venues) {
        const std::string m = str(*v, "municipality");
        if (n == 0 || m != group) {
            group = m;
            t.rows.push_back({{"", m.empty() ? "-" : m, "", "", "", ""}, true});
        }
        std::string names = str(*v, "name");
        const std::string aliases = joined((*v)["aliases"], " / ");
        const std::string former = joined((*v)["former_names"], " / ");
        if (!aliases.empty()) names += " / " + aliases;
        if (!former.empty()) names += " (" + former + ")";
        t.rows.push_back({{std::to_string(++n), names, str(*v, "address"), mgrs_grouped(str(*v, "mgrs")),
                           str(*v, "listed_since"), joined((*v)["reasons"], ", ")}});
    }

    PageMarkings markings{kFont, "", palette::marking, footer_for(pub)};
    PageComposer composer(Format::pdf, 150, markings);
    Text& text = composer.text();
    ColumnFlow flow({column});
    flow.take(draw_title_block(nullptr, text, tb, {0, 0, column.w, 0}, kFont, k).height + 6);
    const Rect rest = flow.rest(0);
    const ContinuationSpec more{PageSize::A4, false, 1,
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
    const Texts& T = texts_for(lang);
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

}  // namespace keepout::render
