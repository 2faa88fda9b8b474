/* Streams, the event loop and test-driver consoles through the C API: unbound-stream errors,
 * the event API before and after registration, the echo guest (blocking and non-blocking,
 * SendAll/RecvAll), event callbacks run by a loop thread, FORCE/SAFE exclusivity with the
 * evicted holder's ERROR callback, the error of every virDomainOpenConsole check, and a
 * stopping domain ending its console. Runs clean under ASan/UBSan and valgrind. */
#include "helpers.h"
#include <errno.h>
#include <pthread.h>
#include <time.h>
#include <unistd.h>

static volatile int loop_quit;

static void *loop_main(void *arg)
{
    (void)arg;
    while (!loop_quit)
        virEventRunDefaultImpl();
    return NULL;
}

static void wake_cb(int timer, void *opaque)
{
    (void)opaque;
    virEventRemoveTimeout(timer);
}

/* Make the loop thread see loop_quit. */
static void stop_loop(pthread_t th)
{
    loop_quit = 1;
    virEventAddTimeout(0, wake_cb, NULL, NULL);
    pthread_join(th, NULL);
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Wait (bounded) until *flag becomes nonzero. */
static int wait_flag(volatile int *flag, double secs)
{
    double end = now() + secs;
    while (!*flag && now() < end)
        usleep(1000);
    return *flag;
}

/* ---- event API ---- */

static int frees;
static void count_free(void *opaque)
{
    (void)opaque;
    __atomic_add_fetch(&frees, 1, __ATOMIC_SEQ_CST);
}

static volatile int handle_hits, timer_hits, self_removed;
static void handle_cb(int watch, int fd, int events, void *opaque)
{
    (void)watch;
    (void)opaque;
    char c;
    if (events & VIR_EVENT_HANDLE_READABLE && read(fd, &c, 1) == 1)
        handle_hits++;
}
static void timer_cb(int timer, void *opaque)
{
    (void)opaque;
    if (++timer_hits == 3) {
        /* Removing itself while being dispatched: its free runs later, in the loop. */
        CHECK(virEventRemoveTimeout(timer) == 0);
        self_removed = 1;
    }
}

static void test_event_api(void)
{
    int p[2];
    CHECK(pipe(p) == 0);
    CHECK(virEventRegisterDefaultImpl() == 0);
    CHECK(virEventRegisterDefaultImpl() == 0); /* a second registration changes nothing */
    pthread_t th;
    loop_quit = 0;
    pthread_create(&th, NULL, loop_main, NULL);

    int w = virEventAddHandle(p[0], VIR_EVENT_HANDLE_READABLE, handle_cb, NULL, count_free);
    CHECK(w > 0);
    int t = virEventAddTimeout(5, timer_cb, NULL, count_free);
    CHECK(t > 0);
    CHECK(write(p[1], "ab", 2) == 2);
    CHECK(wait_flag(&self_removed, 5));
    double end = now() + 5;
    while (handle_hits < 2 && now() < end)
        usleep(1000);
    CHECK(handle_hits == 2);
    /* A disabled handle sees nothing. */
    virEventUpdateHandle(w, 0);
    CHECK(write(p[1], "c", 1) == 1);
    usleep(50000);
    CHECK(handle_hits == 2);
    CHECK(virEventRemoveHandle(w) == 0);
    CHECK(virEventRemoveHandle(w) == -1);
    CHECK(virEventRemoveTimeout(t) == -1); /* already removed by itself */
    end = now() + 5;
    while (__atomic_load_n(&frees, __ATOMIC_SEQ_CST) < 2 && now() < end)
        usleep(1000);
    CHECK(frees == 2);
    stop_loop(th);
    close(p[0]);
    close(p[1]);
}

/* ---- streams ---- */

struct cbstate {
    int calls;
    int error_calls;
    volatile int eof;
    volatile int freed;
    pthread_t thread;
    size_t got;
    char buf[1 << 16];
};

static void stream_cb(virStreamPtr st, int events, void *opaque)
{
    struct cbstate *s = opaque;
    s->calls++;
    s->thread = pthread_self();
    if (events & VIR_STREAM_EVENT_ERROR) {
        s->error_calls++;
        return;
    }
    for (;;) {
        int n = virStreamRecv(st, s->buf + s->got, sizeof(s->buf) - s->got);
        if (n == -2)
            return;
        if (n <= 0) {
            s->eof = 1;
            virStreamEventRemoveCallback(st);
            return;
        }
        s->got += n;
        if (s->got == sizeof(s->buf))
            return;
    }
}

static void cb_free(void *opaque)
{
    struct cbstate *s = opaque;
    s->freed++;
}

static const char *src_data;
static size_t src_left;
static int source(virStreamPtr st, char *data, size_t n, void *opaque)
{
    (void)st;
    (void)opaque;
    size_t k = n < src_left ? n : src_left;
    memcpy(data, src_data, k);
    src_data += k;
    src_left -= k;
    return (int)k;
}

static size_t sunk;
static int sink(virStreamPtr st, const char *data, size_t n, void *opaque)
{
    (void)st;
    (void)data;
    (void)opaque;
    __atomic_add_fetch(&sunk, n, __ATOMIC_SEQ_CST);
    return (int)n;
}

/* Destroys the domain once RecvAll has sunk the echo: a fixed delay could end the console before
 * a slow echo arrived. */
static void *destroy_later(void *arg)
{
    double end = now() + 10;
    while (__atomic_load_n(&sunk, __ATOMIC_SEQ_CST) < 4 && now() < end)
        usleep(1000);
    virDomainDestroy(arg);
    return NULL;
}

static void test_unbound(virConnectPtr conn)
{
    char buf[4];
    CHECK(virStreamSend(NULL, "x", 1) == -1);
    CHECK_ERR(VIR_ERR_INVALID_STREAM, VIR_FROM_STREAMS, "invalid stream pointer in virStreamSend");
    virStreamPtr st = virStreamNew(conn, 0xff); /* flags are not checked */
    CHECK(st != NULL);
    CHECK(virStreamSend(st, "x", 1) == -1);
    CHECK_ERR(VIR_ERR_NO_SUPPORT, VIR_FROM_STREAMS,
              "this function is not supported by the connection driver: virStreamSend");
    CHECK(virStreamRecv(st, buf, 4) == -1);
    CHECK_ERR(VIR_ERR_NO_SUPPORT, VIR_FROM_STREAMS, NULL);
    CHECK(virStreamFinish(st) == -1);
    CHECK_ERR(VIR_ERR_NO_SUPPORT, VIR_FROM_STREAMS, NULL);
    CHECK(virStreamEventAddCallback(st, 1, stream_cb, NULL, NULL) == -1);
    CHECK_ERR(VIR_ERR_NO_SUPPORT, VIR_FROM_STREAMS, NULL);
    CHECK(virStreamEventUpdateCallback(st, 1) == -1);
    CHECK(virStreamEventRemoveCallback(st) == -1);
    CHECK(virStreamAbort(st) == 0);
    CHECK(virStreamSend(st, NULL, 1) == -1);
    CHECK_ERR(VIR_ERR_INVALID_ARG, VIR_FROM_STREAMS, "data in virStreamSend must not be NULL");
    CHECK(virStreamRef(st) == 0);
    CHECK(virStreamFree(st) == 0);
    CHECK(virStreamFree(st) == 0);
}

static void test_open_errors(virConnectPtr conn, virDomainPtr dom)
{
    virStreamPtr st = virStreamNew(conn, VIR_STREAM_NONBLOCK);
    CHECK(virDomainOpenConsole(dom, NULL, NULL, 0) == -1);
    CHECK_ERR(VIR_ERR_INVALID_STREAM, VIR_FROM_STREAMS, "invalid stream pointer in virDomainOpenConsole");
    CHECK(virDomainOpenConsole(dom, "nope", st, 0) == -1);
    CHECK_ERR(VIR_ERR_INTERNAL_ERROR, VIR_FROM_TEST, "internal error: cannot find character device nope");
    CHECK(virDomainOpenConsole(dom, NULL, st, 8) == -1);
    CHECK_ERR(VIR_ERR_INVALID_ARG, VIR_FROM_TEST, "unsupported flags (0x8) in function testDomainOpenConsole");

    virConnectPtr other = virConnectOpen("test:///default");
    virStreamPtr ost = virStreamNew(other, 0);
    CHECK(virDomainOpenConsole(dom, NULL, ost, 0) == -1);
    CHECK_ERR(VIR_ERR_INVALID_ARG, VIR_FROM_DOMAIN, "stream must match connection of domain 'test'");
    virStreamFree(ost);
    virConnectClose(other);

    virConnectPtr ro = virConnectOpenReadOnly("test:///default");
    virDomainPtr rodom = virDomainLookupByName(ro, "test");
    virStreamPtr rost = virStreamNew(ro, 0);
    CHECK(virDomainOpenConsole(rodom, NULL, rost, 0) == -1);
    CHECK_ERR(VIR_ERR_OPERATION_DENIED, VIR_FROM_DOMAIN,
              "operation forbidden: read only access prevents virDomainOpenConsole");
    virStreamFree(rost);
    virDomainFree(rodom);
    virConnectClose(ro);
    virStreamFree(st);
}

static void test_blocking_echo(virConnectPtr conn, virDomainPtr dom)
{
    virStreamPtr st = virStreamNew(conn, 0);
    CHECK(virDomainOpenConsole(dom, "serial0", st, VIR_DOMAIN_CONSOLE_SAFE) == 0);
    char buf[16];
    CHECK(virStreamSend(st, "hello", 5) == 5);
    CHECK(virStreamRecv(st, buf, sizeof(buf)) == 5 && memcmp(buf, "hello", 5) == 0);
    CHECK(virStreamRecvFlags(st, buf, 4, 2) == -1);
    CHECK_ERR(VIR_ERR_INVALID_ARG, VIR_FROM_STREAMS, NULL);

    /* SendAll: 300000 bytes from a source; read the echo back. */
    static char big[300000];
    for (size_t i = 0; i < sizeof(big); i++)
        big[i] = (char)(i * 7);
    src_data = big;
    src_left = sizeof(big);
    CHECK(virStreamSendAll(st, source, NULL) == 0);
    static char back[300000];
    size_t got = 0;
    while (got < sizeof(back)) {
        int n = virStreamRecv(st, back + got, sizeof(back) - got);
        if (n <= 0)
            break;
        got += n;
    }
    CHECK(got == sizeof(big) && memcmp(big, back, sizeof(big)) == 0);

    /* RecvAll runs until EOF: the domain is destroyed while it waits. */
    CHECK(virStreamSend(st, "tail", 4) == 4);
    pthread_t th;
    sunk = 0;
    pthread_create(&th, NULL, destroy_later, dom);
    CHECK(virStreamRecvAll(st, sink, NULL) == 0);
    pthread_join(th, NULL);
    CHECK(sunk == 4);
    CHECK(virStreamSend(st, "x", 1) == -1);
    CHECK_ERR(VIR_ERR_SYSTEM_ERROR, VIR_FROM_STREAMS, NULL);
    CHECK(virStreamFinish(st) == 0);
    CHECK(virStreamFinish(st) == 0);
    CHECK(virStreamRecv(st, buf, 1) == -1);
    CHECK_ERR(VIR_ERR_INTERNAL_ERROR, VIR_FROM_STREAMS, "internal error: stream is not open");
    virStreamFree(st);

    st = virStreamNew(conn, 0);
    CHECK(virDomainOpenConsole(dom, NULL, st, 0) == -1);
    CHECK_ERR(VIR_ERR_OPERATION_INVALID, VIR_FROM_DOMAIN,
              "Requested operation is not valid: domain is not running");
    CHECK(virDomainCreate(dom) == 0);
    CHECK(virDomainOpenConsole(dom, NULL, st, 0) == 0);
    CHECK(virStreamAbort(st) == 0);
    virStreamFree(st);
}

static void test_nonblocking(virConnectPtr conn, virDomainPtr dom)
{
    virStreamPtr a = virStreamNew(conn, VIR_STREAM_NONBLOCK);
    char buf[8];

    /* Without an event loop a callback cannot be registered. (The loop is registered by now
     * in this program, so this is checked in main() before test_event_api.) */
    CHECK(virDomainOpenConsole(dom, NULL, a, 0) == 0);
    CHECK(virStreamRecv(a, buf, sizeof(buf)) == -2);
    CHECK(virGetLastError() == NULL); /* -2 is not an error */
    CHECK(virStreamSendAll(a, source, NULL) == -1);
    CHECK_ERR(VIR_ERR_OPERATION_INVALID, VIR_FROM_STREAMS,
              "Requested operation is not valid: data sources cannot be used for non-blocking streams");
    CHECK(virStreamRecvAll(a, sink, NULL) == -1);
    CHECK_ERR(VIR_ERR_OPERATION_INVALID, VIR_FROM_STREAMS, NULL);

    pthread_t th;
    loop_quit = 0;
    pthread_create(&th, NULL, loop_main, NULL);

    static struct cbstate sa, sb;
    memset(&sa, 0, sizeof(sa));
    memset(&sb, 0, sizeof(sb));
    CHECK(virStreamEventAddCallback(a, VIR_STREAM_EVENT_READABLE, stream_cb, &sa, cb_free) == 0);
    CHECK(virStreamEventAddCallback(a, VIR_STREAM_EVENT_READABLE, stream_cb, &sa, cb_free) == -1);
    CHECK_ERR(VIR_ERR_INTERNAL_ERROR, VIR_FROM_STREAMS,
              "internal error: stream already has a callback registered");
    CHECK(virStreamSend(a, "abc", 3) == 3);
    double end = now() + 5;
    while (sa.got < 3 && now() < end)
        usleep(1000);
    CHECK(sa.got == 3 && memcmp(sa.buf, "abc", 3) == 0);
    CHECK(!pthread_equal(sa.thread, pthread_self())); /* dispatched by the loop thread */

    /* A second plain or SAFE open is refused; FORCE evicts the holder. */
    virStreamPtr b = virStreamNew(conn, VIR_STREAM_NONBLOCK);
    CHECK(virDomainOpenConsole(dom, "console0", b, 0) == -1);
    CHECK_ERR(VIR_ERR_OPERATION_FAILED, VIR_FROM_TEST,
              "operation failed: Active console session exists for this domain");
    CHECK(virDomainOpenConsole(dom, NULL, b, VIR_DOMAIN_CONSOLE_SAFE) == -1);
    CHECK_ERR(VIR_ERR_OPERATION_FAILED, VIR_FROM_TEST, NULL);
    int calls_before = sa.calls;
    CHECK(virDomainOpenConsole(dom, NULL, b, VIR_DOMAIN_CONSOLE_FORCE) == 0);
    CHECK(sa.error_calls == 1 && sa.calls == calls_before + 1);
    CHECK(pthread_equal(sa.thread, pthread_self())); /* synchronously, in the forcing thread */
    CHECK(virStreamRecv(a, buf, 1) == -1);
    CHECK_ERR(VIR_ERR_INTERNAL_ERROR, VIR_FROM_STREAMS, "internal error: stream is not open");
    CHECK(virStreamSend(a, "x", 1) == -1);
    CHECK(virStreamEventRemoveCallback(a) == -1);
    CHECK_ERR(VIR_ERR_INTERNAL_ERROR, VIR_FROM_STREAMS, "internal error: stream is not open");
    CHECK(virStreamFinish(a) == 0);
    CHECK(virStreamAbort(a) == 0);
    CHECK(sa.freed == 1); /* closing dropped the registration */

    CHECK(virStreamEventAddCallback(b, VIR_STREAM_EVENT_READABLE, stream_cb, &sb, cb_free) == 0);
    CHECK(virStreamEventUpdateCallback(b, 0) == 0); /* nothing wanted: no dispatch */
    CHECK(virStreamSend(b, "zz", 2) == 2);
    usleep(50000);
    CHECK(sb.calls == 0);
    CHECK(virStreamEventUpdateCallback(b, VIR_STREAM_EVENT_READABLE) == 0);
    end = now() + 5;
    while (sb.got < 2 && now() < end)
        usleep(1000);
    CHECK(sb.got == 2);

    /* Shutting the domain down hangs the console up: READABLE|HANGUP, recv 0. */
    CHECK(virDomainShutdown(dom) == 0);
    CHECK(wait_flag(&sb.eof, 5));
    /* Removed by the callback itself: freed once its dispatch returns. */
    CHECK(wait_flag(&sb.freed, 5) == 1);
    CHECK(virStreamFinish(b) == 0);
    CHECK(virDomainCreate(dom) == 0);

    stop_loop(th);
    virStreamFree(a);
    virStreamFree(b);
}

int main(void)
{
    virSetErrorFunc(NULL, quiet_handler);

    CHECK(virEventAddHandle(0, 1, handle_cb, NULL, NULL) == -1);
    CHECK(virEventAddTimeout(0, timer_cb, NULL, NULL) == -1);
    CHECK(virEventRemoveTimeout(1) == -1);

    virConnectPtr conn = virConnectOpen("test:///default");
    virDomainPtr dom = virDomainLookupByName(conn, "test");
    CHECK(conn && dom);

    /* Before any event loop: a callback cannot be registered on a console stream. */
    virStreamPtr st = virStreamNew(conn, VIR_STREAM_NONBLOCK);
    CHECK(virDomainOpenConsole(dom, NULL, st, 0) == 0);
    CHECK(virStreamEventAddCallback(st, 1, stream_cb, NULL, NULL) == -1);
    CHECK_ERR(VIR_ERR_INTERNAL_ERROR, VIR_FROM_STREAMS,
              "internal error: cannot register file watch on stream");
    CHECK(virStreamAbort(st) == 0);
    CHECK(virStreamFree(st) == 0);

    test_unbound(conn);
    test_event_api();
    test_open_errors(conn, dom);
    test_blocking_echo(conn, dom);
    test_nonblocking(conn, dom);

    /* A stream holds its connection: close answers 1 until the stream is freed. */
    st = virStreamNew(conn, 0);
    virDomainFree(dom);
    CHECK(virConnectClose(conn) == 1);
    CHECK(virStreamFree(st) == 0);
    return finish("test-console");
}
