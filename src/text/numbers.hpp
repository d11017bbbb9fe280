#pragma once
// Strict number parsing for text that a client typed or sent: the whole text is the number, in
// plain decimal, or it is not one. No blanks around it, no '+', no hex, no "12.0" for an integer,
// no exponent for an integer, nothing out of range, nothing infinite or NaN. Readers of files
// that write numbers loosely (GDAL hands an integer column over as "120.0") have their own.
// Over HTTP, "integers are plain decimal digits" (docs/contract.md, "4. HTTP").
#include <cstdint>
#include <optional>
#include <string_view>

namespace keepout::text {

// "-12", "0", "9223372036854775807"; refuses "12.0", "+12", " 12", "1e3", "0x10", "" and overflow.
std::optional<std::int64_t> parse_int64(std::string_view text);

// "-12.5", "12", ".5", "1e3"; refuses "+1", " 1", "1,5", "0x10", "inf", "nan", "1e999" and "".
std::optional<double> parse_double(std::string_view text);

}  // namespace keepout::text
