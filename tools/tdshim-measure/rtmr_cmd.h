/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/* tdshim-measure rtmr subcommand (docs/tools/tdshim-measure.md). */
#ifndef TDSHIM_TOOLS_RTMR_CMD_H
#define TDSHIM_TOOLS_RTMR_CMD_H

/* argv[1] == "rtmr". Exit status: 0 ok, 1 invalid input / I/O, 2 usage. */
int rtmr_main(int argc, char **argv);

#endif
