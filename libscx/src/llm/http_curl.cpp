// SPDX-License-Identifier: MIT
// The HTTP transport over libcurl (compiled with the `llm` feature).
#include "llm/http.hpp"

#include "base/paths.hpp"

#include <curl/curl.h>

#include <cctype>
#include <cstdio>
#include <mutex>

namespace scx::llm {

namespace {

struct CurlDeleter {
    void operator()(CURL *c) const { curl_easy_cleanup(c); }
};
struct SlistDeleter {
    void operator()(curl_slist *l) const { curl_slist_free_all(l); }
};

struct Transfer {
    CURL *curl = nullptr;
    const BodySink *sink = nullptr;
    HttpResponse resp;
    bool status_known = false;
    bool streaming = false;
};

size_t on_header(char *data, size_t size, size_t n, void *user)
{
    auto *t = static_cast<Transfer *>(user);
    std::string_view line(data, size * n);
    while (!line.empty() && (line.back() == '\n' || line.back() == '\r'))
        line.remove_suffix(1);
    if (line.rfind("HTTP/", 0) == 0) {
        t->resp.headers.clear(); // a new response (after 100 Continue, ...)
        return size * n;
    }
    const auto colon = line.find(':');
    if (colon != std::string_view::npos) {
        std::string name(line.substr(0, colon));
        for (auto &c : name)
            c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        std::string_view value = line.substr(colon + 1);
        while (!value.empty() && (value.front() == ' ' || value.front() == '\t'))
            value.remove_prefix(1);
        t->resp.headers.emplace_back(std::move(name), std::string(value));
    }
    return size * n;
}

size_t on_body(char *data, size_t size, size_t n, void *user)
{
    auto *t = static_cast<Transfer *>(user);
    const size_t len = size * n;
    if (!t->status_known) {
        curl_easy_getinfo(t->curl, CURLINFO_RESPONSE_CODE, &t->resp.status);
        t->status_known = true;
        t->streaming = t->resp.status >= 200 && t->resp.status < 300;
    }
    if (!t->streaming) {
        if (t->resp.body.size() < (1u << 20))
            t->resp.body.append(data, len);
        return len;
    }
    t->resp.streamed_bytes += len;
    if (!(*t->sink)(std::string_view(data, len))) {
        t->resp.aborted = true;
        return 0; // CURLE_WRITE_ERROR ends the transfer
    }
    return len;
}

Error transport_error(CURLcode rc, const HttpRequest &req, const Transfer &t, const char *detail)
{
    std::string why = detail && *detail ? detail : curl_easy_strerror(rc);
    switch (rc) {
    case CURLE_OPERATION_TIMEDOUT:
    {
        char limit[32];
        std::snprintf(limit, sizeof limit, "%.3g s", static_cast<double>(req.timeout_ms) / 1000.0);
        return Error(Exit::temp_fail, "no complete answer from " + req.url + " within " + limit + " (--timeout): " + why);
    }
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_COULDNT_CONNECT:
        return Error(Exit::temp_fail, "cannot connect to " + req.url + ": " + why);
    case CURLE_GOT_NOTHING:
    case CURLE_RECV_ERROR:
    case CURLE_SEND_ERROR:
    case CURLE_PARTIAL_FILE:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
        return Error(Exit::temp_fail, "connection to " + req.url + " lost" +
                                          (t.resp.streamed_bytes ? " after " + std::to_string(t.resp.streamed_bytes) +
                                                                       " bytes of the answer"
                                                                 : std::string()) +
                                          ": " + why);
    default:
        return Error(Exit::unavailable, "cannot talk to " + req.url + ": " + why);
    }
}

class CurlTransport : public HttpTransport {
public:
    Result<HttpResponse> post(const HttpRequest &req, const BodySink &sink) override
    {
        std::unique_ptr<CURL, CurlDeleter> curl(curl_easy_init());
        if (!curl)
            return Error(Exit::software, "curl_easy_init failed");
        curl_slist *raw = nullptr;
        for (const auto &[k, v] : req.headers)
            raw = curl_slist_append(raw, (k + ": " + v).c_str());
        raw = curl_slist_append(raw, "Expect:"); // no 100-continue round trip
        std::unique_ptr<curl_slist, SlistDeleter> headers(raw);
        const std::string agent = std::string("scxkit/") + version();

        Transfer t;
        t.curl = curl.get();
        t.sink = &sink;
        char errbuf[CURL_ERROR_SIZE] = {};
        CURL *c = curl.get();
        curl_easy_setopt(c, CURLOPT_URL, req.url.c_str());
        curl_easy_setopt(c, CURLOPT_POST, 1L);
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, req.body.data());
        curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(req.body.size()));
        curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers.get());
        curl_easy_setopt(c, CURLOPT_USERAGENT, agent.c_str());
        curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, req.connect_timeout_ms);
        curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, req.timeout_ms);
        curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
        curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, "");
        curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
        curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
        curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
        curl_easy_setopt(c, CURLOPT_HEADERDATA, &t);
        curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
        curl_easy_setopt(c, CURLOPT_WRITEDATA, &t);
        curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);

        const CURLcode rc = curl_easy_perform(c);
        if (!t.status_known)
            curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &t.resp.status);
        if (rc == CURLE_WRITE_ERROR && t.resp.aborted)
            return std::move(t.resp);
        if (rc != CURLE_OK)
            return transport_error(rc, req, t, errbuf);
        return std::move(t.resp);
    }
};

} // namespace

Result<std::unique_ptr<HttpTransport>> make_http_transport()
{
    static std::once_flag once;
    static CURLcode init_rc = CURLE_OK;
    std::call_once(once, [] { init_rc = curl_global_init(CURL_GLOBAL_DEFAULT); });
    if (init_rc != CURLE_OK)
        return Error(Exit::unavailable, std::string("libcurl cannot start: ") + curl_easy_strerror(init_rc));
    return std::unique_ptr<HttpTransport>(std::make_unique<CurlTransport>());
}

} // namespace scx::llm
