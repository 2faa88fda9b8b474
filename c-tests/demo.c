/* oxvirt demo: what a program built against libvirt gets from oxvirt, on test:///default.
 *
 *   demo            the tour: domains in every state, filtered listings, a console session
 *   demo URI        list the domains of another connection (read-only)
 *
 * Built with pkg-config against oxvirt's header by scripts/demo.sh; the same source builds
 * against Debian's libvirt (whose test driver has no consoles: that part then reports its
 * error). Exit status 0 when every step behaved as described, 1 otherwise. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

static int failures;

static void quiet(void *opaque, virErrorPtr err)
{
    (void)opaque;
    (void)err;
}

static void check(int ok, const char *what)
{
    if (!ok) {
        printf("  FAILED: %s: %s\n", what, virGetLastErrorMessage());
        failures++;
    }
}

static const char *state_name(int s)
{
    static const char *names[] = {"no state", "running", "blocked", "paused", "shutdown",
                                  "shut off", "crashed", "pmsuspended"};
    return s >= 0 && s < 8 ? names[s] : "?";
}

static int by_name(const void *a, const void *b)
{
    return strcmp(virDomainGetName(*(virDomainPtr const *)a), virDomainGetName(*(virDomainPtr const *)b));
}

/* virConnectListAllDomains, sorted by name (libvirt's order is its hash table's). */
static int list(virConnectPtr conn, virDomainPtr **doms, unsigned int flags)
{
    int n = virConnectListAllDomains(conn, doms, flags);
    if (n > 0)
        qsort(*doms, n, sizeof(**doms), by_name);
    return n;
}

static void table(virConnectPtr conn)
{
    virDomainPtr *doms = NULL;
    int n = list(conn, &doms, 0);
    check(n >= 0, "list all domains");
    printf("  %-4s %-10s %-9s %-11s %s\n", "Id", "Name", "State", "Persistent", "Autostart");
    for (int i = 0; i < n; i++) {
        int state = 0, reason = 0, autostart = 0;
        virDomainGetState(doms[i], &state, &reason, 0);
        virDomainGetAutostart(doms[i], &autostart);
        int id = (int)virDomainGetID(doms[i]);
        char idbuf[16] = "-";
        if (id >= 0)
            snprintf(idbuf, sizeof(idbuf), "%d", id);
        printf("  %-4s %-10s %-9s %-11s %s\n", idbuf, virDomainGetName(doms[i]), state_name(state),
               virDomainIsPersistent(doms[i]) == 1 ? "yes" : "no", autostart ? "yes" : "no");
        virDomainFree(doms[i]);
    }
    free(doms);
}

static void filtered(virConnectPtr conn, unsigned int flags, const char *label)
{
    virDomainPtr *doms = NULL;
    int n = list(conn, &doms, flags);
    check(n >= 0, label);
    printf("  %-28s", label);
    for (int i = 0; i < n; i++) {
        printf(" %s", virDomainGetName(doms[i]));
        virDomainFree(doms[i]);
    }
    printf("%s\n", n == 0 ? " (none)" : "");
    free(doms);
}

static virDomainPtr define(virConnectPtr conn, const char *name, int transient)
{
    char xml[512];
    snprintf(xml, sizeof(xml),
             "<domain type='test'><name>%s</name><memory>65536</memory>"
             "<os><type>hvm</type></os></domain>",
             name);
    virDomainPtr d = transient ? virDomainCreateXML(conn, xml, 0) : virDomainDefineXML(conn, xml);
    check(d != NULL, transient ? "create a transient domain" : "define a domain");
    return d;
}

/* Send TEXT on a blocking console stream and read the guest's echo back. */
static int echo(virStreamPtr st, const char *who, const char *text)
{
    size_t len = strlen(text), got = 0;
    char buf[256];
    if (virStreamSend(st, text, len) != (int)len)
        return -1;
    while (got < len) {
        int n = virStreamRecv(st, buf + got, len - got);
        if (n <= 0)
            return -1;
        got += n;
    }
    int same = memcmp(buf, text, len) == 0;
    buf[got] = 0;
    buf[strcspn(buf, "\r\n")] = 0;
    printf("  %s: sent \"%.*s\", the guest echoed \"%s\"\n", who, (int)strcspn(text, "\r\n"), text,
           buf);
    return same ? 0 : -1;
}

static virStreamPtr open_console(virDomainPtr dom, unsigned int flags, const char *label)
{
    virStreamPtr st = virStreamNew(virDomainGetConnect(dom), 0);
    if (st && virDomainOpenConsole(dom, NULL, st, flags) == 0) {
        printf("  %-36s ok\n", label);
        return st;
    }
    printf("  %-36s refused: %s\n", label, virGetLastErrorMessage());
    if (st)
        virStreamFree(st);
    return NULL;
}

static void console_session(virConnectPtr conn)
{
    virDomainPtr dom = virDomainLookupByName(conn, "test");
    check(dom != NULL, "look up domain test");
    if (!dom)
        return;
    virStreamPtr a = open_console(dom, VIR_DOMAIN_CONSOLE_SAFE, "client A opens with SAFE:");
    check(a != NULL, "open the console with SAFE");
    if (!a) {
        virDomainFree(dom);
        return;
    }
    check(echo(a, "client A", "hello from A\n") == 0, "echo through client A");

    virStreamPtr b = open_console(dom, VIR_DOMAIN_CONSOLE_SAFE, "client B opens with SAFE:");
    check(b == NULL, "a second SAFE open is refused");
    if (b)
        virStreamFree(b);

    virStreamPtr c = open_console(dom, VIR_DOMAIN_CONSOLE_FORCE, "client C opens with FORCE:");
    check(c != NULL, "FORCE takes the console over");
    char buf[16];
    int n = virStreamRecv(a, buf, sizeof(buf));
    printf("  %-36s %s\n", "client A reads again:",
           n < 0 ? virGetLastErrorMessage() : "still connected");
    check(n < 0, "client A is disconnected");
    if (c) {
        check(echo(c, "client C", "hello from C\n") == 0, "echo through client C");
        check(virStreamFinish(c) == 0, "finish client C's stream");
        virStreamFree(c);
    }
    virStreamAbort(a);
    virStreamFree(a);
    virDomainFree(dom);
}

static int tour(void)
{
    virConnectPtr conn = virConnectOpen("test:///default");
    if (!conn) {
        fprintf(stderr, "open test:///default: %s\n", virGetLastErrorMessage());
        return 1;
    }
    printf("\n1. Domains in every state (test:///default has 'test', running; we add four)\n");
    virDomainPtr web = define(conn, "web", 0), db = define(conn, "db", 0);
    virDomainPtr batch = define(conn, "batch", 0), scratch = define(conn, "scratch", 1);
    check(web && virDomainCreate(web) == 0, "start web");
    check(web && virDomainSetAutostart(web, 1) == 0, "mark web autostart");
    check(batch && virDomainCreate(batch) == 0 && virDomainSuspend(batch) == 0,
          "start and pause batch");
    table(conn);

    printf("\n2. virConnectListAllDomains with filters (each one atomic snapshot)\n");
    filtered(conn, VIR_CONNECT_LIST_DOMAINS_ACTIVE, "ACTIVE");
    filtered(conn, VIR_CONNECT_LIST_DOMAINS_INACTIVE, "INACTIVE");
    filtered(conn, VIR_CONNECT_LIST_DOMAINS_PERSISTENT, "PERSISTENT");
    filtered(conn, VIR_CONNECT_LIST_DOMAINS_TRANSIENT, "TRANSIENT");
    filtered(conn, VIR_CONNECT_LIST_DOMAINS_RUNNING, "RUNNING");
    filtered(conn, VIR_CONNECT_LIST_DOMAINS_PAUSED, "PAUSED");
    filtered(conn, VIR_CONNECT_LIST_DOMAINS_SHUTOFF, "SHUTOFF");
    filtered(conn, VIR_CONNECT_LIST_DOMAINS_AUTOSTART, "AUTOSTART");
    filtered(conn, VIR_CONNECT_LIST_DOMAINS_ACTIVE | VIR_CONNECT_LIST_DOMAINS_PERSISTENT,
             "ACTIVE|PERSISTENT");
    filtered(conn, VIR_CONNECT_LIST_DOMAINS_RUNNING | VIR_CONNECT_LIST_DOMAINS_TRANSIENT,
             "RUNNING|TRANSIENT");

    printf("\n3. A console session with the echo guest of domain 'test' (SAFE, then FORCE)\n");
    console_session(conn);

    virDomainPtr all[] = {web, db, batch, scratch};
    for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++)
        if (all[i])
            virDomainFree(all[i]);
    virConnectClose(conn);
    printf("\n%s\n", failures ? "demo: some steps FAILED" : "demo: every step as expected");
    return failures ? 1 : 0;
}

static int list_only(const char *uri)
{
    virConnectPtr conn = virConnectOpenReadOnly(uri);
    if (!conn) {
        fprintf(stderr, "open %s: %s\n", uri, virGetLastErrorMessage());
        return 1;
    }
    table(conn);
    virConnectClose(conn);
    return failures ? 1 : 0;
}

int main(int argc, char **argv)
{
    Dl_info info;
    virSetErrorFunc(NULL, quiet);
    if (dladdr((void *)virConnectOpen, &info) && info.dli_fname)
        printf("library:  %s\n", info.dli_fname);
    unsigned long ver = 0;
    virGetVersion(&ver, NULL, NULL);
    printf("version:  libvirt %lu.%lu.%lu API\n", ver / 1000000, ver / 1000 % 1000, ver % 1000);
    alarm(30); /* a demo never hangs */
    if (argc > 1 && strcmp(argv[1], "test:///default") != 0)
        return list_only(argv[1]);
    return tour();
}
