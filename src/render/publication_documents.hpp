#pragma once
// The official documents of a publication, rendered from its signed JSON (publish/publication.hpp)
// so that what is printed is what was signed: the consolidated list (A4, a title block with the
// mission, the Head of Mission's title, the number, the date and the directives in force, then
// every listed venue numbered and grouped by municipality, names in their own script) and the
// pocket card (85.6 × 54 mm, both sides: the key message, how to check, a QR code to the check
// page with the publication number), and the document of one directive (its places and lifts).
// Names in a script other than Latin are given in Latin letters too (ICU Any-Latin), in a column
// of their own; overdue reviews the publication recorded are flagged. The fixed texts are data,
// share/keepout/documents/<language>.json, handed in by the front end (render reads no file);
// a language without a file, and each key a file lacks, is in English. A right-to-left language
// ("direction": "rtl") runs the table's columns from the right. Text stays text; Pango shapes
// Arabic right to left. Bytes out (PDF); no Cairo or Pango type here.
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace keepout::render {

// Installs the fixed texts: (language tag, the JSON text of its documents file) for each file,
// {"language", "language_name", "direction": "ltr" | "rtl", "title", …: text}. Replaces what was
// installed; std::invalid_argument naming the language and key for a file not of that shape.
void install_document_texts(const std::vector<std::pair<std::string, std::string>>& files);

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

// PDF of a directive document (publish/publication.hpp directive_document): the directive's
// facts, then its places and its lifts. std::invalid_argument when the JSON is not one.
std::string render_directive_document(std::string_view directive_json, const std::string& lang);

}  // namespace keepout::render
