# Sourced by the benchmarks that compare the stores: starts a PostgreSQL server of their own
# (initdb + pg_ctl in a temporary directory, a free loopback port, fsync and synchronous commit
# on, as in production; as the postgres user when run as root, since initdb refuses root) and
# stops it on exit. Sets pg_port; start_postgres takes extra server options (-c name=value).
pg_bin=${LEADLINE_PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)}
start_postgres() {
  pg_dir=$(mktemp -d /tmp/leadline-bench-pg-XXXXXX)
  pg_owner=()
  if [ "$(id -u)" = 0 ]; then chown postgres "$pg_dir"; pg_owner=(runuser -u postgres --); fi
  pg_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  "${pg_owner[@]}" "$pg_bin/initdb" -D "$pg_dir/data" -U leadline --auth=trust -E UTF8 \
    --locale=C >/dev/null
  "${pg_owner[@]}" "$pg_bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/log" -w \
    -o "-p $pg_port -k $pg_dir -c listen_addresses=127.0.0.1 $*" start >/dev/null
}
stop_postgres() {
  [ -n "${pg_dir:-}" ] || return 0
  "${pg_owner[@]}" "$pg_bin/pg_ctl" -D "$pg_dir/data" -m immediate stop >/dev/null || true
  rm -rf "$pg_dir"
}
