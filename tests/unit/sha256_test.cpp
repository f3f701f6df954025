// SPDX-License-Identifier: MIT
#include "base/sha256.hpp"

#include "test.hpp"

static void sha256__fips_vectors__match(void **)
{
    assert_str_equal(scx::sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    assert_str_equal(scx::sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    assert_str_equal(scx::sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
                     "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    assert_str_equal(scx::sha256_hex(std::string(1000000, 'a')),
                     "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

static void sha256__incremental__equals_one_shot(void **)
{
    scx::Sha256 h;
    h.update("abcdbcdecdefdefgefghfghighij").update("hijkijkljklmklmnlmnomnopnopq");
    assert_str_equal(h.hex(), "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

static void field__length_prefix__separates_boundaries(void **)
{
    const std::string a = scx::Sha256().field("ab").field("c").hex();
    const std::string b = scx::Sha256().field("a").field("bc").hex();
    assert_true(a != b);
}

int main()
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(sha256__fips_vectors__match),
        cmocka_unit_test(sha256__incremental__equals_one_shot),
        cmocka_unit_test(field__length_prefix__separates_boundaries),
    };
    return cmocka_run_group_tests(tests, nullptr, nullptr);
}
