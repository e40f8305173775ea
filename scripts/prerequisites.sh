#!/bin/sh
# What the builds, the local cluster and the tests need of this machine, checked before anything
# is built: `npm start`, `npm test` and .ci/run run it first. Missing Debian packages are
# installed with apt when we are root on Debian (set ISTIO_CHARTS_NO_APT=1 to only report);
# anything else missing stops here, one line per piece with the command that installs it.
#
# The local cluster runs in network namespaces (iproute2), makes certificates with openssl,
# captures pod traffic with iptables, gives pods curl, switches their user and namespaces with
# setpriv, unshare and nsenter (util-linux), sets sysctls (procps); Envoy comes from PyPI (pip),
# the scanner test installs checkov into a venv, and the release tests sign charts with gpg.
set -u

problems=""
say() { problems="$problems$1
"; }

[ "$(uname -s)" = Linux ] || say "Linux is required (network namespaces and iptables); this is $(uname -s)"
[ "$(id -u)" = 0 ] || say "root is required (the local cluster creates network namespaces and mounts); run as root, e.g. sudo -E npm start"

node_major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
[ "$node_major" -ge 20 ] 2>/dev/null || say "Node.js 20 or newer is required (found: $(node --version 2>/dev/null || echo none)); install it from https://nodejs.org/en/download"

go_minor=$(go env GOVERSION 2>/dev/null | sed -n 's/^go1\.\([0-9]*\).*/\1/p')
[ "${go_minor:-0}" -ge 26 ] || say "Go 1.26 or newer is required to build the Kubernetes and Istio programs (found: $(go env GOVERSION 2>/dev/null || echo none)); install it from https://go.dev/dl/"

# Debian package -> a command (or Python module) it provides
missing=""
need() { command -v "$2" >/dev/null 2>&1 || missing="$missing $1:$2"; }
need iproute2 ip
need iptables iptables
need curl curl
need openssl openssl
need util-linux setpriv
need util-linux unshare
need util-linux nsenter
need procps sysctl
need gnupg gpg
need python3 python3
if command -v python3 >/dev/null 2>&1; then
  python3 -m pip --version >/dev/null 2>&1 || missing="$missing python3-pip:pip"
  python3 -c 'import venv, ensurepip' >/dev/null 2>&1 || missing="$missing python3-venv:venv"
fi

packages=$(for m in $missing; do echo "${m%%:*}"; done | sort -u | tr '\n' ' ' | sed 's/ $//')
if [ -n "$packages" ] && [ "${ISTIO_CHARTS_NO_APT:-}" != 1 ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing missing Debian packages: $packages" >&2
  if apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $packages >/dev/null; then
    hash -r 2>/dev/null
    still=""
    for m in $missing; do
      case "${m#*:}" in
        pip) python3 -m pip --version >/dev/null 2>&1 || still="$still $m" ;;
        venv) python3 -c 'import venv, ensurepip' >/dev/null 2>&1 || still="$still $m" ;;
        *) command -v "${m#*:}" >/dev/null 2>&1 || still="$still $m" ;;
      esac
    done
    missing=$still
  else
    echo "apt-get could not install them" >&2
  fi
fi
for m in $missing; do
  say "${m#*:} is missing (Debian package ${m%%:*}): apt-get install -y ${m%%:*}"
done

if [ -n "$problems" ]; then
  printf '%s' "$problems" | sed 's/^/prerequisite: /' >&2
  echo "nothing was built; fix the above and run again" >&2
  exit 1
fi
