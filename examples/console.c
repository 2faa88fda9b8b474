/* console: attach the terminal to a domain's console, as `virsh console` does.
 *
 *   console URI DOMAIN [--force|--safe] [--devname NAME]
 *
 * The terminal is put in raw mode; Ctrl-] (^]) detaches. Everything else typed goes to the
 * guest, everything the guest writes goes to the terminal. Works with any libvirt.so.0 (oxvirt's
 * test driver gives every running test domain an echo guest, e.g.
 * `console test:///default test`). Exit status: 0 after ^] or when the guest hangs up, 1 on
 * error.
 *
 * Build: gcc -Wall -Wextra -Werror -o console examples/console.c -lvirt
 */
#include <errno.h>
#include <fcntl.h>
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#define ESCAPE 0x1d /* ^] */

static struct termios saved;
static int raw_mode;
static volatile int quit;
static int status;

static void restore_terminal(void)
{
    if (raw_mode) {
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved);
        raw_mode = 0;
    }
}

static void make_raw(void)
{
    if (!isatty(STDIN_FILENO) || tcgetattr(STDIN_FILENO, &saved) < 0)
        return;
    struct termios t = saved;
    cfmakeraw(&t);
    if (tcsetattr(STDIN_FILENO, TCSAFLUSH, &t) == 0) {
        raw_mode = 1;
        atexit(restore_terminal);
    }
}

static void report(const char *what)
{
    virErrorPtr e = virGetLastError();
    restore_terminal();
    fprintf(stderr, "console: %s: %s\n", what, e && e->message ? e->message : "unknown error");
}

/* Pending output for the guest: what stdin produced but the stream did not take yet. */
static char outbuf[65536];
static size_t outlen;
static virStreamPtr st;
static int stdin_watch = -1;

static void update_events(void)
{
    int ev = VIR_STREAM_EVENT_READABLE;
    if (outlen)
        ev |= VIR_STREAM_EVENT_WRITABLE;
    virStreamEventUpdateCallback(st, ev);
    if (stdin_watch >= 0)
        virEventUpdateHandle(stdin_watch, outlen < sizeof(outbuf) ? VIR_EVENT_HANDLE_READABLE : 0);
}

static void stream_event(virStreamPtr s, int events, void *opaque)
{
    (void)opaque;
    if (events & VIR_STREAM_EVENT_ERROR) {
        restore_terminal();
        fprintf(stderr, "\r\nconsole: the session was taken over or failed\n");
        status = 1;
        quit = 1;
        return;
    }
    if (events & (VIR_STREAM_EVENT_READABLE | VIR_STREAM_EVENT_HANGUP)) {
        char buf[65536];
        for (;;) {
            int n = virStreamRecv(s, buf, sizeof(buf));
            if (n == -2)
                break;
            if (n == 0) { /* the guest hung up */
                quit = 1;
                return;
            }
            if (n < 0) {
                report("receive");
                status = 1;
                quit = 1;
                return;
            }
            for (int off = 0; off < n;) {
                ssize_t w = write(STDOUT_FILENO, buf + off, n - off);
                if (w < 0 && errno == EINTR)
                    continue;
                if (w <= 0) {
                    quit = 1;
                    return;
                }
                off += w;
            }
        }
    }
    if (events & VIR_STREAM_EVENT_WRITABLE && outlen) {
        int n = virStreamSend(s, outbuf, outlen);
        if (n == -1) {
            report("send");
            status = 1;
            quit = 1;
            return;
        }
        if (n > 0) {
            memmove(outbuf, outbuf + n, outlen - n);
            outlen -= n;
        }
    }
    update_events();
}

static void stdin_event(int watch, int fd, int events, void *opaque)
{
    (void)watch;
    (void)opaque;
    if (!(events & (VIR_EVENT_HANDLE_READABLE | VIR_EVENT_HANDLE_HANGUP)))
        return;
    ssize_t n = read(fd, outbuf + outlen, sizeof(outbuf) - outlen);
    if (n <= 0) {
        if (n < 0 && errno == EINTR)
            return;
        quit = 1;
        return;
    }
    for (ssize_t i = 0; i < n; i++) {
        if (outbuf[outlen + i] == ESCAPE) {
            n = i;
            quit = 1;
            break;
        }
    }
    outlen += n;
    update_events();
}

static void on_signal(int sig)
{
    (void)sig;
    quit = 1;
}

static void usage(void)
{
    fprintf(stderr, "usage: console URI DOMAIN [--force|--safe] [--devname NAME]\n");
    exit(1);
}

int main(int argc, char **argv)
{
    unsigned int flags = 0;
    const char *devname = NULL;
    if (argc < 3)
        usage();
    for (int i = 3; i < argc; i++) {
        if (strcmp(argv[i], "--force") == 0)
            flags |= VIR_DOMAIN_CONSOLE_FORCE;
        else if (strcmp(argv[i], "--safe") == 0)
            flags |= VIR_DOMAIN_CONSOLE_SAFE;
        else if (strcmp(argv[i], "--devname") == 0 && i + 1 < argc)
            devname = argv[++i];
        else
            usage();
    }

    if (virEventRegisterDefaultImpl() < 0) {
        report("event loop");
        return 1;
    }
    virConnectPtr conn = virConnectOpen(argv[1]);
    if (!conn) {
        report("connect");
        return 1;
    }
    virDomainPtr dom = virDomainLookupByName(conn, argv[2]);
    if (!dom) {
        report("domain");
        virConnectClose(conn);
        return 1;
    }
    st = virStreamNew(conn, VIR_STREAM_NONBLOCK);
    if (!st || virDomainOpenConsole(dom, devname, st, flags) < 0) {
        report("open console");
        if (st)
            virStreamFree(st);
        virDomainFree(dom);
        virConnectClose(conn);
        return 1;
    }

    signal(SIGTERM, on_signal);
    signal(SIGHUP, on_signal);
    fprintf(stderr, "Connected to domain '%s'\r\nEscape character is ^] (Ctrl + ])\r\n",
            virDomainGetName(dom));
    make_raw();

    if (virStreamEventAddCallback(st, VIR_STREAM_EVENT_READABLE, stream_event, NULL, NULL) < 0) {
        report("stream callback");
        status = 1;
    } else {
        fcntl(STDIN_FILENO, F_SETFL, fcntl(STDIN_FILENO, F_GETFL) | O_NONBLOCK);
        stdin_watch = virEventAddHandle(STDIN_FILENO, VIR_EVENT_HANDLE_READABLE, stdin_event,
                                        NULL, NULL);
        while (!quit)
            if (virEventRunDefaultImpl() < 0)
                break;
        /* Flush what was typed before ^] (bounded: a stuck guest does not hold us). */
        for (int tries = 0; outlen && tries < 100 && status == 0; tries++) {
            int n = virStreamSend(st, outbuf, outlen);
            if (n < 0 && n != -2)
                break;
            if (n > 0) {
                memmove(outbuf, outbuf + n, outlen - n);
                outlen -= n;
            } else {
                usleep(10000);
            }
        }
        if (stdin_watch >= 0)
            virEventRemoveHandle(stdin_watch);
        virStreamEventRemoveCallback(st);
        fcntl(STDIN_FILENO, F_SETFL, fcntl(STDIN_FILENO, F_GETFL) & ~O_NONBLOCK);
    }
    restore_terminal();
    if (status == 0)
        virStreamFinish(st);
    else
        virStreamAbort(st);
    virStreamFree(st);
    virDomainFree(dom);
    virConnectClose(conn);
    fprintf(stderr, "\n");
    return status;
}
