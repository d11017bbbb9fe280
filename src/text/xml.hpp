#pragma once
#include <string>
#include <string_view>

namespace keepout::text {

// XML character data or attribute value: & < > " ' escaped; characters XML 1.0 forbids (controls
// other than tab and line breaks, U+FFFE, U+FFFF) and malformed UTF-8 (text/utf8) dropped, so the
// document stays well-formed whatever bytes a name holds.
std::string xml_escape(std::string_view text);

}  // namespace keepout::text
