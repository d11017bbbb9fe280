#pragma once
// Where keepout finds the files it ships with (the web page, the map styles, the sample data):
// share/keepout under its own installation prefix, found from /proc/self/exe, so that it works from
// any working directory; the source tree only when the program is the one in the build tree.
#include <filesystem>
#include <memory>
#include <string>

namespace keepout::store {
class Store;
}

namespace keepout::cli {

struct Resources {
    std::filesystem::path web;     // index.html, static/, node_modules/leaflet/dist/
    std::filesystem::path styles;  // *.json map styles
    std::filesystem::path data;    // sample data, e.g. data/kosovo/
    std::filesystem::path lexicons;  // <language>.json: name-matching words and transliteration
    std::filesystem::path documents;  // <language>.json: the fixed texts of the printed documents
};

const Resources& resources();

// The web root that serve uses when none is given, and the folder of the styles shipped with
// keepout (named over HTTP as style=NAME; none is the default: the mission's own map is).
std::string default_web_root();
std::string styles_dir();

struct Global;

// The one way a command opens the database: once, with `g.actor` for the audit log, and with what
// the mission in it asks for installed first: the lexicons of its languages plus English (every
// lexicon when it has no profile yet) and the examples of positions around its area, for error
// messages. Store::open's errors are the command's (no database, a newer schema, …).
std::unique_ptr<store::Store> open_store(const Global& g);

// The same for a command that does not use the store itself (serve: the server opens its own):
// nothing is installed from a database that is missing or cannot be read here, and the lexicons
// are then every one there is.
void install_mission_resources(const Global& g);

// Installs the fixed texts of the printed documents (render/publication_documents.hpp) from every
// documents/<language>.json, before a command renders one; a language without a file is printed
// in English. Throws UsageError naming the file that cannot be read.
void install_document_texts();

}  // namespace keepout::cli
