/*
 * sqlite_delete_loop — SQLite's own limit for the gateway's bulk delete.
 *
 * Runs, in one process on one connection, the statement the gateway's SQLite adapter runs for
 * DELETE /eval-runs:
 *
 *     DELETE FROM agno_eval_runs WHERE run_id IN (SELECT value FROM json_each(?))
 *
 * with B fresh ids per statement (each statement is its own transaction, autocommit, exactly like
 * the gateway), in WAL mode with synchronous=FULL, for a fixed duration or until the id range is
 * used up. Ids are PREFIX + zero-padded decimal (e.g. e000000042), taken in order from --start.
 *
 * It checks its own result: COUNT(*) before and after must differ by exactly the sum of
 * sqlite3_changes() over all statements.
 *
 * Output: one line of key=value pairs, prefixed "LIMIT ", for Benchmarks/run.sh to parse.
 *
 * Build: cc -O2 -o sqlite_delete_loop sqlite_delete_loop.c -lsqlite3
 * Usage: sqlite_delete_loop DB --batch B --seconds S [--start N] [--count N] [--prefix e]
 *                           [--width 9] [--table agno_eval_runs] [--savepoint] [--audit]
 *
 * --savepoint wraps each statement the way the gateway's group commit does (BEGIN IMMEDIATE;
 * SAVEPOINT; DELETE; RELEASE; COMMIT), to show what that transaction shape costs by itself.
 *
 * --audit does the rest of the gateway's work for one delete: in the same transaction (BEGIN
 * IMMEDIATE; DELETE; INSERT; COMMIT), the audit record the gateway writes for every delete, a miss
 * included, into the table `evalgw_audit` (which the gateway creates in every SQLite file it opens):
 *
 *     INSERT INTO evalgw_audit (id, at, principal, request_id, db_id, table_name, kind, ids_count,
 *                               ids_sha256, filter, deleted, ids) VALUES (?, …)
 *
 * with the values the gateway writes for a `DELETE /eval-runs` by B ids on a gateway without
 * tokens: a time-ordered UUID-like id, the epoch milliseconds, principal "open", a 16-hex-digit
 * request id, db_id "local", the table's name, kind "ids", ids_count B, a 64-hex-digit digest (a
 * fixed one: the gateway hashes the ids in the request's task, not in the database), no filter,
 * the rows the DELETE removed, no ids. The check then also requires one new record per statement
 * whose `deleted` sum equals the rows removed.
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now_seconds(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void die(sqlite3 *db, const char *what) {
    fprintf(stderr, "sqlite_delete_loop: %s: %s\n", what, db ? sqlite3_errmsg(db) : "?");
    exit(2);
}

static long long count_rows(sqlite3 *db, const char *table) {
    char sql[256];
    snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM \"%s\"", table);
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) die(db, "prepare count");
    if (sqlite3_step(st) != SQLITE_ROW) die(db, "count");
    long long n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return n;
}

static long long query_int64(sqlite3 *db, const char *sql) {
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) die(db, "prepare query");
    if (sqlite3_step(st) != SQLITE_ROW) die(db, "query");
    long long n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return n;
}

static sqlite3_stmt *prepare(sqlite3 *db, const char *sql, const char *what) {
    sqlite3_stmt *st;
    if (sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL) != SQLITE_OK) die(db, what);
    return st;
}

static void run(sqlite3 *db, sqlite3_stmt *st, const char *what) {
    if (sqlite3_step(st) != SQLITE_DONE) die(db, what);
    sqlite3_reset(st);
}

static const char hex_digits[] = "0123456789abcdef";

/* An audit record id as the gateway makes them: 48 bits of epoch milliseconds, version 7, a sequence
 * in place of the first random bits, then 48 random bits, as a 36-character UUID string. */
static void record_id(char out[37], long long at_ms, unsigned sequence) {
    unsigned char b[16];
    for (int i = 0; i < 6; i++) b[i] = (unsigned char)(at_ms >> (40 - 8 * i));
    b[6] = 0x70 | ((sequence >> 22) & 0x0F);
    b[7] = (unsigned char)(sequence >> 14);
    b[8] = 0x80 | ((sequence >> 8) & 0x3F);
    b[9] = (unsigned char)sequence;
    for (int i = 10; i < 16; i++) b[i] = (unsigned char)rand();
    int n = 0;
    for (int i = 0; i < 16; i++) {
        if (i == 4 || i == 6 || i == 8 || i == 10) out[n++] = '-';
        out[n++] = hex_digits[b[i] >> 4];
        out[n++] = hex_digits[b[i] & 0x0F];
    }
    out[n] = 0;
}

static long long epoch_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

int main(int argc, char **argv) {
    const char *path = NULL, *prefix = "e", *table = "agno_eval_runs";
    long long batch = 100, start = 0, count = -1, width = 9;
    double seconds = 5;
    int savepoint = 0, audit = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "--batch") && v) { batch = atoll(v); i++; }
        else if (!strcmp(a, "--seconds") && v) { seconds = atof(v); i++; }
        else if (!strcmp(a, "--start") && v) { start = atoll(v); i++; }
        else if (!strcmp(a, "--count") && v) { count = atoll(v); i++; }
        else if (!strcmp(a, "--prefix") && v) { prefix = v; i++; }
        else if (!strcmp(a, "--width") && v) { width = atoll(v); i++; }
        else if (!strcmp(a, "--table") && v) { table = v; i++; }
        else if (!strcmp(a, "--savepoint")) savepoint = 1;
        else if (!strcmp(a, "--audit")) audit = 1;
        else if (a[0] != '-' && !path) path = a;
        else { fprintf(stderr, "sqlite_delete_loop: bad argument %s\n", a); return 2; }
    }
    if (!path || batch < 1) {
        fprintf(stderr, "usage: sqlite_delete_loop DB --batch B --seconds S [--start N] [--count N] [--prefix P] [--savepoint] [--audit]\n");
        return 2;
    }

    sqlite3 *db;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) die(db, "open");
    sqlite3_busy_timeout(db, 5000);
    if (sqlite3_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;", NULL, NULL, NULL) != SQLITE_OK)
        die(db, "pragmas");

    char sql[256];
    snprintf(sql, sizeof sql, "DELETE FROM \"%s\" WHERE run_id IN (SELECT value FROM json_each(?))", table);
    sqlite3_stmt *del;
    if (sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, &del, NULL) != SQLITE_OK) die(db, "prepare delete");

    /* The audit record's statement and the explicit transaction around the two statements. */
    sqlite3_stmt *ins = NULL, *begin = NULL, *commit = NULL;
    const char *audit_table = "evalgw_audit";
    if (audit) {
        ins = prepare(db, "INSERT INTO evalgw_audit (id, at, principal, request_id, db_id, table_name, kind, ids_count, "
                          "ids_sha256, filter, deleted, ids) VALUES (?, ?, 'open', ?, 'local', ?, 'ids', ?, ?, NULL, ?, NULL)",
                      "prepare audit insert (is there an evalgw_audit table?)");
        begin = prepare(db, "BEGIN IMMEDIATE", "prepare begin");
        commit = prepare(db, "COMMIT", "prepare commit");
    }
    const char *digest = "3f0a9d5e1c7b24680fedcba9876543210123456789abcdef0f1e2d3c4b5a6978";
    long long audit_before = audit ? count_rows(db, audit_table) : 0;
    long long audit_deleted_before = audit ? query_int64(db, "SELECT COALESCE(SUM(deleted), 0) FROM evalgw_audit") : 0;
    srand((unsigned)time(NULL));

    long long before = count_rows(db, table);

    size_t idlen = strlen(prefix) + (size_t)width + 3; /* "id", */
    size_t cap = (size_t)batch * idlen + 16;
    char *body = malloc(cap);
    size_t max_tx = 1 << 20;
    double *lat = malloc(max_tx * sizeof(double));
    long long next = start, end = count >= 0 ? start + count : -1;
    long long tx = 0, ids_sent = 0, deleted = 0;

    double t0 = now_seconds(), deadline = t0 + seconds, t = t0;
    while (t < deadline) {
        if (end >= 0 && next + batch > end) break;
        size_t n = 0;
        body[n++] = '[';
        for (long long k = 0; k < batch; k++) {
            n += (size_t)snprintf(body + n, cap - n, "%s\"%s%0*lld\"", k ? "," : "", prefix, (int)width, next + k);
        }
        body[n++] = ']';
        body[n] = 0;
        next += batch;
        if (savepoint && sqlite3_exec(db, "BEGIN IMMEDIATE; SAVEPOINT delete_request;", NULL, NULL, NULL) != SQLITE_OK)
            die(db, "begin");
        if (audit && !savepoint) run(db, begin, "begin");
        sqlite3_bind_text(del, 1, body, (int)n, SQLITE_STATIC);
        int rc = sqlite3_step(del);
        if (rc != SQLITE_DONE) die(db, "delete");
        sqlite3_reset(del);
        sqlite3_clear_bindings(del);
        long long removed = sqlite3_changes64(db);
        deleted += removed;
        if (audit) {
            char id[37], request_id[17];
            long long at = epoch_ms();
            record_id(id, at, (unsigned)tx);
            for (int k = 0; k < 16; k++) request_id[k] = hex_digits[rand() & 0x0F];
            request_id[16] = 0;
            sqlite3_bind_text(ins, 1, id, 36, SQLITE_STATIC);
            sqlite3_bind_int64(ins, 2, at);
            sqlite3_bind_text(ins, 3, request_id, 16, SQLITE_STATIC);
            sqlite3_bind_text(ins, 4, table, -1, SQLITE_STATIC);
            sqlite3_bind_int64(ins, 5, batch);
            sqlite3_bind_text(ins, 6, digest, 64, SQLITE_STATIC);
            sqlite3_bind_int64(ins, 7, removed);
            run(db, ins, "audit insert");
            sqlite3_clear_bindings(ins);
        }
        if (savepoint && sqlite3_exec(db, "RELEASE delete_request; COMMIT;", NULL, NULL, NULL) != SQLITE_OK)
            die(db, "commit");
        if (audit && !savepoint) run(db, commit, "commit");
        ids_sent += batch;
        double t1 = now_seconds();
        if ((size_t)tx < max_tx) lat[tx] = t1 - t;
        tx++;
        t = t1;
    }
    double elapsed = t - t0;
    long long after = count_rows(db, table);

    size_t nl = (size_t)tx < max_tx ? (size_t)tx : max_tx;
    qsort(lat, nl, sizeof(double), cmp_double);
    double p50 = nl ? lat[(size_t)(0.50 * (nl - 1))] : 0, p99 = nl ? lat[(size_t)(0.99 * (nl - 1))] : 0;

    int ok = (before - after) == deleted;
    long long audit_rows = 0;
    if (audit) {
        audit_rows = count_rows(db, audit_table) - audit_before;
        long long audit_deleted = query_int64(db, "SELECT COALESCE(SUM(deleted), 0) FROM evalgw_audit") - audit_deleted_before;
        ok = ok && audit_rows == tx && audit_deleted == deleted;
    }
    printf("LIMIT savepoint=%d audit=%d audit_rows=%lld batch=%lld tx=%lld ids_sent=%lld deleted=%lld seconds=%.3f tx_per_s=%.1f ids_per_s=%.1f "
           "p50_ms=%.3f p99_ms=%.3f rows_before=%lld rows_after=%lld next_id=%lld verify=%s\n",
           savepoint, audit, audit_rows, batch, tx, ids_sent, deleted, elapsed, elapsed > 0 ? tx / elapsed : 0, elapsed > 0 ? deleted / elapsed : 0,
           p50 * 1e3, p99 * 1e3, before, after, next, ok ? "VERIFIED" : "MISMATCH");
    sqlite3_finalize(del);
    sqlite3_finalize(ins);
    sqlite3_finalize(begin);
    sqlite3_finalize(commit);
    sqlite3_close(db);
    free(body);
    free(lat);
    return ok ? 0 : 1;
}
