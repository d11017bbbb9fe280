// Fuzz target: render::parse_style on any bytes, relative paths resolved against styles/ as for
// the styles kept there. A style is read or refused with StyleError, never anything else.
#include <nlohmann/json.hpp>

#include <string>

#include "fuzz_support.hpp"
#include "render/style.hpp"
#include "source/features.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const std::string base = (keepout::fuzz::source_dir() / "styles").string();
    const std::string text(keepout::fuzz::bytes(data, size));
    try {
        const keepout::render::Style style = keepout::render::parse_style(text, "fuzz.json", base, keepout::source::read_features);
        (void)style.ring_radii();
    } catch (const keepout::render::StyleError&) {
    } catch (const nlohmann::json::out_of_range& e) {
        // A number beyond double range: a known crash, tolerated on request only.
        if (e.id != 406 || !keepout::fuzz::tolerated("json-number-overflow")) throw;
    }
    return 0;
}
