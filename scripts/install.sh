#!/bin/sh
# Installs phyware from a release: picks the archive for this OS, CPU and C library, checks its SHA-256
# against the release's checksums.txt, and installs the binary into a directory. It installs nothing when
# the checksum does not match.
#
#   curl -fsSL https://github.com/phyware/phyware/releases/latest/download/install.sh | sh
#   sh install.sh --version 0.1.0 --dir "$HOME/bin"
#
# Everything runs from main, called on the last line: a download cut short (curl | sh) defines functions at
# most, and runs nothing.
set -eu

REPO_URL="https://github.com/phyware/phyware"

usage() {
  cat <<EOF
Usage: install.sh [options]

Options:
  --base-url URL   where the release files are (default: the latest release,
                   or the given --version, at $REPO_URL)
  --version X.Y.Z  install this version (default: whatever the base URL holds)
  --dir DIR        install into DIR (default: /usr/local/bin as root, else \$HOME/.local/bin)
  --os OS          override detection: linux or darwin
  --arch ARCH      override detection: x64 or arm64
  --libc LIBC      override detection on linux: gnu or musl
  -h, --help       show this help

Environment: PHYWARE_BASE_URL and PHYWARE_INSTALL_DIR set the defaults of --base-url and --dir.
EOF
}

fail() {
  echo "install.sh: $*" >&2
  exit 1
}

fetch() { # url file; returns 0, 2 when the server says the file does not exist, 1 on any other failure
  if command -v curl >/dev/null 2>&1; then
    status=$(curl -sSL --retry 2 -o "$2" -w '%{http_code}' "$1") || return 1
    case $status in 2??) return 0 ;; 404 | 410) return 2 ;; *) return 1 ;; esac
  elif command -v wget >/dev/null 2>&1; then
    # wget exits 8 when the server answers with an error (it does not say which).
    wget -q -O "$2" "$1" && return 0
    [ $? -eq 8 ] && return 2
    return 1
  else
    fail "needs curl or wget"
  fi
}

download() { # url file
  fetch "$1" "$2" || fail "cannot download $1"
}

sha256_of() { # file
  if command -v sha256sum >/dev/null 2>&1; then
    sha256sum "$1" | cut -d' ' -f1
  elif command -v shasum >/dev/null 2>&1; then
    shasum -a 256 "$1" | cut -d' ' -f1
  elif command -v openssl >/dev/null 2>&1; then
    openssl dgst -sha256 "$1" | sed 's/^.*= *//'
  else
    fail "needs sha256sum, shasum or openssl to check the download"
  fi
}

main() {
  base_url=${PHYWARE_BASE_URL:-}
  install_dir=${PHYWARE_INSTALL_DIR:-}
  version=""
  os=""
  arch=""
  libc=""
  while [ $# -gt 0 ]; do
    case $1 in
      --base-url) [ $# -ge 2 ] || fail "--base-url needs a value"; base_url=$2; shift 2 ;;
      --version) [ $# -ge 2 ] || fail "--version needs a value"; version=${2#v}; shift 2 ;;
      --dir) [ $# -ge 2 ] || fail "--dir needs a value"; install_dir=$2; shift 2 ;;
      --os) [ $# -ge 2 ] || fail "--os needs a value"; os=$2; shift 2 ;;
      --arch) [ $# -ge 2 ] || fail "--arch needs a value"; arch=$2; shift 2 ;;
      --libc) [ $# -ge 2 ] || fail "--libc needs a value"; libc=$2; shift 2 ;;
      -h | --help) usage; exit 0 ;;
      *) usage >&2; fail "unknown option \"$1\"" ;;
    esac
  done

  if [ -z "$base_url" ]; then
    if [ -n "$version" ]; then
      base_url="$REPO_URL/releases/download/v$version"
    else
      base_url="$REPO_URL/releases/latest/download"
    fi
  fi
  base_url=${base_url%/}

  if [ -z "$os" ]; then
    case $(uname -s) in
      Linux) os=linux ;;
      Darwin) os=darwin ;;
      MINGW* | MSYS* | CYGWIN* | Windows_NT) fail "on Windows, install with Scoop or download the .zip archive" ;;
      *) fail "unsupported operating system \"$(uname -s)\"" ;;
    esac
  fi
  case $os in linux | darwin) ;; *) fail "unsupported --os \"$os\": expected linux or darwin" ;; esac

  if [ -z "$arch" ]; then
    case $(uname -m) in
      x86_64 | amd64) arch=x64 ;;
      aarch64 | arm64 | armv8*) arch=arm64 ;;
      *) fail "unsupported architecture \"$(uname -m)\"" ;;
    esac
    # An x64 shell under Rosetta 2 on Apple silicon: the native arm64 build is the one to install.
    if [ "$os" = darwin ] && [ "$arch" = x64 ] && [ "$(sysctl -n sysctl.proc_translated 2>/dev/null || true)" = 1 ]; then
      arch=arm64
    fi
  fi
  case $arch in x64 | arm64) ;; *) fail "unsupported --arch \"$arch\": expected x64 or arm64" ;; esac

  suffix=""
  if [ "$os" = linux ]; then
    if [ -z "$libc" ]; then
      # ldd names its C library (musl's ldd prints its banner on stderr and exits 1); without a usable
      # answer, the presence of musl's loader decides.
      ldd_says=$(ldd --version 2>&1 || true)
      case $ldd_says in
        *musl*) libc=musl ;;
        *GNU* | *GLIBC* | *glibc*) libc=gnu ;;
        *) if ls /lib/ld-musl-* >/dev/null 2>&1; then libc=musl; else libc=gnu; fi ;;
      esac
    fi
    case $libc in
      gnu | glibc) ;;
      musl) suffix=_musl ;;
      *) fail "unsupported --libc \"$libc\": expected gnu or musl" ;;
    esac
  fi

  if [ -z "$install_dir" ]; then
    if [ "$(id -u)" = 0 ]; then install_dir=/usr/local/bin; else install_dir="$HOME/.local/bin"; fi
  fi

  tmp=$(mktemp -d 2>/dev/null || mktemp -d -t phyware)
  trap 'rm -rf "$tmp"' EXIT INT TERM

  found=0
  fetch "$base_url/checksums.txt" "$tmp/checksums.txt" || found=$?
  if [ "$found" -eq 2 ] && [ -n "$version" ]; then
    fail "release $version does not exist: there is no $base_url/checksums.txt"
  fi
  [ "$found" -eq 0 ] || fail "cannot download $base_url/checksums.txt"
  if [ -n "$version" ]; then
    pattern="phyware_${version}_${os}_${arch}${suffix}\.tar\.gz"
  else
    pattern="phyware_[0-9][^_]*_${os}_${arch}${suffix}\.tar\.gz"
  fi
  if [ -n "$version" ] && ! grep -q " [ *]phyware_${version}_" "$tmp/checksums.txt"; then
    fail "release $version does not exist: $base_url/checksums.txt lists no phyware_${version}_* archive"
  fi
  line=$(grep -E "^[0-9a-f]{64} [ *]${pattern}\$" "$tmp/checksums.txt" | head -n 1 || true)
  [ -n "$line" ] || fail "no phyware archive for ${os}_${arch}${suffix} in $base_url/checksums.txt"
  expected=$(echo "$line" | cut -d' ' -f1)
  archive=$(echo "$line" | sed 's/^[0-9a-f]* [ *]//')

  echo "Downloading $base_url/$archive" >&2
  download "$base_url/$archive" "$tmp/$archive"
  actual=$(sha256_of "$tmp/$archive")
  if [ "$actual" != "$expected" ]; then
    fail "checksum mismatch for $archive: expected $expected, got $actual; nothing was installed"
  fi

  mkdir "$tmp/unpacked"
  tar -xzf "$tmp/$archive" -C "$tmp/unpacked" phyware || fail "cannot unpack $archive"
  mkdir -p "$install_dir" || fail "cannot create \"$install_dir\""
  # Copy then rename, so a running phyware is never left half-written.
  cp "$tmp/unpacked/phyware" "$install_dir/.phyware.new.$$" || fail "cannot write to \"$install_dir\""
  chmod 755 "$install_dir/.phyware.new.$$"
  mv -f "$install_dir/.phyware.new.$$" "$install_dir/phyware"
  echo "Installed $archive to $install_dir/phyware (sha256 $actual)" >&2

  case ":$PATH:" in
    *":$install_dir:"*) ;;
    *) echo "Note: $install_dir is not in PATH; add it, or run $install_dir/phyware" >&2 ;;
  esac
}

main "$@"
