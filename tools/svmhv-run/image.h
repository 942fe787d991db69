/* SPDX-License-Identifier: GPL-2.0 */
/* svmhv-run IMAGE: a flat binary or an ELF file run as a guest (image.c). */
#ifndef SVMHV_RUN_IMAGE_H
#define SVMHV_RUN_IMAGE_H

#include "opts.h"

int image_main(const struct opts *o);

#endif /* SVMHV_RUN_IMAGE_H */
