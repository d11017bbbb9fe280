// The installed layout is bin/keepout next to share/keepout/{web,styles,data}; the relative path
// from the one to the other comes from GNUInstallDirs (KEEPOUT_BIN_TO_DATA).
#include "cli/resources.hpp"

#include <fstream>
#include <iostream>
#include <sstream>
#include <system_error>

#include "cli/commands.hpp"
#include "render/publication_documents.hpp"
#include "source/lexicons.hpp"
#include "store/mission.hpp"
#include "store/repository.hpp"
#include "text/lexicon.hpp"

namespace keepout::cli {

namespace {
namespace fs = std::filesystem;

bool same_dir(const fs::path& a, const fs::path& b) {
    std::error_code ec;
    return fs::equivalent(a, b, ec) && !ec;
}

Resources locate() {
    std::error_code ec;
    const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
    if (!ec && same_dir(exe.parent_path(), KEEPOUT_BUILD_BIN_DIR)) {
        const fs::path src = KEEPOUT_SOURCE_DIR;
        return {src / "web", src / "styles", src / "data", src / "lexicons", src / "documents"};
    }
    // Without /proc (a chroot, say), the prefix the program was configured for.
    const fs::path share = ec ? fs::path(KEEPOUT_INSTALL_DATA_DIR)
                              : (exe.parent_path() / KEEPOUT_BIN_TO_DATA).lexically_normal();
    return {share / "web", share / "styles", share / "data", share / "lexicons", share / "documents"};
}
}  // namespace

const Resources& resources() {
    static const Resources r = locate();
    return r;
}

std::string default_web_root() { return resources().web.string(); }

std::string default_style() { return (resources().styles / KEEPOUT_DEFAULT_STYLE_NAME).string(); }

void install_mission_lexicons(const std::string& db) {
    std::vector<std::string> languages;
    std::error_code ec;
    if (!db.empty() && fs::is_regular_file(db, ec)) {
        try {
            auto s = store::Store::open(db);
            if (auto m = store::mission_settings(*s)) languages = m->languages;
        } catch (const std::exception&) {
            // The command itself says what is wrong with the database.
        }
    }
    if (!fs::is_directory(resources().lexicons, ec)) {
        std::cerr << "keepout: warning: no lexicons in " << resources().lexicons.string()
                  << ": names are matched without category words or transliteration rules\n";
        return;
    }
    text::install_lexicons(source::read_lexicons(resources().lexicons, languages));
}

void install_document_texts() {
    std::error_code ec;
    const fs::path folder = resources().documents;
    std::vector<std::pair<std::string, std::string>> files;
    if (fs::is_directory(folder, ec)) {
        for (const auto& entry : fs::directory_iterator(folder, ec)) {
            const fs::path p = entry.path();
            if (p.extension() != ".json" || !entry.is_regular_file(ec)) continue;
            if (entry.file_size(ec) > (1u << 20)) throw UsageError(p.string() + " is larger than 1 MiB");
            std::ifstream in(p, std::ios::binary);
            std::ostringstream bytes;
            bytes << in.rdbuf();
            if (!in) throw UsageError("cannot read " + p.string());
            files.emplace_back(p.stem().string(), bytes.str());
        }
    } else {
        std::cerr << "keepout: warning: no document texts in " << folder.string() << ": documents are printed in English\n";
    }
    try {
        render::install_document_texts(files);
    } catch (const std::invalid_argument& e) {
        throw UsageError(std::string(e.what()) + " (" + folder.string() + ")");
    }
}

}  // namespace keepout::cli
