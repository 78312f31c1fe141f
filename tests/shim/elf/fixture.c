/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/* A tiny payload for the ELF loader tests: pointers in data (R_X86_64_RELATIVE in a PIE), a
 * bss object, and an entry point. Never run. */
static long counter;
static const char greeting[] = "hello";
const char *const table[3] = {greeting, (const char *)&counter, greeting + 2};
void _start(void);
void _start(void)
{
    for (;;) {
        counter++;
    }
}
