#pragma once
// Numbers written into documents: the shortest text that reads back as the same double, so a
// coordinate survives an export and a re-import bit for bit.
#include <string>

namespace keepout::text {

// Shortest round-trip text (std::to_chars): 21.1655, 42.66291, 1e+21; "nan"/"inf" are the
// caller's to avoid.
std::string shortest(double value);

// The same digits laid out as nlohmann::json::dump lays out a double: a decimal point in
// every number that has no exponent (1.0, 0.001), an exponent with at least two digits outside
// 1e-5 … 1e15 (1e+16, 1e-05); null for NaN and infinities.
std::string json_number(double value);

}  // namespace keepout::text
