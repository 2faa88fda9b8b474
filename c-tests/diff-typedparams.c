/* virTypedParams*: building, reading, type and name errors, growth, freeing. */
#include "diff-helpers.h"

int main(void)
{
    diff_start();
    virTypedParameterPtr p = NULL;
    int n = 0, max = 0;
    diff_show("add int", virTypedParamsAddInt(&p, &n, &max, "a-int", -5));
    printf("n=%d max=%d\n", n, max);
    diff_show("add uint", virTypedParamsAddUInt(&p, &n, &max, "b-uint", 7));
    diff_show("add llong", virTypedParamsAddLLong(&p, &n, &max, "c-llong", -1234567890123LL));
    diff_show("add ullong", virTypedParamsAddULLong(&p, &n, &max, "d-ullong", 18446744073709551615ULL));
    diff_show("add double", virTypedParamsAddDouble(&p, &n, &max, "e-double", 2.5));
    diff_show("add boolean", virTypedParamsAddBoolean(&p, &n, &max, "f-bool", 42));
    diff_show("add string", virTypedParamsAddString(&p, &n, &max, "g-string", "hello"));
    printf("n=%d max=%d\n", n, max);
    diff_show("add duplicate", virTypedParamsAddInt(&p, &n, &max, "a-int", 1));
    printf("n=%d\n", n);
    char longname[200];
    memset(longname, 'x', sizeof(longname) - 1);
    longname[sizeof(longname) - 1] = 0;
    diff_show("add long name", virTypedParamsAddInt(&p, &n, &max, longname, 1));
    printf("n=%d\n", n);
    const char *list[] = {"one", "two", NULL};
    diff_show("add list", virTypedParamsAddStringList(&p, &n, &max, "h-list", list));
    printf("n=%d\n", n);
    diff_show("from string int", virTypedParamsAddFromString(&p, &n, &max, "i", VIR_TYPED_PARAM_INT, "12"));
    diff_show("from string bad int", virTypedParamsAddFromString(&p, &n, &max, "j", VIR_TYPED_PARAM_INT, "x"));
    diff_show("from string bool", virTypedParamsAddFromString(&p, &n, &max, "k", VIR_TYPED_PARAM_BOOLEAN, "TRUE"));
    diff_show("from string bad bool", virTypedParamsAddFromString(&p, &n, &max, "l", VIR_TYPED_PARAM_BOOLEAN, "yes"));
    diff_show("from string null", virTypedParamsAddFromString(&p, &n, &max, "m", VIR_TYPED_PARAM_STRING, NULL));
    diff_show("from string bad type", virTypedParamsAddFromString(&p, &n, &max, "o", 99, "1"));
    printf("n=%d\n", n);

    int i = 0;
    unsigned int ui = 0;
    long long l = 0;
    unsigned long long ul = 0;
    double d = 0;
    int b = 0;
    const char *s = NULL;
    diff_show("get int", virTypedParamsGetInt(p, n, "a-int", &i));
    diff_show("get uint", virTypedParamsGetUInt(p, n, "b-uint", &ui));
    diff_show("get llong", virTypedParamsGetLLong(p, n, "c-llong", &l));
    diff_show("get ullong", virTypedParamsGetULLong(p, n, "d-ullong", &ul));
    diff_show("get double", virTypedParamsGetDouble(p, n, "e-double", &d));
    diff_show("get bool", virTypedParamsGetBoolean(p, n, "f-bool", &b));
    diff_show("get string", virTypedParamsGetString(p, n, "g-string", &s));
    printf("values %d %u %lld %llu %g %d %s\n", i, ui, l, ul, d, b, s);
    diff_show("get wrong type", virTypedParamsGetInt(p, n, "g-string", &i));
    diff_show("get missing", virTypedParamsGetInt(p, n, "zzz", &i));
    diff_show("get null value", virTypedParamsGetInt(p, n, "a-int", NULL));
    diff_show("get first of list", virTypedParamsGetString(p, n, "h-list", &s));
    printf("list first %s\n", s);
    virTypedParameterPtr f = virTypedParamsGet(p, n, "i");
    printf("get i: %s %d %d\n", f ? f->field : "-", f ? f->type : -1, f ? f->value.i : -1);
    printf("get null params: %p\n", (void *)virTypedParamsGet(NULL, n, "i"));
    virTypedParamsFree(p, n);
    virTypedParamsFree(NULL, 0);
    return 0;
}
