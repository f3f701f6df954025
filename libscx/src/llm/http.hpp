// SPDX-License-Identifier: MIT
//
// <scx/llm/http.hpp> - the one HTTP operation the providers need: a POST
// whose answer may stream. The libcurl transport is compiled when the `llm`
// feature is on; tests can substitute any HttpTransport.

#ifndef SCX_LLM_HTTP_HPP
#define SCX_LLM_HTTP_HPP

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <scx/result.hpp>

namespace scx::llm {

using Headers = std::vector<std::pair<std::string, std::string>>;

struct HttpRequest {
    std::string url;
    Headers headers;               // sent as given; may hold the API key: never log them
    std::string body;
    long connect_timeout_ms = 10'000;
    long timeout_ms = 600'000;     // whole exchange
};

struct HttpResponse {
    long status = 0;
    Headers headers;               // names lower-cased
    std::string body;              // the body of a non-2xx answer (2xx bodies go to the sink)
    bool aborted = false;          // the sink returned false
    std::size_t streamed_bytes = 0; // bytes handed to the sink
};

// Returns false to abort the transfer.
using BodySink = std::function<bool(std::string_view)>;

class HttpTransport {
public:
    virtual ~HttpTransport() = default;
    // POST the request. The body of a 2xx answer is handed to `sink` as it
    // arrives; any other answer's body is collected in HttpResponse::body.
    // Transport failures are errors: Exit::temp_fail for those worth a retry
    // (cannot connect, timed out, connection lost), Exit::unavailable for the
    // rest (malformed URL, unsupported scheme, TLS set-up). Messages name the
    // URL, never a header.
    virtual Result<HttpResponse> post(const HttpRequest &req, const BodySink &sink) = 0;
};

// The libcurl transport; Exit::unavailable when scxkit was built without
// the `llm` feature.
Result<std::unique_ptr<HttpTransport>> make_http_transport();

// Value of a header (name compared case-insensitively), "" when absent.
std::string header_value(const Headers &h, std::string_view name);

} // namespace scx::llm

#endif // SCX_LLM_HTTP_HPP
