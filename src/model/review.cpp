#include "model/review.hpp"

namespace keepout::model {

std::string_view to_string(ReviewDecision d) { return d == ReviewDecision::keep ? "keep" : "lift"; }

std::optional<ReviewDecision> parse_review_decision(std::string_view s) {
    if (s == "keep") return ReviewDecision::keep;
    if (s == "lift") return ReviewDecision::lift;
    return std::nullopt;
}

}  // namespace keepout::model
