# syntax=docker/dockerfile:1
# A busybox rootfs per platform, built natively on the build platform:
#
#   docker buildx build --platform linux/amd64,linux/arm64,linux/arm/v7 \
#       --build-arg PROFILE=debug-shell -t registry.example/busybox-debug .
#
# The final stage is FROM scratch and holds only /bin/busybox and its links,
# so other images take it with:  COPY --from=registry.example/busybox-debug / /
#
# Targets:
#   image     (default) compiles in a Debian stage on $BUILDPLATFORM with the
#             project's own setup (make installs its packages), cross-building
#             for $TARGETPLATFORM with clang/lld: no emulation.
#   artifact  no compiler: takes out/<profile>/<slug>/rootfs.tar already built
#             by `make` from the build context (what the tests use, as no
#             registry is reachable there).
ARG PROFILE=debug-shell
# BUSYBOX_VERSION: empty for pins.tsv's default
ARG BUSYBOX_VERSION=
# LIST: a list file inside the build context, or inside the named context
# "lists" as lists/NAME.list; overrides PROFILE's list (the profile is NAME)
ARG LIST=
# COMPRESS: none, upx or upx-lzma (a UPX-packed /bin/busybox)
ARG COMPRESS=none
# BASE_IMAGE: the Debian bookworm the build stage runs on (any image with
# apt configured for a Debian mirror: make installs the rest)
ARG BASE_IMAGE=debian:bookworm

# Another project's lists, without copying them into this checkout:
#   --build-context lists=../router/busybox --build-arg LIST=lists/router.list
# (a named context replaces this empty stage of the same name)
FROM scratch AS lists

FROM --platform=$BUILDPLATFORM ${BASE_IMAGE} AS build
ARG PROFILE
ARG BUSYBOX_VERSION
ARG LIST
ARG COMPRESS
ARG TARGETPLATFORM
WORKDIR /src
# BuildKit cache mounts: apt's downloads, and bbkit's cache (busybox sources,
# sysroots, UPX, the compiler cache) live across builds and are shared by
# every platform's stage and every run of a builder: a second platform or
# a rebuild fetches nothing and compiles only what changed. (bbkit's cache
# and apt take their own locks, so the stages share them at once; buildah
# 1.28 hangs on a second RUN mounting a sharing=locked cache.) The outputs
# do not depend on it: a cold and a warm cache give the same bytes.
RUN --mount=type=cache,id=bbkit-apt-cache,target=/var/cache/apt \
    --mount=type=cache,id=bbkit-apt-lists,target=/var/lib/apt/lists \
    rm -f /etc/apt/apt.conf.d/docker-clean && \
    echo 'Binary::apt::APT::Keep-Downloaded-Packages "true";' >/etc/apt/apt.conf.d/keep-cache && \
    apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends make ca-certificates
COPY . .
COPY --from=lists / lists/
RUN --mount=type=cache,id=bbkit-apt-cache,target=/var/cache/apt \
    --mount=type=cache,id=bbkit-apt-lists,target=/var/lib/apt/lists \
    --mount=type=cache,id=bbkit-cache,target=/var/cache/bbkit \
    make CACHE=/var/cache/bbkit PLATFORMS="$TARGETPLATFORM" PROFILE="$PROFILE" COMPRESS="$COMPRESS" ${BUSYBOX_VERSION:+BUSYBOX_VERSION="$BUSYBOX_VERSION"} \
        ${LIST:+LIST="$LIST"} && \
    profile=$(if [ -n "$LIST" ]; then basename "$LIST" .list; else echo "$PROFILE"; fi) && \
    mkdir /rootfs && \
    tar -C /rootfs -xf "out/$profile/$(echo "$TARGETPLATFORM" | tr / -)/rootfs.tar"

FROM scratch AS artifact
ARG PROFILE
ARG BUSYBOX_VERSION
ARG TARGETOS
ARG TARGETARCH
ARG TARGETVARIANT
# ADD unpacks the tarball: same files, modes, owners and mtimes as rootfs.tar
ADD out/${PROFILE}/${TARGETOS}-${TARGETARCH}${TARGETVARIANT:+-}${TARGETVARIANT}/rootfs.tar /
ENV PATH=/usr/sbin:/usr/bin:/sbin:/bin
LABEL org.opencontainers.image.title="busybox (${PROFILE})" \
      org.opencontainers.image.description="busybox with the applets of bbkit's ${PROFILE} profile" \
      org.opencontainers.image.version="${BUSYBOX_VERSION}" \
      org.opencontainers.image.licenses="GPL-2.0-only"
CMD ["/bin/sh"]

FROM scratch AS image
ARG PROFILE
ARG BUSYBOX_VERSION
COPY --from=build /rootfs/ /
ENV PATH=/usr/sbin:/usr/bin:/sbin:/bin
LABEL org.opencontainers.image.title="busybox (${PROFILE})" \
      org.opencontainers.image.description="busybox with the applets of bbkit's ${PROFILE} profile" \
      org.opencontainers.image.version="${BUSYBOX_VERSION}" \
      org.opencontainers.image.licenses="GPL-2.0-only"
CMD ["/bin/sh"]
