/*
 * insncount.c: a QEMU TCG plugin that counts the guest instructions executed by all vCPUs
 * from power-on to QEMU's exit and prints "INSNCOUNT N" on stderr at exit. Used by
 * bench-direct.sh --insns: instruction counts do not depend on the host's load, wall time does.
 *
 * Debian ships no qemu-plugin.h, so the few entry points used are declared here from QEMU's
 * plugin API documentation (docs/devel/tcg-plugins, API version 1 as in QEMU 7.2): at each
 * translation of a block, an inline "add the block's instruction count to a counter" is
 * attached to the block. The counter is one shared variable: run QEMU with
 * -accel tcg,thread=single (one host thread for all vCPUs) so the adds cannot race.
 *
 * Build: cc -O2 -shared -fPIC -o insncount.so insncount.c
 * Run:   qemu-system-x86_64 -accel tcg,thread=single -plugin ./insncount.so ...
 */
#include <stdint.h>
#include <stddef.h>
#include <stdio.h>

typedef uint64_t qemu_plugin_id_t;
struct qemu_plugin_tb;
struct qemu_info_t;
enum qemu_plugin_op { QEMU_PLUGIN_INLINE_ADD_U64 = 0 };
typedef void (*qemu_plugin_vcpu_tb_trans_cb_t)(qemu_plugin_id_t id, struct qemu_plugin_tb *tb);
typedef void (*qemu_plugin_udata_cb_t)(qemu_plugin_id_t id, void *userdata);

void qemu_plugin_register_vcpu_tb_trans_cb(qemu_plugin_id_t id, qemu_plugin_vcpu_tb_trans_cb_t cb);
size_t qemu_plugin_tb_n_insns(const struct qemu_plugin_tb *tb);
void qemu_plugin_register_vcpu_tb_exec_inline(struct qemu_plugin_tb *tb, enum qemu_plugin_op op,
                                              void *ptr, uint64_t imm);
void qemu_plugin_register_atexit_cb(qemu_plugin_id_t id, qemu_plugin_udata_cb_t cb, void *userdata);

#define EXPORT __attribute__((visibility("default")))

/* The API version this plugin was written against; QEMU refuses a plugin without it. */
EXPORT int qemu_plugin_version = 1;

static uint64_t executed;

static void on_translate(qemu_plugin_id_t id, struct qemu_plugin_tb *tb)
{
    (void)id;
    qemu_plugin_register_vcpu_tb_exec_inline(tb, QEMU_PLUGIN_INLINE_ADD_U64, &executed,
                                             qemu_plugin_tb_n_insns(tb));
}

static void report(qemu_plugin_id_t id, void *userdata)
{
    (void)id;
    (void)userdata;
    fprintf(stderr, "INSNCOUNT %llu\n", (unsigned long long)executed);
}

EXPORT int qemu_plugin_install(qemu_plugin_id_t id, const struct qemu_info_t *info, int argc, char **argv)
{
    (void)info;
    (void)argc;
    (void)argv;
    qemu_plugin_register_vcpu_tb_trans_cb(id, on_translate);
    qemu_plugin_register_atexit_cb(id, report, NULL);
    return 0;
}
