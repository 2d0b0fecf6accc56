#!/bin/bash
# Lint for bats assertions that cannot fail. Under bats' `set -e`, a command
# after `!` never fails a test, and in `a && b` (or a `for` body so written)
# only the last command counts, unless the line is the last of its function
# or test, whose status is the function's. Such lines must be written as one
# `[ ... ]` per line, `run ! ...`, or end with `|| return 1` / `|| false`.
# One TAP line per file; a finding names file:line.
# usage: tests/lint-bats.sh FILE...
set -u
echo "1..$#"
n=0 rc=0
for f in "$@"; do
	n=$((n + 1))
	bad=$(awk -f "$(dirname "$0")/lint-bats.awk" "$f")
	if [ -z "$bad" ]; then
		echo "ok $n - lint-bats: $f: every assertion can fail"
	else
		echo "not ok $n - lint-bats: $f: assertions that cannot fail (see the head of tests/lint-bats.sh):"
		printf '%s\n' "$bad" | sed "s|^|# $f:|"
		rc=1
	fi
done
exit $rc
