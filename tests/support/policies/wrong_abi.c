/* A shared object that claims to be a policy for a future ABI. */
#include <stdint.h>
#include <stddef.h>

struct info {
    uint32_t abi, size, task_size, dispatch_size;
    const char *name;
    void *create, *destroy;
};

__attribute__((visibility("default"))) const struct info *scx_policy_entry(void)
{
    static const struct info i = {999, sizeof(struct info), 0, 0, "from-the-future", NULL, NULL};
    return &i;
}
