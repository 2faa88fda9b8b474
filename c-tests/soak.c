/* Soak test: THREADS threads per URI mutate and list every object family through the public API
 * for SECONDS, with domain (and, where served, network/pool/node-device) event callbacks
 * registered and the default event loop running. Resource use of the process (RSS, open file
 * descriptors, threads) is sampled once warmed up, half-way and at the end, each time with every
 * connection of the workers closed; the run fails when RSS grows in the second half (a leak
 * grows with the work done, a high-water mark does not) or fds or threads grow at all, when a call
 * crashes or hangs (the whole run is bounded by an alarm), or when a family's calls give an
 * error no concurrent run can explain.
 *
 *     soak SECONDS THREADS URI [URI...]
 *
 * A family whose calls answer VIR_ERR_NO_SUPPORT on a URI is reported as not served there and
 * skipped, so the soak covers each family as soon as a driver serves it.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <malloc.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

enum { FAM_DOMAIN, FAM_SNAPSHOT, FAM_NETWORK, FAM_POOL, FAM_VOLUME, FAM_IFACE, FAM_NODEDEV, FAM_N };
static const char *fam_names[FAM_N] = {"domain", "snapshot", "network", "storage pool",
                                       "storage volume", "interface", "node device"};

struct target {
    const char *uri;
    atomic_long ops[FAM_N];
    atomic_int unsupported[FAM_N];
    atomic_int skipped[FAM_N];
    atomic_long unexpected;
    atomic_long events;
};

static struct target *targets;
static int ntargets;
static atomic_int stop;
static atomic_int loop_stop;
static atomic_int failures;

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void quiet(void *opaque, virErrorPtr err)
{
    (void)opaque;
    (void)err;
}

/* The last call failed: NO_SUPPORT marks the family as not served; the errors concurrent
 * workers cause each other (an object another thread removed or changed) are expected; any
 * other error is counted and printed. */
static void failed(struct target *t, int fam, const char *what)
{
    virErrorPtr e = virGetLastError();
    int code = e ? e->code : -1;
    if (code == VIR_ERR_NO_SUPPORT) {
        atomic_store(&t->unsupported[fam], 1);
        return;
    }
    switch (code) {
    case VIR_ERR_NO_DOMAIN:
    case VIR_ERR_NO_NETWORK:
    case VIR_ERR_NO_STORAGE_POOL:
    case VIR_ERR_NO_STORAGE_VOL:
    case VIR_ERR_NO_INTERFACE:
    case VIR_ERR_NO_NODE_DEVICE:
    case VIR_ERR_NO_DOMAIN_SNAPSHOT:
    case VIR_ERR_OPERATION_INVALID:
    case VIR_ERR_OPERATION_FAILED:
    case VIR_ERR_INVALID_DOMAIN:
    case VIR_ERR_INVALID_NETWORK:
    case VIR_ERR_INVALID_STORAGE_POOL:
    case VIR_ERR_INVALID_STORAGE_VOL:
        return;
    default:
        if (atomic_fetch_add(&t->unexpected, 1) < 10)
            fprintf(stderr, "soak: %s on %s: unexpected error %d: %s\n", what, t->uri, code,
                    e && e->message ? e->message : "(none)");
    }
}

/* libvirt's callback macros cast directly, which -Wcast-function-type rejects; going through
 * void (*)(void) is the accepted way to say the cast is meant. */
#define DOM_CB(cb) ((virConnectDomainEventGenericCallback)(void (*)(void))(cb))

static int lifecycle_cb(virConnectPtr c, virDomainPtr d, int event, int detail, void *opaque)
{
    (void)c;
    (void)d;
    (void)event;
    (void)detail;
    atomic_fetch_add(&((struct target *)opaque)->events, 1);
    return 0;
}

/* The lifecycle callbacks of networks and storage pools: (conn, object, event, detail, opaque). */
static void object_lifecycle_cb(virConnectPtr c, void *obj, int event, int detail, void *opaque)
{
    (void)c;
    (void)obj;
    (void)event;
    (void)detail;
    atomic_fetch_add(&((struct target *)opaque)->events, 1);
}

static int served(struct target *t, int fam)
{
    return !atomic_load(&t->unsupported[fam]) && !atomic_load(&t->skipped[fam]);
}

static void domains(struct target *t, virConnectPtr c, int w, int i)
{
    char xml[1024], name[64];
    snprintf(name, sizeof name, "soak-%d-%d", w, i % 4);
    snprintf(xml, sizeof xml,
             "<domain type='test'><name>%s</name><memory>65536</memory>"
             "<os><type>hvm</type></os></domain>", name);
    virDomainPtr d = virDomainDefineXML(c, xml);
    if (!d) {
        failed(t, FAM_DOMAIN, "virDomainDefineXML");
        return;
    }
    if (virDomainCreate(d) < 0)
        failed(t, FAM_DOMAIN, "virDomainCreate");
    char *x = virDomainGetXMLDesc(d, 0);
    free(x);
    if (served(t, FAM_SNAPSHOT)) {
        virDomainSnapshotPtr s = virDomainSnapshotCreateXML(d, "<domainsnapshot/>", 0);
        if (s) {
            virDomainSnapshotPtr *snaps = NULL;
            int n = virDomainListAllSnapshots(d, &snaps, 0);
            for (int k = 0; k < n; k++)
                virDomainSnapshotFree(snaps[k]);
            free(snaps);
            if (virDomainSnapshotDelete(s, 0) < 0)
                failed(t, FAM_SNAPSHOT, "virDomainSnapshotDelete");
            virDomainSnapshotFree(s);
            atomic_fetch_add(&t->ops[FAM_SNAPSHOT], 1);
        } else {
            failed(t, FAM_SNAPSHOT, "virDomainSnapshotCreateXML");
        }
    }
    if (virDomainDestroy(d) < 0)
        failed(t, FAM_DOMAIN, "virDomainDestroy");
    if (virDomainUndefineFlags(d, VIR_DOMAIN_UNDEFINE_SNAPSHOTS_METADATA) < 0)
        failed(t, FAM_DOMAIN, "virDomainUndefineFlags");
    virDomainFree(d);
    virDomainPtr *list = NULL;
    int n = virConnectListAllDomains(c, &list, 0);
    if (n < 0)
        failed(t, FAM_DOMAIN, "virConnectListAllDomains");
    for (int k = 0; k < n; k++)
        virDomainFree(list[k]);
    free(list);
    atomic_fetch_add(&t->ops[FAM_DOMAIN], 1);
}

static void networks(struct target *t, virConnectPtr c, int w, int i)
{
    char xml[512], name[64];
    snprintf(name, sizeof name, "soaknet-%d-%d", w, i % 4);
    snprintf(xml, sizeof xml, "<network><name>%s</name><bridge name='sk%d%d'/></network>", name,
             w, i % 4);
    virNetworkPtr n = virNetworkDefineXML(c, xml);
    if (!n) {
        failed(t, FAM_NETWORK, "virNetworkDefineXML");
        return;
    }
    if (virNetworkCreate(n) < 0)
        failed(t, FAM_NETWORK, "virNetworkCreate");
    free(virNetworkGetXMLDesc(n, 0));
    if (virNetworkDestroy(n) < 0)
        failed(t, FAM_NETWORK, "virNetworkDestroy");
    if (virNetworkUndefine(n) < 0)
        failed(t, FAM_NETWORK, "virNetworkUndefine");
    virNetworkFree(n);
    virNetworkPtr *list = NULL;
    int k = virConnectListAllNetworks(c, &list, 0);
    for (int j = 0; j < k; j++)
        virNetworkFree(list[j]);
    free(list);
    atomic_fetch_add(&t->ops[FAM_NETWORK], 1);
}

static void pools(struct target *t, virConnectPtr c, int w, int i)
{
    char xml[512], name[64];
    snprintf(name, sizeof name, "soakpool-%d-%d", w, i % 4);
    snprintf(xml, sizeof xml,
             "<pool type='dir'><name>%s</name><target><path>/soak/%s</path></target></pool>",
             name, name);
    virStoragePoolPtr p = virStoragePoolDefineXML(c, xml, 0);
    if (!p) {
        failed(t, FAM_POOL, "virStoragePoolDefineXML");
        return;
    }
    if (virStoragePoolCreate(p, 0) < 0)
        failed(t, FAM_POOL, "virStoragePoolCreate");
    if (served(t, FAM_VOLUME)) {
        virStorageVolPtr v = virStorageVolCreateXML(
            p, "<volume><name>v.img</name><capacity>1048576</capacity></volume>", 0);
        if (v) {
            free(virStorageVolGetXMLDesc(v, 0));
            if (virStorageVolDelete(v, 0) < 0)
                failed(t, FAM_VOLUME, "virStorageVolDelete");
            virStorageVolFree(v);
            atomic_fetch_add(&t->ops[FAM_VOLUME], 1);
        } else {
            failed(t, FAM_VOLUME, "virStorageVolCreateXML");
        }
    }
    free(virStoragePoolGetXMLDesc(p, 0));
    if (virStoragePoolDestroy(p) < 0)
        failed(t, FAM_POOL, "virStoragePoolDestroy");
    if (virStoragePoolUndefine(p) < 0)
        failed(t, FAM_POOL, "virStoragePoolUndefine");
    virStoragePoolFree(p);
    virStoragePoolPtr *list = NULL;
    int k = virConnectListAllStoragePools(c, &list, 0);
    for (int j = 0; j < k; j++)
        virStoragePoolFree(list[j]);
    free(list);
    atomic_fetch_add(&t->ops[FAM_POOL], 1);
}

static void interfaces(struct target *t, virConnectPtr c, int w, int i)
{
    char xml[512];
    snprintf(xml, sizeof xml,
             "<interface type='ethernet' name='soak%d%d'><start mode='onboot'/>"
             "<mac address='52:54:00:5a:%02x:%02x'/></interface>", w, i % 4, w & 0xff, i % 4);
    virInterfacePtr f = virInterfaceDefineXML(c, xml, 0);
    if (!f) {
        failed(t, FAM_IFACE, "virInterfaceDefineXML");
        return;
    }
    free(virInterfaceGetXMLDesc(f, 0));
    if (virInterfaceUndefine(f) < 0)
        failed(t, FAM_IFACE, "virInterfaceUndefine");
    virInterfaceFree(f);
    virInterfacePtr *list = NULL;
    int k = virConnectListAllInterfaces(c, &list, 0);
    for (int j = 0; j < k; j++)
        virInterfaceFree(list[j]);
    free(list);
    atomic_fetch_add(&t->ops[FAM_IFACE], 1);
}

static void nodedevs(struct target *t, virConnectPtr c)
{
    virNodeDevicePtr *list = NULL;
    int k = virConnectListAllNodeDevices(c, &list, 0);
    if (k < 0) {
        failed(t, FAM_NODEDEV, "virConnectListAllNodeDevices");
        return;
    }
    for (int j = 0; j < k; j++) {
        free(virNodeDeviceGetXMLDesc(list[j], 0));
        virNodeDeviceFree(list[j]);
    }
    free(list);
    atomic_fetch_add(&t->ops[FAM_NODEDEV], 1);
}

struct worker {
    struct target *t;
    int id;
};

static void *work(void *arg)
{
    struct worker *wk = arg;
    struct target *t = wk->t;
    int round = 0;
    while (!atomic_load(&stop)) {
        /* A connection per round of 50 iterations: opening and closing is part of the soak. */
        virConnectPtr c = virConnectOpen(t->uri);
        if (!c) {
            failed(t, FAM_DOMAIN, "virConnectOpen");
            sleep(1);
            continue;
        }
        int events = !(getenv("SOAK_SKIP") && strstr(getenv("SOAK_SKIP"), "events"));
        int cb = !events ? -1 : virConnectDomainEventRegisterAny(c, NULL, VIR_DOMAIN_EVENT_ID_LIFECYCLE,
                                                  DOM_CB(lifecycle_cb), t,
                                                  NULL);
        int ncb = !events ? -1 : virConnectNetworkEventRegisterAny(c, NULL, VIR_NETWORK_EVENT_ID_LIFECYCLE,
                                                    (virConnectNetworkEventGenericCallback)(void (*)(void))object_lifecycle_cb, t,
                                                    NULL);
        int pcb = !events ? -1 : virConnectStoragePoolEventRegisterAny(
            c, NULL, VIR_STORAGE_POOL_EVENT_ID_LIFECYCLE,
            (virConnectStoragePoolEventGenericCallback)(void (*)(void))object_lifecycle_cb, t, NULL);
        for (int i = 0; i < 50 && !atomic_load(&stop); i++, round++) {
            if (served(t, FAM_DOMAIN))
                domains(t, c, wk->id, round);
            if (served(t, FAM_NETWORK))
                networks(t, c, wk->id, round);
            if (served(t, FAM_POOL))
                pools(t, c, wk->id, round);
            if (served(t, FAM_IFACE))
                interfaces(t, c, wk->id, round);
            if (served(t, FAM_NODEDEV))
                nodedevs(t, c);
        }
        if (cb >= 0)
            virConnectDomainEventDeregisterAny(c, cb);
        if (ncb >= 0)
            virConnectNetworkEventDeregisterAny(c, ncb);
        if (pcb >= 0)
            virConnectStoragePoolEventDeregisterAny(c, pcb);
        virConnectClose(c);
    }
    return NULL;
}

static void *event_loop(void *arg)
{
    (void)arg;
    while (!atomic_load(&loop_stop))
        virEventRunDefaultImpl();
    return NULL;
}

struct usage {
    long rss_kb;
    int fds;
    int threads;
};

/* What the process holds once every worker's connection is closed. Freed memory is handed
 * back to the system first (malloc_trim), so RSS follows what is still allocated rather than
 * the allocator's high-water mark. */
static struct usage sample(void)
{
    struct usage u = {0, 0, 0};
    malloc_trim(0);
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    while (f && fgets(line, sizeof line, f)) {
        if (!strncmp(line, "VmRSS:", 6))
            u.rss_kb = atol(line + 6);
        else if (!strncmp(line, "Threads:", 8))
            u.threads = atoi(line + 8);
    }
    if (f)
        fclose(f);
    DIR *d = opendir("/proc/self/fd");
    struct dirent *e;
    while (d && (e = readdir(d)))
        if (e->d_name[0] != '.')
            u.fds++;
    if (d)
        closedir(d);
    return u;
}

/* A sample once the threads of the connections just closed have ended (a remote connection's
 * reader thread finishes shortly after virConnectClose returns): up to 5 s for the thread
 * count to come back to `base`'s. */
static struct usage settled(struct usage base)
{
    struct usage u = sample();
    for (int i = 0; i < 50 && u.threads > base.threads; i++) {
        usleep(100000);
        u = sample();
    }
    return u;
}

static void on_alarm(int sig)
{
    (void)sig;
    static const char msg[] = "soak: FAIL: the run did not end in time (a call hangs)\n";
    ssize_t r = write(2, msg, sizeof msg - 1);
    (void)r;
    _exit(2);
}

/* Run every worker for `secs` seconds; the idle connection keeps the event loop's callbacks
 * registered throughout. */
static void run(int threads, double secs)
{
    pthread_t tids[256];
    struct worker wks[256];
    int n = 0;
    atomic_store(&stop, 0);
    for (int t = 0; t < ntargets; t++)
        for (int i = 0; i < threads && n < 256; i++, n++) {
            wks[n].t = &targets[t];
            wks[n].id = i;
            pthread_create(&tids[n], NULL, work, &wks[n]);
        }
    double end = now() + secs;
    while (now() < end)
        usleep(100000);
    atomic_store(&stop, 1);
    for (int i = 0; i < n; i++)
        pthread_join(tids[i], NULL);
}

int main(int argc, char **argv)
{
    if (argc < 4) {
        fprintf(stderr, "usage: soak SECONDS THREADS URI [URI...]\n");
        return 2;
    }
    double secs = atof(argv[1]);
    int threads = atoi(argv[2]);
    ntargets = argc - 3;
    targets = calloc(ntargets, sizeof *targets);
    /* SOAK_SKIP=domain,network,...: families (and "events": the registrations) left out, to
     * find which one a failure is in. */
    const char *skip = getenv("SOAK_SKIP");
    for (int i = 0; i < ntargets; i++) {
        targets[i].uri = argv[3 + i];
        for (int f = 0; skip && f < FAM_N; f++)
            if (strstr(skip, fam_names[f]))
                atomic_store(&targets[i].skipped[f], 1);
    }
    signal(SIGPIPE, SIG_IGN);
    signal(SIGALRM, on_alarm);
    alarm((unsigned)secs + 120);
    virSetErrorFunc(NULL, quiet);
    virEventRegisterDefaultImpl();
    pthread_t loop;
    pthread_create(&loop, NULL, event_loop, NULL);
    /* A connection held open throughout wakes the loop now and then (its keepalive or its
     * events), so the loop thread can notice the end. */
    virConnectPtr keep = getenv("SOAK_SKIP") && strstr(getenv("SOAK_SKIP"), "keep") ? NULL : virConnectOpen(targets[0].uri);
    int keep_cb = keep ? virConnectDomainEventRegisterAny(keep, NULL,
                                                          VIR_DOMAIN_EVENT_ID_LIFECYCLE,
                                                          DOM_CB(lifecycle_cb),
                                                          &targets[0], NULL)
                       : -1;

    /* Warm up for a tenth of the run (caches, thread pools, the loop's tables), then measure
     * twice: after the first half of the rest and at the end. What a leak holds grows with the
     * work done, so the second half would add about what the first did; a high-water mark
     * (event backlog, allocator arenas) is reached in the first half and stays. */
    run(threads, secs / 10);
    struct usage before = sample();
    double t0 = now();
    run(threads, (secs - secs / 10) / 2);
    struct usage middle = settled(before);
    run(threads, (secs - secs / 10) / 2);
    double elapsed = now() - t0;
    struct usage after = settled(before);

    printf("soak: %d thread(s) per URI for %.0f s\n", threads, elapsed);
    for (int i = 0; i < ntargets; i++) {
        struct target *t = &targets[i];
        printf("  %s: events %ld, unexpected errors %ld\n", t->uri, atomic_load(&t->events),
               atomic_load(&t->unexpected));
        for (int f = 0; f < FAM_N; f++) {
            if (atomic_load(&t->skipped[f]))
                printf("    %-15s skipped\n", fam_names[f]);
            else if (atomic_load(&t->unsupported[f]) ||
                (f == FAM_VOLUME && atomic_load(&t->unsupported[FAM_POOL])))
                printf("    %-15s not served\n", fam_names[f]);
            else
                printf("    %-15s %ld rounds\n", fam_names[f], atomic_load(&t->ops[f]));
        }
        if (atomic_load(&t->unexpected))
            atomic_fetch_add(&failures, 1);
        if (!atomic_load(&t->ops[FAM_DOMAIN])) {
            printf("  FAIL: no domain round completed on %s\n", t->uri);
            atomic_fetch_add(&failures, 1);
        }
    }
    printf("  RSS %ld -> %ld -> %ld KiB (warmed up, half-way, end), open fds %d -> %d -> %d, "
           "threads %d -> %d -> %d\n", before.rss_kb, middle.rss_kb, after.rss_kb, before.fds,
           middle.fds, after.fds, before.threads, middle.threads, after.threads);
    /* Flat: the second half adds at most 8 MiB or 10 % to RSS (allocator noise), and there are
     * no more fds or threads than once warmed up. */
    long margin = middle.rss_kb / 10 > 8192 ? middle.rss_kb / 10 : 8192;
    if (after.rss_kb > middle.rss_kb + margin) {
        printf("  FAIL: RSS grew by %ld KiB in the second half (margin %ld)\n",
               after.rss_kb - middle.rss_kb, margin);
        failures++;
    }
    if (after.fds > before.fds) {
        printf("  FAIL: %d more open fds\n", after.fds - before.fds);
        failures++;
    }
    if (after.threads > before.threads) {
        printf("  FAIL: %d more threads\n", after.threads - before.threads);
        failures++;
    }
    if (keep) {
        if (keep_cb >= 0)
            virConnectDomainEventDeregisterAny(keep, keep_cb);
        virConnectClose(keep);
    }
    printf("soak: %s\n", failures ? "FAIL" : "OK");
    fflush(stdout);
    _exit(failures ? 1 : 0);
}
