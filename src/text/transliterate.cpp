#include "text/transliterate.hpp"

#include <unicode/translit.h>
#include <unicode/uscript.h>
#include <unicode/unistr.h>
#include <unicode/uchar.h>

#include <memory>
#include <mutex>
#include <stdexcept>

namespace keepout::text {

namespace {

// One transliterator per thread (ICU's transliterate() is not thread-safe); created from the
// system's Any-Latin, the prototype under a lock.
icu::Transliterator& latin() {
    thread_local std::unique_ptr<icu::Transliterator> t;
    if (!t) {
        static std::mutex m;
        std::lock_guard lock(m);
        UErrorCode status = U_ZERO_ERROR;
        t.reset(icu::Transliterator::createInstance(icu::UnicodeString::fromUTF8("Any-Latin; NFC"), UTRANS_FORWARD,
                                                    status));
        if (U_FAILURE(status) || !t)
            throw std::runtime_error(std::string("ICU has no Any-Latin transliterator (") + u_errorName(status) + ")");
    }
    return *t;
}

}  // namespace

bool has_non_latin_letters(std::string_view text) {
    const icu::UnicodeString u = icu::UnicodeString::fromUTF8(icu::StringPiece(text.data(), int32_t(text.size())));
    for (int32_t i = 0; i < u.length();) {
        const UChar32 c = u.char32At(i);
        i += U16_LENGTH(c);
        if (!u_isalpha(c)) continue;
        UErrorCode status = U_ZERO_ERROR;
        const UScriptCode script = uscript_getScript(c, &status);
        if (U_SUCCESS(status) && script != USCRIPT_LATIN && script != USCRIPT_COMMON && script != USCRIPT_INHERITED)
            return true;
    }
    return false;
}

std::string to_latin(std::string_view text) {
    icu::UnicodeString u = icu::UnicodeString::fromUTF8(icu::StringPiece(text.data(), int32_t(text.size())));
    latin().transliterate(u);
    std::string out;
    u.toUTF8String(out);
    return out;
}

}  // namespace keepout::text
