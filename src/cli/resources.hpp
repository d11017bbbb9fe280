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
};

const Resources& resources();

// The web root that serve uses when none is given, and the folder of the styles shipped with
// keepout (named over HTTP as style=NAME; none is the default: the mission's own map is).
std::string default_web_root();
std::string styles_dir();

// Installs the lexicons of the mission in database `db` (its languages plus English; every
// lexicon when the database has no profile yet or cannot be read here), before a command runs.
void install_mission_lexicons(const std::string& db);

}  // namespace keepout::cli
