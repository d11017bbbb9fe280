#include "source/lexicons.hpp"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "source/errors.hpp"

namespace keepout::source {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

// Lexicons are small; a file past this is not one.
constexpr std::uintmax_t kMaxLexiconBytes = 1 << 20;

std::vector<std::string> words_of(const json& j, const char* key, const fs::path& file) {
    std::vector<std::string> out;
    if (!j.contains(key)) return out;
    if (!j[key].is_array()) throw IoError(file.string() + ": \"" + key + "\" must be a list of words");
    for (const auto& w : j[key]) {
        if (!w.is_string()) throw IoError(file.string() + ": \"" + key + "\" must hold text only");
        out.push_back(w.get<std::string>());
    }
    return out;
}

std::string primary_subtag(const std::string& tag) { return tag.substr(0, tag.find('-')); }

// A tag that can name a file: letters, digits and '-' only.
bool plain_tag(const std::string& tag) {
    return !tag.empty() && tag.size() <= 35 &&
           std::all_of(tag.begin(), tag.end(), [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '-'; });
}

}  // namespace

text::Lexicon read_lexicon(const fs::path& file) {
    std::error_code ec;
    const auto size = fs::file_size(file, ec);
    if (ec) throw IoError(file.string() + ": cannot read the lexicon (" + ec.message() + ")");
    if (size > kMaxLexiconBytes) throw IoError(file.string() + ": too large for a lexicon");
    std::ifstream in(file, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    const json j = json::parse(text.str(), nullptr, false);
    if (!j.is_object() || !j.contains("language") || !j["language"].is_string())
        throw IoError(file.string() + ": not a lexicon (a JSON object with \"language\")");
    text::Lexicon l;
    l.language = j["language"].get<std::string>();
    l.category_words = words_of(j, "category_words", file);
    l.function_words = words_of(j, "function_words", file);
    if (j.contains("transliteration")) {
        const json& t = j["transliteration"];
        if (!t.is_object()) throw IoError(file.string() + ": \"transliteration\" must be an object");
        for (const char* key : {"before_latin", "after_latin", "skeleton"})
            if (t.contains(key) && !t[key].is_string())
                throw IoError(file.string() + ": \"transliteration\"." + key + " must be ICU rules as text");
        l.before_latin = t.value("before_latin", "");
        l.after_latin = t.value("after_latin", "");
        l.skeleton = t.value("skeleton", "");
        if (t.contains("skeleton_scripts")) {
            const json& scripts = t["skeleton_scripts"];
            if (!scripts.is_array())
                throw IoError(file.string() + ": \"transliteration\".skeleton_scripts must be a list of ISO 15924 codes");
            for (const json& code : scripts) {
                if (!code.is_string())
                    throw IoError(file.string() + ": \"transliteration\".skeleton_scripts must be a list of ISO 15924 codes");
                l.skeleton_scripts.push_back(code.get<std::string>());
            }
        }
    }
    return l;
}

std::vector<text::Lexicon> read_lexicons(const fs::path& folder, const std::vector<std::string>& languages,
                                         std::vector<std::string>* missing) {
    std::vector<fs::path> files;
    auto add = [&](const fs::path& f) {
        if (std::find(files.begin(), files.end(), f) == files.end()) files.push_back(f);
    };
    if (languages.empty()) {
        std::error_code ec;
        for (const auto& e : fs::directory_iterator(folder, ec))
            if (e.path().extension() == ".json") add(e.path());
        std::sort(files.begin(), files.end());
    } else {
        std::vector<std::string> tags = languages;
        tags.push_back("en");
        for (const auto& tag : tags) {
            std::error_code ec;
            if (!plain_tag(tag)) {
                if (missing) missing->push_back(tag);
                continue;
            }
            if (fs::is_regular_file(folder / (tag + ".json"), ec)) add(folder / (tag + ".json"));
            else if (fs::is_regular_file(folder / (primary_subtag(tag) + ".json"), ec))
                add(folder / (primary_subtag(tag) + ".json"));
            else if (missing)
                missing->push_back(tag);
        }
    }
    std::vector<text::Lexicon> out;
    for (const auto& f : files) out.push_back(read_lexicon(f));
    return out;
}

}  // namespace keepout::source
