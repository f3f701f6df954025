#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Validate scxkit JSON documents and JSON Lines streams against the JSON
Schemas in libscx/schemas (scx-json(5)).

usage: validate_json.py [--schema ID|FILE] [--schema-dir DIR] [--lines] [-v] FILE...
       validate_json.py --check-schemas [--schema-dir DIR]

A FILE ("-": standard input) holding one JSON value is a document; one that
holds several lines of JSON (or any file with --lines) is a JSON Lines
stream, each non-blank line validated on its own. The schema is --schema (an
id such as "scxkit.events/1", or a schema file); without it, a document's own
"schema" member, and for a stream the one its lines name (the events header,
the final line of a kernel run: every line must agree).

Every problem is printed as FILE[:LINE]: POINTER: what is wrong, where
POINTER is the JSON pointer of the offending value ("(top level)" for the
document itself).

--check-schemas checks that every *.schema.json in the directory is a valid
draft 2020-12 schema whose title is the id its file name stands for.

Exit status: 0 every document is valid; 1 a document is invalid, is not
JSON, or names no known schema; 64 usage; 66 a file or schema cannot be
read; 69 the jsonschema module is missing (Debian: python3-jsonschema);
70 a schema is itself invalid.
"""
import argparse
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_DIR = os.environ.get("SCX_SCHEMA_DIR") or os.path.join(HERE, "..", "..", "libscx", "schemas")
MAX_ERRORS = 20  # per document
ID = re.compile(r"^(scxkit\.[a-z_]+)/([0-9]+)$")


class Fatal(Exception):
    def __init__(self, status, message):
        super().__init__(message)
        self.status = status


try:
    import jsonschema
    from jsonschema.exceptions import relevance
except ImportError:
    print("validate_json: the jsonschema module is missing (install python3-jsonschema)", file=sys.stderr)
    sys.exit(69)


def schema_file(directory, schema_id):
    m = ID.match(schema_id)
    return os.path.join(directory, f"{m.group(1)}-{m.group(2)}.schema.json") if m else None


class Schemas:
    """Schemas by id, loaded and checked once."""

    def __init__(self, directory):
        self.directory = directory
        self.loaded = {}

    def load_file(self, path):
        if path not in self.loaded:
            try:
                with open(path) as f:
                    schema = json.load(f)
            except OSError as e:
                raise Fatal(66, f"cannot read schema {path}: {e.strerror}")
            except ValueError as e:
                raise Fatal(70, f"schema {path} is not JSON: {e}")
            cls = jsonschema.validators.validator_for(schema)
            try:
                cls.check_schema(schema)
            except jsonschema.exceptions.SchemaError as e:
                raise Fatal(70, f"schema {path} is invalid: {pointer(e.absolute_path)}: {e.message}")
            self.loaded[path] = cls(schema)
        return self.loaded[path]

    def by_id(self, schema_id):
        """The validator for an id, or None when no schema file stands for it."""
        path = schema_file(self.directory, schema_id)
        if path is None or not os.path.exists(path):
            return None
        return self.load_file(path)


def pointer(path):
    parts = [str(p).replace("~", "~0").replace("/", "~1") for p in path]
    return "/" + "/".join(parts) if parts else "(top level)"


def shorten(text, limit=240):
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 3] + "..."


def explain(error):
    """The most useful error below a failed oneOf/anyOf: the alternative that
    got furthest into the value, else the oneOf itself with its description."""
    if error.context:
        deepest = max(error.context, key=lambda e: len(e.absolute_path))
        if len(deepest.absolute_path) > len(error.absolute_path):
            return explain(min((c for c in error.context if len(c.absolute_path) == len(deepest.absolute_path)),
                               key=relevance))
        what = error.schema.get("description") if isinstance(error.schema, dict) else None
        if what:
            return error, f"{shorten(repr(error.instance), 120)} is none of the forms allowed ({what})"
    return error, shorten(error.message)


def problems(validator, doc):
    errors = sorted(validator.iter_errors(doc), key=lambda e: [str(p) for p in e.absolute_path])
    out = []
    for e in errors:
        e, message = explain(e)
        out.append(f"{pointer(e.absolute_path)}: {message}")
    return out


def parse(text):
    def no_constant(name):
        raise ValueError(f"{name} is not JSON")
    return json.loads(text, parse_constant=no_constant)


def read(path):
    try:
        if path == "-":
            return sys.stdin.read()
        with open(path, encoding="utf-8") as f:
            return f.read()
    except OSError as e:
        raise Fatal(66, f"cannot read {path}: {e.strerror}")
    except UnicodeDecodeError:
        return None


def documents(text, lines):
    """[(line or None, value or error text)] for a document or a stream."""
    if not lines:
        try:
            return [(None, parse(text))], False
        except ValueError as e:
            if "Extra data" not in str(e):
                return [(None, Exception(f"not JSON: {e}"))], False
    out = []
    for n, line in enumerate(text.split("\n"), 1):
        if not line.strip():
            continue
        try:
            out.append((n, parse(line)))
        except ValueError as e:
            out.append((n, Exception(f"not JSON: {e}")))
    return out, True


def choose(schemas, forced, values, stream):
    """The validator for a file, or an error message."""
    if forced:
        return forced, None
    named = {v["schema"] for _, v in values if isinstance(v, dict) and isinstance(v.get("schema"), str)}
    if not named:
        return None, "no \"schema\" member" + (" on any line (give --schema)" if stream else "")
    if len(named) > 1:
        return None, "lines name different schemas: " + ", ".join(sorted(named))
    (schema_id,) = named
    validator = schemas.by_id(schema_id)
    if validator is None:
        return None, f"unknown schema \"{schema_id}\" (no {os.path.basename(schema_file(schemas.directory, schema_id) or schema_id)} in {schemas.directory})"
    return validator, None


def validate_file(schemas, forced, path, lines, verbose):
    text = read(path)
    if text is None:
        print(f"{path}: not UTF-8 text")
        return False
    values, stream = documents(text, lines)
    if not values:
        print(f"{path}: no JSON value")
        return False
    ok = True
    for n, v in values:
        if isinstance(v, Exception):
            print(f"{path}:{n}: {v}" if n else f"{path}: {v}")
            ok = False
    validator, why = choose(schemas, forced, [(n, v) for n, v in values if not isinstance(v, Exception)], stream)
    if validator is None:
        print(f"{path}: {why}")
        return False
    title = validator.schema.get("title", "?")
    for n, v in values:
        if isinstance(v, Exception):
            continue
        found = problems(validator, v)
        where = f"{path}:{n}" if stream else path
        for p in found[:MAX_ERRORS]:
            print(f"{where}: {p} ({title})")
        if len(found) > MAX_ERRORS:
            print(f"{where}: ... {len(found) - MAX_ERRORS} more problems")
        ok = ok and not found
    if ok and verbose:
        print(f"{path}: valid {title}" + (f" ({len(values)} lines)" if stream else ""))
    return ok


def check_schemas(schemas):
    names = sorted(f for f in os.listdir(schemas.directory) if f.endswith(".schema.json"))
    if not names:
        raise Fatal(66, f"no *.schema.json in {schemas.directory}")
    for name in names:
        v = schemas.load_file(os.path.join(schemas.directory, name))
        title = v.schema.get("title", "")
        if not ID.match(title) or schema_file(schemas.directory, title) != os.path.join(schemas.directory, name):
            raise Fatal(70, f"{name}: title \"{title}\" is not the id the file name stands for")
    return names


def main(argv):
    ap = argparse.ArgumentParser(prog="validate_json.py", add_help=True,
                                 description="Validate scxkit documents and JSON Lines streams against their JSON Schemas.")
    ap.add_argument("--schema", help="the schema of every FILE: an id (scxkit.events/1) or a schema file")
    ap.add_argument("--schema-dir", default=DEFAULT_DIR, help="where the *.schema.json files are")
    ap.add_argument("--lines", action="store_true", help="read every FILE as JSON Lines")
    ap.add_argument("--check-schemas", action="store_true", help="check the schemas themselves")
    ap.add_argument("-v", "--verbose", action="store_true", help="name each valid file")
    ap.add_argument("files", nargs="*", metavar="FILE")
    try:
        args = ap.parse_args(argv)
    except SystemExit as e:
        return 0 if e.code == 0 else 64
    schemas = Schemas(os.path.normpath(args.schema_dir))
    try:
        if args.check_schemas:
            if args.files or args.schema:
                print("validate_json: --check-schemas takes no FILE or --schema", file=sys.stderr)
                return 64
            names = check_schemas(schemas)
            if args.verbose:
                print(f"{len(names)} schemas valid: " + ", ".join(names))
            return 0
        if not args.files:
            print("validate_json: no FILE (try --help)", file=sys.stderr)
            return 64
        forced = None
        if args.schema:
            if ID.match(args.schema):
                forced = schemas.by_id(args.schema)
                if forced is None:
                    raise Fatal(66, f"no schema for {args.schema} in {schemas.directory}")
            else:
                forced = schemas.load_file(args.schema)
        ok = True
        for path in args.files:
            ok = validate_file(schemas, forced, path, args.lines, args.verbose) and ok
        return 0 if ok else 1
    except Fatal as e:
        print(f"validate_json: {e}", file=sys.stderr)
        return e.status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
