/* Sparse volume transfers through virStreamSparseSendAll / virStreamSparseRecvAll (the Python
 * binding implements its sparseSendAll/sparseRecvAll in Python, so these C helpers need a C
 * caller). Usage: volstream URI POOLDIR WORKDIR. Prints one line per step; built against
 * Debian's libvirt and against oxvirt, the outputs must be identical
 * (tests/python/test_remote_volstream.py). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

#define MiB (1024 * 1024)

static void quiet(void *opaque, virErrorPtr e)
{
    (void)opaque;
    (void)e;
}

static void report(const char *step, int rc)
{
    virErrorPtr e = virGetLastError();
    if (rc >= 0 || !e)
        printf("%s rc=%d\n", step, rc);
    else
        printf("%s rc=%d code=%d domain=%d msg=%s\n", step, rc, e->code, e->domain,
               e->message ? e->message : "");
}

/* The events a transfer saw, coalesced: "D1048576 H3145728 ...". */
static char events[4096];
static void event(char kind, long long n)
{
    size_t len = strlen(events);
    char *last = strrchr(events, ' ');
    last = last ? last + 1 : events;
    if (len && last[0] == kind && kind == 'D') {
        long long prev = atoll(last + 1);
        snprintf(last, sizeof(events) - (last - events), "D%lld", prev + n);
        return;
    }
    snprintf(events + len, sizeof(events) - len, "%s%c%lld", len ? " " : "", kind, n);
}

static int src_data(virStreamPtr st, char *buf, size_t n, void *opaque)
{
    (void)st;
    return read(*(int *)opaque, buf, n);
}

static int src_hole(virStreamPtr st, int *in_data, long long *len, void *opaque)
{
    int fd = *(int *)opaque;
    struct stat sb;
    (void)st;
    off_t cur = lseek(fd, 0, SEEK_CUR), d, h;
    if (fstat(fd, &sb) < 0)
        return -1;
    if (cur >= sb.st_size) {
        *in_data = 1;
        *len = 0;
        return 0;
    }
    d = lseek(fd, cur, SEEK_DATA);
    if (d < 0)
        d = sb.st_size;
    if (d > cur) {
        *in_data = 0;
        *len = d - cur;
    } else {
        h = lseek(fd, cur, SEEK_HOLE);
        *in_data = 1;
        *len = h - cur;
    }
    lseek(fd, cur, SEEK_SET);
    return 0;
}

static int src_skip(virStreamPtr st, long long len, void *opaque)
{
    (void)st;
    event('S', len);
    return lseek(*(int *)opaque, len, SEEK_CUR) < 0 ? -1 : 0;
}

static int sink_data(virStreamPtr st, const char *buf, size_t n, void *opaque)
{
    (void)st;
    event('D', n);
    return write(*(int *)opaque, buf, n);
}

static int sink_hole(virStreamPtr st, long long len, void *opaque)
{
    int fd = *(int *)opaque;
    (void)st;
    event('H', len);
    off_t off = lseek(fd, len, SEEK_CUR);
    return off < 0 ? -1 : ftruncate(fd, off);
}

static int failing_sink(virStreamPtr st, const char *buf, size_t n, void *opaque)
{
    (void)st, (void)buf, (void)n, (void)opaque;
    errno = ENOSPC;
    return -1;
}

static int failing_hole(virStreamPtr st, long long len, void *opaque)
{
    (void)st, (void)len, (void)opaque;
    errno = 0;
    return -1;
}

static int same_file(const char *a, const char *b)
{
    char ba[65536], bb[65536];
    FILE *fa = fopen(a, "rb"), *fb = fopen(b, "rb");
    int same = fa && fb;
    while (same) {
        size_t na = fread(ba, 1, sizeof(ba), fa), nb = fread(bb, 1, sizeof(bb), fb);
        if (na != nb || memcmp(ba, bb, na))
            same = 0;
        if (na == 0)
            break;
    }
    if (fa)
        fclose(fa);
    if (fb)
        fclose(fb);
    return same;
}

/* The SEEK_DATA map of a file, as text. */
static void holes_map(const char *path, char *out, size_t outlen)
{
    int fd = open(path, O_RDONLY);
    struct stat sb;
    off_t pos = 0;
    out[0] = 0;
    if (fd < 0 || fstat(fd, &sb) < 0)
        return;
    while (pos < sb.st_size) {
        off_t d = lseek(fd, pos, SEEK_DATA), h;
        if (d < 0)
            break;
        h = lseek(fd, d, SEEK_HOLE);
        snprintf(out + strlen(out), outlen - strlen(out), "[%lld,%lld)", (long long)d,
                 (long long)h);
        pos = h;
    }
    close(fd);
}

int main(int argc, char **argv)
{
    char src[512], dst[512], xml[1024], map[512];
    if (argc != 4)
        return 2;
    virSetErrorFunc(NULL, quiet);
    virConnectPtr c = virConnectOpen(argv[1]);
    if (!c)
        return 1;
    snprintf(src, sizeof(src), "%s/src.img", argv[3]);
    snprintf(dst, sizeof(dst), "%s/dst.img", argv[3]);
    int fd = open(src, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    char *buf = calloc(1, MiB);
    memset(buf, 'A', MiB);
    if (fd < 0 || write(fd, buf, MiB) != MiB || lseek(fd, 5 * MiB, SEEK_SET) < 0 ||
        write(fd, buf, MiB / 4) != MiB / 4 || ftruncate(fd, 12 * MiB) < 0)
        return 1;
    close(fd);
    free(buf);

    snprintf(xml, sizeof(xml), "<pool type='dir'><name>cs</name><target><path>%s</path>"
             "</target></pool>", argv[2]);
    virStoragePoolPtr p = virStoragePoolDefineXML(c, xml, 0);
    if (!p || virStoragePoolBuild(p, 0) < 0 || virStoragePoolCreate(p, 0) < 0)
        return 1;
    virStorageVolPtr v = virStorageVolCreateXML(
        p, "<volume><name>c.img</name><capacity unit='M'>12</capacity><allocation>0"
           "</allocation><target><format type='raw'/></target></volume>", 0);
    if (!v)
        return 1;
    char *vpath = virStorageVolGetPath(v);

    /* Upload with SparseSendAll. */
    virStreamPtr st = virStreamNew(c, 0);
    fd = open(src, O_RDONLY);
    events[0] = 0;
    report("upload", virStorageVolUpload(v, st, 0, 0, VIR_STORAGE_VOL_UPLOAD_SPARSE_STREAM));
    report("sparse-send-all", virStreamSparseSendAll(st, src_data, src_hole, src_skip, &fd));
    report("finish", virStreamFinish(st));
    virStreamFree(st);
    close(fd);
    holes_map(vpath, map, sizeof(map));
    printf("upload events=%s same=%d map=%s\n", events, same_file(src, vpath), map);

    /* Download with SparseRecvAll. */
    st = virStreamNew(c, 0);
    fd = open(dst, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    events[0] = 0;
    report("download", virStorageVolDownload(v, st, 0, 0, VIR_STORAGE_VOL_DOWNLOAD_SPARSE_STREAM));
    report("sparse-recv-all", virStreamSparseRecvAll(st, sink_data, sink_hole, &fd));
    report("finish", virStreamFinish(st));
    virStreamFree(st);
    close(fd);
    holes_map(dst, map, sizeof(map));
    printf("download events=%s same=%d map=%s\n", events, same_file(src, dst), map);

    /* A range, sparse. */
    st = virStreamNew(c, 0);
    fd = open(dst, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    events[0] = 0;
    report("download-range", virStorageVolDownload(v, st, MiB / 2, 6 * MiB,
                                                   VIR_STORAGE_VOL_DOWNLOAD_SPARSE_STREAM));
    report("sparse-recv-all", virStreamSparseRecvAll(st, sink_data, sink_hole, &fd));
    report("finish", virStreamFinish(st));
    virStreamFree(st);
    close(fd);
    printf("range events=%s\n", events);

    /* SparseRecvAll on a stream opened without the flag: no holes, all data. */
    st = virStreamNew(c, 0);
    fd = open(dst, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    events[0] = 0;
    report("download-plain", virStorageVolDownload(v, st, 0, 0, 0));
    report("sparse-recv-all", virStreamSparseRecvAll(st, sink_data, sink_hole, &fd));
    report("finish", virStreamFinish(st));
    virStreamFree(st);
    close(fd);
    printf("plain events=%s same=%d\n", events, same_file(src, dst));

    /* SparseSendAll on a stream opened without the flag: the hole cannot be sent. */
    st = virStreamNew(c, 0);
    fd = open(src, O_RDONLY);
    events[0] = 0;
    report("upload-plain", virStorageVolUpload(v, st, 0, 0, 0));
    report("sparse-send-all", virStreamSparseSendAll(st, src_data, src_hole, src_skip, &fd));
    report("after-abort-send", virStreamSend(st, "x", 1));
    report("finish", virStreamFinish(st));
    virStreamFree(st);
    close(fd);
    printf("plain-upload events=%s\n", events);

    /* The handlers failing: errno kept, EIO when none; the stream aborted. */
    st = virStreamNew(c, 0);
    report("download", virStorageVolDownload(v, st, 0, 0, VIR_STORAGE_VOL_DOWNLOAD_SPARSE_STREAM));
    report("sink-fails", virStreamSparseRecvAll(st, failing_sink, sink_hole, NULL));
    report("after-abort-recv", virStreamRecv(st, map, 1));
    virStreamFree(st);
    st = virStreamNew(c, 0);
    report("download", virStorageVolDownload(v, st, 2 * MiB, 0, VIR_STORAGE_VOL_DOWNLOAD_SPARSE_STREAM));
    report("hole-fails", virStreamSparseRecvAll(st, sink_data, failing_hole, NULL));
    virStreamFree(st);

    /* Argument checks, and non-blocking streams refused. */
    st = virStreamNew(c, 0);
    report("recv-null-hole", virStreamSparseRecvAll(st, sink_data, NULL, NULL));
    report("send-null-skip", virStreamSparseSendAll(st, src_data, src_hole, NULL, NULL));
    report("unbound-recv-all", virStreamSparseRecvAll(st, sink_data, sink_hole, &fd));
    virStreamFree(st);
    st = virStreamNew(c, VIR_STREAM_NONBLOCK);
    report("download", virStorageVolDownload(v, st, 0, 0, VIR_STORAGE_VOL_DOWNLOAD_SPARSE_STREAM));
    report("nonblock-recv-all", virStreamSparseRecvAll(st, sink_data, sink_hole, &fd));
    report("nonblock-send-all", virStreamSparseSendAll(st, src_data, src_hole, src_skip, &fd));
    report("after", virStreamRecvHole(st, (long long[]){0}, 0));
    virStreamFree(st);
    report("stream-null", virStreamSparseRecvAll(NULL, sink_data, sink_hole, NULL));

    free(vpath);
    virStorageVolDelete(v, 0);
    virStorageVolFree(v);
    virStoragePoolDestroy(p);
    virStoragePoolDelete(p, 0);
    virStoragePoolUndefine(p);
    virStoragePoolFree(p);
    virConnectClose(c);
    return 0;
}
