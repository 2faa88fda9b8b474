#!/usr/bin/env python3
"""Write the support-matrix probe, a C program, from the fact table's C signatures.

    python3 c-tests/gen-matrix-probe.py > c-tests/build/matrix-probe.c

The program calls every function of abi/libvirt-9.0.0.tsv once, each in its own forked child
under an alarm, with synthesized arguments: the connection opened from the URI argument, real
objects of each kind the call takes (the child defines and starts its own domain, makes its own
snapshot, checkpoint, network, pool, volume, interface and secret, or takes the first one the
List-All call finds), non-empty in-strings, out-pointers to zeroed scratch memory, flags 0.
It prints one line per function, `name<TAB>result<TAB>message`, where result is the code of the
error the call left (0: none), `noobj:KIND` when the connection has no object of a kind the call
takes, `timeout` or `crash:SIGNAL`. c-tests/check-matrix.py compares that with
docs/support-matrix.tsv.

    matrix-probe URI WORKDIR [NAME...]

WORKDIR is a scratch directory for calls that write or read files (save, core dump). With NAMEs
only those functions are probed.

Arguments default by C type (and a few parameter names); OVERRIDES below are the calls that need
particular values to get past libvirt's argument checks to the driver, or that would free or
keep memory they were not given.
"""
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# Object kinds: C handle type -> (getter, name printed in noobj:KIND).
OBJECTS = {
    "virConnectPtr": ("need_conn()", "connection"),
    "virDomainPtr": ("need_domain()", "domain"),
    "virDomainSnapshotPtr": ("need_snapshot()", "snapshot"),
    "virDomainCheckpointPtr": ("need_checkpoint()", "checkpoint"),
    "virStreamPtr": ("need_stream()", "attached stream"),
    "virNetworkPtr": ("need_network()", "network"),
    "virNetworkPortPtr": ("need_port()", "port"),
    "virStoragePoolPtr": ("need_pool()", "pool"),
    "virStorageVolPtr": ("need_vol()", "volume"),
    "virInterfacePtr": ("need_iface()", "interface"),
    "virNodeDevicePtr": ("need_nodedev()", "nodedev"),
    "virSecretPtr": ("need_secret()", "secret"),
    "virNWFilterPtr": ("need_nwfilter()", "nwfilter"),
    "virNWFilterBindingPtr": ("need_binding()", "binding"),
}

# In-strings by parameter name; every other `const char *` gets "probe".
STRINGS = {
    "uuidstr": '"6695eb01-f6a4-8304-79aa-97f2502e193f"',
    "to": "work_file",
    "from": "work_file",
    "file": "work_file",
    "path": "work_file",
    "macstr": '"aa:bb:cc:dd:ee:ff"',
    "mac": '"aa:bb:cc:dd:ee:ff"',
    "type": "NULL",  # virConnectGetMaxVcpus / virGetVersion / FindStoragePoolSources: optional
    "uri": '"http://probe.example/"',
    "key": '"probe"',
}

# name -> {parameter: C expression}. Only what a call needs to reach the driver, or must not be
# given scratch memory (it would free it).
OVERRIDES = {
    "virConnectOpen": {"name": "uri"},
    "virConnectOpenReadOnly": {"name": "uri"},
    "virConnectOpenAuth": {"name": "uri", "auth": "virConnectAuthPtrDefault"},
    "virConnectFindStoragePoolSources": {"type": '"dir"'},
    "virFreeError": {"err": "virSaveLastError()"},
    "virTypedParamsFree": {"params": "NULL"},
    "virDomainStatsRecordListFree": {"stats": "NULL"},
    "virDomainFSInfoFree": {"info": "NULL"},
    "virDomainIOThreadInfoFree": {"info": "NULL"},
    "virDomainInterfaceFree": {"iface": "NULL"},
    "virNetworkDHCPLeaseFree": {"lease": "NULL"},
    "virDomainListGetStats": {"doms": "dom_list()"},
    "virGetVersion": {"type": '"Test"'},
    "virConnectGetMaxVcpus": {"type": '"test"'},
    "virDomainGetMetadata": {"type": "VIR_DOMAIN_METADATA_DESCRIPTION", "uri": "NULL"},
    "virDomainSetMetadata": {"type": "VIR_DOMAIN_METADATA_DESCRIPTION", "key": "NULL",
                             "uri": "NULL"},
    "virDomainSetMemory": {"memory": "65536"},
    "virDomainSetMemoryFlags": {"memory": "65536"},
    "virDomainSetMaxMemory": {"memory": "65536"},
    "virDomainSetVcpus": {"nvcpus": "1"},
    "virDomainSetVcpusFlags": {"nvcpus": "1"},
    "virDomainPinVcpu": {"maplen": "1"},
    "virDomainPinVcpuFlags": {"maplen": "1"},
    "virDomainPinEmulator": {"maplen": "1"},
    "virDomainPinIOThread": {"maplen": "1", "iothread_id": "1"},
    "virDomainGetVcpus": {"maxinfo": "1", "maplen": "1"},
    "virDomainGetVcpuPinInfo": {"ncpumaps": "1", "maplen": "1"},
    "virDomainGetEmulatorPinInfo": {"maplen": "1"},
    "virDomainGetCPUStats": {"start_cpu": "-1", "ncpus": "1", "nparams": "0", "params": "NULL"},
    "virDomainGetSchedulerParameters": {"nparams": "int_one()"},
    "virDomainGetSchedulerParametersFlags": {"nparams": "int_one()"},
    "virDomainSetBlockIoTune": {"params": "one_param()", "nparams": "1"},
    "virDomainSetIOThreadParams": {"params": "one_param()", "nparams": "1", "iothread_id": "1"},
    "virDomainSetInterfaceParameters": {"params": "one_param()", "nparams": "1"},
    "virDomainSetLaunchSecurityState": {"params": "one_param()", "nparams": "1"},
    "virDomainSetMemoryParameters": {"params": "one_param()", "nparams": "1"},
    "virDomainSetNumaParameters": {"params": "one_param()", "nparams": "1"},
    "virDomainSetPerfEvents": {"params": "one_param()", "nparams": "1"},
    "virDomainSetBlkioParameters": {"params": "one_param()", "nparams": "1"},
    "virDomainSetSchedulerParameters": {"params": "one_param()", "nparams": "1"},
    "virDomainSetSchedulerParametersFlags": {"params": "one_param()", "nparams": "1"},
    "virNodeSetMemoryParameters": {"params": "one_param()", "nparams": "1"},
    "virNetworkPortSetParameters": {"params": "one_param()", "nparams": "1"},
    "virDomainFDAssociate": {"nfds": "1", "fds": "sock_fds()"},
    "virDomainCreateWithFiles": {"nfiles": "1", "files": "sock_fds()"},
    "virDomainCreateXMLWithFiles": {"nfiles": "1", "files": "sock_fds()"},
    "virDomainOpenGraphics": {"fd": "sock_fds()[0]"},
    "virDomainAddIOThread": {"iothread_id": "1"},
    "virDomainDelIOThread": {"iothread_id": "1"},
    "virDomainBlockStats": {"size": "sizeof(virDomainBlockStatsStruct)"},
    "virDomainInterfaceStats": {"size": "sizeof(virDomainInterfaceStatsStruct)"},
    "virDomainMemoryStats": {"nr_stats": "1"},
    "virDomainGetDiskErrors": {"maxerrors": "1"},
    "virDomainMemoryPeek": {"flags": "VIR_MEMORY_VIRTUAL", "size": "1"},
    "virDomainBlockPeek": {"size": "1"},
    "virDomainSendKey": {"nkeycodes": "1", "keycodes": "keycodes()"},
    "virDomainSendProcessSignal": {"pid_value": "1", "signum": "VIR_DOMAIN_PROCESS_SIGNAL_NOP"},
    "virDomainSetTime": {"seconds": "1"},
    "virDomainSetVcpu": {"vcpumap": '"0"'},
    "virDomainSetGuestVcpus": {"cpumap": '"0"'},
    "virDomainCoreDumpWithFormat": {"dumpformat": "VIR_DOMAIN_CORE_DUMP_FORMAT_RAW"},
    "virDomainSetLifecycleAction": {"type": "VIR_DOMAIN_LIFECYCLE_POWEROFF",
                                    "action": "VIR_DOMAIN_LIFECYCLE_ACTION_DESTROY"},
    "virDomainMigrate": {"dconn": "other_conn()"},
    "virDomainMigrate2": {"dconn": "other_conn()"},
    "virDomainMigrate3": {"dconn": "other_conn()"},
    "virDomainMigrateToURI": {"flags": "VIR_MIGRATE_PEER2PEER", "duri": "uri"},
    "virDomainMigrateToURI2": {"flags": "VIR_MIGRATE_PEER2PEER", "dconnuri": "uri"},
    "virDomainMigrateToURI3": {"flags": "VIR_MIGRATE_PEER2PEER", "dconnuri": "uri"},
    "virDomainSnapshotListNames": {"nameslen": "1"},
    "virDomainSnapshotListChildrenNames": {"nameslen": "1"},
    "virDomainAuthorizedSSHKeysSet": {"flags": "VIR_DOMAIN_AUTHORIZED_SSH_KEYS_SET_APPEND"},
    "virConnectDomainEventRegisterAny": {"eventID": "VIR_DOMAIN_EVENT_ID_LIFECYCLE",
                                         "dom": "NULL"},
    "virConnectNetworkEventRegisterAny": {"eventID": "VIR_NETWORK_EVENT_ID_LIFECYCLE",
                                          "net": "NULL"},
    "virConnectStoragePoolEventRegisterAny": {"eventID": "VIR_STORAGE_POOL_EVENT_ID_LIFECYCLE",
                                              "pool": "NULL"},
    "virConnectNodeDeviceEventRegisterAny": {"eventID": "VIR_NODE_DEVICE_EVENT_ID_LIFECYCLE",
                                             "dev": "NULL"},
    "virConnectSecretEventRegisterAny": {"eventID": "VIR_SECRET_EVENT_ID_LIFECYCLE",
                                         "secret": "NULL"},
    "virConnectSetKeepAlive": {"interval": "5", "count": "5"},
    "virNodeGetCellsFreeMemory": {"maxCells": "1"},
    "virNodeGetCPUStats": {"cpuNum": "VIR_NODE_CPU_STATS_ALL_CPUS"},
    "virNodeGetMemoryStats": {"cellNum": "VIR_NODE_MEMORY_STATS_ALL_CELLS"},
    "virNodeGetFreePages": {"npages": "1", "cellCount": "1", "pages": "page_sizes()"},
    "virNodeAllocPages": {"npages": "1", "cellCount": "1", "pageSizes": "page_sizes()"},
    "virNodeSuspendForDuration": {"duration": "60"},
    "virDomainPMSuspendForDuration": {"duration": "60"},
    "virSecretLookupByUsage": {"usageType": "VIR_SECRET_USAGE_TYPE_VOLUME"},
    "virSecretSetValue": {"value_size": "1"},
    "virStorageVolResize": {"capacity": "2097152"},
    "virStorageVolUpload": {"length": "1", "stream": "new_stream()"},
    "virStorageVolDownload": {"length": "1", "stream": "new_stream()"},
    "virDomainOpenConsole": {"st": "new_stream()", "dev_name": "NULL"},
    "virDomainOpenChannel": {"st": "new_stream()"},
    "virDomainScreenshot": {"stream": "new_stream()"},
    "virStreamSend": {"nbytes": "1"},
    "virStreamRecv": {"nbytes": "1"},
    "virStreamRecvFlags": {"nbytes": "1"},
    "virStreamSendHole": {"length": "1"},
    "virEventAddHandle": {"fd": "0"},
    "virEventAddTimeout": {"timeout": "-1"},
    "virTypedParamsAddFromString": {"type": "VIR_TYPED_PARAM_INT", "value": '"1"'},
    "virNetworkUpdate": {"command": "VIR_NETWORK_UPDATE_COMMAND_ADD_LAST",
                         "section": "VIR_NETWORK_SECTION_DNS_HOST", "parentIndex": "-1",
                         "xml": "\"<host ip='192.168.122.5'><hostname>p</hostname></host>\""},
}

# name -> C statements run before the call (after its objects exist).
PRE = {
    # A timer due at once, so that one iteration of the loop returns.
    "virEventRunDefaultImpl": ["virEventAddTimeout(0, (virEventTimeoutCallback)(void (*)(void))noop_cb,"
                               " NULL, NULL);"],
}

SCALARS = {"unsigned int", "int", "unsigned long", "unsigned long long", "long long", "size_t",
           "double"}


def parse(args):
    if args.strip() in ("void", "-", ""):
        return []
    out = []
    for a in args.split(", "):
        m = re.match(r"(.*?)\s*(\w+)$", a.strip())
        out.append((m.group(1).strip(), m.group(2)))
    return out


def synth(func, ctype, pname, k):
    ov = OVERRIDES.get(func, {})
    if pname in ov:
        return ov[pname]
    if ctype in OBJECTS:
        return OBJECTS[ctype][0]
    if ctype in SCALARS:
        return "0"
    if ctype == "const char *":
        return STRINGS.get(pname, '"probe"')
    if ctype.endswith("Func") or ctype.endswith("Callback"):
        return f"({ctype})(void (*)(void))noop_cb"
    if ctype == "void *" and pname in ("opaque", "userData"):
        return "NULL"
    if "*" in ctype or ctype.endswith("Ptr"):
        return f"({ctype})(void *)scratch[{k}]"
    raise SystemExit(f"{func}: no synthesis for {ctype} {pname}")


def needs(func, params):
    """The object kinds a call takes, in the order their getters must run."""
    kinds = []
    for ctype, pname in params:
        if ctype in OBJECTS and OVERRIDES.get(func, {}).get(pname) is None:
            kinds.append(ctype)
    return kinds


PRELUDE = r"""/* Generated by c-tests/gen-matrix-probe.py from abi/libvirt-9.0.0.tsv; do not edit. */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

#define CALL_SECONDS 3

static const char *uri;
static char work_file[4096];
static int serial; /* the probe's index: names of the objects a child makes are unique */
static char scratch[12][65536] __attribute__((aligned(64)));

static long noop_cb(void) { return 0; }
static void quiet(void *opaque, virErrorPtr err) { (void)opaque; (void)err; }

static virConnectPtr conn_, other_;
static virDomainPtr dom_;
static virDomainSnapshotPtr snap_;
static virDomainCheckpointPtr cp_;
static virStreamPtr stream_;
static virNetworkPtr net_;
static virNetworkPortPtr port_;
static virStoragePoolPtr pool_;
static virStorageVolPtr vol_;
static virInterfacePtr iface_;
static virNodeDevicePtr nodedev_;
static virSecretPtr secret_;
static virNWFilterPtr nwfilter_;
static virNWFilterBindingPtr binding_;

static virConnectPtr need_conn(void)
{
    if (!conn_)
        conn_ = virConnectOpen(uri);
    return conn_;
}

static virConnectPtr other_conn(void)
{
    if (!other_)
        other_ = virConnectOpen(uri);
    return other_;
}

static char *fmt(const char *f, ...) __attribute__((format(printf, 1, 2)));
static char *fmt(const char *f, ...)
{
    static char buf[4][2048];
    static int next;
    char *b = buf[next++ % 4];
    va_list ap;
    va_start(ap, f);
    vsnprintf(b, sizeof(buf[0]), f, ap);
    va_end(ap);
    return b;
}

static virDomainPtr need_domain(void)
{
    if (dom_ || !need_conn())
        return dom_;
    dom_ = virDomainDefineXML(conn_, fmt(
        "<domain type='test'><name>probe%d</name><memory>65536</memory><vcpu>2</vcpu>"
        "<os><type>hvm</type></os><devices><disk type='file' device='disk'>"
        "<source file='/probe/disk%d.img'/><target dev='vda' bus='virtio'/></disk>"
        "<interface type='network'><source network='default'/><target dev='pvnet%d'/></interface>"
        "<console type='pty'/></devices></domain>", serial, serial, serial));
    if (dom_)
        virDomainCreate(dom_);
    else
        dom_ = virDomainLookupByName(conn_, "test");
    return dom_;
}

static virDomainPtr *dom_list(void)
{
    static virDomainPtr list[2];
    list[0] = need_domain();
    return list;
}

static virDomainSnapshotPtr need_snapshot(void)
{
    if (snap_ || !need_domain())
        return snap_;
    /* Two, so that the one probed has a parent. */
    virDomainSnapshotPtr first = virDomainSnapshotCreateXML(dom_,
        "<domainsnapshot><name>s1</name></domainsnapshot>", 0);
    if (first)
        snap_ = virDomainSnapshotCreateXML(dom_,
            "<domainsnapshot><name>s2</name></domainsnapshot>", 0);
    return snap_;
}

static virDomainCheckpointPtr need_checkpoint(void)
{
    if (cp_ || !need_domain())
        return cp_;
    virDomainCheckpointPtr first = virDomainCheckpointCreateXML(dom_,
        "<domaincheckpoint><name>c1</name></domaincheckpoint>", 0);
    if (first)
        cp_ = virDomainCheckpointCreateXML(dom_,
            "<domaincheckpoint><name>c2</name></domaincheckpoint>", 0);
    return cp_;
}

static virStreamPtr new_stream(void)
{
    return need_conn() ? virStreamNew(conn_, VIR_STREAM_NONBLOCK) : NULL;
}

/* A stream with something at the other end: the domain's console, else its screenshot; or, when
 * OXPROBE_STREAM_URI and OXPROBE_STREAM_DOMAIN name a running guest with a console (a daemon's
 * test driver has no streams to offer), that guest's console. */
static virStreamPtr need_stream(void)
{
    const char *suri = getenv("OXPROBE_STREAM_URI"), *sdom = getenv("OXPROBE_STREAM_DOMAIN");
    if (!stream_ && suri && sdom) {
        virConnectPtr c = virConnectOpen(suri);
        virDomainPtr d = c ? virDomainLookupByName(c, sdom) : NULL;
        stream_ = d ? virStreamNew(c, VIR_STREAM_NONBLOCK) : NULL;
        if (stream_ && virDomainOpenConsole(d, NULL, stream_, VIR_DOMAIN_CONSOLE_FORCE) < 0) {
            virStreamFree(stream_);
            stream_ = NULL;
        }
        return stream_;
    }
    if (stream_ || !need_domain())
        return stream_;
    stream_ = new_stream();
    if (stream_ && virDomainOpenConsole(dom_, NULL, stream_, 0) < 0) {
        char *mime = virDomainScreenshot(dom_, stream_, 0, 0);
        if (!mime) {
            virStreamFree(stream_);
            stream_ = NULL;
        }
        free(mime);
    }
    return stream_;
}

static virNetworkPtr need_network(void)
{
    if (net_ || !need_conn())
        return net_;
    net_ = virNetworkDefineXML(conn_, fmt(
        "<network><name>probe%d</name><bridge name='pbr%d'/></network>", serial, serial));
    if (net_) {
        virNetworkCreate(net_);
    } else {
        virNetworkPtr *list = NULL;
        if (virConnectListAllNetworks(conn_, &list, 0) > 0)
            net_ = list[0];
    }
    return net_;
}

static virNetworkPortPtr need_port(void)
{
    if (port_ || !need_network())
        return port_;
    port_ = virNetworkPortCreateXML(net_,
        "<networkport><owner><name>probe</name><uuid>6695eb01-f6a4-8304-79aa-97f2502e193f</uuid>"
        "</owner><mac address='52:54:00:00:00:01'/></networkport>", 0);
    if (!port_) {
        virNetworkPortPtr *list = NULL;
        if (virNetworkListAllPorts(net_, &list, 0) > 0)
            port_ = list[0];
    }
    return port_;
}

static virStoragePoolPtr need_pool(void)
{
    if (pool_ || !need_conn())
        return pool_;
    pool_ = virStoragePoolDefineXML(conn_, fmt(
        "<pool type='dir'><name>probe%d</name><target><path>/probe-pool%d</path></target></pool>",
        serial, serial), 0);
    if (pool_) {
        virStoragePoolCreate(pool_, 0);
    } else {
        virStoragePoolPtr *list = NULL;
        if (virConnectListAllStoragePools(conn_, &list, VIR_CONNECT_LIST_STORAGE_POOLS_ACTIVE) > 0)
            pool_ = list[0];
    }
    return pool_;
}

static virStorageVolPtr need_vol(void)
{
    if (vol_ || !need_pool())
        return vol_;
    vol_ = virStorageVolCreateXML(pool_,
        "<volume><name>probe.img</name><capacity>1048576</capacity></volume>", 0);
    if (!vol_) {
        virStorageVolPtr *list = NULL;
        if (virStoragePoolListAllVolumes(pool_, &list, 0) > 0)
            vol_ = list[0];
    }
    return vol_;
}

static virInterfacePtr need_iface(void)
{
    if (iface_ || !need_conn())
        return iface_;
    iface_ = virInterfaceDefineXML(conn_, fmt(
        "<interface type='ethernet' name='probe%d'><start mode='onboot'/>"
        "<mac address='aa:bb:cc:00:%02x:%02x'/></interface>",
        serial, (serial >> 8) & 0xff, serial & 0xff), 0);
    if (!iface_) {
        virInterfacePtr *list = NULL;
        if (virConnectListAllInterfaces(conn_, &list, 0) > 0)
            iface_ = list[0];
    }
    return iface_;
}

static virNodeDevicePtr need_nodedev(void)
{
    if (nodedev_ || !need_conn())
        return nodedev_;
    virNodeDevicePtr *list = NULL;
    if (virConnectListAllNodeDevices(conn_, &list, 0) > 0)
        nodedev_ = list[0];
    return nodedev_;
}

static virSecretPtr need_secret(void)
{
    if (secret_ || !need_conn())
        return secret_;
    secret_ = virSecretDefineXML(conn_, fmt(
        "<secret ephemeral='no' private='no'><usage type='volume'>"
        "<volume>/probe/secret%d</volume></usage></secret>", serial), 0);
    if (!secret_) {
        virSecretPtr *list = NULL;
        if (virConnectListAllSecrets(conn_, &list, 0) > 0)
            secret_ = list[0];
    }
    return secret_;
}

static virNWFilterPtr need_nwfilter(void)
{
    if (nwfilter_ || !need_conn())
        return nwfilter_;
    nwfilter_ = virNWFilterDefineXML(conn_, fmt(
        "<filter name='probe%d' chain='root'><rule action='accept' direction='in'>"
        "<all/></rule></filter>", serial));
    if (!nwfilter_) {
        virNWFilterPtr *list = NULL;
        if (virConnectListAllNWFilters(conn_, &list, 0) > 0)
            nwfilter_ = list[0];
    }
    return nwfilter_;
}

/* Bindings are only looked for, never made: a binding applies firewall rules on the host. */
static virNWFilterBindingPtr need_binding(void)
{
    if (binding_ || !need_conn())
        return binding_;
    virNWFilterBindingPtr *list = NULL;
    if (virConnectListAllNWFilterBindings(conn_, &list, 0) > 0)
        binding_ = list[0];
    return binding_;
}

static int *int_one(void)
{
    static int one = 1;
    return &one;
}

static virTypedParameterPtr one_param(void)
{
    static virTypedParameter p[1];
    strcpy(p[0].field, "probe");
    p[0].type = VIR_TYPED_PARAM_INT;
    return p;
}

static int *sock_fds(void)
{
    static int fds[2] = {-1, -1};
    if (fds[0] < 0 && socketpair(AF_UNIX, SOCK_STREAM, 0, fds) < 0)
        perror("socketpair");
    return fds;
}

static unsigned int *keycodes(void)
{
    static unsigned int k[1] = {28};
    return k;
}

static unsigned int *page_sizes(void)
{
    static unsigned int p[1] = {4};
    return p;
}

static void report(const char *name)
{
    virErrorPtr e = virGetLastError();
    const char *msg = e && e->message ? e->message : "";
    printf("%s\t%d\t", name, e ? e->code : 0);
    for (const char *c = msg; *c; c++)
        putchar(*c == '\t' || *c == '\n' ? ' ' : *c);
    putchar('\n');
}

static int noobj(const char *name, const void *obj, const char *kind)
{
    if (obj)
        return 0;
    printf("%s\tnoobj:%s\t\n", name, kind);
    return 1;
}
"""

EPILOGUE = r"""
static const char *signame(int sig)
{
    const char *s = sigabbrev_np(sig);
    return s ? s : "?";
}

/* One probe in a forked child: its line, or timeout / crash:SIGNAL. */
static void run_one(size_t i)
{
    int fds[2];
    if (pipe(fds) < 0) {
        perror("pipe");
        exit(2);
    }
    fflush(stdout);
    pid_t pid = fork();
    if (pid < 0) {
        perror("fork");
        exit(2);
    }
    if (pid == 0) {
        close(fds[0]);
        dup2(fds[1], 1);
        close(fds[1]);
        serial = (int)i;
        /* What a program does first: libvirt's thread-local error state needs it, and
         * event registrations need a loop. */
        virInitialize();
        virEventRegisterDefaultImpl();
        virSetErrorFunc(NULL, quiet);
        alarm(CALL_SECONDS);
        probes[i].fn();
        fflush(stdout);
        _exit(0);
    }
    close(fds[1]);
    char out[8192];
    size_t len = 0;
    struct timespec start, now;
    clock_gettime(CLOCK_MONOTONIC, &start);
    for (;;) {
        struct pollfd p = {.fd = fds[0], .events = POLLIN};
        int r = poll(&p, 1, 250);
        if (r > 0) {
            ssize_t n = read(fds[0], out + len, sizeof(out) - 1 - len);
            if (n <= 0)
                break;
            len += (size_t)n;
            if (len == sizeof(out) - 1)
                break;
        }
        clock_gettime(CLOCK_MONOTONIC, &now);
        /* The alarm ends a blocked call; this ends a child that outlives it anyway. */
        if (now.tv_sec - start.tv_sec > CALL_SECONDS + 5) {
            kill(pid, SIGKILL);
            break;
        }
    }
    close(fds[0]);
    out[len] = 0;
    int status;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    if (WIFSIGNALED(status) && WTERMSIG(status) == SIGALRM)
        printf("%s\ttimeout\t\n", probes[i].name);
    else if (WIFSIGNALED(status))
        printf("%s\tcrash:%s\t\n", probes[i].name, signame(WTERMSIG(status)));
    else if (!len || out[len - 1] != '\n' || WEXITSTATUS(status) != 0)
        printf("%s\tcrash:exit%d\t\n", probes[i].name, WEXITSTATUS(status));
    else
        fputs(out, stdout);
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: %s URI WORKDIR [NAME...]\n", argv[0]);
        return 2;
    }
    uri = argv[1];
    snprintf(work_file, sizeof(work_file), "%s/probe-file", argv[2]);
    size_t n = sizeof(probes) / sizeof(probes[0]);
    for (size_t i = 0; i < n; i++) {
        int wanted = argc == 3;
        for (int a = 3; a < argc && !wanted; a++)
            wanted = strcmp(argv[a], probes[i].name) == 0;
        if (wanted)
            run_one(i);
    }
    return 0;
}
"""


def main():
    rows = []
    for line in open(os.path.join(ROOT, "abi", "libvirt-9.0.0.tsv")):
        if line.startswith("#"):
            continue
        f = line.rstrip("\n").split("\t")
        rows.append((f[0], f[1], f[4], parse(f[6])))
    out = [PRELUDE.replace("#include <errno.h>", "#include <errno.h>\n#include <stdarg.h>")]
    names = []
    for kind, name, ret, params in rows:
        names.append(name)
        body = [f"static void probe_{name}(void)", "{"]
        if kind == "data":
            body.append(f'    if (noobj("{name}", {name}, "data"))')
            body.append("        return;")
            body.append(f'    printf("{name}\\t0\\t\\n");')
        else:
            kinds = needs(name, params)
            for ctype in dict.fromkeys(kinds):
                getter, label = OBJECTS[ctype]
                body.append(f'    if (noobj("{name}", {getter}, "{label}"))')
                body.append("        return;")
            call_args = []
            for k, (ctype, pname) in enumerate(params):
                expr = synth(name, ctype, pname, k)
                body.append(f"    {ctype} a{k} = {expr};")
                call_args.append(f"a{k}")
            for k in range(len(params)):
                body.append(f"    (void)a{k};")
            body += ["    " + st for st in PRE.get(name, [])]
            body.append("    virResetLastError();")
            call = f"{name}({', '.join(call_args)})"
            body.append(f"    {call};" if ret == "void" else f"    (void){call};")
            body.append(f'    report("{name}");')
        body.append("}")
        out.append("\n".join(body) + "\n")
    out.append("static const struct {\n    const char *name;\n    void (*fn)(void);\n} probes[] = {")
    out += [f'    {{"{n}", probe_{n}}},' for n in names]
    out.append("};\n")
    out.append(EPILOGUE)
    sys.stdout.write("\n".join(out))


if __name__ == "__main__":
    main()
