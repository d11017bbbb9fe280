// XML escaping: the one writer of character data for every KML and GPX document.
#include "text/xml.hpp"

#include <catch2/catch.hpp>

using keepout::text::xml_escape;

TEST_CASE("xml_escape escapes markup and drops what XML 1.0 forbids", "[text][xml]") {
    CHECK(xml_escape("a < b & c > \"d\" 'e'") == "a &lt; b &amp; c &gt; &quot;d&quot; &apos;e&apos;");
    CHECK(xml_escape("tab\tok\x01\x1f") == "tab\tok");
    CHECK(xml_escape("Ноћни клуб Ëndrra") == "Ноћни клуб Ëndrra");
    CHECK(xml_escape("bad \xff byte") == "bad  byte");
    CHECK(xml_escape("overlong \xc0\xaf slash") == "overlong  slash");     // not a '/' in disguise
    CHECK(xml_escape("surrogate \xed\xa0\x80 x") == "surrogate  x");
    CHECK(xml_escape("cut \xe2\x82") == "cut ");
    CHECK(xml_escape("not a char \xef\xbf\xbe") == "not a char ");        // U+FFFE
    CHECK(xml_escape("\xf0\x9f\x8d\xba beer") == "\xf0\x9f\x8d\xba beer");
}
