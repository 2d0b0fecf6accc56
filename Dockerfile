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
# LIST: a list file inside the build context; overrides PROFILE's list
ARG LIST=

FROM --platform=$BUILDPLATFORM debian:bookworm AS build
ARG PROFILE
ARG BUSYBOX_VERSION
ARG LIST
ARG TARGETPLATFORM
WORKDIR /src
RUN apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends make ca-certificates
COPY . .
RUN make PLATFORMS="$TARGETPLATFORM" PROFILE="$PROFILE" ${BUSYBOX_VERSION:+BUSYBOX_VERSION="$BUSYBOX_VERSION"} \
        ${LIST:+LIST="$LIST"} && \
    profile=$(if [ -n "$LIST" ]; then basename "$LIST" .list; else echo "$PROFILE"; fi) && \
    mkdir /rootfs && \
    tar -C /rootfs -xf "out/$profile/$(echo "$TARGETPLATFORM" | tr / -)/rootfs.tar"

FROM scratch AS artifact
ARG PROFILE
ARG TARGETOS
ARG TARGETARCH
ARG TARGETVARIANT
# ADD unpacks the tarball: same files, modes, owners and mtimes as rootfs.tar
ADD out/${PROFILE}/${TARGETOS}-${TARGETARCH}${TARGETVARIANT:+-}${TARGETVARIANT}/rootfs.tar /
CMD ["/bin/sh"]

FROM scratch AS image
COPY --from=build /rootfs/ /
CMD ["/bin/sh"]
