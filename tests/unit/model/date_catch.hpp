#pragma once
// Lets Catch print a keepout::model::Date as its ISO text in failure messages. Include it in every
// test file that compares Dates, so all translation units see the same specialisation.
#include <catch2/catch.hpp>

#include <string>

#include "model/date.hpp"

namespace Catch {
template <>
struct StringMaker<keepout::model::Date> {
    static std::string convert(const keepout::model::Date& d) { return d.iso(); }
};
}  // namespace Catch
