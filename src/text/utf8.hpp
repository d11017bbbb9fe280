#pragma once
// The one UTF-8 decoder of keepout, and the safe way to quote untrusted text in a message.
// Every message that repeats what a client or a file sent goes through quote(), so a message can
// always be written as JSON, logged and shown, whatever bytes arrived.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace keepout::text {

// Decodes the code point at `i` and advances `i` past it; nullopt (and `i` past one byte) for a
// byte that does not start a well-formed sequence (overlong forms, surrogates and values above
// U+10FFFF are malformed, as in RFC 3629).
std::optional<char32_t> decode_next(std::string_view s, std::size_t& i);

bool is_valid_utf8(std::string_view s);

// The text with every malformed sequence replaced by U+FFFD.
std::string to_valid_utf8(std::string_view s);

// Appends the UTF-8 encoding of a code point (U+FFFD for a value that is not a scalar value).
void append_utf8(std::string& out, char32_t cp);

// Number of code points (a malformed byte counts as one).
std::size_t code_points(std::string_view s);

// Untrusted text for a message: in double quotes, malformed UTF-8 replaced, control characters
// written as \n, \t or \u{XX}, and cut to `max_chars` code points with "…" when longer.
std::string quote(std::string_view s, std::size_t max_chars = 80);

}  // namespace keepout::text
