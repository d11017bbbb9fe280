#pragma once
// What the service keeps between requests besides the snapshots: parsed styles, the card's
// backdrop styles and drawn map tiles. They belong to one Service (two services in a process, as
// in the tests, share nothing); each cache has its own lock, held only to look up or store, never
// while a style is read or a tile drawn.
#include <cstdint>
#include <functional>
#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <tuple>
#include <vector>

#include <optional>

#include "model/mission.hpp"
#include "render/render.hpp"

namespace keepout::http {

// Reads the mission profile (with its layers) when a style must be built from it.
using MissionReader = std::function<std::optional<model::MissionProfile>()>;

// Styles by file, each read once per revision of the mission profile (a style may take layers
// from it); the empty file is the mission's default map (render::default_style). A new revision
// drops every style built for the one before.
class StyleCache {
public:
    // The style of `file`; reading it throws what render::load_style throws (and keeps nothing).
    std::shared_ptr<const render::Style> get(const std::string& file, const std::string& revision = "",
                                             const MissionReader& mission = {});
    std::size_t size();

private:
    std::mutex mutex_;
    std::string revision_;
    std::map<std::string, std::shared_ptr<const render::Style>> styles_;
};

// The patrol card's backdrop, read once per file and revision of the mission profile (reading it
// loads the boundary files). A style that cannot be read is remembered as none: the card is drawn
// without a backdrop. The empty file is the mission's default map when there is a profile.
class BackdropCache {
public:
    // nullptr when `file` is unreadable, or empty with no mission profile (or no reader).
    std::shared_ptr<const render::Style> get(const std::string& file, const std::string& revision = "",
                                             const MissionReader& mission = {});

private:
    std::mutex mutex_;
    std::string revision_;
    std::map<std::string, std::shared_ptr<const render::Style>> styles_;
};

// Map tiles as PNG for one list version; a new version empties it. Tiles are drawn a block at a
// time (render::render_metatile), and a browser asks for a dozen tiles of one block at once: the
// first request draws the block, the others wait for it.
class TileCache {
public:
    using Block = std::vector<render::Tile>;
    using Draw = std::function<Block()>;
    struct Key {
        std::int64_t list_version;
        std::string as_of;
        int z, x, y;
    };
    static constexpr std::size_t kMaxTiles = 4096;

    // The tile's PNG: from the cache, or from its block, drawn by `draw` (which must draw the
    // block holding the tile) unless another request is drawing it already. A failure to draw
    // reaches every request waiting for that block, and nothing is kept.
    std::string tile(const Key& key, int block_side, const Draw& draw);
    std::size_t size();

private:
    using TileKey = std::tuple<std::string, int, int, int>;                  // as_of, z, x, y
    using BlockKey = std::tuple<std::int64_t, std::string, int, int, int>;  // version, as_of, z, block x, y
    std::mutex mutex_;
    std::int64_t version_ = -1;
    std::map<TileKey, std::string> tiles_;
    std::map<BlockKey, std::shared_future<std::shared_ptr<const Block>>> drawing_;
};

// Documents built from the mission profile for one revision of it (the web map's layers), each
// built once; a new revision drops them all.
class MissionDocuments {
public:
    using Build = std::function<std::string()>;
    // The document `key` of `revision`: kept, or built by `build` (outside the lock).
    std::string get(const std::string& revision, const std::string& key, const Build& build);

private:
    std::mutex mutex_;
    std::string revision_;
    std::map<std::string, std::string> documents_;
};

struct ServiceCaches {
    StyleCache styles;
    MissionDocuments mission_documents;
    BackdropCache backdrops;
    TileCache tiles;
    // What the tile blocks draw, built once per snapshot and style (it locks itself).
    render::TileFeatures tile_features;
};

}  // namespace keepout::http
