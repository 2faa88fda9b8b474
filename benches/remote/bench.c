/* Remote-driver benchmark client: built against Debian's libvirt headers, run once with the real
 * libvirt.so.0 and once with oxvirt's (LD_LIBRARY_PATH), against the same kind of daemon.
 *
 * usage:
 *   bench URI NULL_CALLS LIST_ROUNDS
 *       -> "null_us=<per call> list_ms=<per round> n=<domains>"
 *   bench stats URI ROUNDS
 *       virConnectGetAllDomainStats (every group the driver has) -> "stats_ms=<per round>
 *       n=<domains> fields=<typed parameters in all>"
 *   bench threads URI THREADS CALLS
 *       THREADS threads share one connection, each making CALLS null calls
 *       -> "calls_per_s=<all threads> single_us=<one thread alone, per call>"
 *   bench fleet ROUNDS URI...
 *       one connection per URI; per round, one thread per connection lists all domains, all at
 *       once -> "fleet_ms=<per round, all> one_ms=<per round, the first URI alone>
 *       kb_per_conn=<resident memory the connections added, per connection> n=<domains, all>"
 */
#include <libvirt/libvirt.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static long rss_kb(void) {
    long pages = 0, resident = 0;
    FILE *f = fopen("/proc/self/statm", "r");
    if (!f) return -1;
    if (fscanf(f, "%ld %ld", &pages, &resident) != 2) resident = -1;
    fclose(f);
    return resident * (sysconf(_SC_PAGESIZE) / 1024);
}

static int list_all(virConnectPtr c) {
    virDomainPtr *doms = NULL;
    int n = virConnectListAllDomains(c, &doms, 0);
    if (n < 0) return -1;
    for (int i = 0; i < n; i++) virDomainFree(doms[i]);
    free(doms);
    return n;
}

static int basic(const char *uri, int calls, int rounds) {
    virConnectPtr c = virConnectOpen(uri);
    if (!c) return 1;
    unsigned long v;
    /* warm up */
    for (int i = 0; i < 100; i++) if (virConnectGetLibVersion(c, &v) < 0) return 1;
    double t0 = now();
    for (int i = 0; i < calls; i++)
        if (virConnectGetLibVersion(c, &v) < 0) return 1;
    double t1 = now();
    int n = 0;
    double t2 = now();
    for (int r = 0; r < rounds; r++)
        if ((n = list_all(c)) < 0) return 1;
    double t3 = now();
    printf("null_us=%.2f list_ms=%.3f n=%d\n", (t1 - t0) / calls * 1e6,
           (t3 - t2) / rounds * 1e3, n);
    virConnectClose(c);
    return 0;
}

static int stats(const char *uri, int rounds) {
    virConnectPtr c = virConnectOpen(uri);
    if (!c) return 1;
    int n = 0;
    long fields = 0;
    double best = 1e9;
    for (int r = 0; r < rounds + 1; r++) {
        virDomainStatsRecordPtr *recs = NULL;
        double t0 = now();
        n = virConnectGetAllDomainStats(c, 0, &recs, 0);
        if (n < 0) return 1;
        fields = 0;
        for (int i = 0; i < n; i++) fields += recs[i]->nparams;
        virDomainStatsRecordListFree(recs);
        double t = now() - t0;
        if (r > 0 && t < best) best = t; /* round 0 warms up */
    }
    printf("stats_ms=%.3f n=%d fields=%ld\n", best * 1e3, n, fields);
    virConnectClose(c);
    return 0;
}

struct worker {
    virConnectPtr conn;
    int calls;
    int failed;
    int n;
};

static void *null_calls(void *arg) {
    struct worker *w = arg;
    unsigned long v;
    for (int i = 0; i < w->calls; i++)
        if (virConnectGetLibVersion(w->conn, &v) < 0) { w->failed = 1; break; }
    return NULL;
}

static int threads(const char *uri, int nthreads, int calls) {
    virConnectPtr c = virConnectOpen(uri);
    if (!c || nthreads < 1 || nthreads > 64) return 1;
    struct worker w[64];
    pthread_t t[64];
    struct worker one = { c, calls, 0, 0 };
    null_calls(&one); /* warm up */
    double s0 = now();
    null_calls(&one);
    double s1 = now();
    double t0 = now();
    for (int i = 0; i < nthreads; i++) {
        w[i] = (struct worker){ c, calls, 0, 0 };
        if (pthread_create(&t[i], NULL, null_calls, &w[i]) != 0) return 1;
    }
    for (int i = 0; i < nthreads; i++) pthread_join(t[i], NULL);
    double t1 = now();
    for (int i = 0; i < nthreads; i++) if (w[i].failed || one.failed) return 1;
    printf("calls_per_s=%.0f single_us=%.2f\n", nthreads * (double)calls / (t1 - t0),
           (s1 - s0) / calls * 1e6);
    virConnectClose(c);
    return 0;
}

static void *lister(void *arg) {
    struct worker *w = arg;
    w->n = list_all(w->conn);
    if (w->n < 0) w->failed = 1;
    return NULL;
}

static int fleet(int rounds, int nuris, char **uris) {
    if (nuris < 1 || nuris > 64) return 1;
    virConnectPtr conns[64];
    struct worker w[64];
    pthread_t t[64];
    /* The library's own start-up (and its first connection) is not counted against the rest. */
    virConnectPtr warm = virConnectOpen(uris[0]);
    if (!warm || list_all(warm) < 0) return 1;
    long before = rss_kb();
    for (int i = 0; i < nuris; i++)
        if (!(conns[i] = virConnectOpen(uris[i]))) return 1;
    long after = rss_kb();
    double best_all = 1e9, best_one = 1e9;
    int total = 0;
    for (int r = 0; r < rounds; r++) {
        double t0 = now();
        if (list_all(conns[0]) < 0) return 1;
        double t1 = now();
        if (t1 - t0 < best_one) best_one = t1 - t0;
        t0 = now();
        for (int i = 0; i < nuris; i++) {
            w[i] = (struct worker){ conns[i], 0, 0, 0 };
            if (pthread_create(&t[i], NULL, lister, &w[i]) != 0) return 1;
        }
        total = 0;
        for (int i = 0; i < nuris; i++) {
            pthread_join(t[i], NULL);
            if (w[i].failed) return 1;
            total += w[i].n;
        }
        t1 = now();
        if (t1 - t0 < best_all) best_all = t1 - t0;
    }
    printf("fleet_ms=%.3f one_ms=%.3f kb_per_conn=%.0f n=%d\n", best_all * 1e3, best_one * 1e3,
           (double)(after - before) / nuris, total);
    for (int i = 0; i < nuris; i++) virConnectClose(conns[i]);
    virConnectClose(warm);
    return 0;
}

int main(int argc, char **argv) {
    if (argc == 4 && strcmp(argv[1], "stats") == 0) return stats(argv[2], atoi(argv[3]));
    if (argc == 5 && strcmp(argv[1], "threads") == 0)
        return threads(argv[2], atoi(argv[3]), atoi(argv[4]));
    if (argc >= 4 && strcmp(argv[1], "fleet") == 0)
        return fleet(atoi(argv[2]), argc - 3, argv + 3);
    if (argc == 4) return basic(argv[1], atoi(argv[2]), atoi(argv[3]));
    fprintf(stderr, "usage: %s URI NULL_CALLS LIST_ROUNDS | stats URI ROUNDS | "
                    "threads URI THREADS CALLS | fleet ROUNDS URI...\n", argv[0]);
    return 2;
}
