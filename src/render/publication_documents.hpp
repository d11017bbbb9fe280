#pragma once
// The official documents of a publication, rendered from its signed JSON (publish/publication.hpp)
// so that what is printed is what was signed: the consolidated list (A4, a title block with the
// mission, the Head of Mission's title, the number, the date and the directives in force, then
// every listed venue numbered and grouped by municipality, names in their own script) and the
// pocket card (85.6 × 54 mm, both sides: the key message, how to check, a QR code to the check
// page with the publication number). The fixed texts are in the document's language where
// keepout has them (en, fr, ar, sq, sr-Latn, sr-Cyrl), else in English. Text stays text; Pango
// shapes Arabic right to left. Bytes out (PDF); no Cairo or Pango type here.
#include <string>
#include <string_view>

namespace keepout::render {

// Whether the fixed texts exist in `lang` (otherwise the documents use English ones).
bool has_document_texts(std::string_view lang);

struct Style;  // render/style.hpp

// PDF of the consolidated list; with `map`, a last page maps the listed venues, numbered as in
// the table, drawn in that style (the mission's: render::default_style). Throws
// std::invalid_argument when the JSON is not a publication.
std::string render_publication_list(std::string_view publication_json, const std::string& lang,
                                    const Style* map = nullptr);

// The URL the card's QR code holds: `check_url` with publication=N added to its query.
std::string card_check_url(const std::string& check_url, long long number);

// PDF of the pocket card, front and back.
std::string render_pocket_card(std::string_view publication_json, const std::string& lang,
                               const std::string& check_url);

}  // namespace keepout::render
