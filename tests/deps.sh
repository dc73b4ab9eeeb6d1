#!/bin/sh
# Install the Debian packages that ccc builds and tests with, when run as root;
# otherwise print the exact apt-get line and fail.
set -u
pkgs="gcc make pkg-config libsqlite3-dev libssl-dev libjq-dev libonig-dev libxml2-dev
libicu-dev libcurl4-openssl-dev sqlite3 jq bats bats-assert bats-support libxml2-utils
libhangul-dev libmecab-dev mecab-ipadic-utf8
etcd-server etcd-client curl mandoc perl clang libclang-rt-14-dev valgrind
clang-format cppcheck shellcheck tzdata chromium tidy python3-html5lib python3-jsonschema"
missing=
# shellcheck disable=SC2086
installed=$(dpkg-query -W -f='${Package} ${db:Status-Status}\n' $pkgs 2>/dev/null |
	awk '$2 == "installed" { print $1 }')
for p in $pkgs; do
	printf '%s\n' "$installed" | grep -qx "$p" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" = 0 ]; then
	echo "deps: installing:$missing" >&2
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq >&2 || exit 69
	# shellcheck disable=SC2086
	apt-get install -y -qq --no-install-recommends $missing >&2 || exit 69
	exit 0
fi
echo "deps: missing Debian packages:$missing" >&2
echo "deps: run: sudo apt-get install$missing" >&2
exit 69
