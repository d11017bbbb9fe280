// Fuzz target: render::parse_style on any bytes, relative paths resolved against styles/ as for
// the styles kept there. A style is read or refused with StyleError, never anything else.
#include <string>

#include "fuzz_support.hpp"
#include "render/style.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const std::string base = (keepout::fuzz::source_dir() / "styles").string();
    const std::string text(keepout::fuzz::bytes(data, size));
    try {
        const keepout::render::Style style = keepout::render::parse_style(text, "fuzz.json", base);
        (void)style.ring_radii();
    } catch (const keepout::render::StyleError&) {
    }
    return 0;
}
