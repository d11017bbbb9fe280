#pragma once
// A name as a reader of the Latin alphabet says it: ICU's Any-Latin, case and accents kept
// ("ملهى النجمة" → "mlhy ālnjmẗ", "Ноћни клуб" → "Noćni klub"), for documents that print a name in
// its own script and beside it in Latin letters. Not the folding of name matching (name_fold).
#include <string>
#include <string_view>

namespace keepout::text {

// The Latin transliteration of `text` (valid UTF-8 in, NFC out); the text itself when it is
// Latin already. Thread-safe.
std::string to_latin(std::string_view text);

// Whether `text` has letters of a script other than Latin (its transliteration differs).
bool has_non_latin_letters(std::string_view text);

}  // namespace keepout::text
