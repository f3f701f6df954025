/* A shared object that claims to be a policy for a future ABI (or, built
 * with -DABI=1, one built before policy parameters: ABI 1). */
#include <stdint.h>
#include <stddef.h>

struct info {
    uint32_t abi, size, task_size, dispatch_size;
    const char *name;
    void *create, *destroy;
};

__attribute__((visibility("default"))) const struct info *scx_policy_entry(void)
{
#ifndef ABI
#define ABI 999
#endif
    static const struct info i = {ABI, sizeof(struct info), 0, 0, "from-another-abi", NULL, NULL};
    return &i;
}
