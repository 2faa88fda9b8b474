/* Tiny test helpers for oxvirt's C tests. */
#ifndef OXVIRT_TEST_HELPERS_H
#define OXVIRT_TEST_HELPERS_H
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

static int checks_failed;
static int checks_run;

#define CHECK(cond) do { \
    checks_run++; \
    if (!(cond)) { \
        checks_failed++; \
        fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
    } \
} while (0)

#define CHECK_STR(a, b) do { \
    const char *a_ = (a), *b_ = (b); \
    checks_run++; \
    if (!a_ || !b_ || strcmp(a_, b_) != 0) { \
        checks_failed++; \
        fprintf(stderr, "%s:%d: \"%s\" != \"%s\"\n", __FILE__, __LINE__, \
                a_ ? a_ : "(null)", b_ ? b_ : "(null)"); \
    } \
} while (0)

/* The thread's last error has this code, domain and message. */
#define CHECK_ERR(code_, domain_, msg_) do { \
    virErrorPtr e_ = virGetLastError(); \
    CHECK(e_ != NULL); \
    if (e_) { \
        CHECK(e_->code == (code_)); \
        CHECK(e_->domain == (domain_)); \
        if (msg_) CHECK_STR(e_->message, (const char *)(msg_)); \
        if (e_->code != (code_) || e_->domain != (domain_)) \
            fprintf(stderr, "   got code=%d domain=%d msg=%s\n", e_->code, e_->domain, \
                    e_->message ? e_->message : "(null)"); \
    } \
} while (0)

static void quiet_handler(void *opaque, virErrorPtr err)
{
    (void)opaque;
    (void)err;
}

static int finish(const char *name)
{
    printf("%s: %d checks, %d failed\n", name, checks_run, checks_failed);
    return checks_failed ? 1 : 0;
}
#endif
