#pragma once
// The one place where failures become HTTP answers: each error type of the layers below has its
// status and code in error_for_current_exception's table, and anything it does not know is a
// 500 "internal" whose detail goes to the server's log only, under a request id.
#include <string>
#include <string_view>

#include "http/types.hpp"

namespace keepout::http {

// {"error": {"code", "message"}} with this status; the message is made safe to send (malformed
// UTF-8 replaced, cut to a bounded length). Never throws but for std::bad_alloc.
Response error_response(int status, const std::string& code, const std::string& message);

// The answer for the exception being handled (call it inside a catch block). Never throws.
Response error_for_current_exception(const Request& request, std::string_view request_id) noexcept;

}  // namespace keepout::http
