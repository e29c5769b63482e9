# Sourced by the benchmarks that start a private PostgreSQL, when BENCH_PG_STATEMENTS=1: where the
# database's time goes, from pg_stat_statements (statements inside functions and foreign-key checks too).
#   pg_statements_enable CLUSTER_DIR PORT   load the module into the cluster (a restart), create its view
#   pg_statements_print PORT                the 25 statements with the most server time in every database
#                                           but "postgres", then the total of the top-level ones
# The superuser "tg" logs in with $TG_PG_PASSWORD (never on a command line).
pg_statements_enable() {
  local dir=$1 port=$2
  printf "shared_preload_libraries = 'pg_stat_statements'\npg_stat_statements.track = all\n" \
    | runuser -u postgres -- tee -a "$dir/data/postgresql.conf" >/dev/null
  bash "$(dirname "${BASH_SOURCE[0]}")/../scripts/testservers/postgres.sh" restart "$dir" >/dev/null
  PGPASSWORD=$TG_PG_PASSWORD psql -h 127.0.0.1 -p "$port" -U tg -d postgres -qc "CREATE EXTENSION pg_stat_statements" >/dev/null
}

pg_statements_print() {
  local port=$1 others="dbid <> (SELECT oid FROM pg_database WHERE datname = 'postgres')"
  echo "PostgreSQL statements by server time (pg_stat_statements; calls, total ms, mean ms, statement):"
  PGPASSWORD=$TG_PG_PASSWORD psql -h 127.0.0.1 -p "$port" -U tg -d postgres -tAqc "
    SELECT calls, round(total_exec_time::numeric, 1), round(mean_exec_time::numeric, 3), left(regexp_replace(query, '\s+', ' ', 'g'), 110)
    FROM pg_stat_statements WHERE $others ORDER BY total_exec_time DESC LIMIT 25"
  PGPASSWORD=$TG_PG_PASSWORD psql -h 127.0.0.1 -p "$port" -U tg -d postgres -tAqc "
    SELECT 'all statements: ' || SUM(calls) || ' calls, ' || round(SUM(total_exec_time)::numeric) || ' ms'
    FROM pg_stat_statements WHERE $others AND toplevel"
}
