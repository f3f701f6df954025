/* A valid shared object that is not a policy. */
__attribute__((visibility("default"))) int not_a_policy(void) { return 42; }
