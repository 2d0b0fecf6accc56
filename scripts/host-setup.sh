#!/bin/sh
# Host setup: make sure the Debian packages this project needs are installed.
# usage: scripts/host-setup.sh build|scan|test [PLATFORM...]
#   build: compilers and libraries for bbkit and busybox cross-builds,
#          plus what the given platforms' rows need (their linker), and
#          cmake and g++ when COMPRESS (environment) asks for UPX
#   scan:  build + shfmt (make scan, make check-scripts)
#   test:  build for every platform + what the tests need (qemu, bats, ...)
# As root, missing packages are installed with apt-get (update first,
# non-interactive). Otherwise the exact command is printed and we exit 3.
# Packages already installed are never touched; dpkg's architectures are
# never changed (target sysroots come from 'bbkit sysroot', privately).
set -eu

BUILD_PKGS=${BBKIT_SETUP_PKGS:-"clang lld llvm make gcc libc6-dev bzip2 pkg-config libarchive-dev libelf-dev libssl-dev libjansson-dev patch dpkg-dev ccache"}
# bbkit scan parses shell with shfmt (mvdan/sh): make scan / check-scripts
SCAN_PKGS="shfmt"
TEST_PKGS="$SCAN_PKGS qemu-user-static bats buildah podman libclang-rt-14-dev strace shellcheck mmdebstrap jq skopeo python3-jsonschema"
# the CycloneDX schema comes from the npm registry: npm, from Debian unless
# the machine has one (a nodejs that ships its own npm)
command -v npm >/dev/null 2>&1 || TEST_PKGS="$TEST_PKGS npm"
# COMPRESS=upx*: UPX is built from source (pins.tsv) with these
UPX_PKGS="cmake g++"

# Platform rows whose linker is not the default lld (toolkit/lib/tables.c,
# the LINKER column of 'bbkit platforms'): lld 14 cannot link s390x.
row_pkgs() {
	case "$1" in
	linux/s390x) echo lld-19 ;;
	esac
}

mode=${1:-build}
[ $# -gt 0 ] && shift
case "$mode" in
build) want="$BUILD_PKGS$(case "${COMPRESS:-none}" in none) ;; *) echo " $UPX_PKGS" ;; esac)" ;;
scan) want="$BUILD_PKGS $SCAN_PKGS" ;;
test) want="$BUILD_PKGS $TEST_PKGS $UPX_PKGS $(row_pkgs linux/s390x)" ;;
*) echo "usage: $0 build|scan|test [PLATFORM...]" >&2; exit 2 ;;
esac
for p in "$@"; do want="$want $(row_pkgs "$p")"; done

# one dpkg-query for all (this runs before every make); unknown names only
# make it complain on stderr and leave them out of its output
# shellcheck disable=SC2086
installed=$(dpkg-query -W -f='${Package} ${db:Status-Abbrev}\n' $want 2>/dev/null || true)
missing=""
for p in $want; do
	case "
$installed" in
	*"
$p ii"*) ;;
	*) missing="$missing $p" ;;
	esac
done
[ -z "$missing" ] && exit 0

cmd="apt-get install -y --no-install-recommends$missing"
if [ "$(id -u)" != 0 ]; then
	echo "bbkit: setup: missing host packages:$missing" >&2
	echo "bbkit: setup: run as root: apt-get update && DEBIAN_FRONTEND=noninteractive $cmd" >&2
	exit 3
fi
echo "bbkit: setup: installing host packages:$missing" >&2
export DEBIAN_FRONTEND=noninteractive
# a private file (mktemp: O_EXCL, 0600), never a predictable /tmp name that a
# planted symlink could turn into any file root writes
log=$(mktemp "${TMPDIR:-/tmp}/bbkit-setup.XXXXXX") || exit 3
trap 'rm -f "$log"' EXIT
ok=0
for attempt in 1 2 3; do
	if apt-get update -q >/dev/null 2>&1 || [ "$attempt" = 3 ]; then
		if $cmd >"$log" 2>&1; then ok=1; break; fi
	fi
	sleep 5
done
if [ "$ok" != 1 ]; then
	tail -20 "$log" >&2 || true
	echo "bbkit: setup: apt-get install failed; see above" >&2
	exit 3
fi
