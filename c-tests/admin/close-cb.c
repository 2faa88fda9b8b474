/* The close callback of libvirt-admin (tests/admin/run.sh): argv[1] is the admin URI of a
 * running libvirtd, argv[2] a shell command that stops it. The callback must run once with
 * VIR_CONNECT_CLOSE_REASON_EOF, free its opaque data and leave the connection dead. */
#include <libvirt/libvirt-admin.h>
#include <libvirt/virterror.h>
#include <stdio.h>
#include <unistd.h>
#include <stdlib.h>
#include <signal.h>
static int calls = -1, freed;
static void on_close(virAdmConnectPtr c, int reason, void *o) { (void)c; (void)o; calls = reason; }
static void on_free(void *o) { (void)o; freed++; }
static void quiet(void *o, virErrorPtr e) { (void)o; (void)e; }
int main(int argc, char **argv) {
    (void)argc;
    signal(SIGPIPE, SIG_IGN);
    virSetErrorFunc(NULL, quiet);
    virAdmConnectPtr c = virAdmConnectOpen(argv[1], 0);
    if (!c) return 1;
    virAdmConnectRegisterCloseCallback(c, on_close, NULL, on_free);
    printf("alive=%d\n", virAdmConnectIsAlive(c));
    fflush(stdout);
    if (system(argv[2]) != 0) printf("stop failed\n");
    for (int i = 0; i < 100 && calls < 0; i++) {
        unsigned long long v;
        virAdmConnectGetLibVersion(c, &v);
        usleep(100000);
    }
    printf("reason=%d freed=%d alive=%d\n", calls, freed, virAdmConnectIsAlive(c));
    unsigned long long v;
    int r = virAdmConnectGetLibVersion(c, &v);
    /* The error differs by design: oxvirt's RPC client notices the end of the connection by
     * itself (libvirt's only within a call, without an event loop), so this is the first call
     * to hear of it. Only its failure is compared. */
    printf("after: %d error=%d\n", r, virGetLastError() != NULL);
    printf("close=%d\n", virAdmConnectClose(c));
    return 0;
}
