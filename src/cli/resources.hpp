#pragma once
// Where keepout finds the files it ships with (the web page, the map styles, the sample data):
// share/keepout under its own installation prefix, found from /proc/self/exe, so that it works from
// any working directory; the source tree only when the program is the one in the build tree.
#include <filesystem>
#include <string>

namespace keepout::cli {

struct Resources {
    std::filesystem::path web;     // index.html, static/, node_modules/leaflet/dist/
    std::filesystem::path styles;  // *.json map styles
    std::filesystem::path data;    // sample data, e.g. data/kosovo/
    std::filesystem::path lexicons;  // <language>.json: name-matching words and transliteration
    std::filesystem::path documents;  // <language>.json: the fixed texts of the printed documents
};

const Resources& resources();

// The web root and the style file that serve and render use when none is given.
std::string default_web_root();
std::string default_style();

// Installs the lexicons of the mission in database `db` (its languages plus English; every
// lexicon when the database has no profile yet or cannot be read here), before a command runs.
void install_mission_lexicons(const std::string& db);

// Installs the fixed texts of the printed documents (render/publication_documents.hpp) from every
// documents/<language>.json, before a command renders one; a language without a file is printed
// in English. Throws UsageError naming the file that cannot be read.
void install_document_texts();

}  // namespace keepout::cli
