#!/usr/bin/env bats
# The README is the newcomer's page: its Quick start runs as written, it
# stays short, it types no version pins.tsv owns, every link stays inside
# the repository. The sizes and counts it states: variables.bats.
load helpers

# the code blocks of the README's "## Quick start" section, one file each:
# $BATS_TEST_TMPDIR/qs.1, qs.2, ...; prints how many
quick_start_blocks() {
	awk -v d="$BATS_TEST_TMPDIR" '/^## / { on = ($0 == "## Quick start"); next }
		!on { next }
		/^```/ { if (f) { close(f); f = "" } else f = d "/qs." ++n; next }
		f { print > f }
		END { print n + 0 }' "$TOP/README.md"
}

# the image $1 (podman, buildah and skopeo's storage) is linux/arm64 and its
# /bin/busybox is the one make built
image_is_the_build() { # REF
	[ "$(podman image inspect --format '{{.Os}}/{{.Architecture}}' "$1")" = linux/arm64 ] ||
		{ echo "$1: not linux/arm64"; return 1; }
	podman save -q --format docker-archive -o "$BATS_TEST_TMPDIR/img.tar" "$1"
	l=$(tar -xOf "$BATS_TEST_TMPDIR/img.tar" manifest.json | jq -r '.[0].Layers[-1]')
	tar -xOf "$BATS_TEST_TMPDIR/img.tar" "$l" | tar -xOf - bin/busybox | cmp - "$W/out/my/linux-arm64/busybox" ||
		{ echo "$1: its bin/busybox is not out/my/linux-arm64/busybox"; return 1; }
	podman rmi -f "$1" >/dev/null
	rm -f "$BATS_TEST_TMPDIR/img.tar"
}

@test "the README's Quick start, as written, in a copy of the checkout: my.list for arm64, rootfs.tar imported by podman and buildah (docker where a daemon runs), make image copied by skopeo" {
	[ "$(quick_start_blocks)" -eq 3 ]
	W="$BATS_TEST_TMPDIR/w"
	mkdir "$W"
	git -C "$TOP" ls-files -z >"$BATS_TEST_TMPDIR/files"
	(cd "$TOP" || exit 1; xargs -0 cp -p --parents -t "$W" <"$BATS_TEST_TMPDIR/files")
	# this run's build and cache dirs; the image tools' storage in the test's dir
	export B CACHE QUIET=1
	s="$BATS_TEST_TMPDIR/storage"
	mkdir -p "$s/tmp"
	printf '[storage]\ndriver = "vfs"\nrunroot = "%s/run"\ngraphroot = "%s/root"\n' "$s" "$s" >"$s/storage.conf"
	printf '[engine]\nevents_logger = "file"\nevents_logfile_path = "%s/events.log"\ncgroup_manager = "cgroupfs"\ntmp_dir = "%s/tmp"\n' \
		"$s" "$s" >"$s/containers.conf"
	export CONTAINERS_STORAGE_CONF="$s/storage.conf" CONTAINERS_CONF="$s/containers.conf"
	# the list and the build
	run bash -euo pipefail -c "cd '$W' && . '$BATS_TEST_TMPDIR/qs.1'"
	[ "$status" -eq 0 ] || { printf '%s\n' "$output" | tail -20; return 1; }
	has_line rootfs.tar
	grep -qx /bin/grep "$W/out/my/linux-arm64/busybox.links"
	# each import line with its tool; only docker may be missing, and says so
	ran=0
	while IFS= read -r line; do
		tool=${line#c=\$(}
		tool=${tool%% *}
		if [ "$tool" = docker ] && ! docker info >/dev/null 2>&1; then
			echo "# README.md's docker import line not run: no docker daemon on this machine" >&3
			continue
		fi
		command -v "$tool" >/dev/null || { echo "$tool is not installed (make test installs it)"; return 1; }
		run bash -euo pipefail -c "cd '$W' && $line"
		[ "$status" -eq 0 ] || { echo "$line: $output"; return 1; }
		if [ "$tool" = docker ]; then
			[ "$(docker image inspect --format '{{.Architecture}}' my-busybox)" = arm64 ]
			docker rmi my-busybox >/dev/null
		else
			image_is_the_build localhost/my-busybox
		fi
		ran=$((ran + 1))
	done <"$BATS_TEST_TMPDIR/qs.2"
	[ "$ran" -ge 2 ]
	# the OCI layout and skopeo
	run bash -euo pipefail -c "cd '$W' && . '$BATS_TEST_TMPDIR/qs.3'"
	[ "$status" -eq 0 ] || { printf '%s\n' "$output" | tail -20; return 1; }
	image_is_the_build localhost/my-busybox
}

@test "the README is a newcomer's page: under 20 KB, each heading once, no version pins.tsv owns typed, a short section per capability pointing into docs/" {
	[ "$(wc -c <"$TOP/README.md")" -lt 20480 ]
	[ -z "$(grep '^#' "$TOP/README.md" | grep -v '^# ' | sort | uniq -d)" ]
	# every version pins.tsv pins (busybox, musl, UPX), as a whole word
	for v in $(awk -F'\t' '!/^#/ && NF { print $2 }' "$TOP/pins.tsv" | sort -u); do
		run grep -nw -F -- "$v" "$TOP/README.md"
		[ -z "$output" ] || { echo "README.md: types $v, which pins.tsv owns: $output"; return 1; }
	done
	for d in lists configs scan images docker security upx versions platforms guarantees speed design; do
		grep -q "(docs/$d.md)" "$TOP/README.md" || { echo "README.md does not point to docs/$d.md"; return 1; }
	done
	grep -q '(tests/README.md)' "$TOP/README.md"
	grep -q '(bench/README.md)' "$TOP/README.md"
	# CI runs what the README says
	grep -qx 'exec make test' "$TOP/.ci/run"
}

@test "every link of README.md, docs/, tests/README.md and bench/README.md is a file of the repository" {
	cd "$TOP"
	for f in README.md docs/*.md tests/README.md bench/README.md; do
		# markdown links (the target of ](...)) that are not a web address
		for t in $(grep -o '](([^)]*)' "$f" | sed 's/^](//; s/)$//; s/#.*//' | grep -v '^https\?:'); do
			p=$(realpath -m "$(dirname "$f")/$t")
			case "$p" in "$TOP"/*) ;; *) echo "$f: $t leaves the repository"; return 1 ;; esac
			[ -e "$p" ] || { echo "$f: $t: no such file"; return 1; }
		done
		run grep -n 'shared/DESIGN' "$f"
		[ -z "$output" ] || { echo "$f: names a file outside the repository: $output"; return 1; }
	done
}
