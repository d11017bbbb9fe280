// The installed layout is bin/keepout next to share/keepout/{web,styles,data}; the relative path
// from the one to the other comes from GNUInstallDirs (KEEPOUT_BIN_TO_DATA).
#include "cli/resources.hpp"

#include <fstream>
#include <iostream>
#include <optional>
#include <sstream>
#include <system_error>

#include "cli/commands.hpp"
#include "geo/coordinates.hpp"
#include "geo/shapes.hpp"
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

std::string styles_dir() { return resources().styles.string(); }

namespace {

// Lexicons and position examples for a mission (or for none: every lexicon, neutral examples).
void install_for(const std::optional<model::MissionProfile>& m) {
    std::optional<geo::LonLat> centre;
    if (m && !m->area_wkb.empty()) {
        try {
            const geo::Box b = geo::shape_from_wkb(m->area_wkb).box;
            centre = geo::LonLat{(b.min_lon + b.max_lon) / 2, (b.min_lat + b.max_lat) / 2};
        } catch (const std::exception&) {
            // An area that does not decode is reported by the commands that draw or check it.
        }
    }
    geo::set_position_examples_at(centre);
    std::error_code ec;
    if (!fs::is_directory(resources().lexicons, ec)) {
        std::cerr << "keepout: warning: no lexicons in " << resources().lexicons.string()
                  << ": names are matched without category words or transliteration rules\n";
        return;
    }
    text::install_lexicons(source::read_lexicons(resources().lexicons, m ? m->languages : std::vector<std::string>{}));
}

std::optional<model::MissionProfile> profile_of(store::Store& s) {
    try {
        return store::mission_settings(s);
    } catch (const std::exception&) {
        return std::nullopt;  // a database the profile cannot be read from: as if it had none
    }
}

}  // namespace

std::unique_ptr<store::Store> open_store(const Global& g) {
    auto s = store::Store::open(g.db);
    s->set_actor(g.actor);
    install_for(profile_of(*s));
    return s;
}

void install_mission_resources(const Global& g) {
    std::optional<model::MissionProfile> m;
    std::error_code ec;
    if (!g.db.empty() && fs::is_regular_file(g.db, ec)) {
        try {
            auto s = store::Store::open(g.db);
            m = profile_of(*s);
        } catch (const std::exception&) {
            // The command itself says what is wrong with the database.
        }
    }
    install_for(m);
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
