#!/bin/sh
# Validates CycloneDX 1.5 JSON documents against the official schema, as the
# npm package @cyclonedx/cyclonedx-library ships it (fetched once with npm
# into CACHE/npm, its integrity pinned here), with Debian's
# python3-jsonschema. Prints "FILE: valid" or the first error; exit 1 on any
# invalid document, 3 when the schema cannot be had.
# usage: tests/cdx-validate.sh CACHE FILE...
set -eu
cache=$1
shift
ver=10.3.0
integrity=sha512-RIT28sp1U0PCHaaeF3yNRwk6Jig/XJ8UsYAVOMYaHQ+0VVOvsjcp0PTWQFLUqJFF8XMud+Kdq6G+wtDAh+QJFA==
dir=$cache/npm/cyclonedx-library-$ver
if [ ! -d "$dir" ]; then
	command -v npm >/dev/null || { echo "cdx-validate: npm not found (the schema comes from the npm registry)" >&2; exit 3; }
	tmp=$dir.tmp.$$
	rm -rf "$tmp"
	mkdir -p "$tmp"
	(cd "$tmp" && npm pack --silent "@cyclonedx/cyclonedx-library@$ver" >/dev/null) || { rm -rf "$tmp"; exit 3; }
	tgz=$tmp/cyclonedx-cyclonedx-library-$ver.tgz
	got="sha512-$(openssl dgst -sha512 -binary "$tgz" | base64 -w0)"
	[ "$got" = "$integrity" ] || { echo "cdx-validate: $tgz: integrity $got, want $integrity" >&2; rm -rf "$tmp"; exit 3; }
	tar -xzf "$tgz" -C "$tmp" package/res/schema
	mv "$tmp" "$dir"
fi
/usr/bin/python3 - "$dir/package/res/schema" "$@" <<'PY'
import json, sys
import jsonschema
d = sys.argv[1]
def load(n):
    with open(f"{d}/{n}") as f:
        return json.load(f)
bom = load("bom-1.5.SNAPSHOT.schema.json")
base = "http://cyclonedx.org/schema/"
store = {base + n: load(n) for n in ("spdx.SNAPSHOT.schema.json", "jsf-0.82.SNAPSHOT.schema.json")}
resolver = jsonschema.RefResolver(bom["$id"], bom, store=store)
v = jsonschema.Draft7Validator(bom, resolver=resolver)
bad = 0
for path in sys.argv[2:]:
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
