#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""A local stand-in for LLM providers, for scxkit's tests.

Speaks three wire formats, chosen by the request path:
  POST /v1/chat/completions, /chat/completions   OpenAI Chat Completions
       (SSE chunks, a final usage chunk when stream_options.include_usage,
       then "data: [DONE]"; or one JSON answer)
  POST /v1/messages                              Anthropic Messages (SSE
       events message_start ... message_stop; or one JSON answer)
  POST /api/chat                                 Ollama native chat (NDJSON
       ending with "done": true; or one JSON answer)

Each request takes the next behaviour of --script (comma-separated; the last
one repeats):
  ok         the answer (--answer FILE; given several times, successive ok
             requests get successive files, the last one repeating)
  multi      an answer with several code blocks (multi.md)
  echokey    the answer with the API key it received quoted inside the code
             block (and in the prose), as a model that echoes it would
  nocode     an answer without code (nocode.md)
  broken     a policy that does not compile (broken.md)
  length     half of the answer, finish reason "length" / "max_tokens"
  429        rate limited, with Retry-After (and retry-after-ms for OpenAI)
  500        server error
  529        overloaded (Anthropic's status)
  401        authentication error; the message quotes the key it got
  404        model not found
  quota      exhausted quota (OpenAI 429 insufficient_quota) or credit
             (Anthropic 400 "credit balance is too low")
  malformed  200 with broken JSON
  truncated  the stream stops half-way without its terminator
  slow       wait --delay seconds before answering

Requests are validated as the real APIs do (JSON body, model, messages;
Anthropic's anthropic-version and max_tokens; a key where one is needed) and
logged, one JSON line each, to --log.
"""
import argparse
import json
import os
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

HERE = os.path.dirname(os.path.abspath(__file__))


class State:
    def __init__(self, args):
        self.script = [s.strip() for s in args.script.split(",") if s.strip()]
        self.count = 0
        self.lock = threading.Lock()
        self.args = args
        self.answers = {}
        self.ok_answers = []
        ok_paths = args.answer or [os.path.join(HERE, "answer.md")]
        for path in ok_paths:
            with open(path) as f:
                self.ok_answers.append(f.read())
        self.ok_count = 0
        for name, path in (("ok", ok_paths[0]),
                           ("multi", os.path.join(HERE, "multi.md")),
                           ("nocode", os.path.join(HERE, "nocode.md")),
                           ("broken", os.path.join(HERE, "broken.md"))):
            with open(path) as f:
                self.answers[name] = f.read()

    def next_ok(self):
        with self.lock:
            text = self.ok_answers[min(self.ok_count, len(self.ok_answers) - 1)]
            self.ok_count += 1
            return text

    def next(self):
        with self.lock:
            b = self.script[min(self.count, len(self.script) - 1)]
            self.count += 1
            return b


def chunks(text, size=17):
    return [text[i:i + size] for i in range(0, len(text), size)] or [""]


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.0"  # streams end when the connection closes
    server_version = "scxkit-test-llm/1"

    def log_message(self, fmt, *args):
        pass

    # ---- plumbing -----------------------------------------------------
    def send(self, status, obj, headers=None, ctype="application/json"):
        body = (obj if isinstance(obj, str) else json.dumps(obj)).encode()
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

    def start_stream(self, ctype):
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        self.send_header("Cache-Control", "no-cache")
        self.end_headers()

    def write(self, text):
        self.wfile.write(text.encode())
        self.wfile.flush()

    def error(self, kind, status, message, code=None, headers=None):
        if kind == "openai":
            body = {"error": {"message": message, "type": code or "server_error", "param": None, "code": code}}
        elif kind == "anthropic":
            body = {"type": "error", "error": {"type": code or "api_error", "message": message}}
        else:
            body = {"error": message}
        self.send(status, body, headers)

    # ---- request ------------------------------------------------------
    def do_POST(self):
        st = self.server.state
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length).decode("utf-8", "replace")
        path = self.path.split("?")[0]
        if path in ("/v1/chat/completions", "/chat/completions"):
            kind = "openai"
        elif path == "/v1/messages":
            kind = "anthropic"
        elif path == "/api/chat":
            kind = "ollama"
        else:
            self.send(404, {"error": "no such endpoint: " + path})
            return
        try:
            req = json.loads(raw)
        except ValueError as e:
            self.error(kind, 400, "request body is not JSON: %s" % e, "invalid_request_error")
            return
        behaviour = st.next()
        with st.lock, open(st.args.log, "a") as log:
            log.write(json.dumps({"path": path, "behaviour": behaviour,
                                  "headers": {k.lower(): v for k, v in self.headers.items()},
                                  "body": req}) + "\n")
        problem = self.validate(kind, req)
        if problem:
            status, message, code = problem
            self.error(kind, status, message, code)
            return
        getattr(self, "b_" + behaviour.replace("-", "_"))(kind, req)

    def key(self, kind):
        if kind == "anthropic":
            return self.headers.get("x-api-key", "")
        auth = self.headers.get("Authorization", "")
        return auth[7:] if auth.startswith("Bearer ") else ""

    def validate(self, kind, req):
        if not isinstance(req.get("model"), str) or not req["model"]:
            return 400, "you must provide a model parameter", "invalid_request_error"
        msgs = req.get("messages")
        if not isinstance(msgs, list) or not msgs:
            return 400, "messages must be a non-empty array", "invalid_request_error"
        for m in msgs:
            if not isinstance(m, dict) or not isinstance(m.get("content"), str) or \
                    m.get("role") not in ("system", "user", "assistant"):
                return 400, "invalid message: %r" % (m,), "invalid_request_error"
        if kind == "anthropic":
            if not self.headers.get("anthropic-version"):
                return 400, "anthropic-version header is required", "invalid_request_error"
            if not isinstance(req.get("max_tokens"), int):
                return 400, "max_tokens: Field required", "invalid_request_error"
            if any(m["role"] == "system" for m in msgs):
                return 400, "messages: Unexpected role \"system\"", "invalid_request_error"
        if kind != "ollama" and not self.key(kind) and st_requires_key(self.server.state):
            return 401, "missing API key", "authentication_error" if kind == "anthropic" else "invalid_api_key"
        return None

    # ---- answers ------------------------------------------------------
    def answer(self, kind, req, text, finish):
        stream = bool(req.get("stream"))
        model = req["model"]
        n_in = sum(len(m["content"]) for m in req["messages"]) // 4 + len(req.get("system", "")) // 4
        n_out = max(1, len(text) // 4)
        cut = getattr(self, "_cut", False)
        if kind == "openai":
            self.openai(req, model, text, finish, n_in, n_out, stream, cut)
        elif kind == "anthropic":
            self.anthropic(model, text, finish, n_in, n_out, stream, cut)
        else:
            self.ollama(model, text, finish, n_in, n_out, stream, cut)

    def openai(self, req, model, text, finish, n_in, n_out, stream, cut):
        finish = {"stop": "stop", "length": "length"}[finish]
        base = {"id": "chatcmpl-test", "object": "chat.completion.chunk", "created": int(time.time()),
                "model": model, "system_fingerprint": "fp_test"}
        if not stream:
            self.send(200, {"id": "chatcmpl-test", "object": "chat.completion", "created": int(time.time()),
                            "model": model, "choices": [{"index": 0, "message": {"role": "assistant", "content": text},
                                                         "logprobs": None, "finish_reason": finish}],
                            "usage": {"prompt_tokens": n_in, "completion_tokens": n_out,
                                      "total_tokens": n_in + n_out}})
            return
        usage = (req.get("stream_options") or {}).get("include_usage")
        self.start_stream("text/event-stream")

        def event(obj):
            self.write("data: " + json.dumps(obj) + "\n\n")

        event(dict(base, choices=[{"index": 0, "delta": {"role": "assistant", "content": ""},
                                   "finish_reason": None}], **({"usage": None} if usage else {})))
        parts = chunks(text)
        for i, piece in enumerate(parts):
            if cut and i == len(parts) // 2:
                return  # connection closes: no finish_reason, no [DONE]
            event(dict(base, choices=[{"index": 0, "delta": {"content": piece}, "finish_reason": None}]))
        event(dict(base, choices=[{"index": 0, "delta": {}, "finish_reason": finish}]))
        if usage:
            event(dict(base, choices=[], usage={"prompt_tokens": n_in, "completion_tokens": n_out,
                                                 "total_tokens": n_in + n_out}))
        self.write("data: [DONE]\n\n")

    def anthropic(self, model, text, finish, n_in, n_out, stream, cut):
        stop = {"stop": "end_turn", "length": "max_tokens"}[finish]
        if not stream:
            self.send(200, {"id": "msg_test", "type": "message", "role": "assistant", "model": model,
                            "content": [{"type": "text", "text": text}], "stop_reason": stop,
                            "stop_sequence": None, "usage": {"input_tokens": n_in, "output_tokens": n_out}})
            return
        self.start_stream("text/event-stream")

        def event(name, obj):
            self.write("event: %s\ndata: %s\n\n" % (name, json.dumps(obj)))

        event("message_start", {"type": "message_start", "message": {
            "id": "msg_test", "type": "message", "role": "assistant", "content": [], "model": model,
            "stop_reason": None, "stop_sequence": None, "usage": {"input_tokens": n_in, "output_tokens": 1}}})
        event("content_block_start", {"type": "content_block_start", "index": 0,
                                      "content_block": {"type": "text", "text": ""}})
        event("ping", {"type": "ping"})
        parts = chunks(text)
        for i, piece in enumerate(parts):
            if cut and i == len(parts) // 2:
                return
            event("content_block_delta", {"type": "content_block_delta", "index": 0,
                                          "delta": {"type": "text_delta", "text": piece}})
        event("content_block_stop", {"type": "content_block_stop", "index": 0})
        event("message_delta", {"type": "message_delta", "delta": {"stop_reason": stop, "stop_sequence": None},
                                "usage": {"output_tokens": n_out}})
        event("message_stop", {"type": "message_stop"})

    def ollama(self, model, text, finish, n_in, n_out, stream, cut):
        now = time.strftime("%Y-%m-%dT%H:%M:%S.000000Z", time.gmtime())
        final = {"model": model, "created_at": now, "message": {"role": "assistant", "content": ""},
                 "done_reason": finish, "done": True, "total_duration": 1200000000, "load_duration": 1000000,
                 "prompt_eval_count": n_in, "prompt_eval_duration": 100000000, "eval_count": n_out,
                 "eval_duration": 1000000000}
        if not stream:
            final["message"]["content"] = text
            self.send(200, final)
            return
        self.start_stream("application/x-ndjson")
        parts = chunks(text)
        for i, piece in enumerate(parts):
            if cut and i == len(parts) // 2:
                return
            self.write(json.dumps({"model": model, "created_at": now,
                                   "message": {"role": "assistant", "content": piece}, "done": False}) + "\n")
        self.write(json.dumps(final) + "\n")

    # ---- behaviours ---------------------------------------------------
    def b_ok(self, kind, req):
        self.answer(kind, req, self.server.state.next_ok(), "stop")

    def b_echokey(self, kind, req):
        text = self.server.state.next_ok()
        key = self.key(kind)
        text = text.replace("#include <scx/policy.hpp>",
                            'static const char *api_key = "%s"; // from your request\n#include <scx/policy.hpp>' % key, 1)
        self.answer(kind, req, "Your key %s works.\n\n%s" % (key, text), "stop")

    def b_multi(self, kind, req):
        self.answer(kind, req, self.server.state.answers["multi"], "stop")

    def b_nocode(self, kind, req):
        self.answer(kind, req, self.server.state.answers["nocode"], "stop")

    def b_broken(self, kind, req):
        self.answer(kind, req, self.server.state.answers["broken"], "stop")

    def b_length(self, kind, req):
        text = self.server.state.answers["ok"]
        self.answer(kind, req, text[:len(text) // 2], "length")

    def b_truncated(self, kind, req):
        if not req.get("stream"):
            # Without streaming: a body shorter than its Content-Length.
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", "4096")
            self.end_headers()
            self.write('{"id": "x", "choices": [')
            return
        self._cut = True
        self.answer(kind, req, self.server.state.answers["ok"], "stop")

    def b_malformed(self, kind, req):
        if not req.get("stream"):
            self.send(200, '{"id": "x", "choices": [{"message": {"content": "int main(', )
            return
        if kind == "ollama":
            self.start_stream("application/x-ndjson")
            self.write('{"model": "m", "message": {"role": "assistant", "content": "x"}, "done": fal\n')
        else:
            self.start_stream("text/event-stream")
            self.write('data: {"choices": [{"delta": {"content": "x"}, "finish_reason": nul\n\n')

    def b_slow(self, kind, req):
        time.sleep(self.server.state.args.delay)
        self.b_ok(kind, req)

    def b_429(self, kind, req):
        headers = {"Retry-After": "1"}
        if kind == "openai":
            headers["retry-after-ms"] = "600"
        self.error(kind, 429, "Rate limit reached for requests", "rate_limit_exceeded" if kind == "openai"
                   else "rate_limit_error", headers)

    def b_500(self, kind, req):
        self.error(kind, 500, "The server had an error while processing your request.", "server_error"
                   if kind == "openai" else "api_error")

    def b_529(self, kind, req):
        self.error(kind, 529, "Overloaded", "overloaded_error")

    def b_401(self, kind, req):
        self.error(kind, 401, "Incorrect API key provided: %s." % self.key(kind),
                   "invalid_api_key" if kind == "openai" else "authentication_error")

    def b_404(self, kind, req):
        self.error(kind, 404, 'model "%s" not found, try pulling it first' % req["model"], "not_found_error")

    def b_quota(self, kind, req):
        if kind == "anthropic":
            self.error(kind, 400, "Your credit balance is too low to access the Anthropic API. Please go to "
                                  "Plans & Billing to upgrade or purchase credits.", "invalid_request_error")
        else:
            self.error(kind, 429, "You exceeded your current quota, please check your plan and billing details.",
                       "insufficient_quota")


def st_requires_key(state):
    return state.args.require_key


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--script", default="ok")
    ap.add_argument("--answer", action="append", help="answer file (repeatable: served in turn)")
    ap.add_argument("--log", default=os.devnull)
    ap.add_argument("--port-file", required=True)
    ap.add_argument("--delay", type=float, default=5.0)
    ap.add_argument("--require-key", action="store_true", help="answer 401 when no key is sent")
    args = ap.parse_args()
    for b in args.script.split(","):
        if not hasattr(Handler, "b_" + b.strip().replace("-", "_")):
            sys.exit("unknown behaviour: " + b)
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    server.state = State(args)
    tmp = args.port_file + ".tmp"
    with open(tmp, "w") as f:
        f.write(str(server.server_address[1]))
    os.replace(tmp, args.port_file)
    server.serve_forever()


if __name__ == "__main__":
    main()
