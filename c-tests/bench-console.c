/* Console benchmark: throughput and one-byte round-trip latency through a test-driver console
 * (the built-in echo guest), against a pseudo-terminal baseline (an echo thread on the slave
 * side of a raw pty: what a qemu console's pty path costs at the very least, before libvirt's
 * own stream handling is added).
 *
 *   bench-console [URI [DOMAIN]]        (default test:///default test)
 *
 * Run it against oxvirt (LD_LIBRARY_PATH=target/release) and against the real libvirt: the
 * real test driver has no console (NO_SUPPORT), which is reported, and the pty baseline is
 * still measured so the two runs can be compared.
 * Build: gcc -O2 -Wall -Wextra -Werror c-tests/bench-console.c -o bench-console -lvirt -lutil -lpthread
 */
#include <errno.h>
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>
#include <pthread.h>
#include <pty.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#define CHUNK 65536
#define THROUGHPUT_SECS 2.0
#define LAT_ITERS 100000

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

struct result {
    double mib_s;     /* echoed MiB per second (each byte sent and received once) */
    double lat_mean;  /* microseconds */
    double lat_p50;
    double lat_p99;
};

static double lat[LAT_ITERS];

static void latency_stats(struct result *r)
{
    double sum = 0;
    for (int i = 0; i < LAT_ITERS; i++)
        sum += lat[i];
    qsort(lat, LAT_ITERS, sizeof(double), cmp_double);
    r->lat_mean = sum / LAT_ITERS * 1e6;
    r->lat_p50 = lat[LAT_ITERS / 2] * 1e6;
    r->lat_p99 = lat[LAT_ITERS * 99 / 100] * 1e6;
}

/* ---- libvirt console ---- */

static char why[512] = "failed";

static int bench_console(const char *uri, const char *name, struct result *r)
{
    virConnectPtr conn = virConnectOpen(uri);
    if (!conn)
        return -1;
    virDomainPtr dom = virDomainLookupByName(conn, name);
    virStreamPtr st = virStreamNew(conn, 0);
    int ret = -1;
    if (!dom || !st || virDomainOpenConsole(dom, NULL, st, 0) < 0) {
        virErrorPtr e = virGetLastError();
        snprintf(why, sizeof(why), "%s (code %d)", e && e->message ? e->message : "?",
                 e ? e->code : 0);
        goto out;
    }

    static char out[CHUNK], in[CHUNK];
    for (int i = 0; i < CHUNK; i++)
        out[i] = (char)i;
    unsigned long long bytes = 0;
    double t0 = now(), t;
    do {
        for (int sent = 0; sent < CHUNK;) {
            int n = virStreamSend(st, out + sent, CHUNK - sent);
            if (n <= 0)
                goto out;
            sent += n;
        }
        for (int got = 0; got < CHUNK;) {
            int n = virStreamRecv(st, in + got, CHUNK - got);
            if (n <= 0)
                goto out;
            got += n;
        }
        bytes += CHUNK;
        t = now();
    } while (t - t0 < THROUGHPUT_SECS);
    if (memcmp(in, out, CHUNK) != 0) {
        fprintf(stderr, "echo mismatch\n");
        goto out;
    }
    r->mib_s = bytes / (t - t0) / (1 << 20);

    char c = 'x', d;
    for (int i = 0; i < LAT_ITERS; i++) {
        double a = now();
        if (virStreamSend(st, &c, 1) != 1 || virStreamRecv(st, &d, 1) != 1)
            goto out;
        lat[i] = now() - a;
    }
    latency_stats(r);
    ret = 0;
out:
    if (st) {
        virStreamAbort(st);
        virStreamFree(st);
    }
    if (dom)
        virDomainFree(dom);
    virConnectClose(conn);
    return ret;
}

/* ---- pty baseline ---- */

static void *pty_echo(void *arg)
{
    int fd = *(int *)arg;
    static char buf[CHUNK];
    for (;;) {
        ssize_t n = read(fd, buf, sizeof(buf));
        if (n <= 0)
            return NULL;
        for (ssize_t off = 0; off < n;) {
            ssize_t w = write(fd, buf + off, n - off);
            if (w <= 0)
                return NULL;
            off += w;
        }
    }
}

static int bench_pty(struct result *r)
{
    int master, slave;
    if (openpty(&master, &slave, NULL, NULL, NULL) < 0)
        return -1;
    struct termios t;
    tcgetattr(slave, &t);
    cfmakeraw(&t);
    tcsetattr(slave, TCSANOW, &t);
    pthread_t th;
    pthread_create(&th, NULL, pty_echo, &slave);

    static char out[CHUNK], in[CHUNK];
    for (int i = 0; i < CHUNK; i++)
        out[i] = (char)i;
    unsigned long long bytes = 0;
    double t0 = now(), tn;
    /* A pty buffers only a few KiB each way: write and read concurrently in slices. */
    do {
        int sent = 0, got = 0;
        while (got < CHUNK) {
            if (sent < CHUNK) {
                int k = CHUNK - sent < 4096 ? CHUNK - sent : 4096;
                ssize_t w = write(master, out + sent, k);
                if (w > 0)
                    sent += w;
            }
            ssize_t n = read(master, in + got, CHUNK - got);
            if (n <= 0)
                return -1;
            got += n;
        }
        bytes += CHUNK;
        tn = now();
    } while (tn - t0 < THROUGHPUT_SECS);
    r->mib_s = bytes / (tn - t0) / (1 << 20);

    char c = 'x', d;
    for (int i = 0; i < LAT_ITERS; i++) {
        double a = now();
        if (write(master, &c, 1) != 1 || read(master, &d, 1) != 1)
            return -1;
        lat[i] = now() - a;
    }
    latency_stats(r);
    close(master);
    pthread_join(th, NULL);
    close(slave);
    return 0;
}

static void print(const char *what, const struct result *r)
{
    printf("%-28s %10.1f MiB/s   1-byte RTT mean %7.2f us  p50 %7.2f us  p99 %7.2f us\n",
           what, r->mib_s, r->lat_mean, r->lat_p50, r->lat_p99);
}

int main(int argc, char **argv)
{
    const char *uri = argc > 1 ? argv[1] : "test:///default";
    const char *name = argc > 2 ? argv[2] : "test";
    unsigned long ver = 0;
    virGetVersion(&ver, NULL, NULL);
    printf("library: libvirt %lu (%s)\n", ver, getenv("LD_LIBRARY_PATH") ? "LD_LIBRARY_PATH set" : "system");

    struct result pty = {0}, con = {0};
    if (bench_pty(&pty) == 0)
        print("pty echo baseline", &pty);
    else
        printf("pty baseline failed: %s\n", strerror(errno));

    if (bench_console(uri, name, &con) == 0) {
        print("console (echo guest)", &con);
        printf("ratio console/pty: throughput %.2fx, mean RTT %.2fx (lower is better)\n",
               con.mib_s / pty.mib_s, con.lat_mean / pty.lat_mean);
    } else {
        printf("console: unavailable: %s\n", why);
    }
    return 0;
}
