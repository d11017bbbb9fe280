#include "http/caches.hpp"
#include "source/features.hpp"

namespace keepout::http {

namespace {

// A style file with the profile it may take layers from, or the mission's default map.
render::Style build_style(const std::string& file, const MissionReader& mission) {
    const std::optional<model::MissionProfile> m = mission ? mission() : std::nullopt;
    if (file.empty()) return render::default_style(m ? &*m : nullptr);
    return render::load_style(file, source::read_features, m ? &*m : nullptr);
}

}  // namespace

std::shared_ptr<const render::Style> StyleCache::get(const std::string& file, const std::string& revision,
                                                     const MissionReader& mission) {
    {
        std::lock_guard lock(mutex_);
        if (revision != revision_) {
            styles_.clear();
            revision_ = revision;
        }
        if (auto it = styles_.find(file); it != styles_.end()) return it->second;
    }
    // Read outside the lock: a slow style does not hold up the others. Two first requests may
    // both read it; the first stored wins.
    auto style = std::make_shared<const render::Style>(build_style(file, mission));
    std::lock_guard lock(mutex_);
    if (revision != revision_) return style;  // built for a profile since replaced: answered, not kept
    return styles_.emplace(file, std::move(style)).first->second;
}

std::size_t StyleCache::size() {
    std::lock_guard lock(mutex_);
    return styles_.size();
}

std::shared_ptr<const render::Style> BackdropCache::get(const std::string& file, const std::string& revision,
                                                        const MissionReader& mission) {
    if (file.empty() && !mission) return nullptr;
    {
        std::lock_guard lock(mutex_);
        if (revision != revision_) {
            styles_.clear();
            revision_ = revision;
        }
        if (auto it = styles_.find(file); it != styles_.end()) return it->second;
    }
    std::shared_ptr<const render::Style> style;
    try {
        if (file.empty()) {
            // The mission's own map, when there is a mission: its area and reference layers.
            if (const auto m = mission()) style = std::make_shared<const render::Style>(render::default_style(&*m));
        } else {
            style = std::make_shared<const render::Style>(build_style(file, mission));
        }
    } catch (const std::exception&) {
        style = nullptr;
    }
    std::lock_guard lock(mutex_);
    if (revision != revision_) return style;
    return styles_.emplace(file, std::move(style)).first->second;
}

std::string MissionDocuments::get(const std::string& revision, const std::string& key, const Build& build) {
    {
        std::lock_guard lock(mutex_);
        if (revision != revision_) {
            documents_.clear();
            revision_ = revision;
        }
        if (auto it = documents_.find(key); it != documents_.end()) return it->second;
    }
    std::string doc = build();
    std::lock_guard lock(mutex_);
    if (revision == revision_) documents_.emplace(key, doc);
    return doc;
}

std::string TileCache::tile(const Key& key, int block_side, const Draw& draw) {
    const TileKey tile_key{key.as_of, key.z, key.x, key.y};
    const BlockKey block_key{key.list_version, key.as_of, key.z, key.x / block_side, key.y / block_side};
    std::shared_future<std::shared_ptr<const Block>> pending;
    std::promise<std::shared_ptr<const Block>> drawn;
    bool draw_here = false;
    {
        std::lock_guard lock(mutex_);
        if (version_ != key.list_version) {
            tiles_.clear();
            version_ = key.list_version;
        }
        if (auto it = tiles_.find(tile_key); it != tiles_.end()) return it->second;
        if (auto it = drawing_.find(block_key); it != drawing_.end()) {
            pending = it->second;
        } else {
            pending = drawn.get_future().share();
            drawing_.emplace(block_key, pending);
            draw_here = true;
        }
    }
    if (draw_here) {
        try {
            auto block = std::make_shared<const Block>(draw());
            {
                std::lock_guard lock(mutex_);
                // A block drawn for a version that has since been replaced is answered, not kept.
                if (version_ == key.list_version) {
                    if (tiles_.size() + block->size() > kMaxTiles) tiles_.clear();
                    for (const auto& t : *block) tiles_[TileKey{key.as_of, key.z, t.x, t.y}] = t.png;
                }
                drawing_.erase(block_key);
            }
            drawn.set_value(std::move(block));
        } catch (...) {
            {
                std::lock_guard lock(mutex_);
                drawing_.erase(block_key);
            }
            drawn.set_exception(std::current_exception());
        }
    }
    for (const auto& t : *pending.get())
        if (t.x == key.x && t.y == key.y) return t.png;
    return {};
}

std::size_t TileCache::size() {
    std::lock_guard lock(mutex_);
    return tiles_.size();
}

}  // namespace keepout::http
