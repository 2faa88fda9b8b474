/* Differential test of libvirt-qemu.so.0 and libvirt-lxc.so.0: every entry point with NULL and
 * real objects, read-only connections and bad arguments, printing each result and libvirt's
 * error. Built against Debian's libvirt and against oxvirt's; run.sh compares the outputs.
 * Usage: diff-libs URI DOMAIN [qemu]   ("qemu": the domain runs on a QEMU driver, so also call
 * the monitor with a QMP and an HMP command and the agent, whose answers are compared). */
#define _GNU_SOURCE
#include <libvirt/libvirt.h>
#include <libvirt/libvirt-lxc.h>
#include <libvirt/libvirt-qemu.h>
#include <libvirt/virterror.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void quiet(void *opaque, virErrorPtr err) { (void)opaque; (void)err; }

static void report(const char *what, long rc) {
    virErrorPtr e = virGetLastError();
    if (e)
        printf("%s: %ld code=%d domain=%d msg=%s\n", what, rc, e->code, e->domain,
               e->message ? e->message : "(null)");
    else
        printf("%s: %ld (no error)\n", what, rc);
}

static void report_str(const char *what, char *s) {
    if (s) {
        printf("%s: ok\n", what);
        free(s);
    } else {
        report(what, -1);
    }
}

static void mon_cb(virConnectPtr c, virDomainPtr d, const char *ev, long long s, unsigned int us,
                   const char *details, void *opaque) {
    (void)c; (void)d; (void)ev; (void)s; (void)us; (void)details; (void)opaque;
}

int main(int argc, char **argv) {
    const char *uri = argc > 1 ? argv[1] : "test:///default";
    const char *name = argc > 2 ? argv[2] : "test";
    int qemu = argc > 3 && strcmp(argv[3], "qemu") == 0;
    virSetErrorFunc(NULL, quiet);
    virConnectPtr c = virConnectOpen(uri);
    virConnectPtr ro = virConnectOpenReadOnly(uri);
    if (!c || !ro) {
        report("open", -1);
        return 1;
    }
    virDomainPtr d = virDomainLookupByName(c, name);
    virDomainPtr dro = virDomainLookupByName(ro, name);
    if (!d || !dro) {
        report("lookup", -1);
        return 1;
    }
    char *res = NULL;
    int rc;

    /* virDomainQemuMonitorCommand */
    report("monitor NULL dom", virDomainQemuMonitorCommand(NULL, "x", &res, 0));
    report("monitor NULL result", virDomainQemuMonitorCommand(d, "x", NULL, 0));
    report("monitor read-only", virDomainQemuMonitorCommand(dro, "x", &res, 0));
    if (qemu) {
        rc = virDomainQemuMonitorCommand(d, "{\"execute\":\"query-status\"}", &res, 0);
        printf("monitor query-status: %d %s\n", rc, rc == 0 ? res : "");
        free(res);
        res = NULL;
        rc = virDomainQemuMonitorCommand(d, "info status", &res, VIR_DOMAIN_QEMU_MONITOR_COMMAND_HMP);
        printf("monitor hmp info status: %d %s", rc, rc == 0 ? res : "\n");
        free(res);
        res = NULL;
        report("monitor bad json", virDomainQemuMonitorCommand(d, "{not json", &res, 0));
        report("monitor unknown command",
               virDomainQemuMonitorCommand(d, "{\"execute\":\"no-such-command\"}", &res, 0));
        report("monitor bad flags", virDomainQemuMonitorCommand(d, "x", &res, 0x100));
    } else {
        report("monitor", virDomainQemuMonitorCommand(d, "{\"execute\":\"query-status\"}", &res, 0));
    }

    /* virDomainQemuMonitorCommandWithFiles */
    unsigned int nout = 7;
    int *outfiles = NULL;
    int infd = 0;
    report("withfiles NULL dom", virDomainQemuMonitorCommandWithFiles(NULL, "x", 0, NULL, NULL, NULL, &res, 0));
    report("withfiles NULL cmd", virDomainQemuMonitorCommandWithFiles(d, NULL, 0, NULL, NULL, NULL, &res, 0));
    report("withfiles NULL result", virDomainQemuMonitorCommandWithFiles(d, "x", 0, NULL, NULL, NULL, NULL, 0));
    report("withfiles read-only", virDomainQemuMonitorCommandWithFiles(dro, "x", 0, NULL, NULL, NULL, &res, 0));
    if (qemu) {
        rc = virDomainQemuMonitorCommandWithFiles(d, "{\"execute\":\"query-status\"}", 0, NULL, NULL, NULL, &res, 0);
        printf("withfiles query-status: %d %s\n", rc, rc == 0 ? res : "");
        free(res);
        res = NULL;
    } else {
        report("withfiles", virDomainQemuMonitorCommandWithFiles(d, "x", 0, NULL, NULL, NULL, &res, 0));
        report("withfiles infiles", virDomainQemuMonitorCommandWithFiles(d, "x", 1, &infd, NULL, NULL, &res, 0));
        report("withfiles outfiles", virDomainQemuMonitorCommandWithFiles(d, "x", 0, NULL, &nout, &outfiles, &res, 0));
    }

    /* virDomainQemuAttach */
    report("attach NULL conn", (long)(virDomainQemuAttach(NULL, 1, 0) != NULL));
    report("attach pid 0", (long)(virDomainQemuAttach(c, 0, 0) != NULL));
    report("attach pid too large", (long)(virDomainQemuAttach(c, 0x80000000u, 0) != NULL));
    report("attach read-only", (long)(virDomainQemuAttach(ro, 1, 0) != NULL));
    report("attach", (long)(virDomainQemuAttach(c, 1, 0) != NULL));

    /* virDomainQemuAgentCommand */
    report_str("agent NULL dom", virDomainQemuAgentCommand(NULL, "x", -1, 0));
    report_str("agent read-only", virDomainQemuAgentCommand(dro, "x", -1, 0));
    report_str("agent", virDomainQemuAgentCommand(d, "{\"execute\":\"guest-ping\"}", VIR_DOMAIN_QEMU_AGENT_COMMAND_NOWAIT, 0));
    report_str("agent bad timeout", virDomainQemuAgentCommand(d, "{\"execute\":\"guest-ping\"}", -3, 0));

    /* Monitor events */
    report("event register NULL conn", virConnectDomainQemuMonitorEventRegister(NULL, NULL, NULL, mon_cb, NULL, NULL, 0));
    report("event register NULL cb", virConnectDomainQemuMonitorEventRegister(c, NULL, NULL, NULL, NULL, NULL, 0));
    report("event register foreign dom", virConnectDomainQemuMonitorEventRegister(c, dro, NULL, mon_cb, NULL, NULL, 0));
    report("event register read-only", virConnectDomainQemuMonitorEventRegister(ro, NULL, NULL, mon_cb, NULL, NULL, 0));
    report("event deregister NULL conn", virConnectDomainQemuMonitorEventDeregister(NULL, 0));
    report("event deregister negative", virConnectDomainQemuMonitorEventDeregister(c, -1));
    report("event deregister read-only", virConnectDomainQemuMonitorEventDeregister(ro, 0));
    if (!qemu) {
        report("event register", virConnectDomainQemuMonitorEventRegister(c, d, NULL, mon_cb, NULL, NULL, 0));
        report("event deregister", virConnectDomainQemuMonitorEventDeregister(c, 0));
    }

    /* virDomainLxcOpenNamespace */
    int *fds = NULL;
    report("lxc open NULL dom", virDomainLxcOpenNamespace(NULL, &fds, 0));
    report("lxc open NULL fdlist", virDomainLxcOpenNamespace(d, NULL, 0));
    report("lxc open read-only", virDomainLxcOpenNamespace(dro, &fds, 0));
    report("lxc open", virDomainLxcOpenNamespace(d, &fds, 0));

    /* virDomainLxcEnterNamespace: local to the caller's process */
    unsigned int nold = 99;
    int *old = NULL;
    report("lxc enter bad flags", virDomainLxcEnterNamespace(d, 0, NULL, NULL, NULL, 1));
    report("lxc enter no fds", virDomainLxcEnterNamespace(d, 0, NULL, NULL, NULL, 0));
    rc = virDomainLxcEnterNamespace(d, 0, NULL, &nold, &old, 0);
    printf("lxc enter no fds, saving: %d nold=%u old=%s\n", rc, nold, old ? "set" : "NULL");
    int skip = -1;
    rc = virDomainLxcEnterNamespace(d, 1, &skip, &nold, &old, 0);
    printf("lxc enter fd -1, saving: %d nold=%u\n", rc, nold);
    if (rc == 0 && old) {
        /* Enter our own namespaces again: joining what we are in is harmless. */
        rc = virDomainLxcEnterNamespace(d, nold, old, NULL, NULL, 0);
        report("lxc enter own namespaces", rc);
        for (unsigned int i = 0; i < nold; i++)
            close(old[i]);
        free(old);
    }
    int bad = 1000;
    report("lxc enter bad fd", virDomainLxcEnterNamespace(d, 1, &bad, NULL, NULL, 0));

    /* virDomainLxcEnterSecurityLabel */
    virSecurityModel model;
    virSecurityLabel label, oldlabel;
    memset(&model, 0, sizeof(model));
    memset(&label, 0, sizeof(label));
    memset(&oldlabel, 0x55, sizeof(oldlabel));
    report("label NULL model", virDomainLxcEnterSecurityLabel(NULL, &label, NULL, 0));
    report("label NULL label", virDomainLxcEnterSecurityLabel(&model, NULL, NULL, 0));
    report("label bad flags", virDomainLxcEnterSecurityLabel(&model, &label, NULL, 2));
    strcpy(model.model, "none");
    rc = virDomainLxcEnterSecurityLabel(&model, &label, &oldlabel, 0);
    printf("label none: %d oldlabel cleared=%d\n", rc, oldlabel.label[0] == 0 && oldlabel.enforcing == 0);
    strcpy(model.model, "dac");
    report("label dac", virDomainLxcEnterSecurityLabel(&model, &label, NULL, 0));

    /* virDomainLxcEnterCGroup: only its argument checks (it moves the caller's process) */
    report("cgroup NULL dom", virDomainLxcEnterCGroup(NULL, 0));
    report("cgroup read-only", virDomainLxcEnterCGroup(dro, 0));

    virDomainFree(d);
    virDomainFree(dro);
    virConnectClose(c);
    virConnectClose(ro);
    return 0;
}
