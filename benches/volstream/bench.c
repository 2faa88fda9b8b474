/* Benchmark: sparse download of a volume with holes through a real libvirtd (its storage
 * driver, a dir pool). Usage: bench URI POOLDIR SIZE_MIB ROUNDS. The volume is SIZE_MIB MiB,
 * 1 MiB of data every 16 MiB, the rest holes. Prints ms=<best round> data=<bytes> holes=<bytes>. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

#define MiB (1024LL * 1024)

static long long data_bytes, hole_bytes;

static int sink(virStreamPtr st, const char *buf, size_t n, void *opaque)
{
    (void)st, (void)buf, (void)opaque;
    data_bytes += n;
    return n;
}

static int hole(virStreamPtr st, long long len, void *opaque)
{
    (void)st, (void)opaque;
    hole_bytes += len;
    return 0;
}

static void quiet(void *opaque, virErrorPtr e)
{
    (void)opaque, (void)e;
}

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

int main(int argc, char **argv)
{
    char xml[1024];
    if (argc != 5)
        return 2;
    long long size = atoll(argv[3]) * MiB;
    int rounds = atoi(argv[4]);
    virSetErrorFunc(NULL, quiet);
    virConnectPtr c = virConnectOpen(argv[1]);
    if (!c)
        return 1;
    snprintf(xml, sizeof(xml), "<pool type='dir'><name>bench</name><target><path>%s</path>"
             "</target></pool>", argv[2]);
    virStoragePoolPtr p = virStoragePoolLookupByName(c, "bench");
    if (!p) {
        p = virStoragePoolDefineXML(c, xml, 0);
        if (!p || virStoragePoolBuild(p, 0) < 0 || virStoragePoolCreate(p, 0) < 0)
            return 1;
    }
    virStorageVolPtr v = virStorageVolLookupByName(p, "big.img");
    if (!v) {
        snprintf(xml, sizeof(xml), "<volume><name>big.img</name><capacity>%lld</capacity>"
                 "<allocation>0</allocation><target><format type='raw'/></target></volume>",
                 size);
        v = virStorageVolCreateXML(p, xml, 0);
        if (!v)
            return 1;
        char *path = virStorageVolGetPath(v);
        int fd = open(path, O_WRONLY);
        char *buf = malloc(MiB);
        memset(buf, 0x5a, MiB);
        for (long long off = 0; off < size; off += 16 * MiB)
            if (pwrite(fd, buf, MiB, off) != MiB)
                return 1;
        close(fd);
        free(buf);
        free(path);
    }
    double best = 0;
    for (int r = 0; r < rounds; r++) {
        data_bytes = hole_bytes = 0;
        virStreamPtr st = virStreamNew(c, 0);
        double t0 = now_ms();
        if (virStorageVolDownload(v, st, 0, 0, VIR_STORAGE_VOL_DOWNLOAD_SPARSE_STREAM) < 0 ||
            virStreamSparseRecvAll(st, sink, hole, NULL) < 0 || virStreamFinish(st) < 0)
            return 1;
        double t = now_ms() - t0;
        virStreamFree(st);
        if (data_bytes + hole_bytes != size)
            return 3;
        if (r == 0 || t < best)
            best = t;
    }
    printf("ms=%.1f data=%lld holes=%lld\n", best, data_bytes, hole_bytes);
    virStorageVolFree(v);
    virStoragePoolFree(p);
    virConnectClose(c);
    return 0;
}
