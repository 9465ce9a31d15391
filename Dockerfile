# syntax=docker/dockerfile:1
# A phyware image built from a release archive, for those who build their own rather than load the release's
# phyware_<version>_linux_<arch>.oci.tar (same layout: the binary at /phyware, user 65532, entrypoint phyware):
#
#   docker build --build-arg VERSION=0.1.0 -t phyware:0.1.0 .
#   docker run --rm phyware:0.1.0 --version
#
# The archive is checked against the release's checksums.txt before it is unpacked.
ARG VERSION=0.1.0

FROM debian:bookworm-slim AS download
ARG VERSION
ARG TARGETARCH
RUN apt-get update \
  && apt-get install -y --no-install-recommends ca-certificates curl \
  && rm -rf /var/lib/apt/lists/*
WORKDIR /download
RUN set -eu; \
  case "$TARGETARCH" in amd64) arch=x64 ;; arm64) arch=arm64 ;; *) echo "unsupported $TARGETARCH" >&2; exit 1 ;; esac; \
  base="https://github.com/phyware/phyware/releases/download/v${VERSION}"; \
  curl -fsSL -O "$base/phyware_${VERSION}_linux_${arch}.tar.gz" -O "$base/checksums.txt"; \
  sha256sum --ignore-missing -c checksums.txt; \
  tar -xzf "phyware_${VERSION}_linux_${arch}.tar.gz" phyware

# glibc and nothing else that phyware does not use; "nonroot" is user 65532.
FROM gcr.io/distroless/base-nossl-debian12:nonroot
ARG VERSION
LABEL org.opencontainers.image.title="phyware" \
  org.opencontainers.image.description="Command-line tool for the PhyCloud service" \
  org.opencontainers.image.version="${VERSION}" \
  org.opencontainers.image.source="https://github.com/phyware/phyware" \
  org.opencontainers.image.licenses="MIT"
COPY --from=download /download/phyware /phyware
USER 65532:65532
ENTRYPOINT ["/phyware"]
