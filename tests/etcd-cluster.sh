#!/bin/sh
# A real three-member etcd cluster on the loopback interface, for the failover
# tests and the etcd drill: one member per site (lyon, buenos-aires,
# singapore), with short heartbeat and election timings.
#   sh tests/etcd-cluster.sh start DIR   start it; print the client URLs
#                                        (comma-separated) on stdout
#   sh tests/etcd-cluster.sh stop DIR    kill its members
#   sh tests/etcd-cluster.sh kill DIR NAME   kill one member (SIGKILL)
# DIR holds the members' data directories, logs and pids, and the file
# "endpoints" (one client URL per member, in the order above).
set -eu
members="lyon buenos-aires singapore"

die() {
	echo "etcd-cluster: $*" >&2
	exit "${code:-69}"
}

# port_busy PORT: true when something listens on 127.0.0.1:PORT (when ss(8)
# is there to tell; otherwise the member fails to start and we try others).
port_busy() {
	command -v ss >/dev/null 2>&1 || return 1
	[ -n "$(ss -Htln "sport = :$1" 2>/dev/null)" ]
}

# healthy URL: the member answers /health with "health":"true".
healthy() {
	curl -s -m 1 "$1/health" 2>/dev/null | grep -q '"health":"true"'
}

stop() {
	for m in $members; do
		f=$1/$m.pid
		[ -f "$f" ] || continue
		kill -9 "$(cat "$f")" 2>/dev/null || :
		rm -f "$f"
	done
}

# try DIR BASE: start the three members on ports BASE..BASE+5; 0 when all are up.
try() {
	dir=$1 base=$2 i=0 cluster='' urls=''
	for m in $members; do
		peer=$((base + 2 * i)) client=$((base + 2 * i + 1))
		if port_busy "$peer" || port_busy "$client"; then
			return 1
		fi
		cluster="$cluster${cluster:+,}$m=http://127.0.0.1:$peer"
		i=$((i + 1))
	done
	i=0
	for m in $members; do
		peer=$((base + 2 * i)) client=$((base + 2 * i + 1))
		rm -rf "${dir:?}/$m.etcd"
		etcd --name "$m" --data-dir "$dir/$m.etcd" \
			--listen-peer-urls "http://127.0.0.1:$peer" \
			--initial-advertise-peer-urls "http://127.0.0.1:$peer" \
			--listen-client-urls "http://127.0.0.1:$client" \
			--advertise-client-urls "http://127.0.0.1:$client" \
			--initial-cluster "$cluster" --initial-cluster-state new \
			--initial-cluster-token "ccc-test-$base" \
			--heartbeat-interval 50 --election-timeout 500 \
			--log-level error --logger zap >"$dir/$m.log" 2>&1 </dev/null &
		echo $! >"$dir/$m.pid"
		urls="$urls${urls:+,}http://127.0.0.1:$client"
		i=$((i + 1))
	done
	n=0
	while [ $n -lt 100 ]; do
		up=0
		for u in $(echo "$urls" | tr , ' '); do
			healthy "$u" && up=$((up + 1))
		done
		[ $up = 3 ] && break
		for m in $members; do
			kill -0 "$(cat "$dir/$m.pid")" 2>/dev/null || {
				stop "$dir"
				return 1
			}
		done
		sleep 0.1
		n=$((n + 1))
	done
	if [ "$up" != 3 ]; then
		stop "$dir"
		return 1
	fi
	echo "$urls" | tr , '\n' >"$dir/endpoints"
	echo "$urls"
}

start() {
	command -v etcd >/dev/null 2>&1 || code=69 die "etcd is not installed (apt-get install etcd-server)"
	command -v curl >/dev/null 2>&1 || code=69 die "curl is not installed (apt-get install curl)"
	mkdir -p "$1"
	dir=$(cd "$1" && pwd)
	stop "$dir"
	case $(uname -m) in
	x86_64 | aarch64 | ppc64le | s390x) ;;
	*)
		ETCD_UNSUPPORTED_ARCH=$(uname -m)
		export ETCD_UNSUPPORTED_ARCH
		;;
	esac
	attempt=0
	while [ $attempt -lt 5 ]; do
		# ports from 20000 to 59999, spread by process id and attempt
		base=$((20000 + ($$ * 6 + attempt * 997) % 40000))
		try "$dir" "$base" && return 0
		attempt=$((attempt + 1))
	done
	die "could not start a three-member cluster (see $dir/*.log)"
}

[ $# -ge 2 ] || code=64 die "usage: etcd-cluster.sh start|stop DIR, or kill DIR NAME"
case $1 in
start) start "$2" ;;
stop) stop "$2" ;;
kill)
	[ $# = 3 ] || code=64 die "usage: etcd-cluster.sh kill DIR NAME"
	f=$2/$3.pid
	[ -f "$f" ] || die "no member '$3' in '$2'"
	kill -9 "$(cat "$f")" 2>/dev/null || :
	rm -f "$f"
	;;
*) code=64 die "usage: etcd-cluster.sh start|stop DIR, or kill DIR NAME" ;;
esac
