#pragma once
// Field conversions shared by every importer: text as files give it to typed values. The bounds
// of a row (what a venue, site or sector may be) are the store's, in store/validate.hpp.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "store/validate.hpp"

namespace keepout::source {

// The bounds of a row are the store's; a reader checks them before it hands rows over, by the
// same names inside source.
using store::check_geometry;
using store::check_text;
using store::check_vertex_count;
using store::FeatureKind;
using store::geometry_bounds;
using store::InvalidField;
using store::kind_name;
using store::kMaxNames;

// ---- Field conversions ----

bool is_valid_utf8(std::string_view text);
std::string trim(std::string_view text);

// Lowercase, trimmed, with '_' and ' ' read as '-': "Private House" → "private-house".
std::string normalise_code(std::string_view text);

// Aliases and former names: a JSON array of strings, or ';'-separated text. Blank entries are
// dropped; duplicates kept once. Throws std::invalid_argument on a malformed JSON array, and
// InvalidField(field) past kMaxNames entries or for an entry that check_text refuses.
std::vector<std::string> parse_name_list(std::string_view text, std::string_view field = "aliases");
// The same for names that arrive as a list: trimmed, blanks dropped, duplicates kept once, bounded.
std::vector<std::string> clean_name_list(std::vector<std::string> raw, std::string_view field = "aliases");

// Strict decimal number: the whole text must be a finite number.
std::optional<double> parse_number(std::string_view text);
std::optional<long long> parse_integer(std::string_view text);

}  // namespace keepout::source
