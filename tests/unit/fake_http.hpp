// SPDX-License-Identifier: MIT
// An HttpTransport that answers from a script, for the tests of the LLM
// code: each post() takes the next answer (the last one repeats) and
// records the request.
#pragma once

#include "llm/http.hpp"

#include <algorithm>
#include <string>
#include <vector>

namespace scx::llm {

struct Scripted {
    long status = 200;
    Headers headers;
    std::string body;
    scx::Exit fail = scx::Exit::ok; // transport error instead of an answer
};

class FakeHttp : public HttpTransport {
public:
    std::vector<Scripted> script;
    std::vector<HttpRequest> seen;
    scx::Result<HttpResponse> post(const HttpRequest &req, const BodySink &sink) override
    {
        seen.push_back(req);
        const Scripted &s = script[std::min(seen.size(), script.size()) - 1];
        if (s.fail != scx::Exit::ok)
            return scx::Error(s.fail, "cannot connect to " + req.url + ": Connection refused");
        HttpResponse r;
        r.status = s.status;
        r.headers = s.headers;
        if (s.status >= 200 && s.status < 300) {
            for (size_t i = 0; i < s.body.size(); i += 5)
                if (!sink(std::string_view(s.body).substr(i, 5))) {
                    r.aborted = true;
                    break;
                }
        } else {
            r.body = s.body;
        }
        return r;
    }
};

} // namespace scx::llm
