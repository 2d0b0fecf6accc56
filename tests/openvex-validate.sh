#!/bin/sh
# Validates OpenVEX documents against the rules of the OpenVEX JSON schema
# 0.2.0 (openvex/spec openvex_json_schema.json, $id
# .../openvex_json_schema_0.2.0.json), restated below as a JSON Schema
# (draft 2020-12) and checked with Debian's python3-jsonschema: the official
# schema cannot be fetched here (no network but Debian's mirrors), so this
# names what it checks:
#   document   required @context, @id, author, timestamp, version,
#              statements; no other keys than those and role, last_updated,
#              tooling; @context an OpenVEX context
#              (https://openvex.dev/ns/v0.2.0 for a 0.2.0 document); version
#              an integer >= 1; statements at least one, no two the same
#   statement  required vulnerability (an object with name; @id,
#              description, aliases only) and status (not_affected,
#              affected, fixed, under_investigation); no keys but @id,
#              version, vulnerability, timestamp, last_updated, products,
#              status, supplier, status_notes, justification,
#              impact_statement, action_statement, action_statement_timestamp;
#              justification one of the five labels; not_affected needs
#              exactly one of justification and impact_statement; affected
#              needs action_statement
#   product    @id, identifiers (purl, cpe22, cpe23), hashes (the schema's
#              algorithm names), subcomponents only
#   formats    every @id a URI (a scheme, then no space), every time an
#              RFC 3339 date-time
# Prints "FILE: valid" or the first error; exit 1 on any invalid document.
# usage: tests/openvex-validate.sh FILE...
set -eu
exec /usr/bin/python3 - "$@" <<'PY'
import json, re, sys
import jsonschema

URI = r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s]+$"
TIME = r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$"
uri = {"type": "string", "pattern": URI}
time = {"type": "string", "pattern": TIME}
text = {"type": "string"}
algs = ["md5", "sha1", "sha-256", "sha-384", "sha-512", "sha3-224", "sha3-256",
        "sha3-384", "sha3-512", "blake2s-256", "blake2b-256", "blake2b-512"]
identifiers = {"type": "object", "additionalProperties": False,
               "properties": {k: text for k in ("purl", "cpe22", "cpe23")}}
hashes = {"type": "object", "additionalProperties": False,
          "properties": {k: text for k in algs}}
sub = {"type": "object", "additionalProperties": False,
       "properties": {"@id": uri, "identifiers": identifiers, "hashes": hashes}}
product = {"type": "object", "additionalProperties": False,
           "properties": {"@id": uri, "identifiers": identifiers, "hashes": hashes,
                          "subcomponents": {"type": "array", "uniqueItems": True, "items": sub}}}
vuln = {"type": "object", "additionalProperties": False, "required": ["name"],
        "properties": {"@id": uri, "name": text, "description": text,
                       "aliases": {"type": "array", "uniqueItems": True, "items": text}}}
statement = {
    "type": "object", "additionalProperties": False,
    "required": ["vulnerability", "status"],
    "properties": {
        "@id": uri, "version": {"type": "integer", "minimum": 1}, "vulnerability": vuln,
        "timestamp": time, "last_updated": time,
        "products": {"type": "array", "uniqueItems": True, "items": product},
        "status": {"enum": ["not_affected", "affected", "fixed", "under_investigation"]},
        "supplier": text, "status_notes": text,
        "justification": {"enum": ["component_not_present", "vulnerable_code_not_present",
                                   "vulnerable_code_not_in_execute_path",
                                   "vulnerable_code_cannot_be_controlled_by_adversary",
                                   "inline_mitigations_already_exist"]},
        "impact_statement": text, "action_statement": text,
        "action_statement_timestamp": time,
    },
    "allOf": [
        {"if": {"properties": {"status": {"const": "not_affected"}}},
         "then": {"oneOf": [{"required": ["justification"], "not": {"required": ["impact_statement"]}},
                            {"required": ["impact_statement"], "not": {"required": ["justification"]}}]}},
        {"if": {"properties": {"status": {"const": "affected"}}},
         "then": {"required": ["action_statement"]}},
    ],
}
schema = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object", "additionalProperties": False,
    "required": ["@context", "@id", "author", "timestamp", "version", "statements"],
    "properties": {
        "@context": {"type": "string", "pattern": r"^https://openvex\.dev/ns(/v[0-9.]+)?$"},
        "@id": uri, "author": text, "role": text, "timestamp": time, "last_updated": time,
        "version": {"type": "integer", "minimum": 1}, "tooling": text,
        "statements": {"type": "array", "uniqueItems": True, "minItems": 1, "items": statement},
    },
}
v = jsonschema.Draft202012Validator(schema)
bad = 0
for path in sys.argv[1:]:
    with open(path) as f:
        doc = json.load(f)
    errs = sorted(v.iter_errors(doc), key=lambda e: list(e.path))
    if errs:
        bad = 1
        e = errs[0]
        print(f"{path}: invalid at {'/'.join(map(str, e.path))}: {e.message}")
    else:
        print(f"{path}: valid")
sys.exit(bad)
PY
